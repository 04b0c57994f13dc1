import type { Kysely } from 'kysely'
import { isUser, type Actor } from '../accounts/actor.js'
import { requireModerator as requireModeratorRole } from '../accounts/policy.js'
import { afterCommit, type Database } from '../db/database.js'
import { appendEvent, channel } from '../events/event-log.js'
import { notFound } from '../shared/errors.js'
import { createTtlCache } from '../shared/ttl-cache.js'
import { judgeEligibility, type EligibilityVerdict, type OrganizationProfile } from './eligibility.js'
import type { DayCounts, ForumDaysDeps } from './ports.js'
import * as repo from './repository.js'
import type { DayListRow, EditionRow, ForumDayRow } from './repository.js'
import { toRomeLocal } from './rome-time.js'
import { dayAudience, dayState, windowOf } from './rules.js'
import type { EditionDto, ForumDayDto } from './schemas.js'

/**
 * The forum-day list at a peak: in the minutes a day opens, thousands of clerks load it at once,
 * and each read would cost the same queries for the same answer. What the list is made of (days,
 * edition names, counters) and the theme vocabulary are kept for at most this long, and
 * forgotten at once, and again after the commit, when this instance changes a day, an edition or
 * a day's counters (`listChanged`); another instance's changes show within this time. The cache
 * holds rows, not answers: each read computes the days' states from the clock, so a day opens
 * and closes on time whatever the cache holds.
 */
export const LIST_CACHE_MS = 1_000

/** One answer of the list (reading.ts), shared by the reads that ask it while it holds; never changed once made. */
export interface ListAnswer {
  readonly days: readonly ForumDayDto[]
  json?: string
}

/** What the use cases share: the ports, the DTOs, loading with its 404s, the change event and the eligibility decision. */
export function createForumDaysContext(deps: ForumDaysDeps) {
  const { clock, questions } = deps

  // `answers`: what the list answered from these rows, by state filter and the days' states (reading.ts).
  const listCache = createTtlCache<{ days: DayListRow[]; counts: Map<string, DayCounts>; answers: Map<string, ListAnswer> }>(LIST_CACHE_MS)
  const themesCache = createTtlCache<Array<{ code: string; label: string }>>(LIST_CACHE_MS, { maxKeys: 1 })
  const forget = () => {
    listCache.forget()
    themesCache.forget()
  }
  /** A day, an edition or a day's counters changed in `trx`: the cached list goes, now and after the commit. */
  const listChanged = (trx: Kysely<Database>) => {
    forget()
    afterCommit(trx, forget)
  }

  const requireModerator = (actor: Actor) => requireModeratorRole(actor, 'Only moderators manage editions and forum days')

  async function editionDto(trx: Kysely<Database>, row: EditionRow): Promise<EditionDto> {
    return {
      id: row.id,
      programme: row.programme,
      name: row.name,
      themes: row.themes,
      eligibility: row.eligibility,
      registryDate: row.registryDate,
      enrolledOrganizationIds: await repo.enrolledIds(trx, row.id),
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }
  }

  function dayDto(day: ForumDayRow, edition: Pick<EditionRow, 'name' | 'themes'>, counts: DayCounts | undefined, now: Date): ForumDayDto {
    const labels = new Map(edition.themes.map((t) => [t.code, t.label]))
    return {
      id: day.id,
      editionId: day.editionId,
      editionName: edition.name,
      title: day.title,
      themes: day.themes.map((code) => ({ code, label: labels.get(code) ?? code })),
      opensAt: day.opensAt.toISOString(),
      closesAt: day.closesAt.toISOString(),
      answerDeadline: day.answerDeadline.toISOString(),
      local: {
        opensAt: toRomeLocal(day.opensAt),
        closesAt: toRomeLocal(day.closesAt),
        answerDeadline: toRomeLocal(day.answerDeadline),
        timeZone: 'Europe/Rome',
      },
      state: dayState(day, now),
      rehearsal: day.rehearsal,
      maxOpenQuestionsPerOrganization: day.maxOpenQuestionsPerOrganization,
      cancelledAt: day.cancelledAt?.toISOString() ?? null,
      cancelReason: day.cancelReason,
      counts: counts ?? { questions: 0, answered: 0, open: 0 },
      version: day.version,
    }
  }

  async function loadEdition(trx: Kysely<Database>, id: string): Promise<EditionRow> {
    const edition = await repo.findEdition(trx, id)
    if (!edition) throw notFound('Programme edition', 'EDITION_NOT_FOUND')
    return edition
  }

  async function loadDay(trx: Kysely<Database>, id: string, actor: Actor, forUpdate = false): Promise<ForumDayRow> {
    const day = await repo.findForumDay(trx, id, { forUpdate })
    // Rehearsals are invisible to anonymous visitors.
    if (!day || (day.rehearsal && !isUser(actor))) throw notFound('Forum day', 'FORUM_DAY_NOT_FOUND')
    return day
  }

  async function toDayDto(trx: Kysely<Database>, day: ForumDayRow): Promise<ForumDayDto> {
    const [edition, counts] = await Promise.all([loadEdition(trx, day.editionId), questions.countsByDay(trx, [day.id])])
    return dayDto(day, edition, counts.get(day.id), clock.now())
  }

  async function announceChange(trx: Kysely<Database>, day: ForumDayRow, change: string): Promise<void> {
    listChanged(trx)
    const now = clock.now()
    await appendEvent(trx, {
      type: 'forum_day.changed',
      payload: {
        forumDayId: day.id,
        change,
        title: day.title,
        state: dayState(day, now),
        ...windowOf(day),
        answerDeadline: day.answerDeadline.toISOString(),
        rehearsal: day.rehearsal,
        version: day.version,
        at: now.toISOString(),
      },
      channels: [channel.forumDay(day.id)],
      audience: dayAudience(day),
    })
  }

  /** The decision for one organization in one edition, made once and stored with its reason. */
  // The organization is read before the transaction: the directory uses its own connection.
  async function decide(trx: Kysely<Database>, edition: EditionRow, organization: OrganizationProfile) {
    const organizationId = organization.id
    const stored = await repo.findDecision(trx, edition.id, organizationId)
    if (stored && stored.registryDate === edition.registryDate) return stored
    const verdict: EligibilityVerdict = judgeEligibility(edition.eligibility, organization, await repo.isEnrolled(trx, edition.id, organizationId))
    const decision = { editionId: edition.id, organizationId, ...verdict, registryDate: edition.registryDate, decidedAt: clock.now() }
    await repo.storeDecision(trx, decision)
    return decision
  }

  return { ...deps, deps, listCache, themesCache, listChanged, requireModerator, editionDto, dayDto, loadEdition, loadDay, toDayDto, announceChange, decide }
}

export type ForumDaysContext = ReturnType<typeof createForumDaysContext>
