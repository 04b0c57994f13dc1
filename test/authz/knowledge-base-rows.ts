import type { InjectOptions } from 'fastify'
import { CHECKLIST, answeredQuestion, publishBody, publishedFaq } from '../factories/knowledge-base.js'
import { EVERYONE, type Caller, type MatrixRow, type World } from './world.js'

/** The Domande & Risposte knowledge base: public reading, moderators' curation. */

const MODERATORS: readonly Caller[] = ['moderator', 'admin']

const req = (w: World, caller: Caller, method: InjectOptions['method'], url: string, payload?: object, headers: Record<string, string> = {}): InjectOptions => ({
  method,
  url: `/api/v1${url}`,
  headers: { ...w.headers(caller), ...headers },
  ...(payload && { payload }),
})

export const knowledgeBaseRows: MatrixRow[] = [
  { name: 'GET /faqs', allow: EVERYONE, request: (w, c) => req(w, c, 'GET', '/faqs?q=permesso') },
  { name: 'GET /faq-themes', allow: EVERYONE, request: (w, c) => req(w, c, 'GET', '/faq-themes') },
  { name: 'GET /faqs/feed.atom', allow: EVERYONE, request: (w, c) => req(w, c, 'GET', '/faqs/feed.atom') },
  { name: 'GET /faqs/export.csv', allow: EVERYONE, request: (w, c) => req(w, c, 'GET', '/faqs/export.csv') },
  { name: 'GET /faqs/export.json', allow: EVERYONE, request: (w, c) => req(w, c, 'GET', '/faqs/export.json') },
  { name: 'GET /faqs/:slug (public FAQ)', allow: EVERYONE, request: async (w, c) => req(w, c, 'GET', `/faqs/${(await publishedFaq(w.app)).slug}`) },
  {
    name: 'POST /faqs',
    allow: MODERATORS,
    request: async (w, c) => req(w, c, 'POST', '/faqs', publishBody((await answeredQuestion(w.app)).questionId)),
  },
  {
    name: 'PATCH /faqs/:slug',
    allow: MODERATORS,
    request: async (w, c) =>
      req(w, c, 'PATCH', `/faqs/${(await publishedFaq(w.app)).slug}`, { tags: ['anagrafe'], checklist: CHECKLIST }, { 'if-match': '"1"' }),
  },
  { name: 'POST /faqs/:slug/unpublish', allow: MODERATORS, request: async (w, c) => req(w, c, 'POST', `/faqs/${(await publishedFaq(w.app)).slug}/unpublish`, undefined, { 'if-match': '"1"' }) },
  { name: 'GET /faqs/:slug/revisions', allow: MODERATORS, request: async (w, c) => req(w, c, 'GET', `/faqs/${(await publishedFaq(w.app)).slug}/revisions`) },
  { name: 'POST /faq-privacy-checks', allow: MODERATORS, request: (w, c) => req(w, c, 'POST', '/faq-privacy-checks', { answer: 'Scrivere a mario.rossi@example.it' }) },
  { name: 'GET /faq-review-queue', allow: MODERATORS, request: (w, c) => req(w, c, 'GET', '/faq-review-queue') },
  {
    name: 'POST /legal-amendments',
    allow: MODERATORS,
    request: (w, c) => req(w, c, 'POST', '/legal-amendments', { law: 'D.Lgs. 142/2015', amendedOn: '2026-01-15', note: 'modifica di prova' }),
  },
  { name: 'GET /search-analytics', allow: MODERATORS, request: (w, c) => req(w, c, 'GET', '/search-analytics') },
]
