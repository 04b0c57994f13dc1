import { z } from 'zod'
import type { Kysely } from 'kysely'
import { hasRole, isUser, type Actor, type UserActor } from '../accounts/actor.js'
import { requireModerator as requireModeratorRole } from '../accounts/policy.js'
import type { Database } from '../db/database.js'
import { auditLog } from '../audit/service.js'
import { appendEvent, channel, type Audience } from '../events/event-log.js'
import { InvalidSearchFilterError, type SearchIndex } from '../search/search-index.js'
import type { Clock } from '../shared/clock.js'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import { checkVersion, staleVersion } from '../shared/versions.js'
import { DomainError, notFound } from '../shared/errors.js'
import * as repo from './repository.js'
import type { SearchAnalytics } from './search-analytics.js'
import type { FaqRow } from './repository.js'
import type {
  FaqDto,
  FaqSearchQuery,
  FaqSearchResult,
  PrivacyFinding,
  PublishFaqBody,
  UpdateFaqBody,
} from './schemas.js'
import type { StoredLegalReference } from './tables.js'

// ---- what this module needs from others (wired in app.ts) ----

/** The forum question an FAQ is made from, as the questions module tells it. */
export interface SourceQuestion {
  id: string
  state: string
  forumDayId: string
  answeredAt: Date
  organizationId: string
  askerName: string
}

export interface AskingOrganization {
  kind: 'comune' | 'unione'
  name: string
  region: string
  population: number | null
  /** For an Unione, its member comuni's names (any of them could identify the asker). */
  memberNames: string[]
}

export interface KnowledgeBaseSources {
  /** The question, or undefined when there is none with that id. */
  question(id: string): Promise<SourceQuestion | undefined>
  organization(id: string): Promise<AskingOrganization>
  /** Region and population of every comune in the registry, to keep origin descriptions anonymous. */
  comuniProfile(): Promise<Array<{ region: string; population: number | null }>>
}

/** Text analysis of the knowledge base (legal citations, personal data, safe Markdown). */
export interface TextTools {
  legalReferences(text: string): StoredLegalReference[]
  legalLinks(reference: StoredLegalReference, answeredOn: string): { inForce?: string; atAnswerDate?: string; eurLex?: string }
  /** The normalised key of an act as cited anywhere (e.g. "decreto legislativo 18 agosto 2015, n. 142"), or undefined. */
  lawKey(citation: string): string | undefined
  personalData(text: string, names: { comuneNames: string[]; personNames: string[] }): Array<Omit<PrivacyFinding, 'field'>>
  privacyChecklist: ReadonlyArray<{ id: string; label: string }>
  describeOrigin(
    asker: { kind: 'comune' | 'unione'; region: string; population: number | null },
    registry: Array<{ region: string; population: number | null }>,
  ): string
  renderMarkdown(markdown: string): string
  plainText(markdown: string): string
}

/** The part of the SearchIndex port this module reads through (writes go through the outbox). */
export type FaqSearchReader = Pick<SearchIndex, 'search' | 'similar'>

export interface KnowledgeBaseDeps {
  db: Kysely<Database>
  clock: Clock
  sources: KnowledgeBaseSources
  text: TextTools
  search: FaqSearchReader
  /** Lets new outbox rows be indexed promptly instead of at the next tick. */
  onIndexingQueued?: () => void
  /** Counts searches in memory and writes them in the background (see search-analytics.ts). */
  analytics: Pick<SearchAnalytics, 'record' | 'flush'>
}

// ---- rules, one place each ----

const QUESTION_STATES_PUBLISHABLE = new Set(['answered', 'closed'])

const requireModerator = (actor: Actor) => requireModeratorRole(actor, 'Only the ANCI secretariat curates the knowledge base')

/** "Area riservata" is for signed-in users; the public sees public FAQs only. */
export const visibleTo = (actor: Actor): Array<'public' | 'reserved'> => (isUser(actor) ? ['public', 'reserved'] : ['public'])

