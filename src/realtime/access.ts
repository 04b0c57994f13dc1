import { z } from 'zod'
import { hasRole, isUser, type Actor } from '../accounts/actor.js'
import { channel as channels, type Audience } from '../events/event-log.js'
import { DomainError, forbidden, unauthenticated } from '../shared/errors.js'

const staffOf = (actor: Actor, organizationId: string) => isUser(actor) && actor.role === 'staff' && actor.organizationId === organizationId

/** Whether one of the event's audiences admits this caller. Checked per recipient, live and in replay alike. */
export function admits(actor: Actor, audience: Audience[]): boolean {
  return audience.some((a) => {
    switch (a.kind) {
      case 'public':
        return true
      case 'signed_in':
        return isUser(actor)
      case 'experts':
        return hasRole(actor, 'expert', 'moderator', 'admin')
      case 'moderators':
        return hasRole(actor, 'moderator', 'admin')
      case 'organization':
        return hasRole(actor, 'moderator', 'admin') || staffOf(actor, a.organizationId)
      case 'question':
        return hasRole(actor, 'expert', 'moderator', 'admin') || staffOf(actor, a.organizationId)
      default:
        return false
    }
  })
}

export interface ChannelChecks {
  /** Throws (401/403/404) unless the actor may follow the question. */
  question(actor: Actor, questionId: string): Promise<void>
  /** Throws (404) unless the forum day exists and the actor may see it. */
  forumDay(actor: Actor, forumDayId: string): Promise<void>
}

/** Any 8-4-4-4-12 hex id: a malformed one is an unknown channel, a well-formed unknown one a 404. */
const Id = z.guid()

const unknownChannel = (name: string) =>
  new DomainError('CHANNEL_UNKNOWN', 400, `No channel is called "${name}": see the channel list in the README`, { channel: name })

/**
 * May this caller subscribe to this channel? A refusal is an error frame, never silence. Audience
 * filtering still applies to every event afterwards: subscribing is not seeing everything.
 */
export async function authorizeChannel(actor: Actor, name: string, checks: ChannelChecks): Promise<void> {
  if (name === channels.faqs) return
  const [kind, id, ...rest] = name.split(':')
  /** The channel's one id, when it is well formed. */
  const target = id && rest.length === 0 && Id.safeParse(id).success ? id : undefined
  if (kind === 'forum-day' && id && rest.length === 0) {
    if (!target) throw unknownChannel(name)
    return checks.forumDay(actor, target)
  }
  if (!isUser(actor)) {
    if (name === channels.queue || name === channels.accounts || ((kind === 'organization' || kind === 'question') && id)) {
      throw unauthenticated('Sign in to follow this channel; anonymous callers may follow forum days and the FAQs')
    }
    throw unknownChannel(name)
  }
  if (name === channels.queue) {
    if (!hasRole(actor, 'expert', 'moderator', 'admin')) throw forbidden('Only experts and moderators follow the queue', 'CHANNEL_FORBIDDEN')
    return
  }
  if (name === channels.accounts) {
    if (!hasRole(actor, 'moderator', 'admin')) throw forbidden('Only moderators follow account changes', 'CHANNEL_FORBIDDEN')
    return
  }
  if (kind === 'organization' && target) {
    if (hasRole(actor, 'moderator', 'admin') || staffOf(actor, target)) return
    throw forbidden("Only the organization's own staff and moderators follow its questions", 'CHANNEL_FORBIDDEN')
  }
  if (kind === 'question' && target) return checks.question(actor, target)
  throw unknownChannel(name)
}
