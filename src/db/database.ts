import type { Generated, JSONColumnType, Kysely } from 'kysely'
import type { EventsTable } from '../events/tables.js'
import type { EditionEnrollmentsTable, EligibilityDecisionsTable, ForumDaysTable, ProgrammeEditionsTable } from '../forum-days/tables.js'
import type { AnswerDraftsTable, IdempotencyKeysTable, QuestionMessagesTable, QuestionsTable, QuestionTransitionsTable } from '../questions/tables.js'
import type { InvitationsTable, LoginThrottleTable, PasswordResetsTable, SessionsTable, UsersTable } from '../accounts/tables.js'
import type { AuditLogTable } from '../audit/tables.js'
import type { OrganizationMembersTable, OrganizationsTable } from '../comuni/tables.js'
import type {
  ActAmendmentsTable,
  FaqRevisionsTable,
  FaqSlugRedirectsTable,
  FaqsTable,
  SearchOutboxTable,
  SearchQueryStatsTable,
} from '../knowledge-base/tables.js'
import type { ForumDayRemindersTable, MailOutboxTable } from '../mail/tables.js'
import type { SearchFaqsTable, SearchVocabularyTable } from '../search/tables.js'
import type { SelfAssessmentQuestionnairesTable, SelfAssessmentsTable } from '../self-assessment/tables.js'

/**
 * The Kysely view of the schema. Columns are camelCase here and snake_case in SQL
 * (Kysely's CamelCasePlugin converts). Each domain module adds its tables as it lands.
 */
export interface Database {
  appMeta: AppMetaTable
  events: EventsTable
  faqs: FaqsTable
  faqRevisions: FaqRevisionsTable
  faqSlugRedirects: FaqSlugRedirectsTable
  actAmendments: ActAmendmentsTable
  searchOutbox: SearchOutboxTable
  searchQueryStats: SearchQueryStatsTable
  searchFaqs: SearchFaqsTable
  searchVocabulary: SearchVocabularyTable
  programmeEditions: ProgrammeEditionsTable
  editionEnrollments: EditionEnrollmentsTable
  eligibilityDecisions: EligibilityDecisionsTable
  forumDays: ForumDaysTable
  questions: QuestionsTable
  questionTransitions: QuestionTransitionsTable
  questionMessages: QuestionMessagesTable
  answerDrafts: AnswerDraftsTable
  idempotencyKeys: IdempotencyKeysTable
  organizations: OrganizationsTable
  organizationMembers: OrganizationMembersTable
  users: UsersTable
  sessions: SessionsTable
  invitations: InvitationsTable
  passwordResets: PasswordResetsTable
  loginThrottle: LoginThrottleTable
  auditLog: AuditLogTable
  mailOutbox: MailOutboxTable
  forumDayReminders: ForumDayRemindersTable
  selfAssessmentQuestionnaires: SelfAssessmentQuestionnairesTable
  selfAssessments: SelfAssessmentsTable
}

export interface AppMetaTable {
  key: string
  value: JSONColumnType<Record<string, unknown>>
  updatedAt: Generated<Date>
}

/** A transaction opened through an instance prepared by `withAfterCommit`, and its hooks. */
interface OpenTransaction {
  root: Kysely<Database>
  hooks: Set<() => void>
}
const openTransactions = new WeakMap<Kysely<Database>, OpenTransaction>()

/**
 * Makes `db.transaction().execute(fn)` run, once it has committed, the hooks `fn` registered with
 * `afterCommit`: work that must not happen inside the transaction (wake-ups) but only if it commits.
 */
export function withAfterCommit(db: Kysely<Database>): Kysely<Database> {
  const begin = db.transaction.bind(db)
  db.transaction = () => {
    const builder = begin()
    const execute = builder.execute.bind(builder)
    builder.execute = async (fn) => {
      const hooks = new Set<() => void>()
      const result = await execute((trx) => {
        openTransactions.set(trx, { root: db, hooks })
        return fn(trx)
      })
      for (const hook of hooks) {
        try {
          hook()
        } catch {
          // The commit stands: a failed wake-up is caught up by the reader's poll.
        }
      }
      return result
    }
    return builder
  }
  return db
}

/** The instance that opened `trx`, when through `withAfterCommit` (so `afterCommit` works on it). */
export function openedBy(trx: Kysely<Database>): Kysely<Database> | undefined {
  return openTransactions.get(trx)?.root
}

/**
 * Runs `hook` once after `trx` commits (never if it rolls back; the same hook twice runs once).
 * False, with the hook dropped, when the transaction was not opened through `withAfterCommit`.
 */
export function afterCommit(trx: Kysely<Database>, hook: () => void): boolean {
  const open = openTransactions.get(trx)
  open?.hooks.add(hook)
  return open !== undefined
}
