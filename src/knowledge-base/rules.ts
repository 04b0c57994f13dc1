/** The knowledge base's rules, one place each: who sees what, who curates, how texts become keys. */
import { hasRole, isUser, type Actor } from '../accounts/actor.js'
import { requireModerator as requireModeratorRole } from '../accounts/policy.js'
import { type Audience } from '../events/event-log.js'
import type { FaqRow } from './repository.js'
export const QUESTION_STATES_PUBLISHABLE = new Set(['answered', 'closed'])
export const requireModerator = (actor: Actor) => requireModeratorRole(actor, 'Only the ANCI secretariat curates the knowledge base')

/** "Area riservata" is for signed-in users; the public sees public FAQs only. */
export const visibleTo = (actor: Actor): Array<'public' | 'reserved'> => (isUser(actor) ? ['public', 'reserved'] : ['public'])

export const canSee = (actor: Actor, faq: Pick<FaqRow, 'state' | 'visibility'>) =>
  hasRole(actor, 'moderator', 'admin') || (faq.state === 'published' && visibleTo(actor).includes(faq.visibility))

export const faqAudience = (visibility: 'public' | 'reserved'): Audience[] =>
  visibility === 'public' ? [{ kind: 'public' }] : [{ kind: 'signed_in' }]

/** Monday of the ISO week of `date`, as YYYY-MM-DD (UTC). */
export function weekStart(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day))
  return monday.toISOString().slice(0, 10)
}

/** Queries are stored lower-cased with spaces collapsed, so "Rinnovo  PDS" and "rinnovo pds" count together. */
export const normaliseQuery = (q: string) => q.toLocaleLowerCase('it').replace(/\s+/g, ' ').trim().slice(0, 200)

export const MAX_SLUG_LENGTH = 80

/** The title in lower-case ASCII words joined by dashes, cut at the last whole word within 80 characters. */
export function slugify(title: string): string {
  const full = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  if (full.length <= MAX_SLUG_LENGTH) return full || 'faq'
  // One character more: a dash right after the limit means the limit falls on a word's end.
  const cut = full.slice(0, MAX_SLUG_LENGTH + 1)
  const lastDash = cut.lastIndexOf('-')
  // A single word longer than the limit has no boundary to cut at.
  const slug = lastDash > 0 ? cut.slice(0, lastDash) : full.slice(0, MAX_SLUG_LENGTH)
  return slug.replace(/-+$/g, '') || 'faq'
}
