import type { InjectOptions } from 'fastify'
import { createEdition, createForumDay, submitQuestion, THEMES } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { EVERYONE, SIGNED_IN, type Caller, type MatrixRow, type World } from './world.js'

/** Editions, forum days, questions and the experts' queue. */

const MODERATORS: readonly Caller[] = ['moderator', 'admin']
const WORKERS: readonly Caller[] = ['expert', 'moderator', 'admin']
let n = 0
const key = () => `authz-${Date.now().toString(36)}-${++n}`

const req = (w: World, caller: Caller, method: InjectOptions['method'], url: string, payload?: object, headers: Record<string, string> = {}): InjectOptions => ({
  method,
  url: `/api/v1${url}`,
  headers: { ...w.headers(caller), ...headers },
  ...(payload && { payload }),
})

/** An open day and a fresh question of comune A (asked by staffA). */
async function questionOfA(w: World) {
  const day = await createForumDay(w.app)
  const q = await submitQuestion(w.app, w.users.staffA, day.id)
  return { day, q }
}

const isWorker = (caller: Caller) => WORKERS.includes(caller)
/** The caller holds the claim when it can; otherwise the expert does. */
async function claimedFor(w: World, caller: Caller) {
  const { q } = await questionOfA(w)
  const holder = isWorker(caller) ? w.users[caller as 'expert'] : w.users.expert
  await w.app.questions.claim(holder.actor, q.id)
  return q
}


