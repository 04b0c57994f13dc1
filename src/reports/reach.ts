import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import * as repo from './repository.js'

/** How the edition report defines "reached", in the words the report shows. */
export const REACH_DEFINITION = 'Enti che hanno inviato almeno una domanda in una giornata dell’edizione (giornate di prova escluse).'

/**
 * The organizations an edition reached: today, those that asked at least once on one of its
 * (non-rehearsal) forum days.
 *
 * The seam for the self-assessment: when that module lands, add here the organizations that
 * filled in the edition's self-assessment (through that module's service, not its tables), union
 * them with these, and update REACH_DEFINITION. Every figure of the edition report (totals, by
 * region, province and band, the map) counts from this set, so nothing else changes.
 */
export async function organizationsReached(db: Kysely<Database>, forumDayIds: string[]): Promise<Set<string>> {
  return new Set(await repo.organizationsThatAsked(db, forumDayIds))
}
