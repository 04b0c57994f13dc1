import { z } from 'zod'
import type { Kysely } from 'kysely'
import type { Actor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import { appendEvent, channel } from '../events/event-log.js'
import { checkVersion, staleVersion } from '../shared/versions.js'
import { DomainError, notFound } from '../shared/errors.js'
import * as repo from './repository.js'
import type { FaqRow } from './repository.js'
import type { FaqDto, PublishFaqBody, UpdateFaqBody } from './schemas.js'
import { queueMail } from '../mail/outbox.js'
import { mailTemplates } from '../mail/templates.js'
import type { KnowledgeBaseContext } from './context.js'
import { QUESTION_STATES_PUBLISHABLE, canSee, requireModerator, slugify, weekStart } from './rules.js'
import type { StoredLegalReference } from './tables.js'

/** The secretariat curates: privacy check, publish, edit, withdraw, amendments, review, analytics. */
export function curationUseCases(ctx: KnowledgeBaseContext) {
  const { db, clock, sources, text, deps, today, findingsFor, enforcePrivacy, legalFields, newContent, afterChange, present, presentAll, checkTheme, notify } = ctx

  return {
    async privacyCheck(actor: Actor, input: { questionId?: string; title: string; question: string; answer: string }) {
      requireModerator(actor)
      const findings = await findingsFor(input, input.questionId)
      return { findings, checklist: [...text.privacyChecklist] }
    },
    /**
     * What the publishing desk shows before publishing: the privacy findings in each field, the
     * legal references recognised (with their links as of today), the checklist and the slug.
     */
    async previewPublication(actor: Actor, input: { questionId?: string; faqSlug?: string; title: string; question: string; answer: string }) {
      requireModerator(actor)
      // An FAQ being edited is checked against the names of the question it came from, as update() does.
      const questionId = input.questionId ?? (input.faqSlug ? ((await repo.findFaqBySlug(db, input.faqSlug))?.sourceQuestionId ?? undefined) : undefined)
      const findings = await findingsFor(input, questionId)
      const { legalReferences } = legalFields(input.question, input.answer)
      const references = (JSON.parse(legalReferences) as StoredLegalReference[]).map((ref) => ({ ...ref, links: text.legalLinks(ref, today()) }))
      return { findings, legalReferences: references, checklist: [...text.privacyChecklist], slug: slugify(input.title) }
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
        await checkTheme(input.theme, trx)
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
        // The asking comune's staff are told, in the same transaction (see src/mail).
        const url = `${new URL(deps.publicOrigin).origin}/domande-e-risposte/${inserted.slug}`
        const contacts = await sources.organizationContacts(question.organizationId, { trx })
        await queueMail(
          trx,
          clock,
          contacts.map((c) => ({ dedupeKey: `faq-published:${inserted.id}:${c.id}`, to: c.email, message: mailTemplates.answerPublished({ title: inserted.title, url }) })),
        )
        return inserted
      })
      notify()
      return present(faq)
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
        if (input.theme !== undefined && input.theme !== current.theme) await checkTheme(input.theme, trx)
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
      return present(updated)
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
      return present(faq)
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
      return presentAll(await repo.listReviewQueue(db, today()))
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
      await checkTheme(input.theme, trx)
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
