import snowball from 'snowball-stemmers'

/**
 * Italian text normalisation shared by the search adapters: both engines must agree on what a
 * word, a stem and a legal citation are, or the same query would find different FAQs.
 */

const stemmer = snowball.newStemmer('italian')

/** Lower case without diacritics: "Città" -> "citta", "perché" -> "perche". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

/** PostgreSQL's `italian` stop words (the Snowball list), folded. */
export const ITALIAN_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle di del dello dei ' +
    'degli dell degl della delle in nel nello nei negli nell negl nella nelle su sul sullo sui sugli sull sugl sulla ' +
    'sulle per tra contro io tu lui lei noi voi loro mio mia miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra ' +
    'nostri nostre vostro vostra vostri vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perche anche come ' +
    'dov dove che chi cui non piu quale quanto quanti quanta quante quello quelli quella quelle questo questi questa ' +
    'queste si tutto tutti a c e i l o ho hai ha abbiamo avete hanno abbia abbiate abbiano avro avrai avra avremo ' +
    'avrete avranno avrei avresti avrebbe avremmo avreste avrebbero avevo avevi aveva avevamo avevate avevano ebbi ' +
    'avesti ebbe avemmo aveste ebbero avessi avesse avessimo avessero avendo avuto avuta avuti avute sono sei siamo ' +
    'siete sia siate siano saro sarai sara saremo sarete saranno sarei saresti sarebbe saremmo sareste sarebbero ero ' +
    'eri era eravamo eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo faccio fai ' +
    'facciamo fanno faccia facciate facciano faro farai fara faremo farete faranno farei faresti farebbe faremmo ' +
    'fareste farebbero facevo facevi faceva facevamo facevate facevano feci facesti fece facemmo faceste fecero ' +
    'facessi facesse facessimo facessero facendo sto stai sta stiamo stanno stia stiate stiano staro starai stara ' +
    'staremo starete staranno starei staresti starebbe staremmo stareste starebbero stavo stavi stava stavamo ' +
    'stavate stavano stetti stesti stette stemmo steste stettero stessi stesse stessimo stessero stando'
  ).split(' '),
)

/** The Italian Snowball stem of a folded word ("permessi" -> "permess"). */
export function stem(word: string): string {
  return stemmer.stem(word)
}

