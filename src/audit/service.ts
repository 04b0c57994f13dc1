import type { Kysely } from 'kysely'
import { hasRole, type Actor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import { forbidden, unauthenticated } from '../shared/errors.js'
import { auditRepository } from './repository.js'
import type { AuditAction, AuditEntryDto } from './schemas.js'

export interface AuditRecord {
  action: AuditAction
  actor: Actor | null
  targetUserId?: string | null
  targetEmail?: string | null
  ip: string | null
  details?: Record<string, unknown>
}

/** Writes an audit entry in the caller's transaction: it commits, or vanishes, with the action. */
export const auditLog = (trx: Kysely<Database>, clock: Clock) => ({
  async record(entry: AuditRecord): Promise<void> {
    await auditRepository(trx).insert({
      occurredAt: clock.now(),
      action: entry.action,
      actorUserId: entry.actor?.kind === 'user' ? entry.actor.userId : null,
      targetUserId: entry.targetUserId ?? null,
      targetEmail: entry.targetEmail ?? null,
      ip: entry.ip,
      details: entry.details ?? {},
    })
  },
})

export function createAuditService(deps: { db: Kysely<Database> }) {
  return {
    /** Admins only. */
    async list(
      actor: Actor,
      query: { action?: AuditAction; userId?: string; before?: number; limit: number },
    ): Promise<{ entries: AuditEntryDto[]; nextBefore: number | null }> {
      if (actor.kind === 'anonymous') throw unauthenticated()
      if (!hasRole(actor, 'admin')) throw forbidden('Only admins read the audit log')
      const rows = await auditRepository(deps.db).list(query)
      return {
        entries: rows.map((r) => ({ ...r, action: r.action as AuditAction, occurredAt: r.occurredAt.toISOString() })),
        nextBefore: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null,
      }
    },
  }
}

export type AuditService = ReturnType<typeof createAuditService>
