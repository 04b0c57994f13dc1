import type { EligibilityRule } from '../forum-days/tables.js'
import { formatNumber } from './format.js'

/** "a, b e c". */
const listInWords = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} e ${items.at(-1)}`)

/**
 * An edition's eligibility rule as a sentence, e.g. "Possono fare domande i comuni fino a 5.000
 * abitanti e le Unioni di comuni di qualsiasi popolazione, delle regioni Piemonte, Toscana,
 * Puglia e Sicilia."
 */
export function eligibilityInWords(rule: EligibilityRule): string {
  const min = rule.populationMin ?? null
  const max = rule.populationMax ?? null
  const range =
    min !== null && max !== null
      ? `da ${formatNumber(min)} a ${formatNumber(max)} abitanti`
      : max !== null
        ? `fino a ${formatNumber(max)} abitanti`
        : min !== null
          ? `da ${formatNumber(min)} abitanti in su`
          : undefined
  const kinds = rule.kinds.map((kind) => {
    const who = kind === 'comune' ? 'i comuni' : 'le Unioni di comuni'
    if (!range) return who
    return rule.populationAppliesTo.includes(kind) ? `${who} ${range}` : `${who} di qualsiasi popolazione`
  })
  const regions = rule.regions && rule.regions.length > 0 ? `, ${rule.regions.length === 1 ? 'della regione' : 'delle regioni'} ${listInWords(rule.regions)}` : ', di tutte le regioni'
  const sentence = `Possono fare domande ${listInWords(kinds)}${regions}.`
  if (rule.enrollment === 'required') return `${sentence} Serve anche l’iscrizione all’edizione.`
  if (rule.enrollment === 'admits') return `${sentence} Possono fare domande anche gli enti iscritti all’edizione che non rientrano nella regola.`
  return sentence
}

/**
 * What the secretariat's (moderators') pages say, in Italian. Kept apart from `staff.ts` (the
 * comune staff's pages) so each set of pages can be read and reviewed alone.
 */
export const secretariat = {
  overview: {
    title: 'Segreteria del forum',
    lead: 'Da qui la segreteria pubblica le risposte nella banca dati Domande & Risposte, segue tutte le domande e programma le giornate di forum.',
    toPublish: 'Risposte da pubblicare',
    toPublishLead: 'Domande con risposta non ancora pubblicate come FAQ, le più recenti prima.',
    noneToPublish: 'Nessuna risposta da pubblicare.',
    publish: 'Pubblica come FAQ',
    publishLabel: (title: string) => `Pubblica come FAQ: ${title}`,
    published: (title: string) => `La FAQ «${title}» è pubblicata.`,
    open: 'Apri la FAQ pubblicata',
    columns: { title: 'Domanda', theme: 'Tema', answeredAt: 'Risposta del', action: 'Azione' },
    count: (n: number) => (n === 1 ? '1 risposta' : `${formatNumber(n)} risposte`),
    more: 'Sezioni della segreteria',
    sections: {
      questions: 'Tutte le domande',
      days: 'Giornate di forum',
      review: 'FAQ da rivedere',
      reviewCount: (n: number) => formatNumber(n),
      people: 'Persone e inviti',
      audit: 'Registro delle attività',
    },
  },
  questions: {
    title: 'Tutte le domande',
    lead: 'Le domande di tutti gli enti, filtrate come serve. Da ogni domanda si può riassegnarla a un esperto, respingerla con una motivazione o pubblicarne la risposta.',
    filters: 'Filtri',
    apply: 'Applica i filtri',
    clear: 'Togli i filtri',
    any: 'Tutti',
    anyDay: 'Tutte le giornate',
    anyState: 'Tutti gli stati',
    fields: { day: 'Giornata', state: 'Stato', theme: 'Tema', organization: 'Ente', region: 'Regione', expert: 'Esperto' },
    columns: { title: 'Domanda', organization: 'Ente', state: 'Stato', theme: 'Tema', expert: 'Esperto', submitted: 'Inviata' },
    count: (n: number) => (n === 1 ? '1 domanda' : `${formatNumber(n)} domande`),
    capped: (n: number) => `Sono mostrate le ${formatNumber(n)} domande più recenti: restringi i filtri per vedere le altre.`,
    none: 'Nessuna domanda con questi filtri.',
    rehearsal: '(prova)',
  },
  days: {
    title: 'Giornate di forum',
    lead: 'Le giornate di ogni edizione, con i temi e gli orari (ora italiana). Le giornate di prova servono a provare il forum: le loro domande si possono cancellare.',
    edition: 'Edizione',
    eligibility: 'Chi può fare domande',
    themes: 'Temi',
    newDay: 'Nuova giornata',
    newDayIn: (edition: string) => `Nuova giornata per ${edition}`,
    none: 'Nessuna giornata in questa edizione.',
    noEditions: 'Non ci sono ancora edizioni: si creano con l’API (POST /api/v1/editions).',
    states: { upcoming: 'In programma', open: 'Aperta', closed: 'Chiusa', cancelled: 'Annullata' } as Record<string, string>,
    rehearsal: 'Giornata di prova',
    columns: { title: 'Giornata', when: 'Orario', state: 'Stato', questions: 'Domande', action: 'Azione' },
    when: (opens: string, closes: string) => `${opens} – ${closes}`,
    counts: (questions: number, answered: number) => `${formatNumber(questions)} (${formatNumber(answered)} con risposta)`,
    edit: 'Modifica',
    editLabel: (title: string) => `Modifica ${title}`,
    created: 'La giornata è stata creata.',
    saved: 'Le modifiche sono salvate.',
    cancelled: 'La giornata è annullata; chi la seguiva lo vede subito.',
    wiped: (n: number) => (n === 1 ? 'Cancellata 1 domanda della giornata di prova.' : `Cancellate ${formatNumber(n)} domande della giornata di prova.`),
    form: {
      titleNew: 'Nuova giornata di forum',
      titleEdit: (title: string) => `Modifica: ${title}`,
      name: 'Titolo',
      nameHelp: 'Ad esempio: Seconda giornata di forum telematico',
      themes: 'Temi della giornata',
      opens: 'Apertura',
      closes: 'Chiusura',
      deadline: 'Scadenza per le risposte (facoltativa)',
      deadlineHelp: 'Se vuota, coincide con la chiusura.',
      date: 'Data',
      time: 'Ora (italiana)',
      timeZone: 'Gli orari sono in ora italiana: il passaggio all’ora legale e all’ora solare è già considerato.',
      maxOpen: 'Domande aperte al massimo per ente (facoltativo)',
      rehearsal: 'Giornata di prova (le domande si potranno cancellare)',
      submitNew: 'Crea la giornata',
      submitEdit: 'Salva le modifiche',
      cancelTitle: 'Annulla la giornata',
      cancelReason: 'Motivo dell’annullamento, visibile agli enti',
      cancelSubmit: 'Annulla la giornata',
      wipeTitle: 'Cancella le domande di prova',
      wipeText: 'Cancella tutte le domande di questa giornata di prova, con le conversazioni e gli eventi. Non si può tornare indietro.',
      wipeConfirm: 'Confermo: cancella le domande di prova',
      wipeSubmit: 'Cancella le domande',
      wipeUnconfirmed: 'Spunta la conferma per cancellare le domande di prova.',
      back: 'Torna alle giornate',
      invalid: 'Controlla i campi segnalati.',
      errors: {
        title: 'Scrivi un titolo da 3 a 200 caratteri.',
        themes: 'Scegli almeno un tema.',
        opensAt: 'Scrivi data e ora di apertura.',
        closesAt: 'Scrivi data e ora di chiusura.',
        answerDeadline: 'Scrivi sia la data sia l’ora della scadenza, o lascia vuoti entrambi.',
        maxOpenQuestionsPerOrganization: 'Scrivi un numero intero da 1 a 1000, o lascia vuoto.',
        reason: 'Scrivi un motivo di almeno 3 caratteri.',
      } as Record<string, string>,
    },
  },
  review: {
    title: 'FAQ da rivedere',
    lead: 'Le FAQ segnalate perché una norma che citano è cambiata, o perché è arrivata la data di revisione. Aprile, controllale con la norma in vigore e ripubblicale.',
    none: 'Nessuna FAQ da rivedere.',
    columns: { title: 'FAQ', reason: 'Motivo', action: 'Azione' },
    dueBy: (date: string) => `Da rivedere entro il ${date}`,
    open: 'Rivedi',
    openLabel: (title: string) => `Rivedi ${title}`,
    amendment: {
      title: 'Segnala una modifica normativa',
      lead: 'Le FAQ pubblicate che citano la norma, con una risposta anteriore alla modifica, entrano in questo elenco.',
      law: 'Norma modificata',
      lawHelp: 'Come si cita, ad esempio: D.Lgs. 142/2015',
      amendedOn: 'Data della modifica',
      note: 'Che cosa è cambiato',
      submit: 'Segnala la modifica',
      recorded: (law: string, n: number) =>
        n === 0 ? `Modifica di ${law} registrata: nessuna FAQ da rivedere.` : `Modifica di ${law} registrata: ${n === 1 ? '1 FAQ da rivedere' : `${formatNumber(n)} FAQ da rivedere`}.`,
      errors: {
        law: 'Scrivi la norma come si cita (almeno 3 caratteri).',
        amendedOn: 'Scrivi la data della modifica.',
        note: 'Scrivi che cosa è cambiato (almeno 3 caratteri).',
      } as Record<string, string>,
    },
  },
  faq: {
    title: (title: string) => `Modifica la FAQ: ${title}`,
    flagged: 'Questa FAQ è da rivedere:',
    reviewed: 'Ho controllato la risposta con la norma in vigore (toglie la FAQ dall’elenco da rivedere)',
    note: 'Che cosa è cambiato (resta nella cronologia)',
    submit: 'Ripubblica la FAQ',
    saved: 'La FAQ è ripubblicata con le modifiche.',
    history: 'Cronologia delle modifiche',
    publicPage: 'Pagina pubblica',
    unpublished: 'Questa FAQ è stata ritirata: non si modifica più da qui.',
  },
  revisions: {
    title: (title: string) => `Cronologia: ${title}`,
    lead: 'Ogni versione della FAQ, dalla più recente, con le differenze rispetto alla versione precedente: il testo tolto è barrato, quello aggiunto è sottolineato.',
    version: (n: number) => `Versione ${n}`,
    note: 'Nota:',
    first: 'Prima versione pubblicata.',
    unchanged: 'Nessuna modifica al testo.',
    removed: 'Testo tolto:',
    added: 'Testo aggiunto:',
    fields: { title: 'Titolo', question: 'Domanda', answer: 'Risposta', theme: 'Tema', tags: 'Parole chiave', visibility: 'Visibilità', scopeRegion: 'Regione', state: 'Stato' } as Record<string, string>,
    back: 'Torna alla FAQ',
  },
  question: {
    asker: 'Ente',
    askedBy: 'Inviata da',
    day: 'Giornata',
    state: 'Stato',
    theme: 'Tema',
    holder: 'Esperto al lavoro',
    nobody: 'Nessuno',
    answer: 'Risposta',
    answeredBy: (name: string) => `Risposta di ${name}`,
    thread: 'Conversazione',
    rejection: 'Motivo del rifiuto',
    faq: 'FAQ pubblicata:',
    actions: 'Azioni della segreteria',
    reassign: 'Riassegna a un esperto',
    reassignTo: 'Esperto',
    reassignSubmit: 'Riassegna',
    reassigned: (name: string) => `La domanda è assegnata a ${name}.`,
    reject: 'Respingi la domanda',
    rejectReason: 'Motivazione, visibile all’ente',
    rejectHelp: 'Almeno 5 caratteri.',
    rejectSubmit: 'Respingi',
    rejected: 'La domanda è respinta; l’ente legge la motivazione.',
    reasonTooShort: 'Scrivi una motivazione di almeno 5 caratteri.',
    chooseExpert: 'Scegli un esperto dall’elenco.',
    noActions: 'In questo stato la segreteria non ha azioni sulla domanda.',
    back: 'Torna a tutte le domande',
  },
  publish: {
    title: 'Pubblica come FAQ',
    lead: 'Il modulo parte dalla domanda e dalla sua risposta. Rendi il testo generale e anonimo, controlla i dati personali e i riferimenti normativi, poi pubblica.',
    from: 'Domanda di origine:',
    fields: {
      title: 'Titolo della FAQ',
      titleHelp: 'Da 10 a 300 caratteri: è anche il titolo della pagina pubblica.',
      question: 'Domanda',
      questionHelp: 'In Markdown; generale e anonima.',
      answer: 'Risposta',
      answerHelp: 'In Markdown.',
      theme: 'Tema',
      themeHelp: 'Gli stessi temi delle domande del forum.',
      tags: 'Parole chiave',
      tagsHelp: 'Separate da virgole, ad esempio: anagrafe, richiedenti asilo',
      visibility: 'Dove si legge',
      public: 'Area pubblica: chiunque',
      reserved: 'Area riservata: solo il personale dei comuni che ha accesso',
      scopeRegion: 'Valida solo per la regione (facoltativo)',
      scopeRegionHelp: 'Lascia vuoto se la risposta vale in tutta Italia.',
      reviewBy: 'Da rivedere entro il (facoltativo)',
    },
    slug: 'Indirizzo della pagina:',
    check: 'Verifica di nuovo il testo',
    submit: 'Pubblica la FAQ',
    privacy: {
      title: 'Dati personali',
      none: 'Nessun dato personale trovato nel testo. Conferma comunque le voci della lista qui sotto.',
      found: (n: number) =>
        n === 1 ? 'Nel testo c’è 1 possibile dato personale: toglilo o sostituiscilo prima di pubblicare.' : `Nel testo ci sono ${formatNumber(n)} possibili dati personali: toglili o sostituiscili prima di pubblicare.`,
      inField: { title: 'nel titolo', question: 'nella domanda', answer: 'nella risposta' } as Record<string, string>,
      fieldNames: { title: 'Titolo', question: 'Domanda', answer: 'Risposta' } as Record<string, string>,
      markStart: (n: number, kind: string) => `Dato personale ${n} (${kind}): `,
      replaceWith: 'Sostituisci con',
      replace: 'Sostituisci',
      replaceLabel: (n: number) => `Sostituisci il dato personale ${n}`,
      replaced: 'Il dato personale è stato sostituito. Il testo è stato verificato di nuovo.',
      gone: 'Quel dato personale non è più nel testo (il testo è cambiato): la verifica qui sotto è aggiornata.',
      override: 'Pubblica comunque, motivando (facoltativo)',
      overrideHelp: 'Solo se i dati segnalati non sono dati personali. Almeno 10 caratteri; la motivazione resta nel registro delle attività.',
      suggestions: {
        email: '[indirizzo e-mail]',
        phone: '[numero di telefono]',
        fiscal_code: '[codice fiscale]',
        iban: '[IBAN]',
        protocol_number: 'prot. n. [omissis]',
        comune_name: 'il Comune',
        person_name: 'la persona interessata',
      } as Record<string, string>,
    },
    legal: {
      title: 'Riferimenti normativi riconosciuti',
      none: 'Nessun riferimento normativo riconosciuto nel testo.',
      inForce: 'Testo vigente',
      eurLex: 'EUR-Lex',
    },
    checklist: {
      title: 'Prima di pubblicare, conferma che:',
      missing: 'Conferma tutte le voci della lista sui dati personali.',
    },
    invalid: 'Controlla i campi segnalati.',
    fieldErrors: {
      title: 'Il titolo deve avere da 10 a 300 caratteri.',
      question: 'La domanda deve avere almeno 10 caratteri.',
      answer: 'La risposta deve avere almeno 10 caratteri.',
      theme: 'Scegli un tema dall’elenco.',
      tags: 'Al massimo 20 parole chiave, di al massimo 60 caratteri ciascuna.',
      scopeRegion: 'Scrivi il nome della regione, o lascia vuoto.',
      reviewBy: 'Scrivi una data valida, o lascia vuoto.',
      privacyOverride: 'La motivazione deve avere almeno 10 caratteri.',
    } as Record<string, string>,
    notAnswered: 'Solo le domande con risposta si pubblicano come FAQ.',
    already: 'Questa domanda è già pubblicata come FAQ:',
  },
}
