/** The questions module's small rules and constants, shared by its use cases. */

import type { UserActor } from '../accounts/actor.js'
import { isModerator } from '../accounts/policy.js'

import { DomainError } from '../shared/errors.js'

import type { QuestionRow, Visibility } from './repository.js'

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** Thrown inside a submission that needs the organization's profile to decide eligibility: retried with it. */
export class NeedsOrganizationProfile extends Error {}

/** What a new question holds besides its content. */
export const NEW_QUESTION = {
  state: 'submitted',
  claimedBy: null,
  claimedByName: null,
  claimedAt: null,
  leaseExpiresAt: null,
  answer: null,
  answeredBy: null,
  answeredByName: null,
  answeredAt: null,
  answeredLate: null,
  duplicateOfFaq: null,
  rejectionReason: null,
  version: 1,
} as const satisfies Partial<QuestionRow>

export function visibilityOf(actor: UserActor): Visibility {
  if (isModerator(actor)) return { kind: 'all' }
  if (actor.role === 'staff') return { kind: 'organization', organizationId: actor.organizationId ?? '00000000-0000-0000-0000-000000000000' }
  return { kind: 'expert', userId: actor.userId }
}

export const invalidTransition = (q: Pick<QuestionRow, 'state'>, action: string) =>
  new DomainError('INVALID_TRANSITION', 409, `Cannot ${action.replaceAll('_', ' ')} a question that is ${q.state.replaceAll('_', ' ')}`, {
    state: q.state,
    action,
  })

export const holderOf = (q: QuestionRow) => ({ id: q.claimedBy, name: q.claimedByName ?? '' })

/** Words of a draft usable in a tsquery: letters and digits only, so user text cannot inject operators. */
export function queryWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []
  return [...new Set(words)].slice(0, 40)
}
