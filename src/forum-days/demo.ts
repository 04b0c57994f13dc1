import type { DemoSeeder } from '../demo/seed.js'
import * as repo from './repository.js'
import type { EligibilityRule } from './tables.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

export const DEMO_THEMES = [
  { code: 'modelli-organizzativi', label: "Piccoli Comuni e aggregazioni: modelli organizzativi per l'accoglienza e l'integrazione" },
  { code: 'servizi-demografici', label: 'I Servizi Demografici: il rapporto diretto con il cittadino immigrato' },
]

/**
 * The themes of the D&R archive (the demo FAQs): part of the edition's vocabulary, so FAQs and
 * questions share one list, though the demo forum days ask on the two themes above.
 */
export const DEMO_ARCHIVE_THEMES = [
  { code: 'accoglienza', label: 'Accoglienza' },
  { code: 'anagrafe', label: 'Anagrafe' },
  { code: 'cittadinanza', label: 'Cittadinanza' },
  { code: 'documenti', label: 'Documenti' },
  { code: 'famiglia', label: 'Famiglia' },
  { code: 'governance', label: 'Governance' },
  { code: 'lavoro', label: 'Lavoro' },
  { code: 'minori', label: 'Minori' },
  { code: 'permessi-di-soggiorno', label: 'Permessi di soggiorno' },
]

/** Seed 002: comuni up to 5,000 inhabitants and Unioni di Comuni of Piemonte, Toscana, Puglia, Sicilia. */
const PIANO_DI_AZIONE: EligibilityRule = {
  kinds: ['comune', 'unione'],
  populationMax: 5000,
  populationAppliesTo: ['comune'],
  regions: ['Piemonte', 'Toscana', 'Puglia', 'Sicilia'],
  enrollment: 'not_needed',
}

/**
 * One edition of the Piano di Azione with a forum day closed yesterday, one open now and one next
 * week. Needs the accounts seeder first; puts `edition` and `forumDays` (closed/open/upcoming ids) in ctx.made.
 */
export const forumDaysDemoSeeder: DemoSeeder = {
  name: 'forum-days',
  async seed({ trx, clock, made }) {
    const users = (made.get('users') ?? {}) as Record<string, string>
    const now = clock.now()
    const edition = await repo.insertEdition(trx, {
      programme: 'Piano di Azione Piccoli Comuni',
      name: 'Piano di Azione per i Piccoli Comuni - edizione demo',
      themes: [...DEMO_THEMES, ...DEMO_ARCHIVE_THEMES],
      eligibility: PIANO_DI_AZIONE,
      registryDate: new Date(now.getTime() - 60 * DAY).toISOString().slice(0, 10),
      createdBy: users.moderator ?? null,
      now,
    })
    const day = async (title: string, opensAt: number, hours: number, answerDays: number) =>
      repo.insertForumDay(trx, {
        editionId: edition.id,
        title,
        themes: DEMO_THEMES.map((t) => t.code),
        opensAt: new Date(opensAt),
        closesAt: new Date(opensAt + hours * HOUR),
        answerDeadline: new Date(opensAt + hours * HOUR + answerDays * DAY),
        maxOpenQuestionsPerOrganization: 10,
        rehearsal: false,
        createdBy: users.moderator ?? null,
        createdAt: now,
      })
    const closed = await day('Prima giornata di forum telematico', now.getTime() - DAY - 8 * HOUR, 8, 3)
    const open = await day('Seconda giornata di forum telematico', now.getTime() - 2 * HOUR, 10, 3)
    const upcoming = await day('Terza giornata di forum telematico', now.getTime() + 7 * DAY, 8, 3)
    made.set('edition', edition.id)
    made.set('forumDays', { closed: closed.id, open: open.id, upcoming: upcoming.id })
  },
  describe: () => ['forum days: one closed yesterday, one open now, one next week (edition "Piano di Azione per i Piccoli Comuni - edizione demo")'],
}