const canSee = (actor: Actor, faq: FaqRow) =>
  hasRole(actor, 'moderator', 'admin') || (faq.state === 'published' && visibleTo(actor).includes(faq.visibility))

const faqAudience = (visibility: 'public' | 'reserved'): Audience[] =>
  visibility === 'public' ? [{ kind: 'public' }] : [{ kind: 'signed_in' }]

/** Monday of the ISO week of `date`, as YYYY-MM-DD (UTC). */
export function weekStart(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day))
  return monday.toISOString().slice(0, 10)
}

/** Queries are stored lower-cased with spaces collapsed, so "Rinnovo  PDS" and "rinnovo pds" count together. */
export const normaliseQuery = (q: string) => q.toLocaleLowerCase('it').replace(/\s+/g, ' ').trim().slice(0, 200)

export function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '')
  return slug || 'faq'
}

export function createKnowledgeBaseService(deps: KnowledgeBaseDeps) {
  const { db, clock, sources, text, search } = deps
  const today = () => clock.now().toISOString().slice(0, 10)

  async function freeSlug(trx: Kysely<Database>, title: string): Promise<string> {
    const base = slugify(title)
    const taken = new Set(await repo.slugsStartingWith(trx, base))
    if (!taken.has(base)) return base
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
  }

  async function findingsFor(
    content: { title: string; question: string; answer: string },
    questionId: string | undefined,
  ): Promise<PrivacyFinding[]> {
    const names = { comuneNames: [] as string[], personNames: [] as string[] }
    if (questionId) {
      const question = await sources.question(questionId)
      if (question) {
        const organization = await sources.organization(question.organizationId)
        names.comuneNames.push(organization.name, ...organization.memberNames)
        names.personNames.push(question.askerName)
      }
    }
    return (['title', 'question', 'answer'] as const).flatMap((field) =>
      text.personalData(content[field], names).map((finding) => ({ field, ...finding })),
    )
  }

  /** Publishing with findings needs an explicit, audited override. */
  async function enforcePrivacy(
    trx: Kysely<Database>,
    moderator: UserActor,
    findings: PrivacyFinding[],
    override: { reason: string } | undefined,
    faqId: string,
    ip: string | null,
  ): Promise<void> {
    if (findings.length === 0) return
    if (!override) {
      throw new DomainError(
        'PRIVACY_FINDINGS',
        422,
        `The text may contain personal data (${findings.length} finding(s)); remove it or publish with an explicit override`,
        { findings },
      )
    }
    await auditLog(trx, clock).record({
      action: 'faq.privacy_override',
      actor: moderator,
      ip,
      details: { faqId, reason: override.reason, findings: findings.map(({ field, kind, start, end }) => ({ field, kind, start, end })) },
    })
  }

  function legalFields(question: string, answer: string) {
    const references = text.legalReferences(`${question}\n\n${answer}`)
    const unique = [...new Map(references.map((r) => [`${r.key}|${r.article ?? ''}`, r])).values()]
    return { legalReferences: JSON.stringify(unique), lawKeys: [...new Set(unique.map((r) => r.key))] }
  }

  /** A new FAQ's text and what is derived from it: a free slug, the legal references. */
  async function newContent(trx: Kysely<Database>, input: { title: string; question: string; answer: string; theme: string; tags: string[] }) {
    return {
      slug: await freeSlug(trx, input.title),
      title: input.title,
      question: input.question,
      answer: input.answer,
      theme: input.theme,
      tags: input.tags,
      ...legalFields(input.question, input.answer),
    }
  }

  async function afterChange(trx: Kysely<Database>, faq: FaqRow, type: string): Promise<void> {
    await repo.enqueueIndexing(trx, [faq.id], clock.now())
    await appendEvent(trx, {
      type,
      payload: { faqId: faq.id, slug: faq.slug, title: faq.title, state: faq.state, visibility: faq.visibility, version: faq.version },
      channels: [channel.faqs],
      audience: faqAudience(faq.visibility),
    })
  }

  function toDto(faq: FaqRow, related: Array<{ slug: string; title: string }> = []): FaqDto {
    const legalReferences = faq.legalReferences.map((ref) => ({ ...ref, links: text.legalLinks(ref, faq.answeredOn) }))
    return {
      id: faq.id,
      slug: faq.slug,
      url: `/domande-e-risposte/${faq.slug}`,
      title: faq.title,
      question: faq.question,
      questionHtml: text.renderMarkdown(faq.question),
      answer: faq.answer,
      answerHtml: text.renderMarkdown(faq.answer),
      theme: faq.theme,
      tags: faq.tags,
      legalReferences,
      scope: faq.scopeRegion ?? 'nazionale',
      scopeRegion: faq.scopeRegion,
      visibility: faq.visibility,
      origin: faq.originDescription,
      forumDayId: faq.forumDayId,
      state: faq.state,
      publishedAt: faq.publishedAt.toISOString(),
      updatedAt: faq.updatedAt.toISOString(),
      answeredOn: faq.answeredOn,
      review: {
        flagged: faq.reviewFlaggedAt !== null,
        reason: faq.reviewReason,
        reviewBy: faq.reviewBy,
        lawAsOf: faq.answeredOn,
      },
      questionsAnswered: (faq.sourceQuestionId ? 1 : 0) + faq.duplicateCount,
      version: faq.version,
      related,
    }
  }

  const notify = () => deps.onIndexingQueued?.()

  /** The search engine is a separate server in production: its outage is a 503, not a 500. */
  async function searchEngine<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (err) {
      if (err instanceof InvalidSearchFilterError) {
        throw new DomainError('INVALID_SEARCH_FILTER', 400, 'A search filter is not valid; remove it and try again')
      }
      // On the PostgreSQL engine the search is the database: its outage is the database's 503.
      if (isDatabaseUnavailable(err)) throw err
      const unavailable = new DomainError('SEARCH_UNAVAILABLE', 503, 'Search is temporarily unavailable; try again in a moment', {
        cause: err instanceof Error ? err.name : 'Error',
      })
      // For the log only (the error handler writes one line per failed request), never the client.
      unavailable.cause = err
      throw unavailable
    }
  }

  return {
    toDto,

    async privacyCheck(actor: Actor, input: { questionId?: string; title: string; question: string; answer: string }) {
      requireModerator(actor)
      const findings = await findingsFor(input, input.questionId)
      return { findings, checklist: [...text.privacyChecklist] }
    },

    async publish(actor: Actor, input: PublishFaqBody, ip: string | null = null): Promise<FaqDto> {
      const moderator = requireModerator(actor)
      const question = await sources.question(input.questionId)
      if (!question) throw notFound('Question', 'QUESTION_NOT_FOUND')
      if (!QUESTION_STATES_PUBLISHABLE.has(question.state)) {
        throw new DomainError('QUESTION_NOT_ANSWERED', 409, `Only answered questions become FAQs; this one is ${question.state}`, {
          state: question.state,
        })
      }
      const findings = await findingsFor(input, input.questionId)
      const asker = await sources.organization(question.organizationId)
      const origin = text.describeOrigin(asker, await sources.comuniProfile())
      const now = clock.now()
      const faq = await db.transaction().execute(async (trx) => {
        const existing = await repo.findFaqBySourceQuestion(trx, question.id)
        if (existing) {
          throw new DomainError('FAQ_ALREADY_PUBLISHED', 409, 'This question is already published as an FAQ', { slug: existing.slug })
        }
        const inserted = await repo.insertFaq(trx, {
          ...(await newContent(trx, input)),
          scopeRegion: input.scopeRegion,
          visibility: input.visibility,
          originDescription: origin,
          sourceQuestionId: question.id,
          forumDayId: question.forumDayId,
          publishedAt: now,
          updatedAt: now,
          answeredOn: question.answeredAt.toISOString().slice(0, 10),
          reviewBy: input.reviewBy,
          reviewFlaggedAt: null,
          reviewReason: null,
          publishedBy: moderator.userId,
          updatedBy: moderator.userId,
        })
        await enforcePrivacy(trx, moderator, findings, input.privacyOverride, inserted.id, ip)
        await repo.insertRevision(trx, inserted, moderator.userId, now, 'published')
        await afterChange(trx, inserted, 'faq.published')
        return inserted
      })
      notify()
      return toDto(faq)
    },

    async update(actor: Actor, slug: string, expectedVersion: number | undefined, input: UpdateFaqBody, ip: string | null = null): Promise<FaqDto> {
      const moderator = requireModerator(actor)
      const current = await repo.findFaqBySlug(db, slug)
      if (!current) throw notFound('FAQ', 'FAQ_NOT_FOUND')
      const version = checkVersion(current.version, expectedVersion)
      const next = {
        title: input.title ?? current.title,
        question: input.question ?? current.question,
        answer: input.answer ?? current.answer,
      }
      const findings = await findingsFor(next, current.sourceQuestionId ?? undefined)
      const now = clock.now()
      const updated = await db.transaction().execute(async (trx) => {
        const row = await repo.updateFaqIfVersion(trx, current.id, version, {
          ...next,
          theme: input.theme ?? current.theme,
          tags: input.tags ?? current.tags,
          ...legalFields(next.question, next.answer),
          scopeRegion: input.scopeRegion === undefined ? current.scopeRegion : input.scopeRegion,
          visibility: input.visibility ?? current.visibility,
          reviewBy: input.reviewBy === undefined ? current.reviewBy : input.reviewBy,
          ...(input.reviewed ? { reviewFlaggedAt: null, reviewReason: null, answeredOn: today() } : {}),
          updatedAt: now,
          updatedBy: moderator.userId,
        })
        // Changed between the read above and this write.
        if (!row) throw staleVersion((await repo.findFaqBySlug(trx, slug))?.version ?? current.version + 1)
        await enforcePrivacy(trx, moderator, findings, input.privacyOverride, current.id, ip)
        await repo.insertRevision(trx, row, moderator.userId, now, input.note ?? null)
        await afterChange(trx, row, 'faq.updated')
        return row
      })
      notify()
      return toDto(updated)
    },

    async unpublish(actor: Actor, slug: string, expectedVersion: number | undefined): Promise<FaqDto> {
      const moderator = requireModerator(actor)
      const now = clock.now()
      const faq = await db.transaction().execute(async (trx) => {
        const current = await repo.findFaqBySlug(trx, slug)
        if (!current) throw notFound('FAQ', 'FAQ_NOT_FOUND')
        const version = checkVersion(current.version, expectedVersion)
        if (current.state === 'unpublished') return current
        const row = await repo.updateFaqIfVersion(trx, current.id, version, { state: 'unpublished', updatedAt: now, updatedBy: moderator.userId })
        if (!row) throw staleVersion((await repo.findFaqBySlug(trx, slug))?.version ?? current.version + 1)
        await repo.insertRevision(trx, row, moderator.userId, now, 'unpublished')
        await afterChange(trx, row, 'faq.unpublished')
        return row
      })
      notify()
      return toDto(faq)
    },

    /** The FAQ published from a question, if the actor may read it (the asker's page links to it). */
    async faqOfQuestion(actor: Actor, questionId: string): Promise<{ slug: string; title: string } | undefined> {
      const faq = await repo.findFaqBySourceQuestion(db, questionId)
      return faq && faq.state === 'published' && canSee(actor, faq) ? { slug: faq.slug, title: faq.title } : undefined
    },

    async get(actor: Actor, slug: string): Promise<FaqDto> {
      const faq = await repo.findFaqBySlug(db, slug)
      // Same answer for "missing" and "not for you": reserved FAQs stay unguessable.
      if (!faq || !canSee(actor, faq)) throw notFound('FAQ', 'FAQ_NOT_FOUND')
      // Related FAQs are a nicety: the page is served without them when search is down.
      const related = await search.similar(`${faq.title} ${text.plainText(faq.question)}`, { visibility: visibleTo(actor), limit: 6 }).catch(() => [])
      return toDto(
        faq,
        related
          .filter((hit) => hit.id !== faq.id)
          .slice(0, 5)
          .map(({ slug: s, title }) => ({ slug: s, title })),
      )
    },

    async search(actor: Actor, query: FaqSearchQuery): Promise<FaqSearchResult> {
      const q = query.q?.trim() || undefined
      const result = await searchEngine(() =>
        search.search({
          q,
          filters: { theme: query.theme, tag: query.tag, law: query.law, year: query.year, visibility: visibleTo(actor) },
          page: query.page,
          pageSize: query.pageSize,
        }),
      )
      if (q && !query.suggest) deps.analytics.record(weekStart(clock.now()), normaliseQuery(q), result.total === 0)
      const rows = new Map((await repo.findFaqsByIds(db, result.hits.map((h) => h.id))).map((f) => [f.id, f]))
      return {
        hits: result.hits.flatMap((hit) => {
          const faq = rows.get(hit.id)
          // The index may briefly lag behind an unpublish; the database has the last word.
          if (!faq || !canSee(actor, faq)) return []
          return [
            {
              slug: faq.slug,
              title: faq.title,
              snippet: hit.snippet,
              theme: faq.theme,
              tags: faq.tags,
              publishedAt: faq.publishedAt.toISOString(),
              visibility: faq.visibility,
            },
          ]
        }),
        total: result.total,
        totalIsExact: result.totalIsExact,
        ...(result.suggestion ? { didYouMean: result.suggestion } : {}),
        page: query.page,
        pageSize: query.pageSize,
        facets: result.facets,
      }
    },

    /** Similar published FAQs for a draft question (the forum's "has this been answered?"). */
    async similarFaqs(actor: Actor, draft: string, limit = 5) {
      const hits = await searchEngine(() => search.similar(draft, { visibility: visibleTo(actor), limit }))
      return hits.map(({ slug, title, snippet }) => ({ slug, title, snippet }))
    },

    async revisions(actor: Actor, slug: string) {
      requireModerator(actor)
      const faq = await repo.findFaqBySlug(db, slug)
      if (!faq) throw notFound('FAQ', 'FAQ_NOT_FOUND')
      const rows = await repo.listRevisions(db, faq.id)
      return rows.map((r) => ({ ...r, editedAt: r.editedAt.toISOString() }))
    },

    async recordAmendment(actor: Actor, input: { law: string; amendedOn: string; note: string }) {
      const moderator = requireModerator(actor)
      const key = text.lawKey(input.law)
      if (!key) throw new DomainError('UNKNOWN_LAW_CITATION', 422, `"${input.law}" is not a citation of an act we recognise`)
      const now = clock.now()
      return db.transaction().execute(async (trx) => {
        const id = await repo.insertAmendment(trx, { lawKey: key, amendedOn: input.amendedOn, note: input.note, recordedBy: moderator.userId, recordedAt: now })
        const reason = `${key} modificato il ${input.amendedOn}: ${input.note}`
        const flagged = await repo.flagFaqsCiting(trx, key, input.amendedOn, now, reason)
        const faqs = await repo.findFaqsByIds(trx, flagged)
        if (faqs.length > 0) {
          await appendEvent(trx, {
            type: 'faq.review_flagged',
            payload: { law: key, amendedOn: input.amendedOn, faqIds: flagged },
            channels: [channel.faqs],
            audience: [{ kind: 'moderators' }],
          })
        }
        return { id, law: key, flaggedFaqs: faqs.map(({ slug, title }) => ({ slug, title })) }
      })
    },

    async reviewQueue(actor: Actor): Promise<FaqDto[]> {
      requireModerator(actor)
      return (await repo.listReviewQueue(db, today())).map((faq) => toDto(faq))
    },

    /** Called by the questions module when an expert closes a question as a duplicate of this FAQ. */
    async countDuplicate(trx: Kysely<Database>, faqId: string): Promise<void> {
      await repo.incrementDuplicateCount(trx, faqId)
    },

    async findPublishedForDuplicate(actor: Actor, faqIdOrSlug: string): Promise<FaqRow> {
      // Only a real UUID goes to the uuid column: 36 dashes would be a database error, not a 404.
      const faq = z.uuid().safeParse(faqIdOrSlug).success ? await repo.findFaqById(db, faqIdOrSlug) : await repo.findFaqBySlug(db, faqIdOrSlug)
      if (!faq || faq.state !== 'published' || !canSee(actor, faq)) throw notFound('FAQ', 'FAQ_NOT_FOUND')
      return faq
    },

    /**
     * Adds an FAQ that did not come through this forum (the demo data; later, the D&R archive of
     * the old portal), in the caller's transaction, with its citations and an indexing entry.
     */
    async importFaq(
      trx: Kysely<Database>,
      input: { title: string; question: string; answer: string; theme: string; tags: string[]; publishedAt: Date; answeredOn: string; publishedBy: string; forumDayId: string | null },
    ): Promise<FaqRow> {
      const row = await repo.insertFaq(trx, {
        ...(await newContent(trx, input)),
        scopeRegion: null,
        visibility: 'public',
        originDescription: null,
        sourceQuestionId: null,
        forumDayId: input.forumDayId,
        publishedAt: input.publishedAt,
        updatedAt: input.publishedAt,
        answeredOn: input.answeredOn,
        reviewBy: null,
        reviewFlaggedAt: null,
        reviewReason: null,
        publishedBy: input.publishedBy,
        updatedBy: input.publishedBy,
      })
      await repo.insertRevision(trx, row, input.publishedBy, input.publishedAt, 'imported')
      await repo.enqueueIndexing(trx, [row.id], input.publishedAt)
      return row
    },

    async newestPublic(limit: number): Promise<FaqDto[]> {
      return (await repo.listPublishedPublic(db, limit)).map((faq) => toDto(faq))
    },

    /** Slug and last change of every public FAQ, without rendering them (the sitemap). */
    async publicSlugs(): Promise<Array<{ slug: string; updatedAt: string }>> {
      return (await repo.listPublicSlugs(db)).map((row) => ({ slug: row.slug, updatedAt: row.updatedAt.toISOString() }))
    },

    /** Whether a slug belonged to an FAQ that was unpublished (its page says "gone", not "never existed"). */
    async wasWithdrawn(slug: string): Promise<boolean> {
      return (await repo.findFaqBySlug(db, slug))?.state === 'unpublished'
    },

    async allPublic(): Promise<FaqDto[]> {
      return (await repo.listPublishedPublic(db)).map((faq) => toDto(faq))
    },

    async searchAnalytics(actor: Actor, weeks: number) {
      requireModerator(actor)
      // This instance's pending counts first, so a moderator sees the searches just made here.
      await deps.analytics.flush().catch(() => undefined)
      const from = weekStart(new Date(clock.now().getTime() - (weeks - 1) * 7 * 86_400_000))
      const { frequent, zeroResults } = await repo.weeklyQueryStats(db, from, 20)
      const byWeek = new Map<string, { weekStart: string; frequent: typeof frequent; zeroResults: typeof zeroResults }>()
      const week = (w: string) => byWeek.get(w) ?? byWeek.set(w, { weekStart: w, frequent: [], zeroResults: [] }).get(w)!
      for (const row of frequent) week(row.weekStart).frequent.push(row)
      for (const row of zeroResults) week(row.weekStart).zeroResults.push(row)
      const strip = (rows: typeof frequent) => rows.map(({ query, searches, zeroResultSearches }) => ({ query, searches, zeroResultSearches }))
      return {
        weeks: [...byWeek.values()]
          .sort((a, b) => b.weekStart.localeCompare(a.weekStart))
          .map((w) => ({ weekStart: w.weekStart, frequent: strip(w.frequent), zeroResults: strip(w.zeroResults) })),
      }
    },
  }
}

export type KnowledgeBaseService = ReturnType<typeof createKnowledgeBaseService>
