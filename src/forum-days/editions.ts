import type { Kysely } from 'kysely'
import type { z } from 'zod'
import type { Actor } from '../accounts/actor.js'
import { requireUser } from '../accounts/policy.js'
import type { Database } from '../db/database.js'
import { DomainError } from '../shared/errors.js'
import { checkVersion } from '../shared/versions.js'
import type { ForumDaysContext } from './context.js'
import * as repo from './repository.js'
import type { EditionRow } from './repository.js'
import { checkUniqueThemes } from './rules.js'
import type { EditionDto, EditionPatch, NewEdition } from './schemas.js'

/** Programme editions: their themes, eligibility rule, registry date and enrolled organizations. */
export function editionUseCases(ctx: ForumDaysContext) {
  const { db, clock, organizations, requireModerator, editionDto, loadEdition, listChanged, themesCache } = ctx

  return {
    async listEditions(actor: Actor): Promise<EditionDto[]> {
      requireUser(actor)
      const rows = await repo.listEditions(db)
      return Promise.all(rows.map((r) => editionDto(db, r)))
    },

    /**
     * The one theme vocabulary of questions and FAQs: every edition's themes, newest edition
     * first (its label wins when two editions share a code).
     */
    async themeVocabulary(options: { trx?: Kysely<Database> } = {}): Promise<Array<{ code: string; label: string }>> {
      const read = async (reader: Kysely<Database>) => {
        const vocabulary = new Map<string, string>()
        for (const edition of await repo.listEditions(reader)) {
          for (const theme of edition.themes) if (!vocabulary.has(theme.code)) vocabulary.set(theme.code, theme.label)
        }
        return [...vocabulary].map(([code, label]) => ({ code, label })).sort((a, b) => a.label.localeCompare(b.label, 'it'))
      }
      // Inside a caller's transaction, what it sees; otherwise the cached vocabulary (every search asks).
      return options.trx ? read(options.trx) : themesCache.get('all', () => read(db))
    },

    async getEdition(actor: Actor, id: string): Promise<EditionDto> {
      requireUser(actor)
      return editionDto(db, await loadEdition(db, id))
    },

    async createEdition(actor: Actor, input: z.infer<typeof NewEdition>): Promise<EditionDto> {
      const moderator = requireModerator(actor)
      checkUniqueThemes(input.themes)
      return db.transaction().execute(async (trx) => {
        const row = await repo.insertEdition(trx, { ...input, createdBy: moderator.userId, now: clock.now() })
        listChanged(trx) // new themes
        return editionDto(trx, row)
      })
    },

    async updateEdition(actor: Actor, id: string, input: z.infer<typeof EditionPatch>, expectedVersion?: number): Promise<EditionDto> {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const current = await loadEdition(trx, id)
        checkVersion(current.version, expectedVersion)
        if (input.themes) {
          const codes = checkUniqueThemes(input.themes)
          const days = await repo.listForumDays(trx, { editionId: id, includeRehearsals: true })
          const used = [...new Set(days.flatMap((d) => d.themes))].filter((c) => !codes.has(c))
          if (used.length > 0) throw new DomainError('THEME_IN_USE', 409, `Themes used by forum days cannot be removed: ${used.join(', ')}`, { used })
        }
        const row = await repo.updateEdition(trx, id, input, clock.now())
        listChanged(trx) // edition names and theme labels
        if (input.eligibility || input.registryDate) await repo.forgetDecisions(trx, id)
        return editionDto(trx, row as EditionRow)
      })
    },

    async setEnrollment(actor: Actor, editionId: string, organizationId: string, enrolled: boolean): Promise<EditionDto> {
      const moderator = requireModerator(actor)
      if (enrolled) await organizations.getOrganization(organizationId) // 404 ORGANIZATION_NOT_FOUND
      return db.transaction().execute(async (trx) => {
        const edition = await loadEdition(trx, editionId)
        if (enrolled) {
          await repo.enroll(trx, editionId, organizationId, moderator.userId, clock.now())
        } else {
          await repo.unenroll(trx, editionId, organizationId)
        }
        await repo.forgetDecisions(trx, editionId, organizationId)
        return editionDto(trx, edition)
      })
    },
  }
}
