import type { UserActor } from '../accounts/actor.js'
import { isModerator } from '../accounts/policy.js'
import type { QuestionState } from './tables.js'

/**
 * The question lifecycle, written down once. Every transition row a question gets names one of
 * these actions; `transition()` (context.ts) refuses an action from a state not listed here, the
 * "open" states are derived from it, and the actions a caller may take now (`actionsFor`, sent
 * with a question and shown as the pages' buttons) come from the same rows.
 *
 * `to: 'same'` is a change that keeps the state (an edit, a lease renewal). `who` names the
 * parties that may take the action from those states:
 * - `asker`: the person who asked; `organization`: any staff member of the asking organization;
 * - `expert`: any expert (moderators and admins work as experts too);
 * - `holder`: the expert the question is with (their claim, or the clarification they asked);
 * - `answerer`: the expert who answered; `moderator`: the secretariat (and admins);
 * - `system`: the server itself (lease expiry).
 */
export const PARTIES = ['asker', 'organization', 'expert', 'holder', 'answerer', 'moderator', 'system'] as const
export type Party = (typeof PARTIES)[number]

export interface LifecycleRow {
  from: readonly (QuestionState | null)[]
  to: QuestionState | 'same'
  who: readonly Party[]
}

/** Recorded action → its rows. An action may have several rows when who may take it depends on the state. */
export const LIFECYCLE = {
  submitted: [{ from: [null], to: 'submitted', who: ['organization'] }],
  edited: [
    { from: ['submitted', 'awaiting_clarification'], to: 'same', who: ['asker', 'moderator'] },
    { from: ['claimed'], to: 'same', who: ['moderator'] },
  ],
  withdrawn: [{ from: ['submitted'], to: 'withdrawn', who: ['asker'] }],
  claimed: [{ from: ['submitted'], to: 'claimed', who: ['expert'] }],
  renewed: [{ from: ['claimed'], to: 'same', who: ['holder'] }],
  released: [{ from: ['claimed'], to: 'submitted', who: ['holder', 'moderator'] }],
  reassigned: [{ from: ['submitted', 'claimed'], to: 'claimed', who: ['moderator'] }],
  lease_expired: [{ from: ['claimed'], to: 'submitted', who: ['system'] }],
  clarification_requested: [{ from: ['claimed'], to: 'awaiting_clarification', who: ['holder'] }],
  // The reply brings the question back to the expert who asked, with a fresh lease: if they do
  // not take it up in time it expires to the shared queue like any claim.
  replied: [{ from: ['awaiting_clarification'], to: 'claimed', who: ['organization'] }],
  answered: [{ from: ['claimed'], to: 'answered', who: ['holder'] }],
  answer_edited: [{ from: ['answered', 'closed'], to: 'same', who: ['answerer', 'moderator'] }],
  closed: [{ from: ['answered'], to: 'closed', who: ['organization', 'moderator'] }],
  duplicate: [
    { from: ['submitted'], to: 'duplicate', who: ['expert'] },
    { from: ['claimed'], to: 'duplicate', who: ['holder', 'moderator'] },
    { from: ['awaiting_clarification'], to: 'duplicate', who: ['moderator'] },
  ],
  rejected: [{ from: ['submitted', 'claimed', 'awaiting_clarification'], to: 'rejected', who: ['moderator'] }],
} as const satisfies Record<string, readonly LifecycleRow[]>

export type LifecycleAction = keyof typeof LIFECYCLE
export const LIFECYCLE_ACTIONS = Object.keys(LIFECYCLE) as LifecycleAction[]

const rowsOf = (action: LifecycleAction): readonly LifecycleRow[] => LIFECYCLE[action]

/** The states an action may start from, whoever takes it. */
export function fromStates(action: LifecycleAction): QuestionState[] {
  return [...new Set(rowsOf(action).flatMap((r) => r.from.filter((s): s is QuestionState => s !== null)))]
}

