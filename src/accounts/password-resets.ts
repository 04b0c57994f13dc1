import type { Kysely } from 'kysely'
import { auditLog } from '../audit/service.js'
import type { Database } from '../db/database.js'
import { queueMail } from '../mail/outbox.js'
import { mailTemplates } from '../mail/templates.js'
import { DomainError, notFound } from '../shared/errors.js'
import type { Actor } from './actor.js'
import { MINUTE, type AccountsContext, type RequestMeta } from './context.js'
import { assertStrongPassword, hashPassword } from './passwords.js'
import { assertCanIssuePasswordReset } from './policy.js'
import { accountsRepository } from './repository.js'
import { hashToken, newToken } from './tokens.js'

/** Forgotten-password links: at most one per account this often. */
const RESET_REQUEST_SPACING_MS = 5 * 60_000

/** New passwords through one-time links: issued by the secretariat or asked for by e-mail. */
export function passwordResetUseCases(ctx: AccountsContext) {
  const { db, clock, accounts, origin, sessionsRevoked } = ctx

  /** A new one-time reset link replacing the earlier ones, mailed to the account's owner. */
  async function issueReset(trx: Kysely<Database>, target: { id: string; email: string }, issuedBy: string | null, now: Date) {
    const token = newToken()
    const expiresAt = new Date(now.getTime() + accounts.passwordResetTtlMinutes * MINUTE)
    const repo = accountsRepository(trx)
    await repo.voidPasswordResets(target.id, now)
    const resetId = await repo.insertPasswordReset({ tokenHash: hashToken(token), userId: target.id, issuedBy, now, expiresAt })
    const url = `${origin}/nuova-password#token=${token}`
    await queueMail(trx, clock, [{ dedupeKey: `password-reset:${resetId}`, to: target.email, message: mailTemplates.passwordReset({ url, expiresAt }) }])
    return { token, url, expiresAt }
  }

  return {
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
  }
}
