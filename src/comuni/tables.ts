import type { Generated } from 'kysely'

export interface OrganizationsTable {
  id: Generated<string>
  kind: 'comune' | 'unione'
  name: string
  /** Six digits; null for an Unione. */
  istatCode: string | null
  /** Province code (e.g. "TO"); null for an Unione. */
  province: string | null
  /** Null for an Unione: its region is its members'. */
  region: string | null
  /** Resident population; null when not known yet (imported without a population file). */
  population: number | null
  populationUpdatedAt: Date | null
  createdAt: Generated<Date>
  updatedAt: Generated<Date>
}

export interface OrganizationMembersTable {
  unioneId: string
  comuneId: string
}