/** The state an action leads to from `from`; undefined when the table has no such move. */
export function targetOf(action: LifecycleAction, from: QuestionState | null): QuestionState | undefined {
  const row = rowsOf(action).find((r) => r.from.includes(from))
  if (!row) return undefined
  return row.to === 'same' ? (from ?? undefined) : row.to
}

/** Whether one of `parties` may take `action` from `state`. */
export function permits(action: LifecycleAction, state: QuestionState, parties: ReadonlySet<Party>): boolean {
  return rowsOf(action).some((r) => r.from.includes(state) && r.who.some((p) => parties.has(p)))
}

/** The states a question can still be answered from: those with a path to `answered` that moves. */
function answerableStates(): QuestionState[] {
  const moves = Object.values(LIFECYCLE).flatMap((rows) =>
    (rows as readonly LifecycleRow[]).flatMap((r) => r.from.filter((f): f is QuestionState => f !== null && r.to !== 'same' && r.to !== f).map((f) => [f, r.to as QuestionState] as const)),
  )
  const reach = new Set<QuestionState>(['answered'])
  for (let grew = true; grew; ) {
    grew = false
    for (const [from, to] of moves) {
      if (reach.has(to) && !reach.has(from)) {
        reach.add(from)
        grew = true
      }
    }
  }
  reach.delete('answered')
  return [...reach]
}

/** Open: still waiting for an answer (counted against an organization's cap, drafts may be saved). */
export const OPEN_STATES: readonly QuestionState[] = answerableStates()
/** Waiting in the shared queue, claimable by any expert. */
export const QUEUE_STATES = fromStates('claimed')

/** What the lifecycle needs to know of a question to say who is who. */
export interface LifecycleSubject {
  state: QuestionState
  organizationId: string
  askedBy: string
  claimedBy: string | null
  answeredBy: string | null
}

/** The parties the actor is for this question. */
export function partiesOf(actor: UserActor, q: LifecycleSubject): Set<Party> {
  const parties = new Set<Party>()
  if (actor.role === 'staff') {
    if (actor.organizationId === q.organizationId) parties.add('organization')
    if (actor.userId === q.askedBy) parties.add('asker')
    return parties
  }
  parties.add('expert')
  if (isModerator(actor)) parties.add('moderator')
  if (q.claimedBy === actor.userId && (q.state === 'claimed' || q.state === 'awaiting_clarification')) parties.add('holder')
  if (q.answeredBy === actor.userId) parties.add('answerer')
  return parties
}

/**
 * What a person can ask for, by name, and the recorded action it becomes. Only actions a person
 * starts appear (not `submitted`, which has its own form, nor the system's `lease_expired`).
 */
export const USER_ACTIONS = {
  edit: 'edited',
  withdraw: 'withdrawn',
  claim: 'claimed',
  renew: 'renewed',
  release: 'released',
  reassign: 'reassigned',
  request_clarification: 'clarification_requested',
  reply: 'replied',
  answer: 'answered',
  edit_answer: 'answer_edited',
  close: 'closed',
  mark_duplicate: 'duplicate',
  reject: 'rejected',
} as const satisfies Record<string, LifecycleAction>
export type UserAction = keyof typeof USER_ACTIONS
export const USER_ACTION_NAMES = Object.keys(USER_ACTIONS) as UserAction[]

/** The actions the actor may take on the question now, from the table. */
export function actionsFor(actor: UserActor, q: LifecycleSubject): UserAction[] {
  const parties = partiesOf(actor, q)
  return USER_ACTION_NAMES.filter((name) => permits(USER_ACTIONS[name], q.state, parties))
}

/** The table as Markdown rows, one per row of LIFECYCLE (the README shows them; a test keeps them equal). */
export function lifecycleMarkdownRows(): string[] {
  return Object.entries(LIFECYCLE).flatMap(([action, rows]) =>
    (rows as readonly LifecycleRow[]).map(
      (r) => `| \`${action}\` | ${r.from.map((f) => (f === null ? '(new)' : `\`${f}\``)).join(', ')} | ${r.to === 'same' ? '(unchanged)' : `\`${r.to}\``} | ${r.who.join(', ')} |`,
    ),
  )
}
