import { ACT_KINDS, KNOWN_ACTS, type ItalianActKind } from './acts.js'

/** A citation found in a text, normalised. `key` is stable and used as the search facet. */
export interface LegalReference {
  key: string
  /** The act's title when the curated table knows it, else the key. */
  label: string
  kind: ItalianActKind | 'direttiva.ue' | 'regolamento.ue' | 'circolare'
  number?: string
  year?: string
  /** YYYY-MM-DD: written in the text, or from the curated table. */
  date?: string
  article?: string
  /** As written, and where. */
  text: string
  start: number
  end: number
}

const MONTHS = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre']
const MONTH = `(${MONTHS.join('|')})`
const pad = (n: number | string) => String(n).padStart(2, '0')
const isoDate = (day: string, month: string, year: string) => `${year}-${pad(MONTHS.indexOf(month.toLowerCase()) + 1)}-${pad(day)}`

/** The ways Italian texts name each kind of act (order matters: D.Lgs. before D.L., D.P.R. before L.). */
const KIND_PATTERNS: Array<[ItalianActKind, string]> = [
  ['decreto.legislativo', String.raw`decreto\s+legislativo|d\.\s?lgs\.?|d\.\s?leg\.?vo|dlgs\.?|d\.lgs`],
  ['decreto.presidente.repubblica', String.raw`decreto\s+del\s+presidente\s+della\s+repubblica|d\.\s?p\.\s?r\.?|dpr`],
  ['decreto.legge', String.raw`decreto[\s-]legge|d\.\s?l\.(?!\s?gs)|dl(?=\s+n\.|\s+\d)`],
  ['legge', String.raw`legge|l\.(?=\s*(?:n\.\s*)?\d)`],
]

const ARTICLE = String.raw`(?:(?:artt?\.|articol[oi])\s+(?<article>\d+(?:[\s-]?(?:bis|ter|quater|quinquies|sexies|septies|octies))?(?:\s*(?:,|e)\s*\d+(?:[\s-]?(?:bis|ter|quater))?)*(?:,?\s*comm[ai]\s+\d+(?:\s*(?:,|e)\s*\d+)*)?)\s*,?\s*(?:del(?:la|l['’])?\s+|d\.\s*)?)?`
const LONG_FORM = String.raw`(?<day>\d{1,2})[°º]?\s+(?<month>${MONTH})\s+(?<longYear>\d{4})\s*,?\s*n\.?\s*(?<longNumber>\d+)`
const SHORT_FORM = String.raw`(?:n\.?\s*)?(?<number>\d+)\s*(?:[/\\]\s*|\s+del\s+)(?<year>(?:19|20)\d{2})(?!\d)`

const ITALIAN_ACT = new RegExp(
  `${ARTICLE}(?<kind>${KIND_PATTERNS.map(([, p]) => `(?:${p})`).join('|')})\\s*(?:${LONG_FORM}|${SHORT_FORM})`,
  'giu',
)
const DIRECTIVE = new RegExp(`${ARTICLE}direttiva\\s+(?:\\((?:ue|ce)\\)\\s+)?(?:n\\.\\s*)?(?<year>(?:19|20)\\d{2})\\/(?<number>\\d+)\\/(?<union>ue|ce)`, 'giu')
const REGULATION = new RegExp(`${ARTICLE}regolamento\\s+\\((?<union>ue|ce)\\)\\s+(?:n\\.\\s*)?(?<a>\\d+)\\/(?<b>\\d+)`, 'giu')
const CIRCULAR = new RegExp(
  String.raw`circolare\s+(?:n\.\s*(?<number>[\w/]+)\s+)?(?:(?<issuerBefore>del\s+ministero\s+dell['’]interno|ministeriale)\s+)?del\s+(?<day>\d{1,2})\s+(?<month>${MONTH})\s+(?<year>\d{4})(?:\s+(?<issuerAfter>del\s+ministero\s+dell['’]interno))?`,
  'giu',
)

function kindOf(written: string): ItalianActKind {
  for (const [kind, pattern] of KIND_PATTERNS) if (new RegExp(`^(?:${pattern})$`, 'iu').test(written.trim())) return kind
  return 'legge'
}

function cleanArticle(article: string | undefined): string | undefined {
  return article?.replace(/\s+/g, ' ').replace(/\s*,\s*$/, '').trim() || undefined
}

function italianAct(match: RegExpExecArray): LegalReference {
  const g = match.groups ?? {}
  const kind = kindOf(g.kind ?? '')
  const number = String(Number(g.longNumber ?? g.number))
  const year = g.longYear ?? (g.year)
  const key = `${ACT_KINDS[kind].short} ${number}/${year}`
  const known = KNOWN_ACTS[key]
  const writtenDate = g.day && g.month && g.longYear ? isoDate(g.day, g.month, g.longYear) : undefined
  return {
    key,
    label: known?.title ?? key,
    kind,
    number,
    year,
    date: writtenDate ?? known?.date,
    article: cleanArticle(g.article),
    text: match[0].trim(),
    start: match.index,
    end: match.index + match[0].trimEnd().length,
  }
}

