import { auditLog } from '../audit/service.js'
import { DomainError, notFound } from '../shared/errors.js'
import type { Actor, UserActor } from './actor.js'
import type { AccountsContext, RequestMeta } from './context.js'
import { addressGroup, pendingWait, throttleKeys } from './login-throttle.js'
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.js'
import { assertSignedIn } from './policy.js'
import { accountsRepository } from './repository.js'
import type { MeDto } from './schemas.js'
import { hashToken } from './tokens.js'
import { batched } from '../shared/batched.js'

/** Writing lastSeenAt at most this often keeps a busy session from writing on every request. */
const TOUCH_EVERY_MS = 60_000

const invalidCredentials = () => new DomainError('INVALID_CREDENTIALS', 401, 'Wrong email or password')

/** Signing in and out, sessions, and the signed-in person's own password. */
export function sessionUseCases(ctx: AccountsContext) {
  const { db, clock, idleMs, absoluteMs, throttleLimits, getDummyHash, toDto, startSession, sessionsRevoked } = ctx

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

  function throttled(retryAfterSeconds: number) {
    return new DomainError('LOGIN_THROTTLED', 429, `Too many failed logins: try again in ${retryAfterSeconds} seconds`, {
      retryAfterSeconds,
    })
  }

  /**
   * Every signed-in request starts here: the requests of one turn of the event loop read their
   * sessions in one statement. Each still sees every revocation committed before it arrived.
   */
  const liveSession = batched(async (tokenHashes: readonly string[]) => {
    const found = new Map((await accountsRepository(db).findLiveSessions(tokenHashes)).map((s) => [s.tokenHash, s]))
    return tokenHashes.map((hash) => found.get(hash))
  })

  return {
    /** The actor behind a session token, or null when the token is unknown, revoked, expired or its account deactivated. */
    async authenticate(token: string): Promise<UserActor | null> {
      const repo = accountsRepository(db)
      const session = await liveSession(hashToken(token))
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
      const expiresAt = await repo.sessionExpiresAt(actor.sessionId)
      return { ...(await toDto(user)), session: { id: actor.sessionId, expiresAt: expiresAt.toISOString() } }
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
    /** The signed-in person's e-mail choices: only the forum-day reminder is optional. */
    async mailPreferences(actor: Actor): Promise<{ reminders: boolean }> {
      assertSignedIn(actor)
      return { reminders: await accountsRepository(db).mailReminders(actor.userId) }
    },

    async setMailPreferences(actor: Actor, input: { reminders: boolean }): Promise<{ reminders: boolean }> {
      assertSignedIn(actor)
      await accountsRepository(db).setMailReminders(actor.userId, input.reminders, clock.now())
      return { reminders: input.reminders }
    },

    /** Of these sessions, those still live now (not revoked, account active, neither idle nor past expiry). */
    async liveSessionIds(sessionIds: string[]): Promise<Set<string>> {
      if (sessionIds.length === 0) return new Set()
      const now = clock.now().getTime()
      const rows = await accountsRepository(db).findSessionsByIds([...new Set(sessionIds)])
      return new Set(rows.filter((s) => s.active && now < s.expiresAt.getTime() && now - s.lastSeenAt.getTime() <= idleMs).map((s) => s.sessionId))
    },
    /** A session for an existing account, without a password: for tests (and future SSO). */
    async startSessionUnchecked(userId: string, meta: RequestMeta = { ip: null }) {
      return db.transaction().execute((trx) => startSession(trx, userId, meta))
    },
    sessionCookieMaxAgeSeconds: absoluteMs / 1000,
  }
}