export const forumRows: MatrixRow[] = [
  { name: 'GET /editions', allow: SIGNED_IN, request: (w, c) => req(w, c, 'GET', '/editions') },
  {
    name: 'POST /editions',
    allow: MODERATORS,
    request: (w, c) =>
      req(w, c, 'POST', '/editions', {
        programme: 'CO-AliZIONE',
        name: `CO-AliZIONE ${key()}`,
        themes: THEMES,
        eligibility: { kinds: ['comune'], populationMin: 5000, populationMax: 150000 },
        registryDate: '2017-01-01',
      }),
  },
  { name: 'GET /editions/:id', allow: SIGNED_IN, request: async (w, c) => req(w, c, 'GET', `/editions/${(await createEdition(w.app)).id}`) },
  { name: 'PATCH /editions/:id', allow: MODERATORS, request: async (w, c) => req(w, c, 'PATCH', `/editions/${(await createEdition(w.app)).id}`, { name: `Rinominata ${key()}` }, { 'if-match': '"1"' }) },
  {
    name: 'PUT /editions/:id/enrollments/:organizationId',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'PUT', `/editions/${(await createEdition(w.app)).id}/enrollments/${w.orgA.id}`),
  },
  {
    name: 'DELETE /editions/:id/enrollments/:organizationId',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'DELETE', `/editions/${(await createEdition(w.app)).id}/enrollments/${w.orgA.id}`),
  },
  {
    name: "GET /editions/:id/eligibility/:organizationId (comune A's)",
    allow: ['staffA', 'moderator', 'admin'],
    request: async (w, c) => req(w, c, 'GET', `/editions/${(await createEdition(w.app)).id}/eligibility/${w.orgA.id}`),
  },
  // Public: the forum days and their counters.
  { name: 'GET /forum-days', allow: EVERYONE, request: (w, c) => req(w, c, 'GET', '/forum-days') },
  {
    name: 'GET /forum-days/:id',
    allow: EVERYONE,
    request: async (w, c) => req(w, c, 'GET', `/forum-days/${(await createForumDay(w.app)).id}`),
  },
  {
    name: 'POST /forum-days',
    allow: MODERATORS,
    request: async (w, c) => {
      const edition = await createEdition(w.app)
      const now = Date.now()
      return req(w, c, 'POST', '/forum-days', {
        editionId: edition.id,
        title: 'Giornata di forum',
        themes: [THEMES[0]!.code],
        opensAt: new Date(now + 86_400_000).toISOString(),
        closesAt: new Date(now + 2 * 86_400_000).toISOString(),
      })
    },
  },
  { name: 'PATCH /forum-days/:id', allow: MODERATORS, request: async (w, c) => req(w, c, 'PATCH', `/forum-days/${(await createForumDay(w.app)).id}`, { title: 'Nuovo titolo' }, { 'if-match': '"1"' }) },
  {
    name: 'POST /forum-days/:id/cancel',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'POST', `/forum-days/${(await createForumDay(w.app)).id}/cancel`, { reason: 'Annullata' }, { 'if-match': '"1"' }),
  },
  {
    name: 'POST /forum-days/:id/rehearsal/wipe',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'POST', `/forum-days/${(await createForumDay(w.app, { rehearsal: true })).id}/rehearsal/wipe`),
  },
  {
    name: 'POST /forum-days/:id/questions',
    allow: ['staffA', 'staffB'],
    request: async (w, c) =>
      req(w, c, 'POST', `/forum-days/${(await createForumDay(w.app)).id}/questions`, { title: 'Domanda di prova', body: 'Testo della domanda di prova.', theme: THEMES[0]!.code }, { 'idempotency-key': key() }),
  },
  { name: 'POST /questions/similar', allow: SIGNED_IN, request: (w, c) => req(w, c, 'POST', '/questions/similar', { text: 'residenza richiedente asilo' }) },
  { name: 'GET /questions', allow: SIGNED_IN, request: (w, c) => req(w, c, 'GET', '/questions') },
  {
    name: "GET /questions/:id (comune A's, in the queue)",
    allow: ['staffA', 'expert', 'moderator', 'admin'],
    request: async (w, c) => req(w, c, 'GET', `/questions/${(await questionOfA(w)).q.id}`),
  },
  {
    name: "PATCH /questions/:id (staffA's own)",
    allow: ['staffA', 'moderator', 'admin'],
    request: async (w, c) => req(w, c, 'PATCH', `/questions/${(await questionOfA(w)).q.id}`, { title: 'Titolo corretto' }, { 'if-match': '"1"' }),
  },
  { name: 'GET /queue', allow: WORKERS, request: (w, c) => req(w, c, 'GET', '/queue') },
  { name: "GET /queue/mine (the caller's desk)", allow: WORKERS, request: (w, c) => req(w, c, 'GET', '/queue/mine') },
  { name: 'POST /answers/preview', allow: WORKERS, request: (w, c) => req(w, c, 'POST', '/answers/preview', { markdown: '**Sì**' }) },
  {
    name: 'POST /queue/claim-next',
    allow: WORKERS,
    request: async (w, c) => {
      const { day } = await questionOfA(w)
      return req(w, c, 'POST', '/queue/claim-next', { forumDayId: day.id })
    },
  },
  { name: 'POST /queue/sweep', allow: MODERATORS, request: (w, c) => req(w, c, 'POST', '/queue/sweep') },
  { name: 'POST /questions/:id/claim', allow: WORKERS, request: async (w, c) => req(w, c, 'POST', `/questions/${(await questionOfA(w)).q.id}/claim`) },
  { name: 'POST /questions/:id/renew (own claim)', allow: WORKERS, request: async (w, c) => req(w, c, 'POST', `/questions/${(await claimedFor(w, c)).id}/renew`) },
  { name: 'POST /questions/:id/release (own claim)', allow: WORKERS, request: async (w, c) => req(w, c, 'POST', `/questions/${(await claimedFor(w, c)).id}/release`) },
  {
    name: 'POST /questions/:id/reassign',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'POST', `/questions/${(await questionOfA(w)).q.id}/reassign`, { expertId: w.users.expert.userId }),
  },
  {
    name: 'POST /questions/:id/clarification (own claim)',
    allow: WORKERS,
    request: async (w, c) => req(w, c, 'POST', `/questions/${(await claimedFor(w, c)).id}/clarification`, { message: 'Può precisare?' }),
  },
  {
    name: 'POST /questions/:id/replies (comune A answers a clarification)',
    allow: ['staffA'],
    request: async (w, c) => {
      const q = await claimedFor(w, 'expert')
      await w.app.questions.requestClarification(w.users.expert.actor, q.id, 'Può precisare?')
      return req(w, c, 'POST', `/questions/${q.id}/replies`, { message: 'Certo: si tratta di un CAS.' })
    },
  },
  {
    name: 'POST /questions/:id/answer (own claim)',
    allow: WORKERS,
    request: async (w, c) => req(w, c, 'POST', `/questions/${(await claimedFor(w, c)).id}/answer`, { markdown: 'La risposta.' }),
  },
  {
    name: 'PUT /questions/:id/answer (answered by the expert)',
    allow: WORKERS,
    request: async (w, c) => {
      const q = await claimedFor(w, 'expert')
      const answered = await w.app.questions.answer(w.users.expert.actor, q.id, 'Prima risposta')
      return req(w, c, 'PUT', `/questions/${q.id}/answer`, { markdown: 'Risposta corretta' }, { 'if-match': `"${answered.version}"` })
    },
  },
  {
    name: 'PUT /questions/:id/draft',
    allow: WORKERS,
    request: async (w, c) => req(w, c, 'PUT', `/questions/${(await questionOfA(w)).q.id}/draft`, { markdown: 'Bozza' }, { 'if-match': '"0"' }),
  },
  {
    name: "GET /questions/:id/draft (the caller's own)",
    allow: WORKERS,
    request: async (w, c) => {
      const { q } = await questionOfA(w)
      if (isWorker(c)) await w.app.questions.saveDraft(w.users[c as 'expert'].actor, q.id, 'Bozza', 0)
      return req(w, c, 'GET', `/questions/${q.id}/draft`)
    },
  },
  {
    name: 'POST /questions/:id/duplicate',
    allow: WORKERS,
    request: async (w, c) => {
      const faq = await publishedFaq(w.app)
      return req(w, c, 'POST', `/questions/${(await questionOfA(w)).q.id}/duplicate`, { faq: faq.slug })
    },
  },
  {
    name: 'POST /questions/:id/reject',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'POST', `/questions/${(await questionOfA(w)).q.id}/reject`, { reason: 'Fuori tema per questo forum' }),
  },
  { name: "POST /questions/:id/withdraw (staffA's own)", allow: ['staffA'], request: async (w, c) => req(w, c, 'POST', `/questions/${(await questionOfA(w)).q.id}/withdraw`) },
  {
    name: 'POST /questions/:id/close (answered)',
    allow: ['staffA', 'moderator', 'admin'],
    request: async (w, c) => {
      const q = await claimedFor(w, 'expert')
      await w.app.questions.answer(w.users.expert.actor, q.id, 'La risposta')
      return req(w, c, 'POST', `/questions/${q.id}/close`)
    },
  },
]

