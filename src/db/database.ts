import type { Generated, JSONColumnType } from 'kysely'
import type { EventsTable } from '../events/event-log.js'
import type { EditionEnrollmentsTable, EligibilityDecisionsTable, ForumDaysTable, ProgrammeEditionsTable } from '../forum-days/tables.js'
import type { AnswerDraftsTable, IdempotencyKeysTable, QuestionMessagesTable, QuestionsTable, QuestionTransitionsTable } from '../questions/tables.js'
import type { InvitationsTable, LoginThrottleTable, PasswordResetsTable, SessionsTable, UsersTable } from '../accounts/tables.js'
import type { AuditLogTable } from '../audit/tables.js'
import type { OrganizationMembersTable, OrganizationsTable } from '../comuni/tables.js'
import type {
  ActAmendmentsTable,
  FaqRevisionsTable,
  FaqsTable,
  SearchOutboxTable,
  SearchQueryStatsTable,
} from '../knowledge-base/tables.js'
import type { MailOutboxTable } from '../mail/tables.js'
import type { SearchFaqsTable, SearchVocabularyTable } from '../search/tables.js'

/**
 * The Kysely view of the schema. Columns are camelCase here and snake_case in SQL
 * (Kysely's CamelCasePlugin converts). Each domain module adds its tables as it lands.
 */
export interface Database {
  appMeta: AppMetaTable
  events: EventsTable
  faqs: FaqsTable
  faqRevisions: FaqRevisionsTable
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
}

export interface AppMetaTable {
  key: string
  value: JSONColumnType<Record<string, unknown>>
  updatedAt: Generated<Date>
}
