import type { Kysely, RawBuilder } from 'kysely'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import type { OrganizationProfile } from './eligibility.js'

// ---- what this module needs from others (wired in app.ts) ----

/** What this module needs from the comuni module (its service fits). */
export interface OrganizationDirectory {
  getOrganization(id: string): Promise<OrganizationProfile>
}

/** A day's public counters: questions not withdrawn, answered (closed included), still open. */
export interface DayCounts {
  questions: number
  answered: number
  open: number
}

/** The same counters as SQL expressions, in a statement that reads them itself. */
export type DayCountsInStatement = Record<keyof DayCounts, RawBuilder<number>>

/**
 * What this module needs of a day's questions, whose tables (and their events) the questions
 * module alone reads and writes: `forumDayQuestions` in src/questions/ fits.
 */
export interface DayQuestions {
  /** The counters of these days (days with no question are absent), read in `db` (a transaction's own `trx` inside one). */
  countsByDay(db: Kysely<Database>, dayIds: string[]): Promise<Map<string, DayCounts>>
  /** Removes every question of the day with what hangs on it (messages, transitions, drafts, idempotency records, question events). */
  wipeDay(trx: Kysely<Database>, dayId: string): Promise<{ questionsDeleted: number; eventsDeleted: number }>
}

export interface ForumDaysDeps {
  db: Kysely<Database>
  clock: Clock
  organizations: OrganizationDirectory
  questions: DayQuestions
}
