import type { InjectOptions } from 'fastify'
import { createForumDay } from '../factories/forum.js'
import type { Caller, MatrixRow, World } from './world.js'

/** The secretariat's reports: moderators and admins only; staff and experts are refused. */

const MODERATORS: readonly Caller[] = ['moderator', 'admin']

const req = (w: World, caller: Caller, url: string): InjectOptions => ({ method: 'GET', url: `/api/v1${url}`, headers: w.headers(caller) })

export const reportsRows: MatrixRow[] = [
  { name: 'GET /reports/forum-days/:id', allow: MODERATORS, request: async (w, c) => req(w, c, `/reports/forum-days/${(await createForumDay(w.app)).id}`) },
  { name: 'GET /reports/forum-days/:id/export.csv', allow: MODERATORS, request: async (w, c) => req(w, c, `/reports/forum-days/${(await createForumDay(w.app)).id}/export.csv`) },
  { name: 'GET /reports/editions/:id', allow: MODERATORS, request: async (w, c) => req(w, c, `/reports/editions/${(await createForumDay(w.app)).editionId}`) },
  { name: 'GET /reports/editions/:id/export.csv', allow: MODERATORS, request: async (w, c) => req(w, c, `/reports/editions/${(await createForumDay(w.app)).editionId}/export.csv`) },
  { name: 'GET /reports/knowledge-base', allow: MODERATORS, request: (w, c) => req(w, c, '/reports/knowledge-base?weeks=4') },
  { name: 'GET /reports/knowledge-base/export.csv', allow: MODERATORS, request: (w, c) => req(w, c, '/reports/knowledge-base/export.csv') },
]
