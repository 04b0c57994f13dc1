import type { GeneratedAlways, JSONColumnType } from 'kysely'

export interface AuditLogTable {
  id: GeneratedAlways<number>
  occurredAt: Date
  action: string
  actorUserId: string | null
  targetUserId: string | null
  targetEmail: string | null
  ip: string | null
  details: JSONColumnType<Record<string, unknown>, string | undefined, string>
}
