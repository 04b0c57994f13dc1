import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../db/database.js'
import type { AuditLogTable } from './tables.js'

/** An entry as stored and read back: the table's own columns. */
export type AuditEntryRow = Selectable<AuditLogTable>

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
