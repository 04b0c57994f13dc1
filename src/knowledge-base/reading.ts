import type { Actor } from '../accounts/actor.js'
import { batched } from '../shared/batched.js'
import { notFound } from '../shared/errors.js'
import * as repo from './repository.js'
import type { FaqDto, FaqSearchQuery, FaqSearchResult } from './schemas.js'
import type { KnowledgeBaseContext } from './context.js'
import { canSee, normaliseQuery, requireModerator, visibleTo, weekStart } from './rules.js'

/**
 * A theme filter is a code; a theme's label (as FAQ themes were written before they became codes,
 * in old links and in questionnaires) is read as its code, ignoring case.
 */
function themeCode(theme: string, labels: Map<string, string>): string {
  if (labels.has(theme)) return theme
  const wanted = theme.trim().toLocaleLowerCase('it')
  for (const [code, label] of labels) if (label.toLocaleLowerCase('it') === wanted) return code
  return theme
}

/** Everyone reads: one FAQ, search, similar FAQs, and the lists the public site and feeds need. */
export function readingUseCases(ctx: KnowledgeBaseContext) {
  const { db, clock, text, search, sources, deps, toDto, present, presentAll, themeLabels, searchEngine } = ctx

  /**
   * The rows behind each search's hits, read for every search (cached answers included) so that
   * an unpublished FAQ is never shown. The searches of one turn of the event loop read theirs in
   * one statement: at a peak, many visitors ask the same thing at once.
   */
  const hitRows = batched(async (pages: ReadonlyArray<readonly string[]>) => {
    const rows = new Map((await repo.findFaqHitsByIds(db, [...new Set(pages.flat())])).map((f) => [f.id, f]))
    return pages.map(() => rows)
  })

  return {
    toDto,
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
      return present(
        faq,
        related
          .filter((hit) => hit.id !== faq.id)
          .slice(0, 5)
          .map(({ slug: s, title }) => ({ slug: s, title })),
      )
    },
    async search(actor: Actor, query: FaqSearchQuery): Promise<FaqSearchResult> {
      const q = query.q?.trim() || undefined
      const labels = await themeLabels()
      const result = await searchEngine(() =>
        search.search({
          q,
          filters: { theme: query.theme === undefined ? undefined : themeCode(query.theme, labels), tag: query.tag, law: query.law, year: query.year, visibility: visibleTo(actor) },
          page: query.page,
          pageSize: query.pageSize,
        }),
      )
      if (q && !query.suggest) deps.analytics.record(weekStart(clock.now()), normaliseQuery(q), result.total === 0)
      const rows = result.hits.length ? await hitRows(result.hits.map((h) => h.id)) : new Map<string, repo.FaqHitRow>()
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
              themeLabel: labels.get(faq.theme) ?? faq.theme,
              tags: faq.tags,
              publishedAt: faq.publishedAt.toISOString(),
              visibility: faq.visibility,
            },
          ]
        }),
        total: result.total,
        totalIsExact: result.totalIsExact,
        page: query.page,
        pageSize: query.pageSize,
        themeLabels: Object.fromEntries(labels),
        facets: result.facets,
        // Last: on Node 20 each property written after a spread costs about a microsecond.
        ...(result.suggestion ? { didYouMean: result.suggestion } : {}),
      }
    },
    /** Similar published FAQs for a draft question (the forum's "has this been answered?"). */
    async similarFaqs(actor: Actor, draft: string, limit = 5) {
      const hits = await searchEngine(() => search.similar(draft, { visibility: visibleTo(actor), limit }))
      return hits.map(({ slug, title, snippet }) => ({ slug, title, snippet }))
    },
    async newestPublic(limit: number): Promise<FaqDto[]> {
      return presentAll(await repo.listPublishedPublic(db, limit))
    },
    /** Slug and last change of every public FAQ, without rendering them (the sitemap). */
    async publicSlugs(): Promise<Array<{ slug: string; updatedAt: string }>> {
      return (await repo.listPublicSlugs(db)).map((row) => ({ slug: row.slug, updatedAt: row.updatedAt.toISOString() }))
    },
    /** Which of these questions are already FAQs (question id -> FAQ slug); for the secretariat's lists. */
    async faqSlugsOfQuestions(actor: Actor, questionIds: string[]): Promise<Map<string, string>> {
      requireModerator(actor)
      return repo.slugsOfSourceQuestions(db, questionIds)
    },
    /** The theme vocabulary (shared with questions), for forms and the search page's filters. */
    themes: () => sources.themes(),
    /** The current slug of an FAQ whose slug changed (old links redirect), or undefined. */
    currentSlug: (oldSlug: string) => repo.findRedirect(db, oldSlug),
    /** Whether a slug belonged to an FAQ that was unpublished (its page says "gone", not "never existed"). */
    async wasWithdrawn(slug: string): Promise<boolean> {
      return (await repo.findFaqBySlug(db, slug))?.state === 'unpublished'
    },
    async allPublic(): Promise<FaqDto[]> {
      return presentAll(await repo.listPublishedPublic(db))
    },
  }
}
