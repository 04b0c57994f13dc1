import type { Kysely } from 'kysely'
import type { ComuniService } from '../comuni/service.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { appendEvent, channel } from '../events/event-log.js'
import type { Clock } from '../shared/clock.js'
import { DomainError } from '../shared/errors.js'
import type { Role } from './actor.js'
import type { ThrottleLimits } from './login-throttle.js'
import { hashPassword } from './passwords.js'
import { accountsRepository, type UserRow } from './repository.js'
import type { UserDto } from './schemas.js'
import { hashToken, newToken } from './tokens.js'

/** Where a request came from: recorded in the audit log and on sessions. */
export interface RequestMeta {
  ip: string | null
  userAgent?: string | null
}

export interface AccountsDeps {
  db: Kysely<Database>
  clock: Clock
  comuni: ComuniService
  publicOrigin: string
  sessions: Config['sessions']
  accounts: Config['accounts']
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

/**
 * What the accounts use cases share (sessions.ts, invitations.ts, password-resets.ts, users.ts):
 * settings in the units they are used in, and the steps several of them take.
 */
export function createAccountsContext(deps: AccountsDeps) {
  const { comuni, clock } = deps
  const throttleLimits: ThrottleLimits = {
    perAccountAndAddress: deps.accounts.loginMaxFailuresPerAccount,
    perAccountFromNewAddresses: deps.accounts.loginMaxFailuresPerAccountFromNewAddresses,
    perAddress: deps.accounts.loginMaxFailuresPerIp,
    windowMs: deps.accounts.loginThrottleWindowMinutes * MINUTE,
  }
  const absoluteMs = deps.sessions.absoluteHours * HOUR

  // Unknown emails are verified against this, so they cost what a real account costs.
  let dummyHash: Promise<string> | undefined
  const getDummyHash = () => (dummyHash ??= hashPassword(newToken()))

  async function toDtos(rows: UserRow[]): Promise<UserDto[]> {
    const orgs = await comuni.getOrganizations(rows.flatMap((r) => (r.organizationId ? [r.organizationId] : [])))
    const byId = new Map(orgs.map((o) => [o.id, { id: o.id, kind: o.kind, name: o.name }]))
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      displayName: r.displayName,
      role: r.role,
      organizationId: r.organizationId,
      organization: r.organizationId ? (byId.get(r.organizationId) ?? null) : null,
      topics: r.topics,
      active: r.active,
      createdAt: r.createdAt.toISOString(),
      deactivatedAt: r.deactivatedAt?.toISOString() ?? null,
    }))
  }
  const toDto = async (row: UserRow) => (await toDtos([row]))[0] as UserDto

  /** Staff belong to exactly one organization that exists; topics are for experts. */
  async function checkRoleShape(role: Role, organizationId: string | null, topics: string[]): Promise<void> {
    if (role === 'staff' && !organizationId) {
      throw new DomainError('ORGANIZATION_REQUIRED', 422, 'Staff accounts belong to a comune or an Unione: give organizationId')
    }
    if (role !== 'staff' && organizationId) {
      throw new DomainError('ORGANIZATION_NOT_ALLOWED', 422, 'Only staff accounts belong to an organization')
    }
    if (role !== 'expert' && topics.length > 0) {
      throw new DomainError('TOPICS_NOT_ALLOWED', 422, 'Only experts have topics of expertise')
    }
    if (organizationId && (await comuni.getOrganizations([organizationId])).length === 0) {
      throw new DomainError('UNKNOWN_ORGANIZATION', 422, `No comune or Unione with id ${organizationId}`)
    }
  }

  async function startSession(trx: Kysely<Database>, userId: string, meta: RequestMeta) {
    const token = newToken()
    const now = clock.now()
    const expiresAt = new Date(now.getTime() + absoluteMs)
    const sessionId = await accountsRepository(trx).insertSession({
      userId,
      tokenHash: hashToken(token),
      now,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    })
    return { token, sessionId, expiresAt }
  }

  /** Account events: moderators follow them; the realtime hub closes the sockets they concern. */
  const accountEvent = (trx: Kysely<Database>, type: string, payload: Record<string, unknown>) =>
    appendEvent(trx, { type, payload, channels: [channel.accounts], audience: [{ kind: 'moderators' }] })

  /** Which sessions ended: all of the user's, only `sessionId`, or all but `keptSessionId` (password change). */
  async function sessionsRevoked(trx: Kysely<Database>, userId: string, reason: string, scope: { sessionId?: string; keptSessionId?: string } = {}) {
    await accountEvent(trx, 'account.sessions_revoked', { userId, reason, ...scope })
  }

  /** The sessions stay valid but what they may see changed: open sockets must re-authenticate. */
  async function accessChanged(trx: Kysely<Database>, userId: string, reason: string) {
    await accountEvent(trx, 'account.access_changed', { userId, reason })
  }

  return {
    ...deps,
    origin: new URL(deps.publicOrigin).origin,
    idleMs: deps.sessions.idleMinutes * MINUTE,
    absoluteMs,
    throttleLimits,
    getDummyHash,
    toDtos,
    toDto,
    checkRoleShape,
    startSession,
    sessionsRevoked,
    accessChanged,
  }
}

export type AccountsContext = ReturnType<typeof createAccountsContext>
