import type { Kysely } from 'kysely'
import type { DemoPerson } from '../accounts/demo.js'
import type { Database } from '../db/database.js'
import type { DemoSeeder } from '../demo/seed.js'
import * as repo from './repository.js'
import type { QuestionChanges } from './repository.js'
import type { QuestionState } from './tables.js'

const MINUTE = 60_000

interface DemoPeople {
  staff: { id: string; name: string; organizationId: string }
  expert: { id: string; name: string }
  moderator: { id: string; name: string }
}

interface DemoQuestion {
  day: 'closed' | 'open'
  asker: 'comune' | 'unione'
  title: string
  body: string
  theme: string
  /** Minutes before now. */
  askedAgo: number
  state: QuestionState
  clarification?: string
  reply?: string
  answer?: string
  rejection?: string
  duplicateOf?: string
}

const QUESTIONS: DemoQuestion[] = [
  {
    day: 'open',
    asker: 'comune',
    title: 'Residenza anagrafica del richiedente asilo ospite di un CAS',
    body: 'Un richiedente protezione internazionale ospite di un centro di accoglienza straordinaria sul nostro territorio chiede l’iscrizione anagrafica. Quale documentazione dobbiamo richiedere?',
    theme: 'servizi-demografici',
    askedAgo: 95,
    state: 'submitted',
  },
  {
    day: 'open',
    asker: 'unione',
    title: 'Gestione associata dello sportello immigrazione nell’Unione',
    body: 'L’Unione intende gestire in forma associata lo sportello per i cittadini stranieri. Serve una convenzione specifica o basta la delibera di conferimento della funzione?',
    theme: 'modelli-organizzativi',
    askedAgo: 80,
    state: 'submitted',
  },
  {
    day: 'open',
    asker: 'comune',
    title: 'Rinnovo del permesso di soggiorno e cambio di residenza',
    body: 'Un cittadino straniero con permesso di soggiorno in rinnovo (ricevuta postale) chiede il cambio di residenza da un altro comune. Possiamo procedere?',
    theme: 'servizi-demografici',
    askedAgo: 70,
    state: 'claimed',
  },
  {
    day: 'open',
    asker: 'unione',
    title: 'Ricongiungimento familiare: idoneità alloggiativa',
    body: 'Chi rilascia il certificato di idoneità alloggiativa per il ricongiungimento familiare quando la funzione edilizia è conferita all’Unione?',
    theme: 'modelli-organizzativi',
    askedAgo: 60,
    state: 'awaiting_clarification',
    clarification: 'L’alloggio si trova in un comune dell’Unione che ha conferito anche la funzione di polizia locale?',
  },
  {
    day: 'open',
    asker: 'comune',
    title: 'Carta d’identità elettronica per il titolare di protezione sussidiaria',
    body: 'Possiamo rilasciare la CIE valida per l’espatrio a un titolare di protezione sussidiaria?',
    theme: 'servizi-demografici',
    askedAgo: 50,
    state: 'answered',
    answer:
      'La CIE può essere rilasciata, ma **non valida per l’espatrio**: il titolare di protezione sussidiaria viaggia con il titolo di viaggio rilasciato dalla Questura.\n\nRiferimenti: art. 24 del D.Lgs. 251/2007.',
  },
  {
    day: 'open',
    asker: 'comune',
    title: 'Domanda inviata per errore',
    body: 'Domanda inviata due volte per errore: la ritiriamo.',
    theme: 'servizi-demografici',
    askedAgo: 40,
    state: 'withdrawn',
  },
  {
    day: 'closed',
    asker: 'comune',
    title: 'Iscrizione anagrafica dei minori stranieri non accompagnati',
    body: 'Chi richiede l’iscrizione anagrafica di un minore straniero non accompagnato accolto in una struttura del comune?',
    theme: 'servizi-demografici',
    askedAgo: 28 * 60,
    state: 'closed',
    answer: 'La richiesta è presentata dal **responsabile della struttura** di accoglienza o dal tutore, ai sensi dell’art. 5-bis del D.Lgs. 142/2015.',
  },
  {
    day: 'closed',
    asker: 'unione',
    title: 'Progetti SAI: adesione dell’Unione',
    body: 'Un’Unione di Comuni può presentare domanda di adesione alla rete SAI (ex SPRAR/SIPROIMI) al posto dei singoli comuni?',
    theme: 'modelli-organizzativi',
    askedAgo: 27 * 60,
    state: 'duplicate',
    duplicateOf: 'adesione-di-un-piccolo-comune-alla-rete-sai',
  },
  {
    day: 'closed',
    asker: 'comune',
    title: 'Tariffe della mensa scolastica',
    body: 'Come possiamo rimodulare le tariffe della mensa scolastica per il prossimo anno?',
    theme: 'modelli-organizzativi',
    askedAgo: 26 * 60,
    state: 'rejected',
    rejection: 'Il quesito non riguarda i temi del Piano di Azione (accoglienza e integrazione dei cittadini stranieri).',
  },
]

