/** Who is calling. Services take an Actor and decide; routes never check roles themselves. */
export const ROLES = ['staff', 'expert', 'moderator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export interface UserActor {
  kind: 'user'
  userId: string
  sessionId: string
  role: Role
  /** The comune or Unione a staff member belongs to; null for the other roles. */
  organizationId: string | null
  email: string
  displayName: string
}

export type Actor = { kind: 'anonymous' } | UserActor

export const ANONYMOUS: Actor = { kind: 'anonymous' }

export const isUser = (actor: Actor): actor is UserActor => actor.kind === 'user'
export const hasRole = (actor: Actor, ...roles: Role[]): actor is UserActor => isUser(actor) && roles.includes(actor.role)

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin on every request: anonymous unless a valid session came with it. */
    actor: Actor
  }
}
