import type { FastifyReply, FastifyRequest } from 'fastify'
import { requireModerator } from '../accounts/policy.js'
import type { UserActor } from '../accounts/actor.js'
import { requireSignIn } from '../staff-site/session.js'

/** The signed-in moderator (or admin), a redirect to sign in (undefined), or a 403 page for other roles. */
export function moderatorOf(request: FastifyRequest, reply: FastifyReply): UserActor | undefined {
  const actor = requireSignIn(request, reply)
  return actor ? requireModerator(actor, 'These pages are for the forum secretariat') : undefined
}
