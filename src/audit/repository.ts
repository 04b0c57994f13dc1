import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'

export interface AuditEntryRow {
  id: number
  occurredAt: Date
  action: string
  actorUserId: string | null
  targetUserId: string | null
  targetEmail: string | null
  ip: string | null
  details: Record<string, unknown>
}

export const auditRepository = (db: Kysely<Database>) => ({
  async insert(entry: Omit<AuditEntryRow, 'id'>): Promise<void> {
    await db
      .insertInto('auditLog')
      .values({ ...entry, details: JSON.stringify(entry.details) })
      .execute()
  },

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(filter: { action?: string; userId?: string; before?: number; limit: number }): Promise<AuditEntryRow[]> {
    let query = db
      .selectFrom('auditLog')
      .select(['id', 'occurredAt', 'action', 'actorUserId', 'targetUserId', 'targetEmail', 'ip', 'details'])
      .orderBy('id', 'desc')
      .limit(filter.limit)
    if (filter.action) query = query.where('action', '=', filter.action)
    if (filter.userId) {
      const userId = filter.userId
      query = query.where((eb) => eb.or([eb('actorUserId', '=', userId), eb('targetUserId', '=', userId)]))
    }
    if (filter.before !== undefined) query = query.where('id', '<', filter.before)
    return query.execute()
  },
})
