import { readFileSync } from 'node:fs'
import type { DemoSeeder } from '../demo/seed.js'
import * as repo from './repository.js'
import { QuestionnaireContent, type AnswerMap, type SizeClass } from './schemas.js'
import { assertValidQuestionnaire, questionsOf } from './validation.js'
import { sizeClassOf } from './scoring.js'

/** The demo questionnaire, as the secretariat would import it (also a sample of the import format). */
export const demoQuestionnaire = (): QuestionnaireContent =>
  QuestionnaireContent.parse(JSON.parse(readFileSync(new URL('./demo/questionnaire.json', import.meta.url), 'utf8')))

/**
 * Organizations of the demo registry that have already submitted, so that the secretariat's
 * aggregates have something to show: six in Piemonte (a group large enough to be shown) and two
 * in Toscana (shown as "< 5"). Polizzi Generosa, the demo staff login, has not started.
 */
const RESPONDENTS: Array<{ key: string; name: string; kind: 'comune' | 'unione'; region: string; population: number; level: number }> = [
  { key: 'bardonecchia', name: 'Bardonecchia', kind: 'comune', region: 'Piemonte', population: 3200, level: 2 },
  { key: 'oulx', name: 'Oulx', kind: 'comune', region: 'Piemonte', population: 3300, level: 2 },
  { key: 'sauzeDOulx', name: "Sauze d'Oulx", kind: 'comune', region: 'Piemonte', population: 1100, level: 1 },
  { key: 'cesanaTorinese', name: 'Cesana Torinese', kind: 'comune', region: 'Piemonte', population: 1000, level: 1 },
  { key: 'claviere', name: 'Claviere', kind: 'comune', region: 'Piemonte', population: 210, level: 0 },
  { key: 'unioneAltaValleSusa', name: 'Unione Montana Alta Valle Susa', kind: 'unione', region: 'Piemonte', population: 8810, level: 2 },
  { key: 'camporgiano', name: 'Camporgiano', kind: 'comune', region: 'Toscana', population: 2100, level: 1 },
  { key: 'minucciano', name: 'Minucciano', kind: 'comune', region: 'Toscana', population: 1900, level: 2 },
]

/** Answers around a level, varied by question so that areas differ; "non applicabile" where allowed for small comuni. */
function demoAnswers(content: QuestionnaireContent, level: number, size: SizeClass): AnswerMap {
  const answers: AnswerMap = {}
  questionsOf(content).forEach((q, i) => {
    if (q.notApplicable && size === 'comune_piccolo' && i % 2 === 0) answers[q.code] = { notApplicable: true }
    else {
      const scores = q.levels.map((l) => l.score)
      const wanted = Math.max(0, Math.min(scores.length - 1, level + ((i % 3) - 1)))
      answers[q.code] = { score: scores[wanted]! }
    }
  })
  return answers
}

/** Needs the forum-days seeder (the edition) and the accounts seeder (the moderator). */
export const selfAssessmentDemoSeeder: DemoSeeder = {
  name: 'self-assessment',
  async seed({ trx, clock, made }) {
    const editionId = made.get('edition') as string | undefined
    if (!editionId) throw new Error('the self-assessment demo needs the forum-days demo edition')
    const users = (made.get('users') ?? {}) as Record<string, string>
    const organizations = (made.get('organizations') ?? {}) as Record<string, string>
    const content = demoQuestionnaire()
    assertValidQuestionnaire(content)
    const now = clock.now()
    const published = new Date(now.getTime() - 30 * 86_400_000)
    const row = await repo.insertQuestionnaire(trx, { editionId, number: 1, content, createdBy: users.moderator ?? null, now: published })
    await repo.setQuestionnaireState(trx, row.id, 'published', published)
    for (const [i, r] of RESPONDENTS.entries()) {
      const organizationId = organizations[r.key]
      if (!organizationId) continue
      const sizeClass = sizeClassOf(r)
      const startedAt = new Date(published.getTime() + (i + 1) * 86_400_000)
      const a = await repo.insertAssessment(trx, {
        questionnaireId: row.id,
        lineageId: row.lineageId,
        editionId,
        organizationId,
        organizationName: r.name,
        sizeClass,
        region: r.region,
        population: r.population,
        startedBy: null,
        startedByName: 'Demo',
        now: startedAt,
      })
      if (!a) continue
      const by = { updatedBy: null, updatedByName: 'Demo', now: new Date(startedAt.getTime() + 3_600_000) }
      const answered = await repo.updateAssessment(trx, a.id, a.version, { answers: demoAnswers(content, r.level, sizeClass), ...by })
      await repo.updateAssessment(trx, a.id, answered!.version, { state: 'submitted', ...by })
    }
    made.set('selfAssessmentQuestionnaire', row.id)
  },
  describe: () => ['autodiagnosi: one published questionnaire (21 questions in 4 areas), already submitted by 8 organizations of Piemonte and Toscana'],
}
