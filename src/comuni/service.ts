import type { Kysely } from 'kysely'
import type { Actor } from '../accounts/actor.js'
import { requireModerator } from '../accounts/policy.js'
import { auditLog } from '../audit/service.js'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import { DomainError, notFound } from '../shared/errors.js'
import { comuniRepository, type MemberRow, type OrganizationRow } from './repository.js'
import type { OrganizationDto } from './schemas.js'

export interface ComuneImportRow {
  istatCode: string
  name: string
  province: string | null
  region: string
  population: number | null
}

const unknownIstat = (codes: string[]) =>
  new DomainError('UNKNOWN_ISTAT_CODE', 422, `Unknown ISTAT code${codes.length > 1 ? 's' : ''}: ${codes.join(', ')}`, { istatCodes: codes })

/** Managing Unioni is the secretariat's job (and the admins'). */
const assertCanManageUnioni = (actor: Actor) => requireModerator(actor, 'Only moderators and admins manage Unioni di Comuni')

export function createComuniService(deps: { db: Kysely<Database>; clock: Clock }) {
  const { db, clock } = deps

  async function toDtos(trx: Kysely<Database>, rows: OrganizationRow[]): Promise<OrganizationDto[]> {
    const repo = comuniRepository(trx)
    const unioneIds = rows.filter((r) => r.kind === 'unione').map((r) => r.id)
    const comuneIds = rows.filter((r) => r.kind === 'comune').map((r) => r.id)
    const [members, memberships] = await Promise.all([repo.membersOf(unioneIds), repo.unioniOf(comuneIds)])
    const parents = await repo.findByIds([...new Set(memberships.map((m) => m.unioneId))])
    const parentName = new Map(parents.map((p) => [p.id, p.name]))
    const unioneOf = new Map(memberships.map((m) => [m.comuneId, m.unioneId]))
    const membersBy = new Map<string, MemberRow[]>()
    for (const m of members) membersBy.set(m.unioneId, [...(membersBy.get(m.unioneId) ?? []), m])
    return rows.map((row) => {
      if (row.kind === 'comune') {
        const unioneId = unioneOf.get(row.id)
        return {
          id: row.id,
          kind: 'comune',
          name: row.name,
          istatCode: row.istatCode,
          province: row.province,
          region: row.region,
          population: row.population,
          populationUpdatedAt: row.populationUpdatedAt?.toISOString() ?? null,
          members: [],
          unione: unioneId ? { id: unioneId, name: parentName.get(unioneId) ?? '' } : null,
        }
      }
      const list = membersBy.get(row.id) ?? []
      const known = list.every((m) => m.population !== null)
      return {
        id: row.id,
        kind: 'unione',
        name: row.name,
        istatCode: null,
        province: null,
        region: list[0]?.region ?? null,
        population: list.length > 0 && known ? list.reduce((sum, m) => sum + (m.population ?? 0), 0) : null,
        populationUpdatedAt: null,
        members: list.map((m) => ({
          id: m.id,
          name: m.name,
          istatCode: m.istatCode,
          province: m.province,
          population: m.population,
          region: m.region,
        })),
        unione: null,
      }
    })
  }

  /** Member comuni by ISTAT code: all must exist, be comuni, share one region and have no other Unione. */
  async function resolveMembers(trx: Kysely<Database>, codes: string[], unioneId: string | null): Promise<OrganizationRow[]> {
    const unique = [...new Set(codes)]
    const repo = comuniRepository(trx)
    const found = await repo.findByIstatCodes(unique)
    const missing = unique.filter((code) => !found.some((f) => f.istatCode === code))
    if (missing.length > 0) throw unknownIstat(missing)
    if (unique.length < 2) throw new DomainError('UNIONE_TOO_SMALL', 422, 'An Unione di Comuni has at least two member comuni')
    const regions = new Set(found.map((f) => f.region))
    if (regions.size > 1) {
      throw new DomainError('UNIONE_REGIONS_DIFFER', 422, `Member comuni must be in one region (got ${[...regions].join(', ')})`)
    }
    const taken = (await repo.unioniOf(found.map((f) => f.id))).filter((m) => m.unioneId !== unioneId)
    if (taken.length > 0) {
      const names = found.filter((f) => taken.some((t) => t.comuneId === f.id)).map((f) => f.name)
      throw new DomainError('COMUNE_ALREADY_IN_UNIONE', 409, `Already member of another Unione: ${names.join(', ')}`)
    }
    return found
  }

  return {
    /** An organization with its members (Unione) or its Unione (comune); 404 ORGANIZATION_NOT_FOUND. */
    async getOrganization(id: string): Promise<OrganizationDto> {
      const row = await comuniRepository(db).findById(id)
      if (!row) throw notFound('Organization', 'ORGANIZATION_NOT_FOUND')
      const [dto] = await toDtos(db, [row])
      return dto as OrganizationDto
    },

    /** Several organizations at once, in no particular order; unknown ids are left out. */
    async getOrganizations(ids: string[]): Promise<OrganizationDto[]> {
      return toDtos(db, await comuniRepository(db).findByIds([...new Set(ids)]))
    },

    /** The ids of the organizations in a region, an Unione counting in its member comuni's; none for an unknown region. */
    async organizationIdsInRegion(region: string): Promise<string[]> {
      return comuniRepository(db).idsInRegion(region)
    },

    async getComune(istatCode: string): Promise<OrganizationDto> {
      const row = await comuniRepository(db).findByIstatCode(istatCode)
      if (!row) throw new DomainError('UNKNOWN_ISTAT_CODE', 404, `No comune with ISTAT code ${istatCode}`)
      const [dto] = await toDtos(db, [row])
      return dto as OrganizationDto
    },

    async searchComuni(prefix: string, limit: number): Promise<OrganizationDto[]> {
      return toDtos(db, await comuniRepository(db).searchByPrefix('comune', prefix, limit))
    },

    async listUnioni(prefix: string | undefined, limit: number): Promise<OrganizationDto[]> {
      const repo = comuniRepository(db)
      return toDtos(db, prefix ? await repo.searchByPrefix('unione', prefix, limit) : await repo.listUnioni(limit))
    },

    async createUnione(actor: Actor, input: { name: string; memberIstatCodes: string[] }, ip: string | null = null): Promise<OrganizationDto> {
      assertCanManageUnioni(actor)
      return db.transaction().execute(async (trx) => {
        const members = await resolveMembers(trx, input.memberIstatCodes, null)
        const repo = comuniRepository(trx)
        const id = await repo.insertUnione(input.name, clock.now())
        await repo.replaceMembers(id, members.map((m) => m.id))
        await auditLog(trx, clock).record({ action: 'unione.created', actor, ip, details: { unioneId: id, name: input.name } })
        const [dto] = await toDtos(trx, [(await repo.findById(id)) as OrganizationRow])
        return dto as OrganizationDto
      })
    },

    async updateUnione(
      actor: Actor,
      id: string,
      input: { name?: string; memberIstatCodes?: string[] },
      ip: string | null = null,
    ): Promise<OrganizationDto> {
      assertCanManageUnioni(actor)
      return db.transaction().execute(async (trx) => {
        const repo = comuniRepository(trx)
        const row = await repo.findById(id)
        if (!row || row.kind !== 'unione') throw notFound('Unione', 'ORGANIZATION_NOT_FOUND')
        if (input.name !== undefined) await repo.renameUnione(id, input.name, clock.now())
        if (input.memberIstatCodes !== undefined) {
          const members = await resolveMembers(trx, input.memberIstatCodes, id)
          await repo.replaceMembers(id, members.map((m) => m.id))
        }
        await auditLog(trx, clock).record({ action: 'unione.updated', actor, ip, details: { unioneId: id, ...input } })
        const [dto] = await toDtos(trx, [(await repo.findById(id)) as OrganizationRow])
        return dto as OrganizationDto
      })
    },

    /** Idempotent upsert by ISTAT code, in one transaction per batch (used by scripts/import-comuni). */
    async upsertComuni(rows: ComuneImportRow[]): Promise<{ inserted: number; updated: number }> {
      return db.transaction().execute((trx) => comuniRepository(trx).upsertComuni(rows, clock.now()))
    },

    async countComuni(): Promise<number> {
      return comuniRepository(db).countComuni()
    },

    async comuniProfile(): Promise<Array<{ region: string; population: number | null }>> {
      return comuniRepository(db).comuniProfile()
    },

    /** Every organization as eligibility sees it (an Unione with its members' region and population): who could take part in an edition. */
    async allProfiles(): Promise<Array<Pick<OrganizationDto, 'id' | 'kind' | 'name' | 'region' | 'population'>>> {
      return (await toDtos(db, await comuniRepository(db).findAll())).map(({ id, kind, name, region, population }) => ({ id, kind, name, region, population }))
    },
  }
}

export type ComuniService = ReturnType<typeof createComuniService>
