import type { Kysely } from 'kysely'
import { type UserActor } from '../accounts/actor.js'
import type { Database } from '../db/database.js'
import { auditLog } from '../audit/service.js'
import { appendEvent, channel } from '../events/event-log.js'
import { InvalidSearchFilterError, type SearchIndex } from '../search/search-index.js'
import type { Clock } from '../shared/clock.js'
import { isDatabaseUnavailable } from '../db/unavailable.js'
import { DomainError } from '../shared/errors.js'
import * as repo from './repository.js'
import type { SearchAnalytics } from './search-analytics.js'
import type { FaqRow } from './repository.js'
import type { FaqDto, PrivacyFinding } from './schemas.js'
import type { StoredLegalReference } from './tables.js'
import { faqAudience, slugify } from './rules.js'
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
  /** The active staff of an organization: told by e-mail when its question becomes an FAQ. */
  organizationContacts(organizationId: string, options: { trx: Kysely<Database> }): Promise<Array<{ id: string; email: string }>>
  /** The theme vocabulary shared with questions (the editions' themes), code and label. */
  themes(options?: { trx?: Kysely<Database> }): Promise<Array<{ code: string; label: string }>>
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
  /** Where the public site is, for the links in e-mails. */
  publicOrigin: string
}

/** What the use cases (curation.ts, reading.ts) share: the ports and the steps several of them take. */
export function createKnowledgeBaseContext(deps: KnowledgeBaseDeps) {
  const { clock, sources, text } = deps
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

  /** The theme must be one of the vocabulary's codes, as a question's theme is. */
  async function checkTheme(theme: string, trx?: Kysely<Database>): Promise<void> {
    const themes = await sources.themes({ trx })
    if (!themes.some((t) => t.code === theme)) {
      throw new DomainError('UNKNOWN_THEME', 422, `"${theme}" is not a theme code; choose one of the programmes' themes`, {
        unknown: [theme],
        themes: themes.map((t) => t.code),
      })
    }
  }

  const themeLabels = async () => new Map((await sources.themes()).map((t) => [t.code, t.label]))

  /** FAQs as the API shows them, with their theme in words. */
  async function present(faq: FaqRow, related: Array<{ slug: string; title: string }> = []): Promise<FaqDto> {
    return toDto(faq, related, await themeLabels())
  }
  async function presentAll(faqs: FaqRow[]): Promise<FaqDto[]> {
    const labels = await themeLabels()
    return faqs.map((faq) => toDto(faq, [], labels))
  }

  function toDto(faq: FaqRow, related: Array<{ slug: string; title: string }> = [], labels?: Map<string, string>): FaqDto {
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
      themeLabel: labels?.get(faq.theme) ?? faq.theme,
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

  return { ...deps, deps, today, freeSlug, findingsFor, enforcePrivacy, legalFields, newContent, afterChange, toDto, present, presentAll, themeLabels, checkTheme, notify, searchEngine }
}

export type KnowledgeBaseContext = ReturnType<typeof createKnowledgeBaseContext>
