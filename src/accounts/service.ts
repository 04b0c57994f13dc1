import type { Kysely } from 'kysely'
import { auditLog } from '../audit/service.js'
import type { ComuniService } from '../comuni/service.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import { appendEvent, channel } from '../events/event-log.js'
import type { Clock } from '../shared/clock.js'
import { DomainError, notFound } from '../shared/errors.js'
import type { Actor, Role, UserActor } from './actor.js'
import { addressGroup, pendingWait, throttleKeys, type ThrottleLimits } from './login-throttle.js'
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.js'
import {
  assertCanInvite,
  assertCanIssuePasswordReset,
  assertCanListUsers,
  assertCanUpdateUser,
  assertCanViewUser,
  assertSignedIn,
} from './policy.js'
import { accountsRepository, type UserRow } from './repository.js'
import type { MeDto, UserDto, UserSummary } from './schemas.js'
import { hashToken, newToken } from './tokens.js'
import { queueMail } from '../mail/outbox.js'
import { mailTemplates } from '../mail/templates.js'

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

/** Writing lastSeenAt at most this often keeps a busy session from writing on every request. */
const TOUCH_EVERY_MS = 60_000
/** Forgotten-password links: at most one per account this often. */
const RESET_REQUEST_SPACING_MS = 5 * 60_000
const MINUTE = 60_000
const HOUR = 60 * MINUTE

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 401, 'Wrong email or password')

