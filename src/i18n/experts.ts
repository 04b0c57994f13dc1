import { formatNumber } from './format.js'

/** How a waiting time reads, as patterns the queue's live script fills in too (it holds no words). */
export const WAIT_PATTERNS = { lessThanMinute: 'meno di 1 min', minutes: '{m} min', hours: '{h} h {m} min', days: '{d} g {h} h' } as const

const fillIn = (pattern: string, values: Record<string, string | number>) => pattern.replace(/\{(\w)\}/g, (_m, key: string) => String(values[key] ?? ''))

/** "12 min", "3 h 5 min", "2 g 4 h": how long something has waited, short enough for a table cell. */
export function durationText(seconds: number): string {
  const minutes = Math.max(0, Math.floor(seconds / 60))
  if (minutes < 1) return WAIT_PATTERNS.lessThanMinute
  if (minutes < 60) return fillIn(WAIT_PATTERNS.minutes, { m: minutes })
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return fillIn(WAIT_PATTERNS.hours, { h: hours, m: minutes % 60 })
  return fillIn(WAIT_PATTERNS.days, { d: formatNumber(Math.floor(hours / 24)), h: hours % 24 })
}

/**
 * What the experts' pages say (the queue and the answer desk), in Italian. Kept apart from
 * `staff.ts` (the comune staff's pages) so each set of pages can be read and reviewed alone.
 */
