import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import * as repo from './repository.js'

/** How the edition report defines "reached", in the words the report shows. */
export const REACH_DEFINITION =
  'Enti che hanno inviato almeno una domanda in una giornata dell’edizione (giornate di prova escluse) o hanno compilato, anche solo in parte, l’autodiagnosi dell’edizione.'

/** What the reach needs from the self-assessment module, read in the report's transaction. */
export interface SelfAssessmentReach {
  organizationsAssessed(trx: Kysely<Database>, editionId: string): Promise<string[]>
}

/**
 * The organizations an edition reached: those that asked at least once on one of its counted
 * (non-rehearsal, non-cancelled) forum days, and those that started or submitted an assessment
 * of one of its self-assessment questionnaires (read through that module's service, in the
 * caller's transaction). Every figure of the edition report (totals, by region, province and
 * band, the map) counts from this set, so nothing else changes when the definition does.
 */
export async function organizationsReached(
  trx: Kysely<Database>,
  selfAssessment: SelfAssessmentReach,
  edition: { id: string; countedDayIds: string[] },
): Promise<Set<string>> {
  const [asked, assessed] = await Promise.all([repo.organizationsThatAsked(trx, edition.countedDayIds), selfAssessment.organizationsAssessed(trx, edition.id)])
  return new Set([...asked, ...assessed])
}
