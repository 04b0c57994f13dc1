import type { Kysely } from 'kysely'
import { auditLog } from '../audit/service.js'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import { accountsRepository } from './repository.js'
import { hashToken, newToken } from './tokens.js'

/**
 * The first administrator of a server database, where no demo accounts exist and every account
 * route needs an admin. Run from the command line (`npm run create-admin`), so whoever runs it
 * already controls the server; it only ever hands out a one-time link, never a password, and can
 * be run again: a new link replaces the pending one, and an existing admin is left as it is.
 */
export type FirstAdminOutcome =
  | { kind: 'invited'; url: string; expiresAt: Date }
  | { kind: 'reset'; url: string; expiresAt: Date }
  | { kind: 'already-admin' }
  | { kind: 'refused'; reason: string }

export interface FirstAdminDeps {
  db: Kysely<Database>
  clock: Clock
  publicOrigin: string
  invitationTtlHours: number
  passwordResetTtlMinutes: number
}

const VIA = { via: 'create-admin' }

export async function inviteAdmin(deps: FirstAdminDeps, email: string, options: { reset: boolean }): Promise<FirstAdminOutcome> {
  const origin = new URL(deps.publicOrigin).origin
  const normalised = email.trim().toLowerCase()
  return deps.db.transaction().execute(async (trx) => {
    const repo = accountsRepository(trx)
    const audit = auditLog(trx, deps.clock)
    const now = deps.clock.now()
    const token = newToken()
    const existing = await repo.findUserForLogin(normalised)
    if (existing) {
      if (existing.role !== 'admin') return { kind: 'refused', reason: `${normalised} belongs to an account with the ${existing.role} role: change its role from an admin's account` }
      if (!existing.active) return { kind: 'refused', reason: `${normalised} is a deactivated admin: reactivate it from another admin's account` }
      if (!options.reset) return { kind: 'already-admin' }
      const expiresAt = new Date(now.getTime() + deps.passwordResetTtlMinutes * 60_000)
      await repo.voidPasswordResets(existing.id, now)
      await repo.insertPasswordReset({ tokenHash: hashToken(token), userId: existing.id, issuedBy: null, now, expiresAt })
      await audit.record({ action: 'password_reset.issued', actor: null, targetUserId: existing.id, targetEmail: normalised, ip: null, details: VIA })
      return { kind: 'reset', url: `${origin}/nuova-password#token=${token}`, expiresAt }
    }
    const expiresAt = new Date(now.getTime() + deps.invitationTtlHours * 3_600_000)
    await repo.expirePendingInvitations(normalised, now)
    const id = await repo.insertInvitation({
      tokenHash: hashToken(token),
      email: normalised,
      role: 'admin',
      organizationId: null,
      topics: [],
      invitedBy: null,
      now,
      expiresAt,
    })
    await audit.record({ action: 'invitation.created', actor: null, targetEmail: normalised, ip: null, details: { invitationId: id, role: 'admin', ...VIA } })
    // The token travels in the fragment, which browsers never send to servers or in Referer.
    return { kind: 'invited', url: `${origin}/invito#token=${token}`, expiresAt }
  })
}
