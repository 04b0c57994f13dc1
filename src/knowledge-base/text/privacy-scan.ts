/** Personal data that must not reach a public FAQ, found by pattern before publishing. */
export interface PrivacyFinding {
  kind: 'email' | 'phone' | 'fiscal_code' | 'iban' | 'protocol_number' | 'comune_name' | 'person_name'
  start: number
  end: number
  text: string
  message: string
}

/** What patterns cannot catch: the moderator confirms each before publishing. */
export const PRIVACY_CHECKLIST = [
  { id: 'thirdPartyNames', label: 'Non restano nomi di terze persone (familiari, operatori, altri cittadini)' },
  { id: 'healthData', label: 'Non restano dati sulla salute' },
  { id: 'judicialData', label: 'Non restano dati giudiziari (condanne, procedimenti, misure)' },
  { id: 'otherIdentifyingDetails', label: 'Non restano altri dettagli che rendono riconoscibile la persona o il comune' },
] as const

const MESSAGES: Record<PrivacyFinding['kind'], string> = {
  email: 'Indirizzo e-mail',
  phone: 'Numero di telefono',
  fiscal_code: 'Codice fiscale',
  iban: 'IBAN',
  protocol_number: 'Numero di protocollo',
  comune_name: 'Nome del comune che ha posto la domanda',
  person_name: 'Nome della persona che ha posto la domanda',
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu
// Italian mobiles (3xx) and landlines (0x), with optional +39/0039 and common separators.
const PHONE = /(?<![\p{L}\p{N}/.,-])(?:(?:\+|00)39[\s.-]?)?(?:3\d{2}|0\d{1,3})(?:[\s.-]?\d){5,8}(?![\p{L}\p{N}]|[/.,-]\d)/gu
const FISCAL_CODE = /(?<![\p{L}\p{N}])[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![\p{L}\p{N}])/giu
const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![\p{L}\p{N}])/gu
const PROTOCOL = /(?<![\p{L}])(?:prot(?:ocollo)?\.?\s*(?:n(?:r|um)?\.?|numero)?\s*:?\s*|n\.?\s*prot\.?\s*:?\s*)(?=[\w/.-]*\d)[\w/.-]*[\p{L}\p{N}]/giu

// Codice fiscale check character: values of characters in odd and even positions (1-based).
const ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
const value = (c: string) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65)

export function isValidFiscalCode(code: string): boolean {
  const cf = code.toUpperCase()
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const v = value(cf[i] as string)
    sum += i % 2 === 0 ? (ODD[v] as number) : v
  }
  return cf[15] === String.fromCharCode(65 + (sum % 26))
}

export function isValidIban(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '').toUpperCase()
  if (iban.length < 15 || iban.length > 34 || (iban.startsWith('IT') && iban.length !== 27)) return false
  const digits = `${iban.slice(4)}${iban.slice(0, 4)}`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55))
  let remainder = 0
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97
  return remainder === 1
}

/** Lower-case, accents removed, one output character per input character (so positions hold). */
function foldKeepingPositions(text: string): string {
  let out = ''
  for (const ch of text) {
    const folded = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    out += folded.length === ch.length ? folded : ch.toLowerCase().slice(0, ch.length).padEnd(ch.length, ' ')
  }
  return out
}

const WORD_CHAR = /[\p{L}\p{N}]/u

function findName(text: string, folded: string, name: string, kind: 'comune_name' | 'person_name'): PrivacyFinding[] {
  const needle = foldKeepingPositions(name.trim()).replace(/\s+/g, ' ')
  if (needle.length < 3) return []
  const findings: PrivacyFinding[] = []
  for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + 1)) {
    const before = folded[at - 1]
    const after = folded[at + needle.length]
    if ((before && WORD_CHAR.test(before)) || (after && WORD_CHAR.test(after))) continue
    findings.push({ kind, start: at, end: at + needle.length, text: text.slice(at, at + needle.length), message: MESSAGES[kind] })
  }
  return findings
}

/** "Mario Rossi" is also written "Rossi Mario" in Italian offices. */
const nameVariants = (name: string) => {
  const parts = name.trim().split(/\s+/)
  return parts.length === 2 ? [name, `${parts[1]} ${parts[0]}`] : [name]
}

function byPattern(text: string, pattern: RegExp, kind: PrivacyFinding['kind'], valid: (s: string) => boolean = () => true): PrivacyFinding[] {
  return [...text.matchAll(pattern)]
    .filter((m) => valid(m[0]))
    .map((m) => ({ kind, start: m.index, end: m.index + m[0].length, text: m[0], message: MESSAGES[kind] }))
}

/**
 * Finds e-mail addresses, phone numbers, fiscal codes (check character verified), IBANs
 * (mod-97 verified), protocol numbers, and the asking comune's and person's names
 * (case- and accent-insensitive, whole words). Sorted by position.
 */
export function scanPersonalData(text: string, names: { comuneNames?: string[]; personNames?: string[] } = {}): PrivacyFinding[] {
  const folded = foldKeepingPositions(text)
  const findings = [
    ...byPattern(text, EMAIL, 'email'),
    ...byPattern(text, PHONE, 'phone', (s) => {
      const digits = s.replace(/\D/g, '').replace(/^(?:0039|39)(?=[03])/, '')
      return digits.length >= 6 && digits.length <= 11
    }),
    ...byPattern(text, FISCAL_CODE, 'fiscal_code', isValidFiscalCode),
    ...byPattern(text, IBAN, 'iban', isValidIban),
    ...byPattern(text, PROTOCOL, 'protocol_number'),
    ...(names.comuneNames ?? []).flatMap((n) => findName(text, folded, n, 'comune_name')),
    ...(names.personNames ?? []).flatMap((n) => nameVariants(n).flatMap((v) => findName(text, folded, v, 'person_name'))),
  ]
  // Digits inside an e-mail or an IBAN are not a second finding: keep the enclosing one.
  const kept: PrivacyFinding[] = []
  for (const f of findings.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start))) {
    if (!kept.some((k) => k.start <= f.start && k.end >= f.end)) kept.push(f)
  }
  return kept
}