async function seedQuestion(trx: Kysely<Database>, now: Date, forumDayId: string, people: DemoPeople, staff: DemoPeople['staff'], d: DemoQuestion) {
  const at = (minutesAfterAsking: number) => new Date(now.getTime() - d.askedAgo * MINUTE + minutesAfterAsking * MINUTE)
  let q = await repo.insertQuestion(trx, { forumDayId, organizationId: staff.organizationId, askedBy: staff.id, askerName: staff.name, title: d.title, body: d.body, theme: d.theme, now: at(0) })
  await repo.insertMessage(trx, { questionId: q.id, kind: 'question', authorId: staff.id, authorName: staff.name, authorRole: 'staff', body: d.body, createdAt: at(0) })
  await repo.insertTransition(trx, { questionId: q.id, action: 'submitted', fromState: null, toState: 'submitted', actorId: staff.id, actorRole: 'staff', note: null, at: at(0) })
  const step = async (action: string, to: QuestionState, actor: { id: string; role: string }, minutes: number, changes: QuestionChanges = {}, note: string | null = null) => {
    const updated = await repo.updateQuestion(trx, q.id, q, { ...changes, state: to, updatedAt: at(minutes) })
    if (!updated) throw new Error(`demo question ${d.title}: ${action} failed`)
    await repo.insertTransition(trx, { questionId: q.id, action, fromState: q.state, toState: to, actorId: actor.id, actorRole: actor.role, note, at: at(minutes) })
    q = updated
  }
  const expert = { id: people.expert.id, role: 'expert' }
  const claim = (minutes: number) =>
    step('claimed', 'claimed', expert, minutes, { claimedBy: people.expert.id, claimedByName: people.expert.name, claimedAt: at(minutes), leaseExpiresAt: new Date(now.getTime() + 25 * MINUTE) })
  const unclaimed: QuestionChanges = { claimedBy: null, claimedByName: null, claimedAt: null, leaseExpiresAt: null }

  if (d.state === 'withdrawn') await step('withdrawn', 'withdrawn', { id: staff.id, role: 'staff' }, 5)
  if (d.state === 'rejected') await step('rejected', 'rejected', { id: people.moderator.id, role: 'moderator' }, 20, { rejectionReason: d.rejection ?? null }, d.rejection ?? null)
  if (d.state === 'duplicate') await step('duplicate', 'duplicate', expert, 15, { duplicateOfFaq: d.duplicateOf ?? null })
  if (['claimed', 'awaiting_clarification', 'answered', 'closed'].includes(d.state)) await claim(10)
  if (d.state === 'claimed') {
    await repo.upsertDraft(trx, { questionId: q.id, expertId: people.expert.id, expertName: people.expert.name, body: 'Sì, purché la ricevuta attesti la richiesta di rinnovo nei termini…', now: at(12) }, undefined)
  }
  if (d.state === 'awaiting_clarification' && d.clarification) {
    await repo.insertMessage(trx, { questionId: q.id, kind: 'clarification_request', authorId: people.expert.id, authorName: people.expert.name, authorRole: 'expert', body: d.clarification, createdAt: at(20) })
    // The question stays with the expert who asked; no lease runs while the comune writes.
    await step('clarification_requested', 'awaiting_clarification', expert, 20, { leaseExpiresAt: null })
  }
  if ((d.state === 'answered' || d.state === 'closed') && d.answer) {
    await repo.insertMessage(trx, { questionId: q.id, kind: 'answer', authorId: people.expert.id, authorName: people.expert.name, authorRole: 'expert', body: d.answer, createdAt: at(30) })
    await step('answered', 'answered', expert, 30, { ...unclaimed, answer: d.answer, answeredBy: people.expert.id, answeredByName: people.expert.name, answeredAt: at(30), answeredLate: false })
  }
  if (d.state === 'closed') await step('closed', 'closed', { id: staff.id, role: 'staff' }, 60)
}

/** A handful of questions in every state on the demo forum days. Needs the accounts and forum-days seeders. */
export const questionsDemoSeeder: DemoSeeder = {
  name: 'questions',
  async seed({ trx, clock, made }) {
    const accounts = (made.get('people') ?? {}) as Record<string, DemoPerson>
    const days = made.get('forumDays') as { closed: string; open: string } | undefined
    const { staffComune, staffUnione, expert, moderator } = accounts
    if (!days || !staffComune || !staffUnione || !expert || !moderator) throw new Error('questions demo: accounts and forum days must be seeded first')
    const person = ({ id, name, organizationId }: DemoPerson) => ({ id, name, organizationId: organizationId ?? '' })
    const people: DemoPeople = { staff: person(staffComune), expert: person(expert), moderator: person(moderator) }
    const now = clock.now()
    for (const d of QUESTIONS) {
      await seedQuestion(trx, now, days[d.day], people, d.asker === 'comune' ? people.staff : person(staffUnione), d)
    }
  },
  describe: () => [`questions: ${QUESTIONS.length} on the demo forum days, one or more in every state`],
}