function euAct(match: RegExpExecArray, kind: 'direttiva.ue' | 'regolamento.ue'): LegalReference {
  const g = match.groups ?? {}
  const union = (g.union ?? 'ue').toUpperCase()
  let year: string
  let number: string
  if (kind === 'direttiva.ue') {
    year = g.year as string
    number = String(Number(g.number))
  } else {
    // Before 2015 regulations were cited number/year ("n. 810/2009"); since then year/number.
    const [a, b] = [g.a as string, g.b as string]
    ;[year, number] = a.length === 4 && Number(a) >= 1950 && Number(a) <= 2100 && b.length !== 4 ? [a, String(Number(b))] : [b, String(Number(a))]
  }
  const key = kind === 'direttiva.ue' ? `Direttiva ${year}/${number}/${union}` : `Regolamento (${union}) ${year}/${number}`
  return { key, label: key, kind, number, year, article: cleanArticle(g.article), text: match[0].trim(), start: match.index, end: match.index + match[0].trimEnd().length }
}

function circular(match: RegExpExecArray): LegalReference {
  const g = match.groups ?? {}
  const date = isoDate(g.day as string, g.month as string, g.year as string)
  const byInterior = /interno/i.test(`${g.issuerBefore ?? ''} ${g.issuerAfter ?? ''}`)
  const [y, m, d] = date.split('-')
  const key = `Circolare ${byInterior ? 'Min. Interno ' : ''}${d}/${m}/${y}${g.number ? ` n. ${g.number}` : ''}`
  return { key, label: key, kind: 'circolare', date, number: g.number, year: g.year, text: match[0].trim(), start: match.index, end: match.index + match[0].length }
}

/**
 * Every citation in a text, in order of appearance. The backslash seen in old pages
 * ("142\2015") counts as a slash.
 */
export function findLegalReferences(text: string): LegalReference[] {
  const found: LegalReference[] = []
  for (const m of text.matchAll(ITALIAN_ACT)) found.push(italianAct(m))
  for (const m of text.matchAll(DIRECTIVE)) found.push(euAct(m, 'direttiva.ue'))
  for (const m of text.matchAll(REGULATION)) found.push(euAct(m, 'regolamento.ue'))
  for (const m of text.matchAll(CIRCULAR)) found.push(circular(m))
  return found.sort((a, b) => a.start - b.start)
}

/** The normalised key of the first act cited in `citation`, e.g. for a moderator typing the act's full name. */
export function lawKey(citation: string): string | undefined {
  return findLegalReferences(citation)[0]?.key
}

const NORMATTIVA = 'https://www.normattiva.it/uri-res/N2Ls?'

const articleSuffix = (article: string | undefined) => {
  const first = article && /^(\d+)(?:[\s-]?(bis|ter|quater|quinquies|sexies|septies|octies))?/i.exec(article)
  return first ? `~art${first[1]}${first[2]?.toLowerCase() ?? ''}` : ''
}

/**
 * Where to read the act: Normattiva (by URN, the text in force today and on the answer's date)
 * for Italian acts whose date we know; EUR-Lex (by CELEX number) for EU acts.
 */
export function legalLinks(
  ref: Pick<LegalReference, 'key' | 'article'> & Partial<Pick<LegalReference, 'kind' | 'number' | 'year' | 'date'>>,
  answeredOn: string,
): { inForce?: string; atAnswerDate?: string; eurLex?: string } {
  const parsed = ref.kind ? ref : findLegalReferences(ref.key)[0]
  if (!parsed?.kind || !parsed.number || !parsed.year) return {}
  if (parsed.kind === 'direttiva.ue' || parsed.kind === 'regolamento.ue') {
    const celex = `3${parsed.year}${parsed.kind === 'direttiva.ue' ? 'L' : 'R'}${parsed.number.padStart(4, '0')}`
    return { eurLex: `https://eur-lex.europa.eu/legal-content/IT/TXT/?uri=CELEX:${celex}` }
  }
  if (parsed.kind === 'circolare') return {}
  const date = ref.date ?? parsed.date ?? KNOWN_ACTS[parsed.key]?.date
  if (!date) return {}
  const urn = `urn:nir:stato:${ACT_KINDS[parsed.kind].urn}:${date};${parsed.number}${articleSuffix(ref.article)}`
  return { inForce: `${NORMATTIVA}${urn}`, atAnswerDate: `${NORMATTIVA}${urn}!vig=${answeredOn}` }
}
