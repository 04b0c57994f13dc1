import { fold, isStopWord, words } from './italian.js'

/**
 * The field's synonyms and acronyms. Each group lists ways of saying the same thing; a query for
 * any of them finds documents using any other. Shared by both search engines.
 * Keep entries specific: a group of loosely related words makes every query noisy.
 */
export const SYNONYM_GROUPS: ReadonlyArray<readonly string[]> = [
  ['permesso di soggiorno', 'pds', 'titolo di soggiorno'],
  ['permesso di soggiorno ue per soggiornanti di lungo periodo', 'permesso ue per soggiornanti di lungo periodo', 'soggiornanti di lungo periodo', 'carta di soggiorno', 'permesso di lungo periodo', 'lungo soggiornanti'],
  ['sprar', 'siproimi', 'sai', 'sistema di accoglienza e integrazione', 'sistema di protezione per richiedenti asilo e rifugiati'],
  ['cas', 'centro di accoglienza straordinaria', 'centri di accoglienza straordinaria', 'accoglienza straordinaria'],
  ['carta d identita elettronica', 'cie', 'carta di identita elettronica', 'carta d identita', 'carta di identita', 'documento di identita'],
  ['ricongiungimento familiare', 'ricongiungimento', 'ricongiungimenti familiari', 'riunificazione familiare'],
  ['nulla osta al ricongiungimento', 'nulla osta'],
  ['richiedente asilo', 'richiedenti asilo', 'richiedente protezione internazionale', 'richiedenti protezione internazionale'],
  ['titolare di protezione internazionale', 'rifugiato', 'rifugiati', 'beneficiario di protezione internazionale'],
  ['protezione sussidiaria', 'sussidiaria'],
  ['protezione speciale', 'protezione umanitaria', 'permesso umanitario'],
  ['msna', 'minori stranieri non accompagnati', 'minore straniero non accompagnato', 'minori non accompagnati'],
  ['anagrafe', 'iscrizione anagrafica', 'residenza', 'registro della popolazione residente', 'anpr'],
  ['dimora abituale', 'dichiarazione di dimora abituale', 'domicilio effettivo'],
  // Visitors describe the person ("dorme per strada"); the law and the FAQs say "senza fissa dimora".
  ['senza fissa dimora', 'senza dimora', 'senzatetto', 'senza tetto', 'clochard', 'vive per strada', 'dorme per strada', 'vive in strada', 'dorme in strada', 'homeless'],
  ['cancellazione anagrafica', 'cancellazione dall anagrafe', 'irreperibilita'],
  // Visitors name the person ("mia moglie"); the law and the FAQs say "coniuge".
  ['coniuge', 'coniugi', 'moglie', 'marito'],
  // The law says "maggiore età" and "al compimento del diciottesimo anno"; visitors "compie 18 anni".
  ['maggiore eta', 'maggiorenne', 'maggiorenni', 'neomaggiorenne', 'neomaggiorenni', 'diciotto anni', '18 anni', 'diciottesimo anno', 'diciottesimo compleanno'],
  // The GDPR is Reg. (UE) 2016/679 (its citation token); visitors say "privacy", FAQs "dati personali".
  ['gdpr', 'n679a2016', 'regolamento generale sulla protezione dei dati', 'protezione dei dati personali', 'dati personali', 'privacy'],
  // Visitors say "vigili"; the law and the FAQs say "polizia locale" or "polizia municipale".
  ['polizia locale', 'polizia municipale', 'vigili urbani', 'vigile urbano', 'vigili'],
  ['codice fiscale', 'cf'],
  ['questura', 'ufficio immigrazione'],
  ['prefettura', 'utg', 'ufficio territoriale del governo'],
  ['sportello unico per l immigrazione', 'sui', 'sportello unico'],
  ['commissione territoriale', 'commissione asilo'],
  ['cittadinanza', 'cittadinanza italiana', 'naturalizzazione'],
  ['ricevuta', 'cedolino', 'ricevuta postale', 'ricevuta di rinnovo'],
  ['kit postale', 'kit'],
  // Visitors say "braccianti"; the FAQs and the law say "lavoratori agricoli" or "stagionali in agricoltura".
  ['braccianti', 'bracciante', 'braccianti agricoli', 'lavoratori agricoli', 'lavoratore agricolo', 'operai agricoli', 'lavoratori stagionali in agricoltura'],
  ['lavoratore stagionale', 'lavoratori stagionali', 'lavoro stagionale', 'stagionali'],
  ['decreto flussi', 'flussi'],
  ['unione di comuni', 'unioni di comuni', 'gestione associata'],
  ['servizio sanitario nazionale', 'ssn', 'tessera sanitaria'],
  ['reddito di inclusione', 'rei'],
  ['assegno di inclusione', 'adi'],
  ['unione europea', 'ue'],
  // The TUI is D.Lgs. 286/1998: its citation token makes "art. 29 TUI" meet "art. 29 del D.Lgs. 286/1998".
  ['testo unico immigrazione', 'tui', 'testo unico sull immigrazione', 'n286a1998'],
  ['decreto legislativo', 'dlgs', 'd lgs'],
  ['decreto legge', 'dl'],
  ['decreto del presidente della repubblica', 'dpr'],
  ['ministero dell interno', 'viminale'],
  ['fami', 'fondo asilo migrazione e integrazione'],
]

