import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database } from '../db/database.js'
import type { EditionTheme, EligibilityRule, ForumDaysTable, ProgrammeEditionsTable } from './tables.js'

export type EditionRow = Selectable<ProgrammeEditionsTable>
export type ForumDayRow = Selectable<ForumDaysTable>

const EDITION_COLUMNS = ['id', 'programme', 'name', 'themes', 'eligibility', 'registryDate', 'version', 'createdBy', 'createdAt', 'updatedAt'] as const
const DAY_COLUMNS = [
  'id',
  'editionId',
  'title',
  'themes',
  'opensAt',
  'closesAt',
  'answerDeadline',
  'maxOpenQuestionsPerOrganization',
  'rehearsal',
  'cancelledAt',
  'cancelReason',
  'openedAnnouncedAt',
  'closedAnnouncedAt',
  'version',
  'createdBy',
  'createdAt',
  'updatedAt',
] as const

export async function insertEdition(
  db: Kysely<Database>,
  row: { programme: string; name: string; themes: EditionTheme[]; eligibility: EligibilityRule; registryDate: string; createdBy: string | null; now: Date },
): Promise<EditionRow> {
  return db
    .insertInto('programmeEditions')
    .values({
      programme: row.programme,
      name: row.name,
      themes: JSON.stringify(row.themes),
      eligibility: JSON.stringify(row.eligibility),
      registryDate: row.registryDate,
      createdBy: row.createdBy,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .returning(EDITION_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function updateEdition(
  db: Kysely<Database>,
  id: string,
  changes: { programme?: string; name?: string; themes?: EditionTheme[]; eligibility?: EligibilityRule; registryDate?: string },
  now: Date,
): Promise<EditionRow | undefined> {
  return db
    .updateTable('programmeEditions')
    .set({
      ...(changes.programme !== undefined && { programme: changes.programme }),
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.themes !== undefined && { themes: JSON.stringify(changes.themes) }),
      ...(changes.eligibility !== undefined && { eligibility: JSON.stringify(changes.eligibility) }),
      ...(changes.registryDate !== undefined && { registryDate: changes.registryDate }),
      updatedAt: now,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .returning(EDITION_COLUMNS)
    .executeTakeFirst()
}

export async function findEdition(db: Kysely<Database>, id: string): Promise<EditionRow | undefined> {
  return db.selectFrom('programmeEditions').select(EDITION_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export async function listEditions(db: Kysely<Database>): Promise<EditionRow[]> {
  return db.selectFrom('programmeEditions').select(EDITION_COLUMNS).orderBy('createdAt', 'desc').execute()
}

export async function enrolledIds(db: Kysely<Database>, editionId: string): Promise<string[]> {
  const rows = await db.selectFrom('editionEnrollments').select('organizationId').where('editionId', '=', editionId).orderBy('organizationId').execute()
  return rows.map((r) => r.organizationId)
}

export async function isEnrolled(db: Kysely<Database>, editionId: string, organizationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('editionEnrollments')
    .select('organizationId')
    .where('editionId', '=', editionId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
  return row !== undefined
}

export async function enroll(db: Kysely<Database>, editionId: string, organizationId: string, by: string, now: Date): Promise<void> {
  await db
    .insertInto('editionEnrollments')
    .values({ editionId, organizationId, enrolledBy: by, enrolledAt: now })
    .onConflict((oc) => oc.columns(['editionId', 'organizationId']).doNothing())
    .execute()
}

export async function unenroll(db: Kysely<Database>, editionId: string, organizationId: string): Promise<void> {
  await db.deleteFrom('editionEnrollments').where('editionId', '=', editionId).where('organizationId', '=', organizationId).execute()
}

export async function findDecision(db: Kysely<Database>, editionId: string, organizationId: string) {
  return db
    .selectFrom('eligibilityDecisions')
    .select(['editionId', 'organizationId', 'eligible', 'reason', 'detail', 'registryDate', 'decidedAt'])
    .where('editionId', '=', editionId)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst()
}

export async function storeDecision(
  db: Kysely<Database>,
  d: { editionId: string; organizationId: string; eligible: boolean; reason: string; detail: string; registryDate: string; decidedAt: Date },
): Promise<void> {
  await db
    .insertInto('eligibilityDecisions')
    .values(d)
    .onConflict((oc) =>
      oc.columns(['editionId', 'organizationId']).doUpdateSet({ eligible: d.eligible, reason: d.reason, detail: d.detail, registryDate: d.registryDate, decidedAt: d.decidedAt }),
    )
    .execute()
}

/** Decisions are remade after the rule, the registry date or the enrollments change. */
export async function forgetDecisions(db: Kysely<Database>, editionId: string, organizationId?: string): Promise<void> {
  let q = db.deleteFrom('eligibilityDecisions').where('editionId', '=', editionId)
  if (organizationId) q = q.where('organizationId', '=', organizationId)
  await q.execute()
}

export async function insertForumDay(
  db: Kysely<Database>,
  row: Omit<ForumDayRow, 'id' | 'version' | 'cancelledAt' | 'cancelReason' | 'openedAnnouncedAt' | 'closedAnnouncedAt' | 'updatedAt'>,
): Promise<ForumDayRow> {
  return db
    .insertInto('forumDays')
    .values({ ...row, updatedAt: row.createdAt })
    .returning(DAY_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findForumDay(db: Kysely<Database>, id: string, { forUpdate = false } = {}): Promise<ForumDayRow | undefined> {
  let q = db.selectFrom('forumDays').select(DAY_COLUMNS).where('id', '=', id)
  if (forUpdate) q = q.forUpdate()
  return q.executeTakeFirst()
}

export async function listForumDays(db: Kysely<Database>, filter: { editionId?: string; includeRehearsals: boolean }): Promise<ForumDayRow[]> {
  let q = db.selectFrom('forumDays').select(DAY_COLUMNS)
  if (filter.editionId) q = q.where('editionId', '=', filter.editionId)
  if (!filter.includeRehearsals) q = q.where('rehearsal', '=', false)
  return q.orderBy('opensAt', 'asc').execute()
}

/**
 * The list of days with what the list shows of their edition, in one statement: the forum-day
 * list is read at every visit of the calendar and at every poll. Their counters are the
 * questions module's (DayQuestions port), read in a second statement.
 */
/** A day of the list, with what it shows of its edition. */
export type DayListRow = ForumDayRow & { editionName: string; editionThemes: EditionTheme[] }

export async function listForumDaysWithEditions(db: Kysely<Database>, filter: { editionId?: string; includeRehearsals: boolean }): Promise<DayListRow[]> {
  const { rows } = await sql<ForumDayRow & { editionName: string; editionThemes: EditionTheme[] }>`
    select d.id, d.edition_id, d.title, d.themes, d.opens_at, d.closes_at, d.answer_deadline, d.max_open_questions_per_organization,
      d.rehearsal, d.cancelled_at, d.cancel_reason, d.opened_announced_at, d.closed_announced_at, d.version, d.created_by,
      d.created_at, d.updated_at, e.name as edition_name, e.themes as edition_themes
    from forum_days d
    join programme_editions e on e.id = d.edition_id
    where (${filter.editionId ?? null}::uuid is null or d.edition_id = ${filter.editionId ?? null}::uuid)
      and (${filter.includeRehearsals}::boolean or not d.rehearsal)
    order by d.opens_at
  `.execute(db)
  return rows
}

/** Conditional on the version read (optimistic concurrency): undefined when someone else wrote first. */
export async function updateForumDay(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: Partial<Pick<ForumDayRow, 'title' | 'themes' | 'opensAt' | 'closesAt' | 'answerDeadline' | 'maxOpenQuestionsPerOrganization' | 'cancelledAt' | 'cancelReason'>>,
  now: Date,
): Promise<ForumDayRow | undefined> {
  return db
    .updateTable('forumDays')
    .set({ ...changes, updatedAt: now, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning(DAY_COLUMNS)
    .executeTakeFirst()
}

/** Marks an opening/closing as announced; false when another instance already did. */
export async function markAnnounced(db: Kysely<Database>, id: string, which: 'opened' | 'closed', now: Date): Promise<boolean> {
  const column = which === 'opened' ? 'openedAnnouncedAt' : 'closedAnnouncedAt'
  const row = await db.updateTable('forumDays').set({ [column]: now }).where('id', '=', id).where(column, 'is', null).returning('id').executeTakeFirst()
  return row !== undefined
}

/** Days whose opening or closing instant has passed without being announced (cancelled days never are). */
export async function dueAnnouncements(db: Kysely<Database>, now: Date): Promise<ForumDayRow[]> {
  return db
    .selectFrom('forumDays')
    .select(DAY_COLUMNS)
    .where('cancelledAt', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('openedAnnouncedAt', 'is', null), eb('opensAt', '<=', now)]),
        eb.and([eb('closedAnnouncedAt', 'is', null), eb('closesAt', '<=', now)]),
      ]),
    )
    .orderBy('opensAt')
    .execute()
}

/** The earliest opening or closing after `instant` of a day that is not cancelled. */
export async function nextTransitionAfter(db: Kysely<Database>, instant: Date): Promise<Date | undefined> {
  const row = await db
    .selectFrom('forumDays')
    .select((eb) =>
      eb.fn
        .min(eb.case().when('opensAt', '>', instant).then(eb.ref('opensAt')).else(eb.ref('closesAt')).end())
        .as('next'),
    )
    .where('cancelledAt', 'is', null)
    .where('closesAt', '>', instant)
    .executeTakeFirst()
  return row?.next ? new Date(row.next) : undefined
}

/** Real (not rehearsal), not cancelled days opening after `from` and no later than `to`. */
export async function daysOpeningBetween(db: Kysely<Database>, from: Date, to: Date): Promise<ForumDayRow[]> {
  return db
    .selectFrom('forumDays')
    .select(DAY_COLUMNS)
    .where('opensAt', '>', from)
    .where('opensAt', '<=', to)
    .where('cancelledAt', 'is', null)
    .where('rehearsal', '=', false)
    .orderBy('opensAt')
    .execute()
}
