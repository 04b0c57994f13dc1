import type { Kysely } from 'kysely'
import { isUser, type Actor } from '../accounts/actor.js'
import { isModerator, requireModerator as requireModeratorRole, requireUser } from '../accounts/policy.js'
import type { Database } from '../db/database.js'
import { appendEvent, channel, type Audience } from '../events/event-log.js'
import type { Clock } from '../shared/clock.js'
import { DomainError, forbidden, notFound } from '../shared/errors.js'
import { checkVersion } from '../shared/versions.js'
import { judgeEligibility, type EligibilityVerdict, type OrganizationProfile } from './eligibility.js'
import * as repo from './repository.js'
import type { DayCounts, EditionRow, ForumDayRow } from './repository.js'
import { fromRomeLocal, toRomeLocal } from './rome-time.js'
import type { EditionDto, ForumDayDto, NewEdition, NewForumDay, ForumDayPatch, EditionPatch } from './schemas.js'
import type { z } from 'zod'

/** What this module needs from the comuni module (its service fits). */
export interface OrganizationDirectory {
  getOrganization(id: string): Promise<OrganizationProfile>
}

export interface ForumDaysDeps {
  db: Kysely<Database>
  clock: Clock
  organizations: OrganizationDirectory
}

export type ForumDayState = ForumDayDto['state']

/** Open from `opensAt` (inclusive) to `closesAt` (exclusive), by the server clock. */
export function dayState(day: Pick<ForumDayRow, 'opensAt' | 'closesAt' | 'cancelledAt'>, now: Date): ForumDayState {
  if (day.cancelledAt) return 'cancelled'
  if (now < day.opensAt) return 'upcoming'
  if (now < day.closesAt) return 'open'
  return 'closed'
}

export const windowOf = (day: Pick<ForumDayRow, 'opensAt' | 'closesAt'>) => ({
  opensAt: day.opensAt.toISOString(),
  closesAt: day.closesAt.toISOString(),
  opensAtLocal: toRomeLocal(day.opensAt),
  closesAtLocal: toRomeLocal(day.closesAt),
})

const requireModerator = (actor: Actor) => requireModeratorRole(actor, 'Only moderators manage editions and forum days')

function parseInstant(value: string, field: string): Date {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(value)
  const instant = hasOffset ? new Date(value) : fromRomeLocal(value)
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new DomainError('NONEXISTENT_LOCAL_TIME', 422, `${field}: ${value} does not exist in Europe/Rome (skipped by the change to summer time)`, { field })
  }
  return instant
}

function checkWindow(opensAt: Date, closesAt: Date, answerDeadline: Date): void {
  if (!(opensAt < closesAt)) throw new DomainError('INVALID_WINDOW', 422, 'The forum day must open before it closes', { field: 'closesAt' })
  if (answerDeadline < closesAt) {
    throw new DomainError('INVALID_WINDOW', 422, 'The answer deadline cannot come before the closing', { field: 'answerDeadline' })
  }
}

function checkThemes(edition: EditionRow, themes: string[]): void {
  const known = new Set(edition.themes.map((t) => t.code))
  const unknown = themes.filter((t) => !known.has(t))
  if (unknown.length > 0) {
    throw new DomainError('UNKNOWN_THEME', 422, `Not themes of ${edition.name}: ${unknown.join(', ')}`, { unknown, themes: [...known] })
  }
}

/** Rehearsals are not announced to the public. */
const dayAudience = (day: Pick<ForumDayRow, 'rehearsal'>): Audience[] => (day.rehearsal ? [{ kind: 'experts' }] : [{ kind: 'public' }])

