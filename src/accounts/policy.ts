import { DomainError, forbidden, unauthenticated } from '../shared/errors.js'
import { hasRole, type Actor, type Role, type UserActor } from './actor.js'

/**
 * Who may do what with accounts: one function per rule, called by the services only.
 * Admins manage every account; moderators (the ANCI secretariat) bring in staff and experts.
 */

export function assertSignedIn(actor: Actor): asserts actor is UserActor {
  if (actor.kind === 'anonymous') throw unauthenticated()
}

const MODERATOR_MANAGES: readonly Role[] = ['staff', 'expert']

export function assertCanInvite(actor: Actor, role: Role): asserts actor is UserActor {
  assertSignedIn(actor)
  if (hasRole(actor, 'admin')) return
  if (hasRole(actor, 'moderator')) {
    if (MODERATOR_MANAGES.includes(role)) return
    throw forbidden('Moderators invite staff and experts; ask an admin for other roles')
  }
  throw forbidden('Only admins and moderators invite people')
}

export function assertCanIssuePasswordReset(actor: Actor, target: { role: Role }): asserts actor is UserActor {
  assertSignedIn(actor)
  if (hasRole(actor, 'admin')) return
  if (hasRole(actor, 'moderator') && MODERATOR_MANAGES.includes(target.role)) return
  throw forbidden('Only admins (and moderators, for staff and experts) issue password resets')
}

export function assertCanListUsers(actor: Actor): asserts actor is UserActor {
  assertSignedIn(actor)
  if (!hasRole(actor, 'admin', 'moderator')) throw forbidden('Only admins and moderators list accounts')
}

export function assertCanViewUser(actor: Actor, targetId: string): asserts actor is UserActor {
  assertSignedIn(actor)
  if (actor.userId === targetId || hasRole(actor, 'admin', 'moderator')) return
  throw forbidden('You can only see your own account')
}

export function assertCanUpdateUser(
  actor: Actor,
  targetId: string,
  changes: { role?: Role; organizationId?: string | null; active?: boolean },
): asserts actor is UserActor {
  assertSignedIn(actor)
  if (!hasRole(actor, 'admin')) throw forbidden('Only admins change accounts')
  // An admin locking themselves out (or demoting the last admin by mistake) needs another admin.
  if (actor.userId === targetId && (changes.role !== undefined || changes.active !== undefined)) {
    throw new DomainError('SELF_CHANGE_FORBIDDEN', 403, 'Another admin must change your own role or deactivate you')
  }
}
