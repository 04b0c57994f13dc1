import type { Actor, UserActor } from '../accounts/actor.js'
import { requireModerator } from '../accounts/policy.js'
import { judgeEligibility } from '../forum-days/eligibility.js'
import { DomainError } from '../shared/errors.js'
import type { SelfAssessmentContext } from './context.js'
import * as repo from './repository.js'
import type { AggregatesDto, AreaResultDto, QuestionDef, ResultDto } from './schemas.js'
import { POPULATION_BANDS, populationBand, scoreAssessment, suppress, SUPPRESSION_THRESHOLD } from './scoring.js'

/** FAQs shown per area with a gap: enough to act on, few enough to read. */
const FAQS_PER_AREA = 5
const FAQS_PER_LABEL = 3

/** The result of one assessment, and the secretariat's aggregates of an edition. */
export function resultUseCases(ctx: SelfAssessmentContext) {
  const { db, forumDays, faqs, organizations, loadAssessment } = ctx

  /** Published FAQs for the tags and themes the gap questions declare, each once, in the order declared. */
  async function faqsFor(actor: UserActor, questions: QuestionDef[]) {
    const found = new Map<string, { slug: string; title: string; url: string }>()
    const lookups = [
      ...questions.flatMap((q) => q.faqTags.map((tag) => ({ tag }))),
      ...questions.flatMap((q) => q.faqThemes.map((theme) => ({ theme }))),
    ]
    const seen = new Set<string>()
    for (const filter of lookups) {
      const key = JSON.stringify(filter)
      if (seen.has(key) || found.size >= FAQS_PER_AREA) continue
      seen.add(key)
      // Recommendations are a help: a search outage leaves them out rather than failing the result.
      const result = await faqs.search(actor, { ...filter, page: 1, pageSize: FAQS_PER_LABEL }).catch(() => undefined)
      for (const hit of result?.hits ?? []) {
        if (found.size < FAQS_PER_AREA && !found.has(hit.slug)) found.set(hit.slug, { slug: hit.slug, title: hit.title, url: `/domande-e-risposte/${hit.slug}` })
      }
    }
    return [...found.values()]
  }

  return {
    async assessmentResult(actor: Actor, id: string): Promise<ResultDto> {
      const { user, row, questionnaire } = await loadAssessment(db, actor, id)
      if (row.state !== 'submitted' || !row.submittedAt) throw new DomainError('ASSESSMENT_NOT_SUBMITTED', 409, 'The result is ready once the self-assessment is submitted', { state: row.state })
      const content = questionnaire.content
      const scores = scoreAssessment(content, row.answers, row.sizeClass)
      const [edition, days, previous] = await Promise.all([
        forumDays.getEdition(user, row.editionId),
        forumDays.list(user, { editionId: row.editionId }),
        repo.previousSubmitted(db, row),
      ])
      const themeLabel = new Map(edition.themes.map((t) => [t.code, t.label]))
      const areas: AreaResultDto[] = []
      for (const [i, area] of content.areas.entries()) {
        const score = scores[i]!
        const byCode = new Map(area.questions.map((q) => [q.code, q]))
        const weak = score.below.map((b) => byCode.get(b.code)!)
        // An area below its target with no single question below it (scores averaging down) points at all its questions.
        const sources = score.position === 'in_linea' || score.position === 'non_valutabile' ? [] : weak.length > 0 ? weak : area.questions
        areas.push({
          code: area.code,
          title: area.title,
          score: score.score,
          target: score.target,
          gap: score.gap,
          position: score.position,
          answered: score.answered,
          notApplicable: score.notApplicable,
          gaps: score.below.map((b) => {
            const q = byCode.get(b.code)!
            return { code: q.code, text: q.text, score: b.score, label: q.levels.find((l) => l.score === b.score)?.label ?? '' }
          }),
          faqs: sources.length > 0 ? await faqsFor(user, sources) : [],
          forumThemes: [...new Set(sources.flatMap((q) => q.forumThemes))].filter((c) => themeLabel.has(c)).map((code) => ({ code, label: themeLabel.get(code)! })),
        })
      }
      let previousDto: ResultDto['previous'] = null
      if (previous?.submittedAt) {
        const before = await repo.findQuestionnaire(db, previous.questionnaireId)
        if (before) {
          const beforeScores = scoreAssessment(before.content, previous.answers, previous.sizeClass)
          previousDto = {
            assessmentId: previous.id,
            submittedAt: previous.submittedAt.toISOString(),
            questionnaireNumber: before.number,
            areas: beforeScores.map((s) => ({ code: s.code, score: s.score })),
          }
        }
      }
      return {
        assessmentId: row.id,
        questionnaire: { id: questionnaire.id, number: questionnaire.number, title: questionnaire.title, state: questionnaire.state },
        organization: { id: row.organizationId, name: row.organizationName },
        sizeClass: row.sizeClass,
        scale: content.scale,
        submittedAt: row.submittedAt.toISOString(),
        areas,
        previous: previousDto,
        forumDays: days
          .filter((d) => (d.state === 'open' || d.state === 'upcoming') && !d.rehearsal)
          .map((d) => ({ id: d.id, title: d.title, opensAt: d.opensAt, state: d.state, themes: d.themes.map((t) => t.code) })),
      }
    },

    /**
     * The edition seen from ANCI: participation, mean score per area by region and population
     * band, the most common gaps. Built from each organization's latest submitted assessment;
     * every group of fewer than 5 organizations is shown as "< 5" with no mean.
     */
    async aggregates(actor: Actor, editionId: string): Promise<AggregatesDto> {
      const moderator = requireModerator(actor, 'Only the secretariat sees the self-assessment aggregates')
      const edition = await forumDays.getEdition(moderator, editionId)
      const enrolled = new Set(edition.enrolledOrganizationIds)
      const eligible = (await organizations.allProfiles()).filter((o) => judgeEligibility(edition.eligibility, o, enrolled.has(o.id)).eligible).length
      const [counts, latest] = await Promise.all([repo.participation(db, editionId), repo.latestSubmitted(db, editionId)])

      // Areas by code, in the order of the newest version answered.
      const areaTitles = new Map<string, string>()
      const questionTexts = new Map<string, { area: string; text: string }>()
      for (const a of [...latest].sort((x, y) => (y.submittedAt?.getTime() ?? 0) - (x.submittedAt?.getTime() ?? 0))) {
        for (const area of a.content.areas) {
          if (!areaTitles.has(area.code)) areaTitles.set(area.code, area.title)
          for (const q of area.questions) if (!questionTexts.has(q.code)) questionTexts.set(q.code, { area: area.code, text: q.text })
        }
      }
      const scored = latest.map((a) => ({ a, scores: scoreAssessment(a.content, a.answers, a.sizeClass) }))
      /** Groups in `order` when given (population bands, smallest first), else alphabetical (regions). */
      const group = (keyOf: (a: repo.AssessmentRow) => string, order?: readonly string[]) => {
        const groups = new Map<string, typeof scored>()
        for (const s of scored) groups.set(keyOf(s.a), [...(groups.get(keyOf(s.a)) ?? []), s])
        return [...groups.entries()]
          .sort(([x], [y]) => (order ? order.indexOf(x) - order.indexOf(y) : x.localeCompare(y, 'it')))
          .map(([name, members]) => {
            const means: Record<string, number | null> = {}
            for (const code of areaTitles.keys()) {
              const values = members.flatMap((m) => m.scores.filter((s) => s.code === code && s.score !== null).map((s) => s.score as number))
              means[code] = values.length >= SUPPRESSION_THRESHOLD ? Math.round((values.reduce((x, y) => x + y, 0) / values.length) * 100) / 100 : null
            }
            return { group: name, organizations: suppress(members.length), means }
          })
      }
      const gapCounts = new Map<string, number>()
      for (const s of scored) {
        for (const area of s.scores) {
          if (area.position === 'da_rafforzare' || area.position === 'da_costruire') gapCounts.set(`area:${area.code}`, (gapCounts.get(`area:${area.code}`) ?? 0) + 1)
          for (const b of area.below) gapCounts.set(`question:${b.code}`, (gapCounts.get(`question:${b.code}`) ?? 0) + 1)
        }
      }
      const gaps = [...gapCounts.entries()]
        .sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))
        .slice(0, 15)
        .map(([key, n]) => {
          const [kind, code] = key.split(':') as [string, string]
          const q = kind === 'question' ? questionTexts.get(code) : undefined
          return {
            area: kind === 'area' ? code : (q?.area ?? ''),
            question: kind === 'question' ? code : null,
            text: kind === 'area' ? (areaTitles.get(code) ?? code) : (q?.text ?? code),
            organizations: suppress(n),
          }
        })
      return {
        editionId,
        eligible,
        started: suppress(counts.started),
        submitted: suppress(counts.submitted),
        areas: [...areaTitles.entries()].map(([code, title]) => ({ code, title })),
        byRegion: group((a) => a.region ?? 'Regione non nota'),
        byPopulation: group((a) => populationBand(a.population, a.sizeClass), POPULATION_BANDS),
        gaps,
      }
    },
  }
}

