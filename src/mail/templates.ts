import { escapeHtml } from '../search/search-index.js'
import { formatDateTime } from '../i18n/format.js'

/** A rendered message: plain text for every client, HTML for those that show it. */
export interface MailMessage {
  subject: string
  text: string
  html: string
}

const SIGNATURE = 'Forum telematico ANCI — segreteria del forum'
const ROLE_LABELS: Record<string, string> = {
  staff: 'personale del comune',
  expert: 'esperto ANCI',
  moderator: 'segreteria del forum',
  admin: 'amministratore',
}

/** Paragraphs and one call to action, in both forms; every piece of text is escaped once, here. */
function compose(subject: string, paragraphs: string[], action?: { label: string; url: string }, note?: string): MailMessage {
  const text = [
    ...paragraphs,
    ...(action ? [`${action.label}:\n${action.url}`] : []),
    ...(note ? [note] : []),
    `--\n${SIGNATURE}\nQuesto messaggio è inviato automaticamente: non rispondere a questo indirizzo.`,
  ].join('\n\n')
  const html = `<!doctype html><html lang="it"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: 'Titillium Web', Geneva, Tahoma, sans-serif; color: #1a1a1a; line-height: 1.5; max-width: 40em">
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${action ? `<p><a href="${escapeHtml(action.url)}" style="background: #0066cc; color: #fff; padding: .5em 1em; text-decoration: none; border-radius: 4px">${escapeHtml(action.label)}</a></p>\n<p style="font-size: .9em">Se il pulsante non funziona, copia questo indirizzo nel browser: ${escapeHtml(action.url)}</p>` : ''}
${note ? `<p style="font-size: .9em">${escapeHtml(note)}</p>` : ''}
<hr><p style="font-size: .85em; color: #5c6f82">${escapeHtml(SIGNATURE)}<br>Questo messaggio è inviato automaticamente: non rispondere a questo indirizzo.</p>
</body></html>`
  return { subject, text, html }
}

export const mailTemplates = {
  invitation(input: { role: string; url: string; expiresAt: Date }): MailMessage {
    return compose(
      'Invito al Forum telematico ANCI',
      [
        'Buongiorno,',
        `sei stato invitato al Forum telematico ANCI con il ruolo di ${ROLE_LABELS[input.role] ?? input.role}.`,
        `Per attivare l’account scegli una password entro ${formatDateTime(input.expiresAt)}.`,
      ],
      { label: 'Attiva l’account', url: input.url },
      'Se non aspettavi questo invito, ignora il messaggio: senza attivazione l’account non viene creato.',
    )
  },

  clarificationRequested(input: { title: string; url: string; expertName: string }): MailMessage {
    return compose(
      'Chiarimento richiesto sulla vostra domanda',
      [
        'Buongiorno,',
        `l’esperto ${input.expertName} chiede un chiarimento sulla domanda «${input.title}» del vostro ente.`,
        'Non appena rispondete dalla sua pagina, la domanda torna all’esperto che l’ha in carico.',
      ],
      { label: 'Rispondi al chiarimento', url: input.url },
    )
  },

  clarificationReplied(input: { title: string; url: string; leaseExpiresAt: Date }): MailMessage {
    return compose(
      'Il comune ha risposto al tuo chiarimento',
      [
        'Buongiorno,',
        `il comune ha risposto alla tua richiesta di chiarimento sulla domanda «${input.title}». La domanda è tornata sulla tua scrivania.`,
        `Riprendila entro ${formatDateTime(input.leaseExpiresAt)}: dopo quell’ora torna nella coda comune e può prenderla un collega.`,
      ],
      { label: 'Apri la domanda', url: input.url },
    )
  },

  answerGiven(input: { title: string; url: string }): MailMessage {
    return compose(
      'La vostra domanda ha una risposta',
      ['Buongiorno,', `un esperto ANCI ha risposto alla domanda «${input.title}» del vostro ente.`],
      { label: 'Leggi la risposta', url: input.url },
      'Se la risposta vi basta potete chiudere la domanda dalla sua pagina.',
    )
  },

  answerPublished(input: { title: string; url: string }): MailMessage {
    return compose(
      'La risposta alla vostra domanda è pubblicata',
      [
        'Buongiorno,',
        `una domanda del vostro ente, con la sua risposta, è ora pubblicata tra le Domande e risposte del forum come «${input.title}», senza il nome del vostro ente.`,
      ],
      { label: 'Apri la scheda pubblicata', url: input.url },
    )
  },

  forumDayReminder(input: { title: string; opensAt: Date; closesAt: Date; url: string }): MailMessage {
    return compose(
      `Promemoria: ${input.title}`,
      [
        'Buongiorno,',
        `la giornata del forum «${input.title}» apre ${formatDateTime(input.opensAt)} e chiude ${formatDateTime(input.closesAt)}: il vostro ente può inviare le sue domande agli esperti ANCI.`,
      ],
      { label: 'Vai al forum del tuo ente', url: input.url },
      'Puoi smettere di ricevere questi promemoria dalla pagina «Il mio account».',
    )
  },

  passwordReset(input: { url: string; expiresAt: Date }): MailMessage {
    return compose(
      'Nuova password per il Forum telematico ANCI',
      ['Buongiorno,', `è stata chiesta una nuova password per il tuo account. Il collegamento vale una sola volta, fino a ${formatDateTime(input.expiresAt)}.`],
      { label: 'Scegli una nuova password', url: input.url },
      'Se non l’hai chiesta tu, ignora il messaggio: la password attuale resta valida.',
    )
  },
}
