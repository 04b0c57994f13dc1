import type { InjectOptions } from 'fastify'
import type { QuestionnaireDto } from '../../src/self-assessment/schemas.js'
import { createEdition, moderatorOf } from '../factories/forum.js'
import { answersAt, publishedQuestionnaire, smallQuestionnaire, submittedAssessment } from '../factories/self-assessment.js'
import { SIGNED_IN, type Caller, type MatrixRow, type World } from './world.js'

/** Autodiagnosi: questionnaires (the secretariat), assessments (the organization's own staff), aggregates (the secretariat). */

const MODERATORS: readonly Caller[] = ['moderator', 'admin']
const STAFF: readonly Caller[] = ['staffA', 'staffB']
/** Comune A's own staff and the secretariat: who sees A's results. */
const A_AND_SECRETARIAT: readonly Caller[] = ['staffA', 'moderator', 'admin']

const req = (w: World, caller: Caller, method: InjectOptions['method'], url: string, payload?: object, headers: Record<string, string> = {}): InjectOptions => ({
  method,
  url: `/api/v1/self-assessment${url}`,
  headers: { ...w.headers(caller), ...headers },
  ...(payload && { payload }),
})

const published = new WeakMap<World, Promise<QuestionnaireDto>>()
/** One published questionnaire per world, for the rows that only read. */
function sharedQuestionnaire(w: World): Promise<QuestionnaireDto> {
  let q = published.get(w)
  if (!q) published.set(w, (q = publishedQuestionnaire(w.app, smallQuestionnaire())))
  return q
}

async function draft(w: World) {
  const moderator = await moderatorOf(w.app)
  return w.app.selfAssessment.createQuestionnaire(moderator.actor, { ...smallQuestionnaire(), editionId: (await createEdition(w.app)).id })
}

/** A fresh questionnaire with comune A's assessment in progress (each request its own). */
async function inProgressOfA(w: World, complete = false) {
  const q = await publishedQuestionnaire(w.app, smallQuestionnaire())
  const a = await w.app.selfAssessment.startAssessment(w.users.staffA.actor, q.id)
  return complete ? w.app.selfAssessment.saveAnswers(w.users.staffA.actor, a.id, answersAt(q.content, 1), a.version) : a
}

export const selfAssessmentRows: MatrixRow[] = [
  { name: 'GET /self-assessment/questionnaires', allow: SIGNED_IN, request: (w, c) => req(w, c, 'GET', '/questionnaires') },
  {
    name: 'POST /self-assessment/questionnaires (create or import)',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'POST', '/questionnaires', { ...smallQuestionnaire(), editionId: (await createEdition(w.app)).id }),
  },
  { name: 'GET /self-assessment/questionnaires/:id (published)', allow: SIGNED_IN, request: async (w, c) => req(w, c, 'GET', `/questionnaires/${(await sharedQuestionnaire(w)).id}`) },
  {
    name: 'PUT /self-assessment/questionnaires/:id',
    allow: MODERATORS,
    request: async (w, c) => {
      const d = await draft(w)
      return req(w, c, 'PUT', `/questionnaires/${d.id}`, smallQuestionnaire({ title: 'Rivisto' }), { 'if-match': `"${d.version}"` })
    },
  },
  {
    name: 'POST /self-assessment/questionnaires/:id/publish',
    allow: MODERATORS,
    request: async (w, c) => {
      const d = await draft(w)
      return req(w, c, 'POST', `/questionnaires/${d.id}/publish`, undefined, { 'if-match': `"${d.version}"` })
    },
  },
  { name: 'GET /self-assessment/questionnaires/:id/export', allow: SIGNED_IN, request: async (w, c) => req(w, c, 'GET', `/questionnaires/${(await sharedQuestionnaire(w)).id}/export`) },
  { name: 'GET /self-assessment/assessments', allow: ['staffA', 'staffB', 'moderator', 'admin'], request: (w, c) => req(w, c, 'GET', '/assessments') },
  {
    name: 'POST /self-assessment/assessments (start, staff of an eligible organization)',
    allow: STAFF,
    request: async (w, c) => req(w, c, 'POST', '/assessments', { questionnaireId: (await publishedQuestionnaire(w.app, smallQuestionnaire())).id }),
  },
  {
    name: "GET /self-assessment/assessments/:id (comune A's)",
    allow: A_AND_SECRETARIAT,
    request: async (w, c) => req(w, c, 'GET', `/assessments/${(await inProgressOfA(w)).id}`),
  },
  {
    name: "PATCH /self-assessment/assessments/:id (comune A's answers)",
    allow: ['staffA'],
    request: async (w, c) => {
      const a = await inProgressOfA(w)
      return req(w, c, 'PATCH', `/assessments/${a.id}`, { answers: { o1: { score: 2 } } }, { 'if-match': `"${a.version}"` })
    },
  },
  {
    name: "POST /self-assessment/assessments/:id/submit (comune A's)",
    allow: ['staffA'],
    request: async (w, c) => {
      const a = await inProgressOfA(w, true)
      return req(w, c, 'POST', `/assessments/${a.id}/submit`, undefined, { 'if-match': `"${a.version}"` })
    },
  },
  {
    name: "GET /self-assessment/assessments/:id/result (comune A's)",
    allow: A_AND_SECRETARIAT,
    request: async (w, c) => {
      const q = await publishedQuestionnaire(w.app, smallQuestionnaire())
      return req(w, c, 'GET', `/assessments/${(await submittedAssessment(w.app, w.users.staffA, q, answersAt(q.content, 1))).id}/result`)
    },
  },
  { name: 'GET /self-assessment/aggregates', allow: MODERATORS, request: async (w, c) => req(w, c, 'GET', `/aggregates?editionId=${(await sharedQuestionnaire(w)).editionId}`) },
  { name: 'GET /self-assessment/aggregates.csv', allow: MODERATORS, request: async (w, c) => req(w, c, 'GET', `/aggregates.csv?editionId=${(await sharedQuestionnaire(w)).editionId}`) },
]
