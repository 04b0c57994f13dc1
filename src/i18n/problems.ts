import { z } from 'zod'
import type { ErrorCode } from '../shared/error-codes.js'
import { formatDateTime } from './format.js'
import type { Locale } from './locale.js'

/**
 * The Italian `detail` of every error code, as a person reads it in an API answer, on an error
 * page or in a form. A message may use the error's extra members (the forum day's window, the
 * current state...). English details are the services' own words, written where the error is
 * thrown; Italian is the default (see `locale.ts`).
 */
type Extra = Record<string, unknown>
/** The request a problem answers, for messages that quote it. */
export interface ProblemRequest {
  id: string
  method: string
  path: string
}
export type ItalianMessage = string | ((extra: Extra, request: ProblemRequest) => string)

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined)
const record = (value: unknown): Extra => (value && typeof value === 'object' ? (value as Extra) : {})
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])
const when = (iso: unknown): string | undefined => (text(iso) && !Number.isNaN(Date.parse(iso as string)) ? formatDateTime(iso as string) : undefined)

/** A forum day's opening or closing, from `window` (question submission) or the top level (edits). */
const dayInstant = (extra: Extra, key: 'opensAt' | 'closesAt') => when(record(extra.window)[key] ?? extra[key])

const QUESTION_STATES: Record<string, string> = {
  submitted: 'in attesa di un esperto',
  claimed: 'in lavorazione',
  clarification_requested: 'in attesa di chiarimenti',
  answered: 'con risposta',
  closed: 'chiusa',
  duplicate: 'chiusa come duplicato',
  rejected: 'respinta',
  withdrawn: 'ritirata',
}
const ACTIONS: Record<string, string> = {
  claim: 'prendere in carico',
  reassign: 'riassegnare',
  renew: 'rinnovare la presa in carico di',
  release: 'rilasciare',
  clarification: 'chiedere chiarimenti su',
  reply: 'rispondere al chiarimento di',
  answer: 'rispondere a',
  duplicate: 'chiudere come duplicato',
  reject: 'respingere',
  withdraw: 'ritirare',
  close: 'chiudere',
  edit: 'modificare',
}
const WEAK_PASSWORD: Record<string, string> = {
  too_short: 'La password deve avere almeno 12 caratteri.',
  common: 'Questa password è tra le più usate: scegline un’altra.',
  repetitive: 'La password ripete troppo pochi caratteri: scegline un’altra.',
  email: 'La password non può essere il tuo indirizzo email.',
}

/**
 * The address parameters of the public pages, named as a visitor who followed or edited a link
 * would understand them (the parameter itself follows, for whoever wrote the link).
 */
const PARAMETER_NAMES: Record<string, string> = {
  q: 'il testo da cercare',
  page: 'il numero di pagina',
  year: 'l’anno',
  theme: 'il tema',
  tag: 'l’etichetta',
  law: 'la norma',
}

function fieldsOf(extra: Extra): string {
  const fields = (Array.isArray(extra.errors) ? extra.errors : [])
    .map((e) => text(record(e).field))
    .filter((f): f is string => f !== undefined)
    .map((f) => {
      const parameter = /^querystring\.(\w+)$/.exec(f)?.[1]
      const name = parameter === undefined ? undefined : PARAMETER_NAMES[parameter]
      return name ? `${name} (${parameter})` : f.replace(/^(body|querystring|query|params|headers)\./, '')
    })
  return [...new Set(fields)].join(', ')
}

function seconds(n: number | undefined): string {
  if (n === undefined) return 'tra qualche minuto'
  if (n < 60) return `tra ${n} secondi`
  const minutes = Math.ceil(n / 60)
  return minutes === 1 ? 'tra un minuto' : `tra ${minutes} minuti`
}

