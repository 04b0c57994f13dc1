import { markdownToPlainText, renderMarkdown } from '../shared/markdown.js'
import type { TextTools } from './service.js'
import { findLegalReferences, lawKey, legalLinks } from './text/legal-references.js'
import { describeOrigin } from './text/origin.js'
import { PRIVACY_CHECKLIST, scanPersonalData } from './text/privacy-scan.js'

/** The knowledge base's text analysis, from the pure modules in ./text. */
export const textTools: TextTools = {
  legalReferences: (text) =>
    findLegalReferences(text).map(({ key, label, article, text: written, date }) => ({ key, label, text: written, ...(article && { article }), ...(date && { date }) })),
  legalLinks: (reference, answeredOn) => legalLinks(reference, answeredOn),
  lawKey,
  personalData: (text, names) => scanPersonalData(text, names),
  privacyChecklist: PRIVACY_CHECKLIST,
  describeOrigin,
  renderMarkdown,
  plainText: markdownToPlainText,
}