const MONTHS = 'gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre'
// "142/2015", "142\2015", "142-2015", "n. 142 del 2015", "18 agosto 2015, n. 142" (all on folded text).
const NUMBER_SLASH_YEAR = /\b(\d{1,5})\s*[/\\-]\s*((?:19|20)\d{2})\b/g
const NUMBER_DEL_YEAR = /\bn\.?\s*(\d{1,5})\s+del(?:l')?\s+(?:\d{1,2}\s+(?:[a-z]+)\s+)?((?:19|20)\d{2})\b/g
const DATE_THEN_NUMBER = new RegExp(`\\b\\d{1,2}\\s+(?:${MONTHS})\\s+((?:19|20)\\d{2}),?\\s+n\\.?\\s*(\\d{1,5})\\b`, 'g')
// In a query, visitors also type "dlgs 142 2015": a number followed by a plausible year.
const NUMBER_SPACE_YEAR = /\b(\d{1,5})\s+((?:19|20)\d{2})\b/g
// EU acts are cited year first: "2021/1883/UE", "direttiva (UE) 2021/1883", "Reg. UE 2016/679".
const YEAR_SLASH_NUMBER = /\b((?:19|20)\d{2})\s*\/\s*(\d{1,5})\b/g
// Italian acts with a two-digit year only after the act's kind, where it cannot be a date or a
// fraction: "DPR 223/89", "L. 91/92", "d.lgs. n. 286/98".
const KIND_NUMBER_SHORT_YEAR = /\b(?:d\.?\s*p\.?\s*r|d\.?\s*lgs|d\.?\s*l|legge|l)\.?\s*(?:n\.?\s*)?(\d{1,5})\s*[/\\]\s*(\d{2})(?![\d/])/g
const fullYear = (yy: string) => `${Number(yy) >= 30 ? 19 : 20}${yy}`

/** One token for "act number N of year Y" that every engine keeps whole (no slash to split at). */
export const citationToken = (number: string, year: string) => `n${Number(number)}a${year}`

/** Citation tokens found in a text (e.g. "D.Lgs. n. 142/2015" -> ["n142a2015"]). */
export function citationTokens(text: string, { query = false } = {}): string[] {
  const folded = fold(text)
  const found = new Set<string>()
  for (const m of folded.matchAll(NUMBER_SLASH_YEAR)) found.add(citationToken(m[1]!, m[2]!))
  for (const m of folded.matchAll(NUMBER_DEL_YEAR)) found.add(citationToken(m[1]!, m[2]!))
  for (const m of folded.matchAll(DATE_THEN_NUMBER)) found.add(citationToken(m[2]!, m[1]!))
  for (const m of folded.matchAll(KIND_NUMBER_SHORT_YEAR)) found.add(citationToken(m[1]!, fullYear(m[2]!)))
  for (const m of folded.matchAll(YEAR_SLASH_NUMBER)) if (!/^(?:19|20)\d{2}$/.test(m[2]!)) found.add(citationToken(m[2]!, m[1]!))
  if (query) for (const m of folded.matchAll(NUMBER_SPACE_YEAR)) found.add(citationToken(m[1]!, m[2]!))
  return [...found]
}

/**
 * A query split into folded words, with every citation shape replaced by its token
 * ("dlgs 142/2015" -> ["dlgs", "n142a2015"]), so that "142" and "2015" don't match on their own.
 */
export function queryWords(q: string): string[] {
  let folded = fold(q)
  folded = folded.replace(KIND_NUMBER_SHORT_YEAR, (...m: string[]) => ` ${citationToken(m[1]!, fullYear(m[2]!))} `)
  const replace = (re: RegExp, numberGroup: number, yearGroup: number) => {
    folded = folded.replace(re, (...m: string[]) => ` ${citationToken(m[numberGroup]!, m[yearGroup]!)} `)
  }
  replace(NUMBER_SLASH_YEAR, 1, 2)
  replace(NUMBER_DEL_YEAR, 1, 2)
  replace(DATE_THEN_NUMBER, 2, 1)
  folded = folded.replace(YEAR_SLASH_NUMBER, (whole: string, year: string, number: string) =>
    /^(?:19|20)\d{2}$/.test(number) ? whole : ` ${citationToken(number, year)} `,
  )
  replace(NUMBER_SPACE_YEAR, 1, 2)
  return words(folded)
}

// An act's kind abbreviated, as visitors type it before the number ("dlgs", "d lgs", "DL", "DPR").
// Texts write these dotted ("D.Lgs.", "D.P.R."), which the PostgreSQL parser keeps as one token.
const ACT_KIND_ABBREVIATIONS: ReadonlySet<string> = new Set(['dlgs', 'lgs', 'dl', 'dpr'])

/**
 * Query words without the abbreviated act kind typed before a citation token ("dlgs 142 2015"
 * -> the token alone): the number and year name the act, and the abbreviation, never a word of
 * a text that cites the act dotted, would only match noise. A kind written out ("legge 1228/1954",
 * "direttiva") stays: a text that cites the act in words says it too.
 */
export function withoutActKinds(list: readonly string[]): string[] {
  const kept: string[] = []
  for (const word of list) {
    if (/^n\d+a\d{4}$/.test(word)) {
      while (kept.length > 0 && (ACT_KIND_ABBREVIATIONS.has(kept.at(-1)!) || kept.at(-1)!.length === 1)) kept.pop()
    }
    kept.push(word)
  }
  return kept
}

/**
 * The parts of every slash-joined token ("2021/1883/UE" -> "2021 1883 ue", "n/anno" -> "n anno"):
 * PostgreSQL's parser keeps such a token whole while a query is split into words, so the document
 * side indexes both.
 */
export function slashParts(text: string): string {
  return (fold(text).match(/[a-z0-9]+(?:[/\\][a-z0-9]+)+/g) ?? []).map((token) => token.split(/[/\\]/).join(' ')).join(' ; ')
}

/** Folded alphanumeric words of a text ("d'identità" -> ["d", "identita"]). */
export function words(text: string): string[] {
  return fold(text).match(/[a-z0-9]+/g) ?? []
}

/** A word that carries no meaning of its own: a stop word or a single letter. */
export const isStopWord = (word: string) => word.length <= 1 || ITALIAN_STOP_WORDS.has(word)

/** Words that carry meaning: not stop words, not single letters. */
export function contentWords(list: string[]): string[] {
  return list.filter((w) => !isStopWord(w))
}

/** Stems of the content words of a text, deduplicated, for an engine that does not stem Italian. */
export function stemCompanion(text: string): string {
  return [...new Set(contentWords(words(text)).map(stem))].join(' ')
}
