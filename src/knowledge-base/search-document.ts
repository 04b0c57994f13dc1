import type { FaqSearchDocument } from '../search/search-index.js'
import type { FaqRow } from './repository.js'

/** What the search engines index of an FAQ: plain text, its facets and who may see it. */
export function toSearchDocument(faq: FaqRow, plainText: (markdown: string) => string): FaqSearchDocument {
  return {
    id: faq.id,
    slug: faq.slug,
    title: faq.title,
    question: plainText(faq.question),
    answer: plainText(faq.answer),
    theme: faq.theme,
    tags: faq.tags,
    laws: faq.lawKeys,
    year: faq.publishedAt.getUTCFullYear(),
    visibility: faq.visibility,
    forumDayId: faq.forumDayId,
    scopeRegion: faq.scopeRegion,
    publishedAt: faq.publishedAt,
    updatedAt: faq.updatedAt,
  }
}
