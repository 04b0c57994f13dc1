import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database } from '../db/database.js'
import type { OrganizationsTable } from './tables.js'

const ORG_COLUMNS = ['id', 'kind', 'name', 'istatCode', 'province', 'region', 'population', 'populationUpdatedAt'] as const
export type OrganizationRow = Pick<Selectable<OrganizationsTable>, (typeof ORG_COLUMNS)[number]>
export interface MemberRow {
  unioneId: string
  id: string
  name: string
  istatCode: string | null
  province: string | null
  region: string | null
  population: number | null
}


/** An organization's region, an Unione's being its members' (they share one: resolveMembers checks it). */
const organizationRegion = sql<string | null>`coalesce(o.region, (select min(c.region) from organization_members m join organizations c on c.id = m.comune_id where m.unione_id = o.id))`

/** Accent- and case-insensitive form used by the prefix index. */
const folded = (value: string) => sql<string>`lower(f_unaccent(${value}))`
/** LIKE metacharacters in user input are matched literally. */
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`)

export const comuniRepository = (db: Kysely<Database>) => ({
  async findById(id: string): Promise<OrganizationRow | undefined> {
    return db.selectFrom('organizations').select(ORG_COLUMNS).where('id', '=', id).executeTakeFirst()
  },

  async findByIds(ids: string[]): Promise<OrganizationRow[]> {
    if (ids.length === 0) return []
    return db.selectFrom('organizations').select(ORG_COLUMNS).where('id', 'in', ids).execute()
  },

  /** Every comune and Unione (the registry is ~8,000 rows). */
  async findAll(): Promise<OrganizationRow[]> {
    return db.selectFrom('organizations').select(ORG_COLUMNS).orderBy('name').execute()
  },

  async findByIstatCode(istatCode: string): Promise<OrganizationRow | undefined> {
    return db.selectFrom('organizations').select(ORG_COLUMNS).where('istatCode', '=', istatCode).executeTakeFirst()
  },

  async findByIstatCodes(codes: string[]): Promise<OrganizationRow[]> {
    if (codes.length === 0) return []
    return db.selectFrom('organizations').select(ORG_COLUMNS).where('istatCode', 'in', codes).execute()
  },

  async searchByPrefix(kind: 'comune' | 'unione', prefix: string, limit: number): Promise<OrganizationRow[]> {
    return db
      .selectFrom('organizations')
      .select(ORG_COLUMNS)
      .where('kind', '=', kind)
      .where(sql<string>`lower(f_unaccent(name))`, 'like', sql<string>`${folded(escapeLike(prefix))} || '%'`)
      .orderBy(sql`lower(f_unaccent(name))`)
      .orderBy('istatCode')
      .limit(limit)
      .execute()
  },

  async listUnioni(limit: number): Promise<OrganizationRow[]> {
    return db.selectFrom('organizations').select(ORG_COLUMNS).where('kind', '=', 'unione').orderBy('name').limit(limit).execute()
  },

  async membersOf(unioneIds: string[]): Promise<MemberRow[]> {
    if (unioneIds.length === 0) return []
    return db
      .selectFrom('organizationMembers as m')
      .innerJoin('organizations as o', 'o.id', 'm.comuneId')
      .select(['m.unioneId', 'o.id', 'o.name', 'o.istatCode', 'o.province', 'o.region', 'o.population'])
      .where('m.unioneId', 'in', unioneIds)
      .orderBy('o.name')
      .execute()
  },

  /** The organizations in a region, an Unione counting in its member comuni's. */
  async idsInRegion(region: string): Promise<string[]> {
    const rows = await db.selectFrom('organizations as o').select('o.id').where(organizationRegion, '=', region).execute()
    return rows.map((r) => r.id)
  },

  /** The Unione each comune belongs to, if any. */
  async unioniOf(comuneIds: string[]): Promise<{ comuneId: string; unioneId: string }[]> {
    if (comuneIds.length === 0) return []
    return db.selectFrom('organizationMembers').select(['comuneId', 'unioneId']).where('comuneId', 'in', comuneIds).execute()
  },

  async insertUnione(name: string, now: Date): Promise<string> {
    const row = await db
      .insertInto('organizations')
      .values({ kind: 'unione', name, createdAt: now, updatedAt: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return row.id
  },

  async renameUnione(id: string, name: string, now: Date): Promise<void> {
    await db.updateTable('organizations').set({ name, updatedAt: now }).where('id', '=', id).execute()
  },

  async replaceMembers(unioneId: string, comuneIds: string[]): Promise<void> {
    await db.deleteFrom('organizationMembers').where('unioneId', '=', unioneId).execute()
    if (comuneIds.length > 0) {
      await db
        .insertInto('organizationMembers')
        .values(comuneIds.map((comuneId) => ({ unioneId, comuneId })))
        .execute()
    }
  },

  /**
   * Inserts or updates comuni by ISTAT code in one statement. A null population keeps the stored
   * one, so re-importing without a population file never erases populations.
   */
  async upsertComuni(
    rows: { istatCode: string; name: string; province: string | null; region: string; population: number | null }[],
    now: Date,
  ): Promise<{ inserted: number; updated: number }> {
    if (rows.length === 0) return { inserted: 0, updated: 0 }
    const result = await db
      .insertInto('organizations')
      .values(
        rows.map((r) => ({
          kind: 'comune' as const,
          istatCode: r.istatCode,
          name: r.name,
          province: r.province,
          region: r.region,
          population: r.population,
          populationUpdatedAt: r.population === null ? null : now,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('istatCode')
          .doUpdateSet({
            name: (eb) => eb.ref('excluded.name'),
            province: (eb) => eb.ref('excluded.province'),
            region: (eb) => eb.ref('excluded.region'),
            population: sql`coalesce(excluded.population, organizations.population)`,
            populationUpdatedAt: sql`case
              when excluded.population is not null and excluded.population is distinct from organizations.population then excluded.population_updated_at
              else organizations.population_updated_at end`,
            updatedAt: (eb) => eb.ref('excluded.updatedAt'),
          })
          // Unchanged rows are left alone, so a re-run reports what really changed.
          .where(
            sql<boolean>`(organizations.name, organizations.province, organizations.region, coalesce(excluded.population, organizations.population))
              is distinct from (excluded.name, excluded.province, excluded.region, organizations.population)`,
          ),
      )
      // xmax = 0 only for freshly inserted rows.
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute()
    const inserted = result.filter((r) => r.inserted).length
    return { inserted, updated: result.length - inserted }
  },

  async countComuni(): Promise<number> {
    const row = await db
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'comune')
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  /** Region and population of every comune (for descriptions that must not single one out). */
  async comuniProfile(): Promise<Array<{ region: string; population: number | null }>> {
    return db
      .selectFrom('organizations')
      .select(['region', 'population'])
      .where('kind', '=', 'comune')
      .where('region', 'is not', null)
      .$narrowType<{ region: string }>()
      .execute()
  },
})
