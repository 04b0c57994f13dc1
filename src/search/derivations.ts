import { stem } from './italian.js'

/**
 * Italian derivational families the Snowball stemmer leaves apart ("aderire" -> ader, "adesione"
 * -> adesion). A query word of a family also searches the family's other forms (query-side only:
 * the document keeps its own words, so a snippet highlights what the FAQ says). Curated, not a
 * prefix rule: a prefix fallback ("ades*") also meets unrelated words, which the relevance set
 * showed to cost more than it brings. Only families the stemmer splits belong here
 * (rinnovare/rinnovo, ricongiungere/ricongiungimento already share a stem).
 */
export const DERIVATION_FAMILIES: ReadonlyArray<readonly string[]> = [
  ['aderire', 'adesione', 'aderente'],
  ['iscrivere', 'iscrizione', 'iscritto'],
  ['trascrivere', 'trascrizione', 'trascritto'],
  ['sottoscrivere', 'sottoscrizione', 'sottoscritto'],
  ['rilasciare', 'rilascio'],
  ['convertire', 'conversione', 'convertito'],
  ['concedere', 'concessione', 'concesso'],
  ['emettere', 'emissione', 'emesso'],
  ['ammettere', 'ammissione', 'ammesso'],
  ['assumere', 'assunzione', 'assunto'],
  ['risiedere', 'residenza', 'residente'],
  ['nascere', 'nascita', 'nato'],
  ['accogliere', 'accoglienza', 'accolto'],
  ['scadere', 'scadenza', 'scaduto'],
  ['giurare', 'giuramento'],
  ['sospendere', 'sospensione', 'sospeso'],
  ['decidere', 'decisione', 'deciso'],
  ['richiedere', 'richiesta', 'richiedente'],
  ['rendicontare', 'rendicontazione', 'rendiconto'],
  ['ricongiungere', 'ricongiungimento'],
  ['rinnovare', 'rinnovo'],
  ['cancellare', 'cancellazione'],
  ['naturalizzare', 'naturalizzazione'],
  ['tutelare', 'tutela', 'tutore'],
]

const FAMILY_OF_STEM = new Map<string, readonly string[]>()
for (const family of DERIVATION_FAMILIES) {
  const stems = new Set(family.map(stem))
  // A family whose forms share one stem needs no help.
  if (stems.size < 2) continue
  for (const s of stems) FAMILY_OF_STEM.set(s, family)
}

/** The other forms of a folded word's family whose stems differ from its own (empty when none). */
export function derivedForms(word: string): string[] {
  const own = stem(word)
  const family = FAMILY_OF_STEM.get(own)
  if (!family) return []
  const seen = new Set([own])
  return family.filter((form) => {
    const s = stem(form)
    if (seen.has(s)) return false
    seen.add(s)
    return true
  })
}
