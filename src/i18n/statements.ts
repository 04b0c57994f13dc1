/**
 * The accessibility statement and the privacy notice: short, and true to what the code does. When
 * the service starts storing something new, or keeps it for another time, this text changes too.
 */
/** The retention settings the privacy notice quotes (from the configuration, so it never drifts). */
export interface Retention {
  sessionIdleMinutes: number
  sessionAbsoluteHours: number
  loginThrottleMinutes: number
  eventRetentionDays: number
}

const duration = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} ${minutes === 60 ? 'ora' : 'ore'}` : `${minutes} minuti`)

export const statements = (retention: Retention) => ({
  accessibility: {
    path: '/accessibilita',
    title: 'Dichiarazione di accessibilità',
    description: 'Lo stato di accessibilità del sito del forum telematico ANCI rispetto alle Linee guida AgID (WCAG 2.1 livello AA).',
    lead: 'ANCI si impegna a rendere accessibile questo sito, secondo la legge 9 gennaio 2004, n. 4 e le Linee guida AgID sull’accessibilità degli strumenti informatici, che richiedono il livello AA delle WCAG 2.1.',
    sections: [
      {
        title: 'Stato di conformità',
        paragraphs: [
          'Le pagine pubbliche del sito (pagina iniziale, Domande e risposte, giornate di forum, dati aperti e questa dichiarazione) sono parzialmente conformi: ogni pagina è verificata a ogni modifica del software con controlli automatici (axe-core) in un browser reale, senza violazioni gravi o critiche, e il percorso principale è provato usando solo la tastiera.',
          'I controlli automatici non trovano tutti i problemi: una verifica manuale completa con tecnologie assistive non è ancora stata fatta.',
        ],
      },
      {
        title: 'Come è fatto il sito',
        paragraphs: [],
        items: [
          'Usa il sistema di design Bootstrap Italia di Designers Italia, servito dal sito stesso.',
          'Ogni pagina funziona anche senza JavaScript: gli script aggiungono solo i suggerimenti durante la ricerca e l’aggiornamento in tempo reale dei contatori.',
          'Ogni pagina ha i collegamenti per saltare al contenuto, una sola intestazione principale e un percorso di navigazione.',
          'I collegamenti verso altri siti (Normattiva, EUR-Lex) lo dicono nel testo.',
        ],
      },
      {
        title: 'Segnalazioni',
        paragraphs: [
          'Se trovi un contenuto non accessibile, scrivi alla segreteria del forum telematico ANCI indicando la pagina e il problema: ti risponderemo entro 30 giorni. Se la risposta non è soddisfacente puoi rivolgerti al Difensore civico per il digitale presso AgID.',
        ],
      },
    ],
  },
  privacy: {
    path: '/privacy',
    title: 'Informativa sulla privacy',
    description: 'Quali dati conserva il forum telematico ANCI, di chi, per quanto tempo e perché.',
    lead: 'Il titolare del trattamento è ANCI. Questa pagina dice quali dati tratta il servizio del forum telematico, di chi e per quanto tempo.',
    sections: [
      {
        title: 'Chi visita il sito',
        paragraphs: [
          'Per leggere e cercare tra le domande e risposte non serve un account. Il sito non usa cookie di profilazione né strumenti di statistica di terze parti, e non carica nulla da altri siti.',
          'Delle ricerche conserviamo solo il testo cercato, reso minuscolo, raggruppato per settimana, per capire quali risposte mancano: nessun dato su chi ha cercato, nessun indirizzo IP.',
        ],
      },
      {
        title: 'Chi ha un account (personale dei comuni, esperti, segreteria)',
        paragraphs: [
          `Conserviamo nome e cognome, indirizzo email, ruolo, ente di appartenenza e la password in forma non reversibile (Argon2id). Un cookie tecnico di sessione tiene l’accesso: scade dopo ${duration(retention.sessionIdleMinutes)} di inattività e comunque dopo ${duration(retention.sessionAbsoluteHours * 60)}.`,
          `Per ogni sessione conserviamo l’indirizzo IP e il browser da cui è stata aperta; i tentativi di accesso falliti sono contati per ${duration(retention.loginThrottleMinutes)} per bloccare chi prova a indovinare le password.`,
          'Le operazioni di sicurezza (accessi, inviti, cambi di ruolo e di password, pubblicazioni con dati personali segnalati) sono registrate con chi le ha fatte e l’indirizzo IP, per la tutela del servizio.',
        ],
      },
      {
        title: 'Le domande dei comuni',
        paragraphs: [
          'Le domande inviate in una giornata di forum, le richieste di chiarimento e le risposte sono visibili solo al personale dell’ente che ha chiesto, agli esperti e alla segreteria.',
          'Prima di pubblicare una risposta tra le domande e risposte, la segreteria la rende generale e anonima: un controllo automatico cerca email, numeri di telefono, codici fiscali, IBAN, numeri di protocollo e il nome del comune e di chi ha chiesto, e la segreteria conferma di aver tolto anche ciò che un controllo automatico non vede. La pagina pubblica descrive l’origine della domanda in modo che il comune non sia riconoscibile (ad esempio «un comune della Puglia sotto i 5.000 abitanti»).',
          `Le notifiche in tempo reale restano nel registro degli eventi per ${retention.eventRetentionDays} giorni.`,
        ],
      },
      {
        title: 'I tuoi diritti',
        paragraphs: [
          'Puoi chiedere alla segreteria del forum di accedere ai tuoi dati, correggerli, cancellarli o limitarne il trattamento, e puoi presentare reclamo al Garante per la protezione dei dati personali.',
        ],
      },
    ],
  },
})
