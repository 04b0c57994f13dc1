import type { AnswerMap, AreaDef, Position, QuestionnaireContent, SizeClass } from './schemas.js'

/**
 * How an assessment is scored, with no I/O. An area's score is the mean of its applicable
 * answers ("non applicabile" leaves a question out rather than counting as zero); its target
 * depends on the organization's size, because the proposed model for a small comune on its own is
 * not the one for an Unione or a larger comune.
 */

/** The population below which a comune is "small" (seed 002: the Piano di Azione's comuni up to 5,000). */
export const SMALL_COMUNE_POPULATION = 5000

/** An Unione is judged as one; a comune by its population (unknown counts as small, the programme's case). */
export function sizeClassOf(org: { kind: 'comune' | 'unione'; population: number | null }): SizeClass {
  if (org.kind === 'unione') return 'unione'
  return org.population === null || org.population <= SMALL_COMUNE_POPULATION ? 'comune_piccolo' : 'comune'
}

export interface AreaScore {
  code: string
  score: number | null
  target: number
  gap: number | null
  position: Position
  answered: number
  notApplicable: number
  /** Questions answered below the area's target, lowest first. */
  below: Array<{ code: string; score: number }>
}

const round2 = (n: number) => Math.round(n * 100) / 100

/**
 * Where a score stands against its target: at or above it "in linea"; below by at most a third
 * of the scale "da rafforzare"; further below "da costruire"; no applicable answer "non valutabile".
 */
export function positionOf(score: number | null, target: number, scale: { min: number; max: number }): Position {
  if (score === null) return 'non_valutabile'
  if (score >= target) return 'in_linea'
  return target - score <= (scale.max - scale.min) / 3 ? 'da_rafforzare' : 'da_costruire'
}

export function scoreArea(area: AreaDef, answers: AnswerMap, size: SizeClass, scale: { min: number; max: number }): AreaScore {
  const target = area.targets[size]
  const scores: Array<{ code: string; score: number }> = []
  let notApplicable = 0
  for (const q of area.questions) {
    const answer = answers[q.code]
    if (!answer) continue
    if ('notApplicable' in answer) notApplicable++
    else scores.push({ code: q.code, score: answer.score })
  }
  const score = scores.length === 0 ? null : round2(scores.reduce((sum, s) => sum + s.score, 0) / scores.length)
  return {
    code: area.code,
    score,
    target,
    gap: score === null ? null : round2(Math.max(0, target - score)),
    position: positionOf(score, target, scale),
    answered: scores.length,
    notApplicable,
    below: scores.filter((s) => s.score < target).sort((a, b) => a.score - b.score),
  }
}

export function scoreAssessment(content: QuestionnaireContent, answers: AnswerMap, size: SizeClass): AreaScore[] {
  return content.areas.map((area) => scoreArea(area, answers, size, content.scale))
}

/** Population bands of the aggregates (ISTAT-like classes, fine enough for small comuni), smallest first. */
export const POPULATION_BANDS = [
  'fino a 1.000 abitanti',
  '1.001-3.000 abitanti',
  '3.001-5.000 abitanti',
  '5.001-20.000 abitanti',
  'oltre 20.000 abitanti',
  'Unioni di Comuni',
  'Popolazione non nota',
] as const

export function populationBand(population: number | null, size: SizeClass): string {
  if (size === 'unione') return 'Unioni di Comuni'
  if (population === null) return 'Popolazione non nota'
  const limits = [1000, 3000, 5000, 20000]
  const index = limits.findIndex((limit) => population <= limit)
  return POPULATION_BANDS[index === -1 ? 4 : index] ?? 'oltre 20.000 abitanti'
}

/** Fewer organizations than this are never shown as a number (nor their mean). */
export const SUPPRESSION_THRESHOLD = 5
export const suppress = (count: number): number | '< 5' => (count > 0 && count < SUPPRESSION_THRESHOLD ? '< 5' : count)
