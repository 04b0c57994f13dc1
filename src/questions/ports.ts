import type { Kysely } from 'kysely'
import type { Actor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import type { ForumDaysService } from '../forum-days/service.js'
import type { Clock } from '../shared/clock.js'
import type { QuestionDto } from './schemas.js'

// ---- what this module needs from others (wired in app.ts) ----

/** People by id (the accounts service fits): to check a reassignment target. */
export interface PeopleDirectory {
  getUserSummary(id: string): Promise<{ id: string; displayName: string; role: string; active: boolean }>
  /** The active staff of an organization, who hear by e-mail about its questions (read in `trx`). */
  organizationContacts(organizationId: string, options: { trx: Kysely<Database> }): Promise<Array<{ id: string; email: string }>>
  /** An active person's e-mail (read in `trx`), to tell an expert the comune replied; none for an inactive one. */
  userContact(id: string, options: { trx: Kysely<Database> }): Promise<{ id: string; email: string } | undefined>
}

/** Organizations by region (the comuni service fits): the secretariat filters questions by the asker's region. */
export interface OrganizationDirectory {
  /** The organizations in a region, an Unione counting in its member comuni's; none for an unknown region. */
  organizationIdsInRegion(region: string): Promise<string[]>
}

/** Published FAQs (the knowledge base service fits). Optional until the knowledge base is wired. */
export interface FaqLookup {
  similarFaqs(actor: Actor, draft: string, limit?: number): Promise<Array<{ slug: string; title: string; snippet: string }>>
  /** The published FAQ with this id or slug that the actor may see; throws 404 FAQ_NOT_FOUND. */
  findPublishedForDuplicate(actor: Actor, idOrSlug: string): Promise<{ id: string; slug: string }>
  countDuplicate(trx: Kysely<Database>, faqId: string): Promise<void>
}

export interface QuestionsDeps {
  db: Kysely<Database>
  clock: Clock
  forumDays: ForumDaysService
  people: PeopleDirectory
  organizations: OrganizationDirectory
  renderMarkdown: (markdown: string) => string
  /** Legal references recognised in a text, with a link to the act where one is known (the knowledge base's text tools fit). */
  legalReferences?: (text: string) => Array<{ text: string; label: string; url: string | null }>
  faqs?: FaqLookup
  /** How long a claim lasts without renewal. */
  leaseMinutes: number
  /** How recent a colleague's draft must be to show as "working on it". */
  activityMinutes?: number
  /** Where the staff's pages are, for the links in e-mails. */
  publicOrigin: string
}

/** The result of a submission, replayed as it was for a retry with the same Idempotency-Key. */
export interface SubmitResult {
  status: number
  body: QuestionDto
  replayed: boolean
}