export function createAccountsService(deps: AccountsDeps) {
  const { db, clock, comuni } = deps
  const idleMs = deps.sessions.idleMinutes * MINUTE
  const absoluteMs = deps.sessions.absoluteHours * HOUR
  const throttleLimits: ThrottleLimits = {
    perAccountAndAddress: deps.accounts.loginMaxFailuresPerAccount,
    perAccountFromNewAddresses: deps.accounts.loginMaxFailuresPerAccountFromNewAddresses,
    perAddress: deps.accounts.loginMaxFailuresPerIp,
    windowMs: deps.accounts.loginThrottleWindowMinutes * MINUTE,
  }
  const origin = new URL(deps.publicOrigin).origin

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

  /** The wait still imposed on a login attempt for this email from this address, if any. */
  async function pendingLoginWait(email: string, ip: string | null, userId: string | undefined) {
    const repo = accountsRepository(db)
    const keys = throttleKeys(email, ip)
    const counters = await repo.throttleCounters([keys.pair, keys.account, ...(keys.address ? [keys.address] : [])])
    if (counters.length === 0) return { keys, wait: undefined }
    const group = ip === null ? null : addressGroup(ip)
    const known = userId !== undefined && group !== null && (await repo.sessionAddresses(userId)).some((a) => addressGroup(a) === group)
    return { keys, wait: pendingWait(counters, keys, known, throttleLimits, clock.now()) }
  }

  /** A new one-time reset link replacing the earlier ones, mailed to the account's owner. */
  async function issueReset(trx: Kysely<Database>, target: { id: string; email: string }, issuedBy: string | null, now: Date) {
    const token = newToken()
    const expiresAt = new Date(now.getTime() + deps.accounts.passwordResetTtlMinutes * MINUTE)
    const repo = accountsRepository(trx)
    await repo.voidPasswordResets(target.id, now)
    const resetId = await repo.insertPasswordReset({ tokenHash: hashToken(token), userId: target.id, issuedBy, now, expiresAt })
    const url = `${origin}/nuova-password#token=${token}`
    await queueMail(trx, clock, [{ dedupeKey: `password-reset:${resetId}`, to: target.email, message: mailTemplates.passwordReset({ url, expiresAt }) }])
    return { token, url, expiresAt }
  }

  function throttled(retryAfterSeconds: number) {
    return new DomainError('LOGIN_THROTTLED', 429, `Too many failed logins: try again in ${retryAfterSeconds} seconds`, {
      retryAfterSeconds,
    })
  }

  /** For other modules: how to show a person. Unknown ids are left out. */
  async function getUserSummaries(ids: string[]): Promise<Map<string, UserSummary>> {
    const rows = await accountsRepository(db).findUsersByIds([...new Set(ids)])
    return new Map(
      rows.map((r) => [r.id, { id: r.id, displayName: r.displayName, role: r.role, organizationId: r.organizationId, topics: r.topics, active: r.active }]),
    )
  }

  return {
    /** The actor behind a session token, or null when the token is unknown, revoked, expired or its account deactivated. */
    async authenticate(token: string): Promise<UserActor | null> {
      const repo = accountsRepository(db)
      const session = await repo.findLiveSession(hashToken(token))
      if (!session || !session.active) return null
      const now = clock.now().getTime()
      if (now >= session.expiresAt.getTime() || now - session.lastSeenAt.getTime() > idleMs) return null
      if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await repo.touchSession(session.sessionId, new Date(now))
      return {
        kind: 'user',
        userId: session.userId,
        sessionId: session.sessionId,
        role: session.role,
        organizationId: session.organizationId,
        email: session.email,
        displayName: session.displayName,
      }
    },

    /**
     * Email and password to a session. Throttled per account and per address across every
     * instance (counters live in the database); the answer never tells whether the email exists.
     */
    async login(input: { email: string; password: string }, meta: RequestMeta) {
      const email = input.email.toLowerCase()
      const repo = accountsRepository(db)
      const user = await repo.findUserForLogin(email)
      const { keys, wait } = await pendingLoginWait(email, meta.ip, user?.id)
      if (wait) {
        await db.transaction().execute((trx) =>
          auditLog(trx, clock).record({ action: 'login.throttled', actor: null, targetEmail: email, ip: meta.ip, details: { key: wait.key.split(':')[0] } }),
        )
        throw throttled(wait.retryAfterSeconds)
      }

      const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password)
      if (!user || !ok || !user.passwordHash) {
        await db.transaction().execute(async (trx) => {
          await accountsRepository(trx).recordFailure([keys.pair, keys.account, ...(keys.address ? [keys.address] : [])], clock.now(), throttleLimits.windowMs)
          await auditLog(trx, clock).record({ action: 'login.failed', actor: null, targetUserId: user?.id ?? null, targetEmail: email, ip: meta.ip })
        })
        throw invalidCredentials()
      }
      if (!user.active) {
        await db.transaction().execute((trx) =>
          auditLog(trx, clock).record({ action: 'login.failed', actor: null, targetUserId: user.id, targetEmail: email, ip: meta.ip, details: { reason: 'deactivated' } }),
        )
        throw new DomainError('ACCOUNT_DEACTIVATED', 403, 'This account has been deactivated: contact the forum secretariat')
      }
      const session = await db.transaction().execute(async (trx) => {
        // The owner proved who they are: their own mistakes and the account's counter start again.
        await accountsRepository(trx).clearThrottle([keys.pair, keys.account])
        const started = await startSession(trx, user.id, meta)
        await auditLog(trx, clock).record({
          action: 'login.succeeded',
          actor: null,
          targetUserId: user.id,
          targetEmail: email,
          ip: meta.ip,
          details: { sessionId: started.sessionId },
        })
        return started
      })
      return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: await toDto(user) }
    },

    async logout(actor: Actor, meta: RequestMeta): Promise<void> {
      assertSignedIn(actor)
      await db.transaction().execute(async (trx) => {
        await accountsRepository(trx).revokeSession(actor.sessionId, clock.now())
        await auditLog(trx, clock).record({ action: 'logout', actor, targetUserId: actor.userId, ip: meta.ip, details: { sessionId: actor.sessionId } })
        await sessionsRevoked(trx, actor.userId, 'logout', { sessionId: actor.sessionId })
      })
    },

    async me(actor: Actor): Promise<MeDto> {
      assertSignedIn(actor)
      const repo = accountsRepository(db)
      const user = await repo.findUserById(actor.userId)
      if (!user) throw notFound('User', 'USER_NOT_FOUND')
      const session = await db.selectFrom('sessions').select(['expiresAt']).where('id', '=', actor.sessionId).executeTakeFirstOrThrow()
      return { ...(await toDto(user)), session: { id: actor.sessionId, expiresAt: session.expiresAt.toISOString() } }
    },

    async invite(actor: Actor, input: { email: string; role: Role; organizationId?: string; topics?: string[] }, meta: RequestMeta) {
      assertCanInvite(actor, input.role)
      const organizationId = input.organizationId ?? null
      const topics = input.topics ?? []
      await checkRoleShape(input.role, organizationId, topics)
      return db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        if (await repo.emailTaken(input.email)) throw new DomainError('EMAIL_TAKEN', 409, 'An account with this email already exists')
        const token = newToken()
        const now = clock.now()
        const expiresAt = new Date(now.getTime() + deps.accounts.invitationTtlHours * HOUR)
        const id = await repo.insertInvitation({
          tokenHash: hashToken(token),
          email: input.email,
          role: input.role,
          organizationId,
          topics,
          invitedBy: actor.userId,
          now,
          expiresAt,
        })
        await auditLog(trx, clock).record({
          action: 'invitation.created',
          actor,
          targetEmail: input.email,
          ip: meta.ip,
          details: { invitationId: id, role: input.role, organizationId },
        })
        // The token travels in the fragment, which browsers never send to servers or in Referer.
        const url = `${origin}/invito#token=${token}`
        await queueMail(trx, clock, [{ dedupeKey: `invitation:${id}`, to: input.email, message: mailTemplates.invitation({ role: input.role, url, expiresAt }) }])
        return {
          id,
          email: input.email,
          role: input.role,
          organizationId,
          topics,
          expiresAt: expiresAt.toISOString(),
          token,
          url,
        }
      })
    },

    async acceptInvitation(input: { token: string; password: string; displayName: string }, meta: RequestMeta): Promise<UserDto> {
      const usable = <T extends { acceptedAt: Date | null; expiresAt: Date }>(invitation: T | undefined): T => {
        if (!invitation) throw new DomainError('INVITATION_NOT_FOUND', 404, 'This invitation link is not valid')
        if (invitation.acceptedAt) throw new DomainError('INVITATION_USED', 409, 'This invitation has already been used: sign in instead')
        if (clock.now() >= invitation.expiresAt) {
          throw new DomainError('INVITATION_EXPIRED', 410, 'This invitation has expired: ask for a new one', {
            expiredAt: invitation.expiresAt.toISOString(),
          })
        }
        return invitation
      }
      // Checked and hashed before the transaction: hashing takes tens of milliseconds and needs no lock.
      const found = usable(await accountsRepository(db).findInvitation(hashToken(input.token)))
      assertStrongPassword(input.password, { email: found.email })
      const passwordHash = await hashPassword(input.password)
      const user = await db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        // Again under a row lock: of two concurrent acceptances, one wins.
        const invitation = usable(await repo.findInvitationForUpdate(hashToken(input.token)))
        const now = clock.now()
        if (await repo.emailTaken(invitation.email)) throw new DomainError('EMAIL_TAKEN', 409, 'An account with this email already exists')
        const created = await repo.insertUser({
          email: invitation.email,
          displayName: input.displayName,
          role: invitation.role,
          organizationId: invitation.organizationId,
          topics: invitation.topics,
          passwordHash,
          now,
        })
        await repo.markInvitationAccepted(invitation.id, created.id, now)
        await auditLog(trx, clock).record({
          action: 'invitation.accepted',
          actor: null,
          targetUserId: created.id,
          targetEmail: created.email,
          ip: meta.ip,
          details: { invitationId: invitation.id, invitedBy: invitation.invitedBy },
        })
        return created
      })
      return toDto(user)
    },

    async issuePasswordReset(actor: Actor, userId: string, meta: RequestMeta) {
      return db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        const target = await repo.findUserById(userId)
        if (!target) {
          assertCanIssuePasswordReset(actor, { role: 'admin' })
          throw notFound('User', 'USER_NOT_FOUND')
        }
        assertCanIssuePasswordReset(actor, target)
        const now = clock.now()
        const url = await issueReset(trx, target, actor.userId, now)
        await auditLog(trx, clock).record({ action: 'password_reset.issued', actor, targetUserId: userId, targetEmail: target.email, ip: meta.ip })
        return { userId, expiresAt: url.expiresAt.toISOString(), token: url.token, url: url.url }
      })
    },

    /**
     * Someone forgot their password: mail a link if the address belongs to an active account.
     * Nothing in the outcome or the answer tells whether it does; one link per account every
     * few minutes, so the address cannot be used to flood someone's mailbox.
     */
    async requestPasswordReset(email: string, meta: RequestMeta): Promise<void> {
      const normalised = email.toLowerCase()
      await db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        const user = await repo.findUserForLogin(normalised)
        if (!user?.active) return
        const now = clock.now()
        if (await repo.recentSelfServiceReset(user.id, new Date(now.getTime() - RESET_REQUEST_SPACING_MS))) return
        await issueReset(trx, user, null, now)
        await auditLog(trx, clock).record({ action: 'password_reset.requested', actor: null, targetUserId: user.id, targetEmail: user.email, ip: meta.ip })
      })
    },

    /** Sets the new password and ends every session of the account. */
    async completePasswordReset(input: { token: string; password: string }, meta: RequestMeta): Promise<void> {
      const tokenHash = hashToken(input.token)
      const usable = <T extends { usedAt: Date | null; expiresAt: Date }>(reset: T | undefined): T => {
        if (!reset) throw new DomainError('PASSWORD_RESET_NOT_FOUND', 404, 'This password reset link is not valid')
        if (reset.usedAt) throw new DomainError('PASSWORD_RESET_USED', 409, 'This password reset link has already been used')
        if (clock.now() >= reset.expiresAt) throw new DomainError('PASSWORD_RESET_EXPIRED', 410, 'This password reset link has expired: ask for a new one')
        return reset
      }
      const found = usable(await accountsRepository(db).findPasswordReset(tokenHash))
      const target = await accountsRepository(db).findUserById(found.userId)
      if (!target) throw new DomainError('PASSWORD_RESET_NOT_FOUND', 404, 'This password reset link is not valid')
      assertStrongPassword(input.password, { email: target.email })
      const passwordHash = await hashPassword(input.password)
      await db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        const reset = usable(await repo.findPasswordResetForUpdate(tokenHash))
        const now = clock.now()
        await repo.markPasswordResetUsed(reset.id, now)
        await repo.updateUser(reset.userId, { passwordHash }, now)
        await repo.revokeUserSessions(reset.userId, now)
        await repo.clearAccountThrottle(target.email.toLowerCase())
        await auditLog(trx, clock).record({ action: 'password_reset.completed', actor: null, targetUserId: reset.userId, targetEmail: target.email, ip: meta.ip })
        await sessionsRevoked(trx, reset.userId, 'password_reset')
      })
    },

    /**
     * The signed-in user changes their own password. A wrong current password counts as a failed
     * login (same throttle); success keeps this session and ends every other one.
     */
    async changePassword(actor: Actor, input: { currentPassword: string; newPassword: string }, meta: RequestMeta): Promise<void> {
      assertSignedIn(actor)
      const email = actor.email.toLowerCase()
      const repo = accountsRepository(db)
      // Signed in, so this address is known: only this account and address pair is slowed.
      const keys = throttleKeys(email, meta.ip)
      const wait = pendingWait(await repo.throttleCounters([keys.pair]), keys, true, throttleLimits, clock.now())
      if (wait) throw throttled(wait.retryAfterSeconds)
      const user = await repo.findUserForLogin(email)
      if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
        await db.transaction().execute(async (trx) => {
          await accountsRepository(trx).recordFailure([keys.pair], clock.now(), throttleLimits.windowMs)
          await auditLog(trx, clock).record({ action: 'login.failed', actor, targetUserId: actor.userId, targetEmail: email, ip: meta.ip, details: { reason: 'password_change' } })
        })
        throw new DomainError('WRONG_PASSWORD', 403, 'The current password is not right')
      }
      assertStrongPassword(input.newPassword, { email })
      const passwordHash = await hashPassword(input.newPassword)
      await db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        const changedAt = clock.now()
        await repo.updateUser(actor.userId, { passwordHash }, changedAt)
        const revoked = await repo.revokeOtherSessions(actor.userId, actor.sessionId, changedAt)
        await auditLog(trx, clock).record({ action: 'password.changed', actor, targetUserId: actor.userId, targetEmail: email, ip: meta.ip, details: { otherSessionsRevoked: revoked } })
        if (revoked > 0) await sessionsRevoked(trx, actor.userId, 'password_changed', { keptSessionId: actor.sessionId })
      })
    },

    async listUsers(
      actor: Actor,
      filter: { role?: Role; organizationId?: string; active?: boolean; limit: number; offset: number },
    ): Promise<UserDto[]> {
      assertCanListUsers(actor)
      return toDtos(await accountsRepository(db).listUsers(filter))
    },

    async getUser(actor: Actor, id: string): Promise<UserDto> {
      assertCanViewUser(actor, id)
      const user = await accountsRepository(db).findUserById(id)
      if (!user) throw notFound('User', 'USER_NOT_FOUND')
      return toDto(user)
    },

    /** Role, organization, topics, name, activation (admins). Deactivating ends the sessions at once. */
    async updateUser(
      actor: Actor,
      id: string,
      changes: { displayName?: string; role?: Role; organizationId?: string | null; topics?: string[]; active?: boolean },
      meta: RequestMeta,
    ): Promise<UserDto> {
      assertCanUpdateUser(actor, id, changes)
      const current = await accountsRepository(db).findUserById(id)
      if (!current) throw notFound('User', 'USER_NOT_FOUND')
      const role = changes.role ?? current.role
      const organizationId = changes.organizationId !== undefined ? changes.organizationId : role === 'staff' ? current.organizationId : null
      const topics = changes.topics ?? (role === 'expert' ? current.topics : [])
      await checkRoleShape(role, organizationId, topics)
      const updated = await db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        const now = clock.now()
        const active = changes.active ?? current.active
        const row = await repo.updateUser(
          id,
          {
            role,
            organizationId,
            topics,
            ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
            active,
            deactivatedAt: active ? null : (current.deactivatedAt ?? now),
          },
          now,
        )
        const audit = auditLog(trx, clock)
        const base = { actor, targetUserId: id, targetEmail: current.email, ip: meta.ip }
        if (role !== current.role) await audit.record({ ...base, action: 'user.role_changed', details: { from: current.role, to: role } })
        if (organizationId !== current.organizationId) {
          await audit.record({ ...base, action: 'user.organization_changed', details: { from: current.organizationId, to: organizationId } })
        }
        if (active && (role !== current.role || organizationId !== current.organizationId)) await accessChanged(trx, id, 'role_or_organization_changed')
        if (changes.displayName !== undefined || changes.topics !== undefined) {
          await audit.record({ ...base, action: 'user.updated', details: { displayName: changes.displayName, topics: changes.topics } })
        }
        if (current.active && !active) {
          const revoked = await repo.revokeUserSessions(id, now)
          await audit.record({ ...base, action: 'user.deactivated', details: { sessionsRevoked: revoked } })
          await sessionsRevoked(trx, id, 'deactivated')
        }
        if (!current.active && active) await audit.record({ ...base, action: 'user.reactivated' })
        return row
      })
      return toDto(updated)
    },

    /** For other modules: how to show a person. Unknown ids are left out. */
    getUserSummaries,

    /** Of these sessions, those still live now (not revoked, account active, neither idle nor past expiry). */
    async liveSessionIds(sessionIds: string[]): Promise<Set<string>> {
      if (sessionIds.length === 0) return new Set()
      const now = clock.now().getTime()
      const rows = await accountsRepository(db).findSessionsByIds([...new Set(sessionIds)])
      return new Set(rows.filter((s) => s.active && now < s.expiresAt.getTime() && now - s.lastSeenAt.getTime() <= idleMs).map((s) => s.sessionId))
    },

    /** One person, or 404 USER_NOT_FOUND. */
    async getUserSummary(id: string): Promise<UserSummary> {
      const found = (await getUserSummaries([id])).get(id)
      if (!found) throw notFound('User', 'USER_NOT_FOUND')
      return found
    },

    /**
     * Creates an account directly, without invitation or authorization: for demo data and tests
     * only. Runs in the caller's transaction when given one.
     */
    async createUserUnchecked(
      input: { email: string; displayName: string; role: Role; organizationId?: string | null; topics?: string[]; password?: string; passwordHash?: string },
      trx: Kysely<Database> = db,
    ): Promise<UserDto> {
      const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : null)
      const row = await accountsRepository(trx).insertUser({
        email: input.email.toLowerCase(),
        displayName: input.displayName,
        role: input.role,
        organizationId: input.organizationId ?? null,
        topics: input.topics ?? [],
        passwordHash,
        now: clock.now(),
      })
      return {
        id: row.id,
        email: row.email,
        displayName: row.displayName,
        role: row.role,
        organizationId: row.organizationId,
        organization: null,
        topics: row.topics,
        active: row.active,
        createdAt: row.createdAt.toISOString(),
        deactivatedAt: null,
      }
    },

    /** A session for an existing account, without a password: for tests (and future SSO). */
    async startSessionUnchecked(userId: string, meta: RequestMeta = { ip: null }) {
      return db.transaction().execute((trx) => startSession(trx, userId, meta))
    },

    sessionCookieMaxAgeSeconds: absoluteMs / 1000,
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