/** A synonym group as folded word sequences. */
type Phrase = readonly string[]
const GROUPS: ReadonlyArray<readonly Phrase[]> = SYNONYM_GROUPS.map((group) => group.map((p) => words(fold(p))))

export interface Concept {
  /** Where the matched phrase sits in the word list. */
  start: number
  end: number
  /** Every way of saying it (the matched phrase first). */
  phrases: Phrase[]
}

/**
 * Finds synonym phrases in a word list, longest match first, left to right, without overlaps:
 * "rinnovo permesso di soggiorno" -> one concept over words 1..3. Stop words need not be typed
 * as the phrase has them ("permesso soggiorno", "carta identita"), nor typed ones be in it.
 */
export function findConcepts(list: readonly string[]): Concept[] {
  const found: Concept[] = []
  let i = 0
  while (i < list.length) {
    let best: { length: number; exact: boolean; group: readonly Phrase[]; phrase: Phrase } | undefined
    for (const group of GROUPS) {
      for (const phrase of group) {
        const match = matchAt(list, i, phrase)
        if (!match) continue
        if (!best || match.length > best.length || (match.length === best.length && match.exact && !best.exact)) best = { ...match, group, phrase }
      }
    }
    if (best) {
      const { phrase, group } = best
      found.push({ start: i, end: i + best.length, phrases: [phrase, ...group.filter((p) => p !== phrase)] })
      i += best.length
    } else {
      i += 1
    }
  }
  return found
}

/** How many words of `list` from `at` say `phrase`, its stop words aside; undefined if they do not. */
function matchAt(list: readonly string[], at: number, phrase: Phrase): { length: number; exact: boolean } | undefined {
  if (phrase.length === 0) return undefined
  if (phrase.every((w, k) => list[at + k] === w)) return { length: phrase.length, exact: true }
  // A phrase of stop words alone ("sui") must be typed as it is.
  if (list[at] === undefined || isStopWord(list[at]) || phrase.every(isStopWord)) return undefined
  let k = at
  for (const word of phrase) {
    if (isStopWord(word)) {
      if (list[k] === word) k += 1
      continue
    }
    while (k > at && k < list.length && list[k] !== word && isStopWord(list[k]!)) k += 1
    if (list[k] !== word) return undefined
    k += 1
  }
  return { length: k - at, exact: false }
}

/** The other ways of saying what a text says, as text to index beside it (document-side expansion). */
export function synonymExpansion(text: string): string {
  const seen = new Set<string>()
  for (const concept of findConcepts(words(text))) {
    for (const phrase of concept.phrases.slice(1)) seen.add(phrase.join(' '))
  }
  return [...seen].join(' ; ')
}

/** Meilisearch's synonym map: every phrase of a group maps to all the others (both directions). */
export function synonymMap(): Record<string, string[]> {
  const map: Record<string, string[]> = {}
  for (const group of GROUPS) {
    const phrases = group.map((p) => p.join(' '))
    for (const phrase of phrases) map[phrase] = [...new Set([...(map[phrase] ?? []), ...phrases.filter((p) => p !== phrase)])]
  }
  return map
}
