import { DomainError, forbidden, unauthenticated } from '../shared/errors.js'
import { hasRole, type Actor, type Role, type UserActor } from './actor.js'

/**
 * Who may do what with accounts: one function per rule, called by the services only.
 * Admins manage every account; moderators (the ANCI secretariat) bring in staff and experts.
 */

export function assertSignedIn(actor: Actor): asserts actor is UserActor {
  if (actor.kind === 'anonymous') throw unauthenticated()
}

// ---- Role guards for every module: one function and one error code per meaning ----

/** The ANCI secretariat: moderators, and admins who can do all a moderator can. */
export const isModerator = (actor: Actor): boolean => hasRole(actor, 'moderator', 'admin')
/** Who works the question queue: experts, and the secretariat. */
export const isExpertOrModerator = (actor: Actor): boolean => hasRole(actor, 'expert', 'moderator', 'admin')

export function requireUser(actor: Actor): UserActor {
  assertSignedIn(actor)
  return actor
}

/** 403 MODERATORS_ONLY; `detail` says what only the secretariat does. */
export function requireModerator(actor: Actor, detail = 'Only the forum secretariat (moderators, admins) can do this'): UserActor {
  const user = requireUser(actor)
  if (!isModerator(user)) throw forbidden(detail, 'MODERATORS_ONLY')
  return user
}

/** 403 EXPERTS_ONLY. */
export function requireExpert(actor: Actor, detail = 'Only experts and moderators work the queue'): UserActor {
  const user = requireUser(actor)
  if (!isExpertOrModerator(user)) throw forbidden(detail, 'EXPERTS_ONLY')
  return user
}

/** 403 STAFF_ONLY: comune (or Unione) staff, with the organization they act for. */
export function requireStaff(actor: Actor, detail = 'Only comune staff ask questions'): UserActor & { organizationId: string } {
  const user = requireUser(actor)
  if (user.role !== 'staff' || !user.organizationId) throw forbidden(detail, 'STAFF_ONLY')
  return user as UserActor & { organizationId: string }
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
