import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database } from '../db/database.js'
import type { AnswerMap, QuestionnaireContent, SizeClass } from './schemas.js'
import type { QuestionnaireState, SelfAssessmentQuestionnairesTable, SelfAssessmentsTable } from './tables.js'

export type QuestionnaireRow = Selectable<SelfAssessmentQuestionnairesTable>
export type AssessmentRow = Selectable<SelfAssessmentsTable>

const QUESTIONNAIRE_COLUMNS = ['id', 'lineageId', 'editionId', 'number', 'title', 'content', 'state', 'version', 'createdBy', 'createdAt', 'updatedAt', 'publishedAt'] as const
const ASSESSMENT_COLUMNS = [
  'id',
  'questionnaireId',
  'lineageId',
  'editionId',
  'organizationId',
  'organizationName',
  'sizeClass',
  'region',
  'population',
  'state',
  'answers',
  'version',
  'startedBy',
  'startedAt',
  'updatedBy',
  'updatedByName',
  'updatedAt',
  'submittedBy',
  'submittedAt',
] as const

// ---- questionnaires ----

export async function insertQuestionnaire(
  db: Kysely<Database>,
  row: { id?: string; lineageId?: string; editionId: string; number: number; content: QuestionnaireContent; createdBy: string | null; now: Date },
): Promise<QuestionnaireRow> {
  const id = row.id ?? crypto.randomUUID()
  return db
    .insertInto('selfAssessmentQuestionnaires')
    .values({
      id,
      lineageId: row.lineageId ?? id,
      editionId: row.editionId,
      number: row.number,
      title: row.content.title,
      content: JSON.stringify(row.content),
      state: 'draft',
      createdBy: row.createdBy,
      createdAt: row.now,
      updatedAt: row.now,
    })
    .returning(QUESTIONNAIRE_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function findQuestionnaire(db: Kysely<Database>, id: string, options: { forUpdate?: boolean } = {}): Promise<QuestionnaireRow | undefined> {
  let query = db.selectFrom('selfAssessmentQuestionnaires').select(QUESTIONNAIRE_COLUMNS).where('id', '=', id)
  if (options.forUpdate) query = query.forUpdate()
  return query.executeTakeFirst()
}

export async function listQuestionnaires(db: Kysely<Database>, filter: { editionId?: string; states?: QuestionnaireState[] }): Promise<QuestionnaireRow[]> {
  let query = db.selectFrom('selfAssessmentQuestionnaires').select(QUESTIONNAIRE_COLUMNS)
  if (filter.editionId) query = query.where('editionId', '=', filter.editionId)
  if (filter.states) query = query.where('state', 'in', filter.states)
  return query.orderBy('createdAt', 'desc').orderBy('number', 'desc').execute()
}

/** Every version of one questionnaire, newest first, locked (publishing and new versions serialize here). */
export async function lockLineage(db: Kysely<Database>, lineageId: string): Promise<QuestionnaireRow[]> {
  return db.selectFrom('selfAssessmentQuestionnaires').select(QUESTIONNAIRE_COLUMNS).where('lineageId', '=', lineageId).orderBy('number', 'desc').forUpdate().execute()
}

export async function updateQuestionnaireContent(db: Kysely<Database>, id: string, content: QuestionnaireContent, now: Date): Promise<QuestionnaireRow> {
  return db
    .updateTable('selfAssessmentQuestionnaires')
    .set({ content: JSON.stringify(content), title: content.title, updatedAt: now, version: sql`version + 1` })
    .where('id', '=', id)
    .returning(QUESTIONNAIRE_COLUMNS)
    .executeTakeFirstOrThrow()
}

export async function setQuestionnaireState(db: Kysely<Database>, id: string, state: QuestionnaireState, now: Date): Promise<QuestionnaireRow> {
  return db
    .updateTable('selfAssessmentQuestionnaires')
    .set({ state, updatedAt: now, version: sql`version + 1`, ...(state === 'published' && { publishedAt: now }) })
    .where('id', '=', id)
    .returning(QUESTIONNAIRE_COLUMNS)
    .executeTakeFirstOrThrow()
}

/** How many assessments answer each of these versions. */
export async function countAssessments(db: Kysely<Database>, questionnaireIds: string[]): Promise<Map<string, number>> {
  if (questionnaireIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('selfAssessments')
    .select(['questionnaireId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('questionnaireId', 'in', questionnaireIds)
    .groupBy('questionnaireId')
    .execute()
  return new Map(rows.map((r) => [r.questionnaireId, Number(r.n)]))
}

// ---- assessments ----

/** Undefined when the organization already has one in progress for this questionnaire (any version). */
export async function insertAssessment(
  db: Kysely<Database>,
  row: {
    questionnaireId: string
    lineageId: string
    editionId: string
    organizationId: string
    organizationName: string
    sizeClass: SizeClass
    region: string | null
    population: number | null
    startedBy: string | null
    startedByName: string
    now: Date
  },
): Promise<AssessmentRow | undefined> {
  return db
    .insertInto('selfAssessments')
    .values({
      questionnaireId: row.questionnaireId,
      lineageId: row.lineageId,
      editionId: row.editionId,
      organizationId: row.organizationId,
      organizationName: row.organizationName,
      sizeClass: row.sizeClass,
      region: row.region,
      population: row.population,
      state: 'in_progress',
      answers: JSON.stringify({}),
      startedBy: row.startedBy,
      startedAt: row.now,
      updatedBy: row.startedBy,
      updatedByName: row.startedByName,
      updatedAt: row.now,
    })
    .onConflict((oc) => oc.columns(['organizationId', 'lineageId']).where('state', '=', 'in_progress').doNothing())
    .returning(ASSESSMENT_COLUMNS)
    .executeTakeFirst()
}

export async function findInProgress(db: Kysely<Database>, organizationId: string, lineageId: string): Promise<AssessmentRow | undefined> {
  return db
    .selectFrom('selfAssessments')
    .select(ASSESSMENT_COLUMNS)
    .where('organizationId', '=', organizationId)
    .where('lineageId', '=', lineageId)
    .where('state', '=', 'in_progress')
    .executeTakeFirst()
}

export async function findAssessment(db: Kysely<Database>, id: string, options: { forUpdate?: boolean } = {}): Promise<AssessmentRow | undefined> {
  let query = db.selectFrom('selfAssessments').select(ASSESSMENT_COLUMNS).where('id', '=', id)
  if (options.forUpdate) query = query.forUpdate()
  return query.executeTakeFirst()
}

export async function listAssessments(db: Kysely<Database>, filter: { organizationId?: string; editionId?: string }): Promise<AssessmentRow[]> {
  let query = db.selectFrom('selfAssessments').select(ASSESSMENT_COLUMNS)
  if (filter.organizationId) query = query.where('organizationId', '=', filter.organizationId)
  if (filter.editionId) query = query.where('editionId', '=', filter.editionId)
  return query.orderBy('startedAt', 'desc').limit(1000).execute()
}

/** The change lands only on the version it was made on: a concurrent save that got there first wins, this one gets nothing. */
export async function updateAssessment(
  db: Kysely<Database>,
  id: string,
  expectedVersion: number,
  changes: { answers?: AnswerMap; state?: 'submitted'; updatedBy: string | null; updatedByName: string; now: Date },
): Promise<AssessmentRow | undefined> {
  return db
    .updateTable('selfAssessments')
    .set({
      ...(changes.answers && { answers: JSON.stringify(changes.answers) }),
      ...(changes.state && { state: changes.state, submittedAt: changes.now, submittedBy: changes.updatedBy }),
      updatedBy: changes.updatedBy,
      updatedByName: changes.updatedByName,
      updatedAt: changes.now,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning(ASSESSMENT_COLUMNS)
    .executeTakeFirst()
}

/** The organization's submitted assessment of the same questionnaire before this one, if any. */
export async function previousSubmitted(db: Kysely<Database>, row: Pick<AssessmentRow, 'organizationId' | 'lineageId' | 'submittedAt' | 'id'>): Promise<AssessmentRow | undefined> {
  if (!row.submittedAt) return undefined
  return db
    .selectFrom('selfAssessments')
    .select(ASSESSMENT_COLUMNS)
    .where('organizationId', '=', row.organizationId)
    .where('lineageId', '=', row.lineageId)
    .where('state', '=', 'submitted')
    .where('id', '<>', row.id)
    .where('submittedAt', '<', row.submittedAt)
    .orderBy('submittedAt', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** The organizations that started or submitted an assessment of one of the edition's questionnaires. */
export async function organizationsThatAssessed(db: Kysely<Database>, editionId: string): Promise<string[]> {
  const rows = await db.selectFrom('selfAssessments').select('organizationId').distinct().where('editionId', '=', editionId).execute()
  return rows.map((r) => r.organizationId)
}

/** Per organization, how far it got in the edition: started anything, submitted anything. */
export async function participation(db: Kysely<Database>, editionId: string): Promise<{ started: number; submitted: number }> {
  const row = await db
    .selectFrom('selfAssessments')
    .select([
      sql<number>`count(distinct organization_id)`.as('started'),
      sql<number>`count(distinct organization_id) filter (where state = 'submitted')`.as('submitted'),
    ])
    .where('editionId', '=', editionId)
    .executeTakeFirstOrThrow()
  return { started: Number(row.started), submitted: Number(row.submitted) }
}

/** The latest submitted assessment of each organization in the edition, with the version it answered. */
export async function latestSubmitted(db: Kysely<Database>, editionId: string): Promise<Array<AssessmentRow & { content: QuestionnaireContent }>> {
  const rows = await db
    .selectFrom('selfAssessments as a')
    .innerJoin('selfAssessmentQuestionnaires as q', 'q.id', 'a.questionnaireId')
    .select(ASSESSMENT_COLUMNS.map((c) => `a.${c}` as const))
    .select('q.content')
    .where('a.editionId', '=', editionId)
    .where('a.state', '=', 'submitted')
    .orderBy('a.organizationId')
    .orderBy('a.submittedAt', 'desc')
    .execute()
  const seen = new Set<string>()
  return rows.filter((r) => (seen.has(r.organizationId) ? false : (seen.add(r.organizationId), true)))
}
