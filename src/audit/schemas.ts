import { z } from 'zod'

export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'login.throttled',
  'logout',
  'invitation.created',
  'invitation.accepted',
  'invitation.resent',
  'user.updated',
  'user.role_changed',
  'user.organization_changed',
  'user.deactivated',
  'user.reactivated',
  'password_reset.issued',
  'password_reset.requested',
  'password.changed',
  'password_reset.completed',
  'unione.created',
  'unione.updated',
  'faq.privacy_override',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export const AuditEntryDto = z
  .object({
    id: z.number().int(),
    occurredAt: z.iso.datetime(),
    action: z.enum(AUDIT_ACTIONS),
    actorUserId: z.uuid().nullable().describe('Who did it; null for anonymous callers (e.g. a failed login)'),
    targetUserId: z.uuid().nullable(),
    targetEmail: z.string().nullable(),
    ip: z.string().nullable().describe("The caller's address"),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' })
export type AuditEntryDto = z.infer<typeof AuditEntryDto>

export const AuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  userId: z.uuid().optional().describe('Entries where this user is the actor or the target'),
  before: z.coerce.number().int().positive().optional().describe('Id of the last entry already seen (paging back in time)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const AuditPage = z.object({
  entries: z.array(AuditEntryDto),
  nextBefore: z.number().int().nullable().describe('Pass as `before` to get older entries; null at the end'),
})
