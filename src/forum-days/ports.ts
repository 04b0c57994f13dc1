import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'
import type { OrganizationProfile } from './eligibility.js'

// ---- what this module needs from others (wired in app.ts) ----

/** What this module needs from the comuni module (its service fits). */
export interface OrganizationDirectory {
  getOrganization(id: string): Promise<OrganizationProfile>
}

export interface ForumDaysDeps {
  db: Kysely<Database>
  clock: Clock
  organizations: OrganizationDirectory
}
