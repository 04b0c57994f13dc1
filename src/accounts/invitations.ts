import { auditLog } from '../audit/service.js'
import { queueMail } from '../mail/outbox.js'
import { mailTemplates } from '../mail/templates.js'
import { DomainError } from '../shared/errors.js'
import type { Actor, Role } from './actor.js'
import { HOUR, type AccountsContext, type RequestMeta } from './context.js'
import { assertStrongPassword, hashPassword } from './passwords.js'
import { assertCanInvite, assertCanListUsers, assertSignedIn } from './policy.js'
import { accountsRepository } from './repository.js'
import type { UserDto } from './schemas.js'
import { hashToken, newToken } from './tokens.js'

/** People join by invitation: a one-time link, mailed, that becomes an account. */
export function invitationUseCases(ctx: AccountsContext) {
  const { db, clock, accounts, origin, toDto, checkRoleShape } = ctx

  return {
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
        const expiresAt = new Date(now.getTime() + accounts.invitationTtlHours * HOUR)
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
    /** Invitations not accepted yet (expired ones too, marked): who has not activated. Admins and moderators. */
    async pendingInvitations(actor: Actor, limit = 200) {
      assertCanListUsers(actor)
      const now = clock.now()
      return (await accountsRepository(db).listPendingInvitations(limit)).map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        organizationId: i.organizationId,
        topics: i.topics,
        invitedBy: i.invitedBy,
        createdAt: i.createdAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
        expired: i.expiresAt <= now,
      }))
    },
    /**
     * Mails the invitation again with a new link (the old one stops working) and a new expiry,
     * for someone who lost the e-mail or let it expire. Who may invite for the role may resend.
     */
    async resendInvitation(actor: Actor, id: string, meta: RequestMeta) {
      assertSignedIn(actor)
      return db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        const invitation = await repo.findInvitationById(id)
        if (!invitation) throw new DomainError('INVITATION_NOT_FOUND', 404, 'This invitation link is not valid')
        assertCanInvite(actor, invitation.role)
        if (invitation.acceptedAt) throw new DomainError('INVITATION_USED', 409, 'This invitation has already been used: sign in instead')
        const token = newToken()
        const now = clock.now()
        const expiresAt = new Date(now.getTime() + accounts.invitationTtlHours * HOUR)
        await repo.renewInvitation(id, hashToken(token), expiresAt)
        await auditLog(trx, clock).record({ action: 'invitation.resent', actor, targetEmail: invitation.email, ip: meta.ip, details: { invitationId: id } })
        const url = `${origin}/invito#token=${token}`
        // A new dedupe key per sending: the outbox would drop a second mail with the first one's key.
        await queueMail(trx, clock, [
          { dedupeKey: `invitation:${id}:${now.getTime()}`, to: invitation.email, message: mailTemplates.invitation({ role: invitation.role, url, expiresAt }) },
        ])
        return {
          id,
          email: invitation.email,
          role: invitation.role,
          organizationId: invitation.organizationId,
          topics: invitation.topics,
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
  }
}