/** The aggregates as CSV for a spreadsheet: UTF-8 with BOM (Excel reads the accents), `;` and decimal commas, as Italian locales expect. */
export function aggregatesCsv(data: AggregatesDto): string {
  const cell = (value: string | number | null) => {
    const text = value === null ? '' : typeof value === 'number' ? String(value).replace('.', ',') : value
    return /[;"\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const lines: Array<Array<string | number | null>> = [
    ['sezione', 'gruppo', 'area', 'enti', 'punteggio medio'],
    ['partecipazione', 'enti ammessi', '', data.eligible, null],
    ['partecipazione', 'autodiagnosi avviate', '', data.started, null],
    ['partecipazione', 'autodiagnosi inviate', '', data.submitted, null],
  ]
  for (const [section, groups] of [
    ['regione', data.byRegion],
    ['fascia di popolazione', data.byPopulation],
  ] as const) {
    for (const g of groups) for (const area of data.areas) lines.push([section, g.group, area.title, g.organizations, g.means[area.code] ?? null])
  }
  for (const gap of data.gaps) lines.push([gap.question ? 'carenza (domanda)' : 'carenza (area)', gap.text, gap.area, gap.organizations, null])
  return `\uFEFF${lines.map((l) => l.map(cell).join(';')).join('\r\n')}\r\n`
}
