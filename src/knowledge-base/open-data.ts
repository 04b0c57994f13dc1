import { csvDocument } from '../shared/csv.js'
import type { FaqDto } from './schemas.js'

/** The licence the open-data export and the feed are published under. */
export const OPEN_DATA_LICENSE = { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/deed.it' } as const

const escapeXml = (value: string) =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c)

/** Atom 1.0 feed of the newest public FAQs (RFC 4287). */
export function atomFeed(faqs: FaqDto[], origin: string, generatedAt: Date): string {
  const updated = faqs[0]?.updatedAt ?? generatedAt.toISOString()
  const entries = faqs.map((faq) => {
    const link = `${origin}${faq.url}`
    return [
      '  <entry>',
      `    <id>${escapeXml(link)}</id>`,
      `    <title>${escapeXml(faq.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>`,
      `    <published>${faq.publishedAt}</published>`,
      `    <updated>${faq.updatedAt}</updated>`,
      `    <category term="${escapeXml(faq.theme)}" label="${escapeXml(faq.themeLabel)}"/>`,
      ...faq.tags.map((tag) => `    <category term="${escapeXml(tag)}"/>`),
      `    <summary type="html">${escapeXml(faq.questionHtml)}</summary>`,
      `    <content type="html">${escapeXml(faq.answerHtml)}</content>`,
      '  </entry>',
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="it">',
    `  <id>${escapeXml(`${origin}/api/v1/faqs/feed.atom`)}</id>`,
    '  <title>Domande &amp; Risposte — Forum telematici ANCI</title>',
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(`${origin}/api/v1/faqs/feed.atom`)}"/>`,
    `  <updated>${updated}</updated>`,
    '  <author><name>ANCI — Segreteria dei forum telematici</name></author>',
    `  <rights>${escapeXml(OPEN_DATA_LICENSE.name)}</rights>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n')
}

export const OPEN_DATA_COLUMNS = [
  'slug',
  'url',
  'titolo',
  'domanda',
  'risposta',
  'tema',
  'tag',
  'riferimenti_normativi',
  'ambito',
  'data_pubblicazione',
  'data_aggiornamento',
  'normativa_alla_data',
  // Added last, so that readers of the older columns by position keep working.
  'codice_tema',
] as const

/** One open-data record per FAQ, with Italian field names as Italian public bodies publish them. */
export function openDataRecord(faq: FaqDto, origin: string): Record<(typeof OPEN_DATA_COLUMNS)[number], string> {
  return {
    slug: faq.slug,
    url: `${origin}${faq.url}`,
    titolo: faq.title,
    domanda: faq.question,
    risposta: faq.answer,
    tema: faq.themeLabel,
    codice_tema: faq.theme,
    tag: faq.tags.join('; '),
    riferimenti_normativi: [...new Set(faq.legalReferences.map((r) => r.key))].join('; '),
    ambito: faq.scope,
    data_pubblicazione: faq.publishedAt,
    data_aggiornamento: faq.updatedAt,
    normativa_alla_data: faq.answeredOn,
  }
}

export { CSV_SEPARATOR } from '../shared/csv.js'

/** CSV as RFC 4180 with ';' between fields and a UTF-8 BOM, for Italian spreadsheets (see src/shared/csv.ts). */
export function toCsv(records: Array<Record<string, string>>, columns: readonly string[]): string {
  return csvDocument([columns, ...records.map((record) => columns.map((c) => record[c] ?? ''))])
}