export const PROBLEM_MESSAGES = {
  ROUTE_NOT_FOUND: (_, request) => `Non esiste nessuna pagina all’indirizzo ${request.path}. Controlla l’indirizzo, oppure parti dalla pagina iniziale.`,
  VALIDATION_FAILED: (x) => {
    const fields = fieldsOf(x)
    return fields ? `Alcuni dati non sono validi: controlla ${fields}.` : 'Alcuni dati della richiesta non sono validi.'
  },
  INVALID_CHARACTERS: (x) => {
    const fields = fieldsOf(x)
    return `Il testo contiene caratteri non ammessi (il carattere nullo o un carattere Unicode incompleto)${fields ? `: controlla ${fields}` : ''}.`
  },
  MALFORMED_BODY: 'Il contenuto della richiesta non è leggibile: deve essere un JSON valido.',
  PAYLOAD_TOO_LARGE: 'Il contenuto della richiesta è troppo grande.',
  UNSUPPORTED_MEDIA_TYPE: 'Il formato del contenuto della richiesta non è accettato: usa application/json.',
  BAD_REQUEST: 'La richiesta non è valida.',
  RATE_LIMITED: 'Troppe richieste in poco tempo: attendi qualche istante e riprova.',
  NOT_READY: (x) => {
    const down = Object.entries(record(x.checks))
      .filter(([, state]) => state === 'down')
      .map(([name]) => (name === 'database' ? 'il database' : name === 'search' || name === 'meilisearch' ? 'il motore di ricerca' : name))
    return down.length > 0 ? `Il servizio non è pronto: non risponde ${down.join(' né ')}.` : 'Il servizio non è pronto.'
  },
  INTERNAL_ERROR: (_, request) =>
    `Si è verificato un errore imprevisto da parte nostra. Riprova tra poco; se il problema continua, segnala alla segreteria il codice ${request.id}.`,
  DATABASE_UNAVAILABLE: 'Il servizio è momentaneamente non disponibile: il database non risponde. Riprova tra qualche istante.',
  SEARCH_UNAVAILABLE: 'La ricerca è momentaneamente non disponibile. Riprova tra qualche istante.',
  INVALID_SEARCH_FILTER: 'Uno dei filtri della ricerca (tema, etichetta o norma) non è valido. Rimuovilo e riprova.',
  UPGRADE_REQUIRED: 'Questo indirizzo accetta solo connessioni WebSocket.',

  UNAUTHENTICATED: 'Per questa operazione devi accedere con il tuo account.',
  FORBIDDEN: 'Il tuo ruolo non consente questa operazione.',
  CSRF_REJECTED: 'Richiesta rifiutata perché proviene da un altro sito: ripetila dalle pagine del forum.',
  MODERATORS_ONLY: 'Solo la segreteria del forum può fare questa operazione.',
  EXPERTS_ONLY: 'Solo gli esperti e la segreteria lavorano la coda delle domande.',
  STAFF_ONLY: 'Solo il personale del comune che ha posto la domanda può farlo.',
  NOT_YOUR_ORGANIZATION: 'Puoi vedere solo i dati del tuo ente.',
  NOT_YOUR_QUESTION: 'Solo chi ha posto la domanda può modificarla o ritirarla.',
  NOT_THE_ANSWERER: 'Solo l’esperto che ha risposto, o la segreteria, può modificare la risposta.',
  NOT_ALLOWED: 'La domanda la chiude il comune che l’ha posta, oppure la segreteria.',
  NOT_FOUND: 'Quello che cerchi non esiste.',

  INVALID_CREDENTIALS: 'Email o password non corrette.',
  LOGIN_THROTTLED: (x) => `Troppi tentativi di accesso non riusciti: riprova ${seconds(number(x.retryAfterSeconds))}.`,
  ACCOUNT_DEACTIVATED: 'Questo account è stato disattivato: contatta la segreteria del forum.',
  USER_NOT_FOUND: 'Utente non trovato.',
  EMAIL_TAKEN: 'Esiste già un account con questa email.',
  INVITATION_NOT_FOUND: 'Questo link di invito non è valido. Chiedi un nuovo invito alla segreteria del forum.',
  INVITATION_USED: 'Questo invito è già stato usato: accedi con la tua email e la password scelta.',
  INVITATION_EXPIRED: 'Questo invito è scaduto. Chiedi un nuovo invito alla segreteria del forum.',
  PASSWORD_RESET_NOT_FOUND: 'Questo link non è valido. Chiedi un nuovo link alla segreteria del forum.',
  PASSWORD_RESET_USED: 'Questo link è già stato usato. Se serve, chiedine uno nuovo alla segreteria del forum.',
  PASSWORD_RESET_EXPIRED: 'Questo link è scaduto. Chiedine uno nuovo alla segreteria del forum.',
  WRONG_PASSWORD: 'La password attuale non è corretta.',
  WEAK_PASSWORD: (x) => WEAK_PASSWORD[text(x.reason) ?? ''] ?? 'La password è troppo debole: scegline un’altra.',
  SELF_CHANGE_FORBIDDEN: 'Il tuo ruolo o la disattivazione del tuo account li cambia un altro amministratore.',
  ORGANIZATION_REQUIRED: 'Gli account del personale appartengono a un comune o a un’Unione: indica l’ente.',
  ORGANIZATION_NOT_ALLOWED: 'Solo gli account del personale dei comuni appartengono a un ente.',
  TOPICS_NOT_ALLOWED: 'Solo gli esperti hanno ambiti di competenza.',
  UNKNOWN_ORGANIZATION: 'Nessun comune o Unione con questo identificativo.',

  UNKNOWN_ISTAT_CODE: (x) => {
    const codes = list(x.istatCodes)
    return codes.length > 0 ? `Codice ISTAT sconosciuto: ${codes.join(', ')}.` : 'Nessun comune con questo codice ISTAT.'
  },
  ORGANIZATION_NOT_FOUND: 'Comune o Unione non trovato.',
  UNIONE_TOO_SMALL: 'Un’Unione di Comuni ha almeno due comuni.',
  UNIONE_REGIONS_DIFFER: 'I comuni di un’Unione devono essere nella stessa regione.',
  COMUNE_ALREADY_IN_UNIONE: 'Uno dei comuni fa già parte di un’altra Unione.',

  EDITION_NOT_FOUND: 'Edizione del programma non trovata.',
  FORUM_DAY_NOT_FOUND: 'Giornata di forum non trovata.',
  FORUM_DAY_NOT_OPEN: (x) => {
    const opens = dayInstant(x, 'opensAt')
    return opens ? `La giornata di forum non è ancora aperta: apre ${opens}. Il testo della domanda non è andato perso.` : 'La giornata di forum non è ancora aperta.'
  },
  FORUM_DAY_CLOSED: (x) => {
    const closes = dayInstant(x, 'closesAt')
    return closes ? `La giornata di forum è chiusa: ha chiuso ${closes}.` : 'La giornata di forum è chiusa.'
  },
  FORUM_DAY_CANCELLED: 'La giornata di forum è stata annullata.',
  FORUM_DAY_ALREADY_OPENED: 'La giornata è già aperta: l’orario di apertura non si può più spostare.',
  NOT_A_REHEARSAL: 'Si possono cancellare solo i dati delle giornate di prova.',
  NONEXISTENT_LOCAL_TIME: 'Quest’ora non esiste in Italia: è saltata con il passaggio all’ora legale. Scegli un altro orario.',
  INVALID_WINDOW: (x) =>
    x.field === 'answerDeadline'
      ? 'La scadenza per le risposte non può venire prima della chiusura della giornata.'
      : 'La giornata deve aprire prima di chiudere.',
  UNKNOWN_THEME: (x) => {
    const unknown = list(x.unknown)
    return unknown.length > 0 ? `Temi non previsti dall’edizione: ${unknown.join(', ')}.` : 'Il tema scelto non è tra quelli della giornata.'
  },
  DUPLICATE_THEME: 'I codici dei temi devono essere diversi tra loro.',
  THEME_IN_USE: (x) => {
    const used = list(x.used)
    return `Non si possono togliere temi usati da giornate di forum${used.length > 0 ? `: ${used.join(', ')}` : ''}.`
  },
  STALE_VERSION: 'Nel frattempo qualcun altro ha modificato questi dati: ricarica e ripeti la modifica.',
  PRECONDITION_REQUIRED: 'Indica la versione che hai modificato (intestazione If-Match), così nessuna modifica va persa.',
  NOT_ENROLLED: 'Il tuo ente non è iscritto a questa edizione del programma.',
  NOT_ELIGIBLE_KIND: 'Questa edizione del programma non è aperta a questo tipo di ente.',
  NOT_ELIGIBLE_REGION: 'Questa edizione del programma non comprende la regione del tuo ente.',
  NOT_ELIGIBLE_POPULATION: 'La popolazione del tuo ente è fuori dalla fascia prevista da questa edizione.',
  POPULATION_UNKNOWN: 'Nell’anagrafe dei comuni manca la popolazione del tuo ente: contatta la segreteria.',

  QUESTION_NOT_FOUND: 'Domanda non trovata.',
  QUESTION_NOT_VISIBLE: 'Questa domanda è di un altro ente, o di un lavoro che non segui.',
  QUESTION_ALREADY_CLAIMED: (x) => {
    const name = text(record(x.holder).name)
    return name ? `Sta già rispondendo ${name}.` : 'Un altro esperto sta già rispondendo a questa domanda.'
  },
  NOT_CLAIM_HOLDER: (x) => {
    const name = text(record(x.holder).name)
    return name ? `Ora può farlo solo ${name}, che ha preso in carico la domanda.` : 'Ora può farlo solo l’esperto che ha preso in carico la domanda.'
  },
  INVALID_TRANSITION: (x) => {
    const action = ACTIONS[text(x.action) ?? '']
    const state = QUESTION_STATES[text(x.state) ?? '']
    return action && state ? `Non si può ${action} una domanda ${state}.` : 'Lo stato della domanda non consente questa operazione.'
  },
  IDEMPOTENCY_KEY_MISSING: 'Manca l’intestazione Idempotency-Key: serve a non creare due volte la stessa domanda.',
  IDEMPOTENCY_KEY_INVALID: 'L’intestazione Idempotency-Key deve avere da 1 a 255 caratteri ASCII visibili.',
  IDEMPOTENCY_KEY_REUSED: 'Questa Idempotency-Key è già stata usata per un’altra richiesta: usane una nuova per una nuova domanda.',
  OPEN_QUESTIONS_LIMIT: (x) => {
    const limit = number(x.limit)
    return limit !== undefined
      ? `Il tuo ente ha già ${limit} domande aperte in questa giornata, il massimo consentito: attendi una risposta prima di inviarne altre.`
      : 'Il tuo ente ha raggiunto il numero massimo di domande aperte in questa giornata.'
  },
  QUEUE_EMPTY: 'Nessuna domanda in attesa per questo filtro.',
  NOT_AN_EXPERT: 'Le domande si assegnano solo a esperti o componenti della segreteria attivi.',
  DRAFT_NOT_FOUND: 'Nessuna bozza di risposta salvata.',

  QUESTIONNAIRE_NOT_FOUND: 'Questionario di autodiagnosi non trovato.',
  QUESTIONNAIRE_INVALID: 'Il questionario non è valido: ogni domanda ha almeno due livelli, punteggi e obiettivi stanno nella scala, i codici sono diversi tra loro.',
  QUESTIONNAIRE_NOT_LATEST: 'Esiste una versione più recente di questo questionario: modifica o pubblica quella.',
  QUESTIONNAIRE_NOT_PUBLISHED: 'Si può avviare l’autodiagnosi solo sulla versione pubblicata del questionario.',
  ASSESSMENT_NOT_FOUND: 'Autodiagnosi non trovata.',
  ASSESSMENT_IN_PROGRESS: 'Il tuo ente ha già un’autodiagnosi in corso su questo questionario: continua quella.',
  ASSESSMENT_SUBMITTED: 'Questa autodiagnosi è già stata inviata e non si può più modificare: puoi avviarne una nuova.',
  ASSESSMENT_INCOMPLETE: 'Mancano ancora delle risposte: rispondi a tutte le domande (o indica «non applicabile») prima di inviare.',
  ASSESSMENT_NOT_SUBMITTED: 'Il risultato sarà disponibile dopo l’invio dell’autodiagnosi.',
  ANSWER_INVALID: 'Una risposta non corrisponde alle domande o ai livelli di questo questionario.',
  FAQ_NOT_FOUND: 'Questa domanda e risposta non esiste, oppure non è pubblica.',
  FAQ_WITHDRAWN: 'Questa risposta è stata ritirata dalla segreteria del forum e non è più pubblicata.',
  FAQ_ALREADY_PUBLISHED: 'Questa domanda è già pubblicata tra le domande e risposte.',
  QUESTION_NOT_ANSWERED: (x) => {
    const state = QUESTION_STATES[text(x.state) ?? '']
    return `Si pubblicano solo domande con risposta${state ? `; questa è ${state}` : ''}.`
  },
  PRIVACY_FINDINGS: (x) => {
    const n = Array.isArray(x.findings) ? x.findings.length : 0
    return `Il testo potrebbe contenere dati personali (${n === 1 ? '1 segnalazione' : `${n} segnalazioni`}): toglili, oppure pubblica indicando il motivo.`
  },
  UNKNOWN_LAW_CITATION: 'Non riconosciamo questa citazione di un atto normativo: scrivila ad esempio come «D.Lgs. 142/2015».',

  INVALID_MESSAGE: 'Messaggio non valido: invia un oggetto JSON per frame di testo.',
  CHANNEL_UNKNOWN: 'Nessun canale con questo nome.',
  CHANNEL_FORBIDDEN: 'Non puoi seguire questo canale.',
  TOO_MANY_CHANNELS: 'Troppi canali su una connessione (al massimo 100).',
  INTERNAL: 'Il server non è riuscito a gestire il messaggio: riprova.',
} satisfies Record<ErrorCode, ItalianMessage>