export const experts = {
  queue: {
    title: 'Coda delle domande',
    lead: 'Le domande in attesa di un esperto, dalla più vecchia. La coda si aggiorna da sola.',
    desk: 'La tua scrivania',
    deskLead: 'Le domande che hai in carico. Quelle a cui il comune ha appena risposto sono in cima.',
    deskNone: 'Non hai domande in carico.',
    returned: 'Il comune ha risposto',
    awaiting: 'Aspetti il chiarimento del comune',
    leaseUntil: (time: string) => `tua fino alle ${time}`,
    filters: 'Filtra la coda',
    day: 'Giornata di forum',
    anyDay: 'Tutte le giornate',
    theme: 'Tema',
    anyTheme: 'Tutti i temi',
    filter: 'Filtra',
    next: 'Prendi la prossima',
    nextHint: 'Prende la domanda in attesa da più tempo, con i filtri scelti.',
    waiting: 'In attesa',
    none: 'Nessuna domanda in attesa per questi filtri.',
    empty: 'Nessuna domanda in attesa per questi filtri: la coda è vuota.',
    columns: { title: 'Domanda', theme: 'Tema', waiting: 'In attesa da', deadline: 'Risposta entro', action: 'Azione' },
    overdue: 'Scaduta',
    claim: 'Prendi',
    claimTitle: (title: string) => `Prendi la domanda «${title}»`,
    justArrived: 'appena arrivata',
    working: 'Colleghi al lavoro',
    workingNone: 'Nessun collega sta rispondendo in questo momento.',
    isAnswering: (name: string) => `${name} sta rispondendo`,
    drafting: (names: string) => `Bozza recente di ${names}`,
    live: 'Aggiornamento in tempo reale attivo.',
    offline: 'Aggiornamento in tempo reale interrotto: nuovo tentativo in corso.',
    replyNotice: (title: string) => `Il comune ha risposto al tuo chiarimento su «${title}».`,
    open: 'Apri la domanda',
  },
  desk: {
    back: 'Torna alla coda',
    state: 'Stato:',
    theme: 'Tema:',
    day: 'Giornata:',
    deadline: 'Risposta entro:',
    asked: (name: string, organization: string) => `Inviata da ${name} (${organization})`,
    yours: 'La domanda è tua',
    leaseUntil: 'Tua fino alle',
    leaseLeft: 'Tempo rimasto:',
    leaseExpired: 'Il tempo è scaduto: rinnova o la domanda torna in coda.',
    renew: 'Rinnova',
    release: 'Rilascia',
    releaseHint: 'Rilasciando, la domanda torna in coda per i colleghi; la tua bozza resta.',
    claim: 'Prendi la domanda',
    takeUp: 'Il comune ha risposto: riprendi la domanda per tenerla, altrimenti allo scadere del tempo torna nella coda comune.',
    heldBy: (name: string) => `${name} sta rispondendo. Puoi leggere la domanda; le azioni sono di chi l’ha in carico.`,
    awaitingYou: 'Hai chiesto un chiarimento: la domanda resta tua finché il comune risponde.',
    thread: 'Conversazione',
    organization: 'Chi chiede',
    kinds: { comune: 'Comune', unione: 'Unione di comuni' } as Record<string, string>,
    region: 'Regione:',
    population: 'Abitanti:',
    earlier: 'Domande precedenti dell’ente',
    earlierNone: 'Nessuna domanda precedente.',
    pointedTo: 'Indirizzata alla risposta pubblicata',
    becameFaq: 'Pubblicata come',
    answer: 'La tua risposta',
    answerLabel: 'Risposta (Markdown)',
    answerHint: 'Scrivi in Markdown: **grassetto**, elenchi con «-», collegamenti [testo](indirizzo). La bozza si salva da sola sul server.',
    saveDraft: 'Salva la bozza',
    preview: 'Anteprima',
    previewTitle: 'Anteprima della risposta',
    previewEmpty: 'Niente da mostrare: scrivi la risposta.',
    send: 'Invia la risposta',
    draftSaved: (time: string) => `Bozza salvata alle ${time}.`,
    draftSaving: 'Salvataggio della bozza…',
    draftFailed: 'Bozza non salvata: nuovo tentativo al prossimo cambiamento.',
    draftNewer: 'La bozza è stata salvata da un’altra finestra: qui sotto c’è il testo più recente, il tuo non è stato scritto sopra.',
    draftNewerUse: 'Usa il testo più recente',
    yourText: 'Il testo di questa finestra',
    answerMissing: 'Scrivi la risposta prima di inviarla.',
    clarification: 'Chiedi un chiarimento',
    clarificationLabel: 'La tua domanda al comune',
    clarificationHint: 'Il comune riceve un’email. La domanda resta tua: quando risponde torna sulla tua scrivania.',
    clarificationSend: 'Chiedi il chiarimento',
    clarificationMissing: 'Scrivi cosa chiedere al comune.',
    duplicate: 'Chiudi come già risposta',
    duplicateHint: 'Se una risposta pubblicata risponde già, chiudi la domanda indicandola: il comune la riceve.',
    faqSearch: 'Cerca tra le risposte pubblicate',
    faqSearchButton: 'Cerca',
    faqResults: 'Risposte pubblicate trovate',
    faqNone: 'Nessuna risposta pubblicata trovata.',
    faqChoose: 'Questa risponde alla domanda',
    duplicateSend: 'Chiudi come già risposta',
    duplicateMissing: 'Scegli la risposta pubblicata che risponde già.',
    insertLink: 'Inserisci il collegamento nella risposta',
    references: 'Riferimenti normativi riconosciuti',
    referencesHint: 'Sostituisci la citazione con il collegamento all’atto, se vuoi che chi legge lo apra.',
    linkCode: 'Collegamento in Markdown:',
    done: {
      claimed: 'Hai preso la domanda.',
      renewed: 'Tempo rinnovato.',
      released: 'Domanda rilasciata: è tornata in coda.',
      answered: 'Risposta inviata: il comune riceve un’email.',
      clarification: 'Chiarimento chiesto: il comune riceve un’email.',
      duplicate: 'Domanda chiusa come già risposta.',
      draft: 'Bozza salvata.',
    } as Record<string, string>,
    changed: 'La domanda è cambiata: ricarica la pagina per vedere le novità.',
    reload: 'Ricarica la pagina',
  },
} as const
