import type { Kysely } from 'kysely'
import type { Actor } from '../accounts/actor.js'
import { isModerator, requireUser } from '../accounts/policy.js'
import type { Database } from '../db/database.js'
import { forbidden } from '../shared/errors.js'
import type { ForumDaysContext } from './context.js'
import type { OrganizationProfile } from './eligibility.js'
import type { EditionRow } from './repository.js'

/** Who may ask on an edition's days: the stored decision per organization (the rule is in eligibility.ts). */
export function eligibilityUseCases(ctx: ForumDaysContext) {
  const { db, organizations, loadEdition, decide } = ctx

  return {
    /** Moderators see any organization's decision; staff only their own. */
    async eligibility(actor: Actor, editionId: string, organizationId: string) {
      const user = requireUser(actor)
      if (!isModerator(user) && user.organizationId !== organizationId) {
        throw forbidden("Only moderators and the organization's own staff see its eligibility", 'NOT_YOUR_ORGANIZATION')
      }
      const organization = await organizations.getOrganization(organizationId)
      return db.transaction().execute(async (trx) => {
        const d = await decide(trx, await loadEdition(trx, editionId), organization)
        return { ...d, decidedAt: d.decidedAt.toISOString() }
      })
    },

    /** Of these organizations, those that may ask on the edition's days (decided by its rule and stored). */
    async eligibleAmong(editionId: string, organizationIds: string[]): Promise<string[]> {
      const edition = await loadEdition(db, editionId)
      const eligible: string[] = []
      for (const organizationId of organizationIds) {
        const profile = await organizations.getOrganization(organizationId)
        const decision = await db.transaction().execute((trx) => decide(trx, edition, profile))
        if (decision.eligible) eligible.push(organizationId)
      }
      return eligible
    },

    // ---- for the questions module ----
    /** Call before opening the transaction that decides eligibility. */
    async organizationProfile(organizationId: string): Promise<OrganizationProfile> {
      return organizations.getOrganization(organizationId)
    },

    async decideEligibility(trx: Kysely<Database>, edition: EditionRow, organization: OrganizationProfile) {
      return decide(trx, edition, organization)
    },
  }
}