/** The Italian text of a code, or undefined for a code not (yet) in the catalogue. */
export function italianDetail(code: string, extra: Extra, request: ProblemRequest): string | undefined {
  const message = (PROBLEM_MESSAGES as Record<string, ItalianMessage | undefined>)[code]
  if (message === undefined) return undefined
  return typeof message === 'string' ? message : message(extra, request)
}

/** Problem titles by status, in the caller's language (Italian unless English is preferred). */
const TITLES: Record<number, { it: string; en: string }> = {
  400: { it: 'Richiesta non valida', en: 'Bad request' },
  401: { it: 'Accesso necessario', en: 'Unauthenticated' },
  403: { it: 'Operazione non consentita', en: 'Forbidden' },
  404: { it: 'Non trovato', en: 'Not found' },
  405: { it: 'Metodo non consentito', en: 'Method not allowed' },
  409: { it: 'Conflitto con lo stato attuale', en: 'Conflict' },
  410: { it: 'Non più disponibile', en: 'Gone' },
  412: { it: 'Versione non aggiornata', en: 'Precondition failed' },
  413: { it: 'Richiesta troppo grande', en: 'Request body too large' },
  415: { it: 'Formato non supportato', en: 'Unsupported media type' },
  422: { it: 'Dati non accettabili', en: 'Unprocessable content' },
  426: { it: 'Serve WebSocket', en: 'Upgrade required' },
  428: { it: 'Versione richiesta', en: 'Precondition required' },
  429: { it: 'Troppe richieste', en: 'Too many requests' },
  500: { it: 'Errore interno', en: 'Internal error' },
  503: { it: 'Servizio non disponibile', en: 'Service unavailable' },
}

export const problemTitle = (status: number, locale: Locale): string =>
  (TITLES[status] ?? (status >= 500 ? TITLES[500]! : { it: 'Richiesta non riuscita', en: 'Request failed' }))[locale]

const zodItalian = z.locales.it().localeError

/** A validation issue (as fastify-type-provider-zod reports it) in Italian, from zod's own Italian locale. */
export function italianIssue(code: string, params: Record<string, unknown> | undefined): string | undefined {
  try {
    const message = zodItalian({ ...params, code } as unknown as Parameters<typeof zodItalian>[0])
    return typeof message === 'string' ? message : message?.message
  } catch {
    return undefined
  }
}
