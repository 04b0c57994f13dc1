import type { DemoSeeder } from '../demo/seed.js'
import type { Role } from './actor.js'
import { accountsRepository } from './repository.js'

/**
 * Demo-only logins, printed at every start of the embedded demo. Their Argon2id hashes are made
 * once and written here (test/accounts/demo.test.ts checks them against the passwords and the
 * current parameters): hashing six passwords took a fresh start about 0.2 s. The passwords are
 * public, so a salt shared by every installation gives nothing away.
 */
export const DEMO_ACCOUNTS: readonly {
  key: string
  email: string
  password: string
  passwordHash: string
  displayName: string
  role: Role
  organization?: string
  topics?: string[]
  note: string
}[] = [
  {
    key: 'admin',
    email: 'admin@demo.forum.example',
    password: 'demo-admin-Forum-2026',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$lfHbeex69xXyTnjvuvVraw$Kd0kg+1Q/5WNq4XPgri2gA8MxBkHa4J/LacwxnZVYXw',
    displayName: 'Amministrazione piattaforma',
    role: 'admin',
    note: 'admin',
  },
  {
    key: 'moderator',
    email: 'segreteria@demo.anci.example',
    password: 'demo-segreteria-Anci-2026',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$mWzAiGiovOigQ2BZahySyw$ptcJhHb2Rir1r4D96XJvw8Qrd1+2uhCLrejoaycs4lQ',
    displayName: 'Segreteria Forum ANCI',
    role: 'moderator',
    note: 'moderator (ANCI secretariat)',
  },
  {
    key: 'expert',
    email: 'esperta.demografici@demo.anci.example',
    password: 'demo-esperta-Anci-2026',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$36Ke/Z3Z6IJMJlqG9lCNuA$kFzC8kSh7MmUkNJON4JxheUaDgz5/VavCgunzIHbPR8',
    displayName: 'Avv. Giulia Esposito',
    role: 'expert',
    topics: ['Servizi demografici e soggiorno del cittadino straniero', "Modelli organizzativi per l'accoglienza e l'integrazione"],
    note: 'expert (servizi demografici, accoglienza)',
  },
  {
    key: 'staffComune',
    email: 'anagrafe@demo.comune.polizzigenerosa.example',
    password: 'demo-staff-Polizzi-2026',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$JTRac/hE7kToQsiKjsMzLg$k9Zt4OeacUmhDDEs8znNu4R0QJdahLrHeO7Fhwfzvb0',
    displayName: 'Ufficio Anagrafe Polizzi Generosa',
    role: 'staff',
    organization: 'polizziGenerosa',
    note: 'staff of the Comune di Polizzi Generosa (PA, 3,000 inhabitants)',
  },
  {
    key: 'staffUnione',
    email: 'servizisociali@demo.unione.garfagnana.example',
    password: 'demo-staff-Garfagnana-2026',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$wbehMQZxncRFXR0OvrIDtA$QOoYe04ro1L92MT7QDmtjruywFUPH4FiwyKnbp5aELg',
    displayName: 'Servizi sociali Unione Garfagnana',
    role: 'staff',
    organization: 'unioneGarfagnana',
    note: 'staff of the Unione dei Comuni della Garfagnana (LU)',
  },
  {
    key: 'staffCoalizione',
    email: 'stranieri@demo.comune.lecce.example',
    password: 'demo-staff-Lecce-2026',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$j/AwXB9VK0QXG54fYAYHoQ$CNTS1kqRhUdfnQx/fGLXZ0V22xZpHvyRBiBWYMAko8o',
    displayName: 'Sportello Immigrazione Lecce',
    role: 'staff',
    organization: 'lecce',
    note: 'staff of the Comune di Lecce (94,000 inhabitants)',
  },
]

/** What later seeders know of a demo account. */
export interface DemoPerson {
  id: string
  name: string
  organizationId: string | null
}

/** Needs the comuni seeder first; puts `users` (key → id) and `people` (key → DemoPerson) in ctx.made. */
export const accountsDemoSeeder: DemoSeeder = {
  name: 'accounts',
  async seed({ trx, clock, made }) {
    const organizations = (made.get('organizations') ?? {}) as Record<string, string>
    const repo = accountsRepository(trx)
    const ids: Record<string, string> = {}
    const people: Record<string, DemoPerson> = {}
    for (const a of DEMO_ACCOUNTS) {
      const organizationId = a.organization ? organizations[a.organization] : null
      if (a.organization && !organizationId) throw new Error(`demo account ${a.email}: organization ${a.organization} was not seeded`)
      const user = await repo.insertUser({
        email: a.email,
        displayName: a.displayName,
        role: a.role,
        organizationId: organizationId ?? null,
        topics: a.topics ?? [],
        passwordHash: a.passwordHash,
        now: clock.now(),
      })
      ids[a.key] = user.id
      people[a.key] = { id: user.id, name: a.displayName, organizationId: organizationId ?? null }
    }
    made.set('users', ids)
    made.set('people', people)
  },
  describe: () => ['demo logins (email / password):', ...DEMO_ACCOUNTS.map((a) => `  ${a.email} / ${a.password}  — ${a.note}`)],
}