export function createForumDaysService({ db, clock, organizations }: ForumDaysDeps) {
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
    const [edition, counts] = await Promise.all([loadEdition(trx, day.editionId), repo.countsByDay(trx, [day.id])])
    return dayDto(day, edition, counts.get(day.id), clock.now())
  }

  async function announceChange(trx: Kysely<Database>, day: ForumDayRow, change: string): Promise<void> {
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

  return {
    // ---- editions ----
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
      const vocabulary = new Map<string, string>()
      for (const edition of await repo.listEditions(options.trx ?? db)) {
        for (const theme of edition.themes) if (!vocabulary.has(theme.code)) vocabulary.set(theme.code, theme.label)
      }
      return [...vocabulary].map(([code, label]) => ({ code, label })).sort((a, b) => a.label.localeCompare(b.label, 'it'))
    },

    async getEdition(actor: Actor, id: string): Promise<EditionDto> {
      requireUser(actor)
      return editionDto(db, await loadEdition(db, id))
    },

    async createEdition(actor: Actor, input: z.infer<typeof NewEdition>): Promise<EditionDto> {
      const moderator = requireModerator(actor)
      const codes = input.themes.map((t) => t.code)
      if (new Set(codes).size !== codes.length) throw new DomainError('DUPLICATE_THEME', 422, 'Theme codes must be unique')
      return db.transaction().execute(async (trx) => {
        const row = await repo.insertEdition(trx, { ...input, createdBy: moderator.userId, now: clock.now() })
        return editionDto(trx, row)
      })
    },

    async updateEdition(actor: Actor, id: string, input: z.infer<typeof EditionPatch>, expectedVersion?: number): Promise<EditionDto> {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const current = await loadEdition(trx, id)
        checkVersion(current.version, expectedVersion)
        if (input.themes) {
          const codes = new Set(input.themes.map((t) => t.code))
          if (codes.size !== input.themes.length) throw new DomainError('DUPLICATE_THEME', 422, 'Theme codes must be unique')
          const days = await repo.listForumDays(trx, { editionId: id, includeRehearsals: true })
          const used = [...new Set(days.flatMap((d) => d.themes))].filter((c) => !codes.has(c))
          if (used.length > 0) throw new DomainError('THEME_IN_USE', 409, `Themes used by forum days cannot be removed: ${used.join(', ')}`, { used })
        }
        const row = await repo.updateEdition(trx, id, input, clock.now())
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

    // ---- forum days ----
    async list(actor: Actor, filter: { state?: ForumDayState; editionId?: string }): Promise<ForumDayDto[]> {
      const days = await repo.listForumDaysWithCounts(db, { editionId: filter.editionId, includeRehearsals: isUser(actor) })
      const now = clock.now()
      return days
        .map((d) => dayDto(d, { name: d.editionName, themes: d.editionThemes }, d.counts, now))
        .filter((d) => !filter.state || d.state === filter.state)
    },

    /** For the realtime module: one lookup, throws 404 unless the actor may see the day. */
    async assertVisible(actor: Actor, id: string): Promise<void> {
      await loadDay(db, id, actor)
    },

    async get(actor: Actor, id: string): Promise<ForumDayDto> {
      return toDayDto(db, await loadDay(db, id, actor))
    },

    async create(actor: Actor, input: z.infer<typeof NewForumDay>): Promise<ForumDayDto> {
      const moderator = requireModerator(actor)
      const opensAt = parseInstant(input.opensAt, 'opensAt')
      const closesAt = parseInstant(input.closesAt, 'closesAt')
      const answerDeadline = input.answerDeadline ? parseInstant(input.answerDeadline, 'answerDeadline') : closesAt
      checkWindow(opensAt, closesAt, answerDeadline)
      return db.transaction().execute(async (trx) => {
        const edition = await loadEdition(trx, input.editionId)
        checkThemes(edition, input.themes)
        const day = await repo.insertForumDay(trx, {
          editionId: edition.id,
          title: input.title,
          themes: [...new Set(input.themes)],
          opensAt,
          closesAt,
          answerDeadline,
          maxOpenQuestionsPerOrganization: input.maxOpenQuestionsPerOrganization ?? null,
          rehearsal: input.rehearsal,
          createdBy: moderator.userId,
          createdAt: clock.now(),
        })
        await announceChange(trx, day, 'created')
        return dayDto(day, edition, undefined, clock.now())
      })
    },

    async update(actor: Actor, id: string, input: z.infer<typeof ForumDayPatch>, expectedVersion?: number): Promise<ForumDayDto> {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const day = await loadDay(trx, id, actor, true)
        checkVersion(day.version, expectedVersion)
        const now = clock.now()
        const state = dayState(day, now)
        if (state === 'cancelled') throw new DomainError('FORUM_DAY_CANCELLED', 409, 'A cancelled forum day cannot be edited', { state })
        const opensAt = input.opensAt !== undefined ? parseInstant(input.opensAt, 'opensAt') : day.opensAt
        const closesAt = input.closesAt !== undefined ? parseInstant(input.closesAt, 'closesAt') : day.closesAt
        // Extending the day without naming a deadline pushes the deadline along with the closing.
        const answerDeadline =
          input.answerDeadline !== undefined
            ? parseInstant(input.answerDeadline, 'answerDeadline')
            : new Date(Math.max(day.answerDeadline.getTime(), closesAt.getTime()))
        if (state !== 'upcoming' && opensAt.getTime() !== day.opensAt.getTime()) {
          throw new DomainError('FORUM_DAY_ALREADY_OPENED', 409, 'The forum day has already opened: its opening cannot move', { state, ...windowOf(day) })
        }
        if (state === 'closed' && closesAt.getTime() !== day.closesAt.getTime()) {
          throw new DomainError('FORUM_DAY_CLOSED', 409, 'The forum day has closed: its closing cannot move', { state, ...windowOf(day) })
        }
        checkWindow(opensAt, closesAt, answerDeadline)
        if (input.themes) checkThemes(await loadEdition(trx, day.editionId), input.themes)
        const updated = await repo.updateForumDay(
          trx,
          id,
          day.version,
          {
            ...(input.title !== undefined && { title: input.title }),
            ...(input.themes !== undefined && { themes: [...new Set(input.themes)] }),
            ...(input.maxOpenQuestionsPerOrganization !== undefined && { maxOpenQuestionsPerOrganization: input.maxOpenQuestionsPerOrganization }),
            opensAt,
            closesAt,
            answerDeadline,
          },
          now,
        )
        await announceChange(trx, updated as ForumDayRow, 'edited')
        return toDayDto(trx, updated as ForumDayRow)
      })
    },

    async cancel(actor: Actor, id: string, reason: string, expectedVersion?: number): Promise<ForumDayDto> {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const day = await loadDay(trx, id, actor, true)
        checkVersion(day.version, expectedVersion)
        const now = clock.now()
        const state = dayState(day, now)
        if (state === 'cancelled') throw new DomainError('FORUM_DAY_CANCELLED', 409, 'The forum day is already cancelled', { state })
        if (state === 'closed') throw new DomainError('FORUM_DAY_CLOSED', 409, 'A forum day that has closed cannot be cancelled', { state, ...windowOf(day) })
        const updated = (await repo.updateForumDay(trx, id, day.version, { cancelledAt: now, cancelReason: reason }, now)) as ForumDayRow
        await announceChange(trx, updated, 'cancelled')
        return toDayDto(trx, updated)
      })
    },

    /** Deletes every question (with messages, transitions, drafts, idempotency records and events) of a rehearsal day. */
    async wipeRehearsal(actor: Actor, id: string) {
      requireModerator(actor)
      return db.transaction().execute(async (trx) => {
        const day = await loadDay(trx, id, actor, true)
        if (!day.rehearsal) throw new DomainError('NOT_A_REHEARSAL', 409, 'Only a rehearsal forum day can be wiped')
        const result = await repo.wipeRehearsal(trx, id)
        await announceChange(trx, day, 'rehearsal_wiped')
        return { forumDayId: id, ...result }
      })
    },

    /**
     * Announces, once, every opening and closing whose instant has passed (also those missed while
     * the app was down). Safe to call from several instances: each announcement is a conditional
     * update, so exactly one caller writes its event. Meant for the realtime module's scheduler.
     */
    async announceDueTransitions(): Promise<Array<{ forumDayId: string; kind: 'opened' | 'closed' }>> {
      const now = clock.now()
      const due = await repo.dueAnnouncements(db, now)
      const announced: Array<{ forumDayId: string; kind: 'opened' | 'closed' }> = []
      for (const day of due) {
        await db.transaction().execute(async (trx) => {
          for (const kind of ['opened', 'closed'] as const) {
            const instant = kind === 'opened' ? day.opensAt : day.closesAt
            if (instant > now || !(await repo.markAnnounced(trx, day.id, kind, now))) continue
            await appendEvent(trx, {
              type: `forum_day.${kind}`,
              payload: { forumDayId: day.id, title: day.title, ...windowOf(day), rehearsal: day.rehearsal, at: instant.toISOString() },
              channels: [channel.forumDay(day.id)],
              audience: dayAudience(day),
            })
            announced.push({ forumDayId: day.id, kind })
          }
        })
      }
      return announced
    },

    /** Real (not rehearsal), not cancelled days opening after `from` and no later than `to`. */
    async daysOpeningBetween(from: Date, to: Date): Promise<Array<{ id: string; editionId: string; title: string; opensAt: Date; closesAt: Date }>> {
      return (await repo.daysOpeningBetween(db, from, to)).map((d) => ({ id: d.id, editionId: d.editionId, title: d.title, opensAt: d.opensAt, closesAt: d.closesAt }))
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

    /** The next instant at which some forum day opens or closes (for the scheduler's timer). */
    async nextTransitionAfter(instant: Date): Promise<Date | undefined> {
      return repo.nextTransitionAfter(db, instant)
    },

    // ---- for the questions module (inside its transaction) ----
    /** The day with a row lock held until the caller's transaction ends; 404 if absent or hidden. */
    async dayForQuestion(trx: Kysely<Database>, actor: Actor, id: string): Promise<ForumDayRow & { edition: EditionRow }> {
      const day = await loadDay(trx, id, actor)
      return { ...day, edition: await loadEdition(trx, day.editionId) }
    },

    async findDay(trx: Kysely<Database>, id: string): Promise<ForumDayRow | undefined> {
      return repo.findForumDay(trx, id)
    },

    /** Call before opening the transaction that decides eligibility. */
    async organizationProfile(organizationId: string): Promise<OrganizationProfile> {
      return organizations.getOrganization(organizationId)
    },

    async decideEligibility(trx: Kysely<Database>, edition: EditionRow, organization: OrganizationProfile) {
      return decide(trx, edition, organization)
    },

    /**
     * Public counters of a day, as an event every subscriber of the day's channel may receive.
     * A caller that already holds the day and its counts (submission) passes them: no reads.
     */
    async publishCounters(trx: Kysely<Database>, forumDayId: string, known?: { day: Pick<ForumDayRow, 'rehearsal'>; counts: DayCounts }): Promise<void> {
      const day = known?.day ?? (await repo.findForumDay(trx, forumDayId))
      if (!day) return
      const counts = known?.counts ?? (await repo.countsByDay(trx, [forumDayId])).get(forumDayId) ?? { questions: 0, answered: 0, open: 0 }
      await appendEvent(trx, {
        type: 'forum_day.counters',
        payload: { forumDayId, ...counts, at: clock.now().toISOString() },
        channels: [channel.forumDay(forumDayId)],
        audience: dayAudience(day),
      })
    },
  }
}

export type ForumDaysService = ReturnType<typeof createForumDaysService>
