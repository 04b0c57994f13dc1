import type { UserActor } from '../../src/accounts/actor.js'
import type { App } from '../../src/app.js'
import { demoQuestionnaire } from '../../src/self-assessment/demo.js'
import type { AnswerMap, AssessmentDto, QuestionnaireContent, QuestionnaireDto } from '../../src/self-assessment/schemas.js'
import { questionsOf } from '../../src/self-assessment/validation.js'
import { createEdition, moderatorOf } from './forum.js'

/** Questionnaires and assessments for tests, made through the service. */

/** A small valid questionnaire: two areas on a 0-3 scale, one question allowing "non applicabile". */
export function smallQuestionnaire(overrides: Partial<QuestionnaireContent> = {}): QuestionnaireContent {
  const levels = [0, 1, 2, 3].map((score) => ({ score, label: `Livello ${score}` }))
  return {
    title: 'Questionario di prova',
    description: '',
    scale: { min: 0, max: 3 },
    areas: [
      {
        code: 'organizzazione',
        title: 'Organizzazione e gestione associata',
        targets: { comune_piccolo: 1, unione: 2, comune: 3 },
        questions: [
          { code: 'o1', text: 'Referente nominato?', levels, notApplicable: false, faqTags: ['gestione associata'], faqThemes: [], forumThemes: ['modelli-organizzativi'] },
          { code: 'o2', text: 'Gestione associata?', levels, notApplicable: false, faqTags: [], faqThemes: [], forumThemes: [] },
        ],
      },
      {
        code: 'accoglienza',
        title: 'Accoglienza e rete SAI',
        targets: { comune_piccolo: 2, unione: 2, comune: 2 },
        questions: [
          { code: 'a1', text: 'Progetto SAI?', levels, notApplicable: true, faqTags: ['SAI'], faqThemes: [], forumThemes: [] },
          { code: 'a2', text: 'Rapporti con la prefettura?', levels, notApplicable: false, faqTags: [], faqThemes: [], forumThemes: [] },
        ],
      },
    ],
    ...overrides,
  }
}

/** A published questionnaire (default: the demo one) of a fresh edition open to small comuni and Unioni. */
export async function publishedQuestionnaire(app: App, content: QuestionnaireContent = demoQuestionnaire(), editionId?: string): Promise<QuestionnaireDto> {
  const moderator = await moderatorOf(app)
  const edition = editionId ?? (await createEdition(app)).id
  const draft = await app.selfAssessment.createQuestionnaire(moderator.actor, { ...content, editionId: edition })
  return app.selfAssessment.publishQuestionnaire(moderator.actor, draft.id, draft.version)
}

/** Every question answered with its level `index` (clamped), or as given in `overrides`. */
export function answersAt(content: QuestionnaireContent, index: number, overrides: AnswerMap = {}): AnswerMap {
  const answers: AnswerMap = {}
  for (const q of questionsOf(content)) answers[q.code] = { score: q.levels[Math.min(index, q.levels.length - 1)]!.score }
  return { ...answers, ...overrides }
}

/** Started, answered and submitted by `staff`. */
export async function submittedAssessment(app: App, staff: { actor: UserActor }, questionnaire: QuestionnaireDto, answers: AnswerMap): Promise<AssessmentDto> {
  const started = await app.selfAssessment.startAssessment(staff.actor, questionnaire.id)
  const saved = await app.selfAssessment.saveAnswers(staff.actor, started.id, answers, started.version)
  return app.selfAssessment.submitAssessment(staff.actor, saved.id, saved.version)
}
