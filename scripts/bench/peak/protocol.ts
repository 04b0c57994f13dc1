/**
 * What the forum-day peak benchmark's processes say to each other over IPC (see bench/peak.ts).
 * The parent drives; the server children and the load child answer commands.
 */

/** One HTTP scenario for the load child: every loop sends the same request with its own headers. */
export interface LoadSpec {
  /** The URL, or several taken in turn by whichever loop sends next (pages of many FAQs). */
  url: string | string[]
  method: 'GET' | 'POST'
  /** JSON body sent as is (the same for every request). */
  body?: string
  /** Headers of loop i: headersPerLoop[i % length] (each expert or staff member on their own session). */
  headersPerLoop?: Array<Record<string, string>>
  /** Sends a fresh Idempotency-Key with every request. */
  idempotencyKeys?: boolean
  concurrency: number
  warmupSeconds: number
  seconds: number
  /** A loop stops at this status (the queue ran dry: 404 QUEUE_EMPTY). */
  stopOnStatus?: number
  /** Collects the `id` of every 200/201 body (to find double assignments). */
  collectIds?: boolean
}

export interface LoadResult {
  /** Successful (2xx) responses per second over the measured window. */
  perSecond: number
  p50: number
  p99: number
  ok: number
  statuses: Record<string, number>
  /** Transport errors (timeouts, resets). */
  errors: number
  /** Ids of successful responses, warm-up included, when collectIds. */
  ids: string[]
  seconds: number
  /** HTTP scenarios: mean body size as sent (compressed, when the request allowed it), warm-up included. */
  bodyBytes?: number
}

/** The database anchors: the least any implementation of the operation must do. */
export interface AnchorSpec {
  /** A PostgreSQL URL; undefined: an in-process PGlite of the load child's own. */
  databaseUrl?: string
  concurrency: number
  poolMax: number
  warmupSeconds: number
  seconds: number
  /** Rows in the anchor queue (claim anchor). */
  queue: number
}

export interface ServerInfo {
  base: string
  label: string
}

export interface Fixtures {
  /** Bearer headers of staff members, each of their own comune. */
  staff: Array<Record<string, string>>
  experts: Array<Record<string, string>>
}

export interface AppServerCommands {
  /** Builds the app from its environment, loads demo data and the bench's people, listens on a free port. */
  start: { args: { staff: number; experts: number }; result: ServerInfo & Fixtures }
  /** A new open forum day with `cap` open questions per comune, holding `queue` waiting questions (inserted in one statement). */
  day: { args: { queue: number; cap: number | null }; result: { forumDayId: string } }
  /** Questions of the day with more than one 'claimed' transition. */
  doubleAssignments: { args: { forumDayId: string }; result: { questions: number } }
  stop: { args: Record<string, never>; result: null }
}

export interface BareServerCommands {
  start: { args: Record<string, never>; result: ServerInfo }
  stop: { args: Record<string, never>; result: null }
}

export interface LoadCommands {
  http: { args: LoadSpec; result: LoadResult }
  anchorInsert: { args: AnchorSpec; result: LoadResult }
  anchorClaim: { args: AnchorSpec; result: LoadResult & { doubleAssignments: number } }
  stop: { args: Record<string, never>; result: null }
}

/** Enough queued rows that the claim anchor never runs out within a round (10,000 claims/s for 20 s). */
export const ANCHOR_QUEUE_ROWS = 200_000
