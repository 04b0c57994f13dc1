import type { DemoSeeder } from '../demo/seed.js'
import { comuniRepository } from './repository.js'

/**
 * Real comuni (ISTAT codes as in the registry) with rounded recent populations: small comuni of
 * Piemonte, Toscana, Puglia and Sicilia (the Piccoli Comuni programme), a few of 5,000-150,000
 * (CO-AliZIONE), and two Unioni di Comuni whose small members take part together.
 */
const COMUNI = [
  { key: 'bardonecchia', istatCode: '001022', name: 'Bardonecchia', province: 'TO', region: 'Piemonte', population: 3200 },
  { key: 'oulx', istatCode: '001175', name: 'Oulx', province: 'TO', region: 'Piemonte', population: 3300 },
  { key: 'sauzeDOulx', istatCode: '001259', name: "Sauze d'Oulx", province: 'TO', region: 'Piemonte', population: 1100 },
  { key: 'cesanaTorinese', istatCode: '001074', name: 'Cesana Torinese', province: 'TO', region: 'Piemonte', population: 1000 },
  { key: 'claviere', istatCode: '001087', name: 'Claviere', province: 'TO', region: 'Piemonte', population: 210 },
  { key: 'castelnuovoDiGarfagnana', istatCode: '046009', name: 'Castelnuovo di Garfagnana', province: 'LU', region: 'Toscana', population: 5700 },
  { key: 'camporgiano', istatCode: '046006', name: 'Camporgiano', province: 'LU', region: 'Toscana', population: 2100 },
  { key: 'piazzaAlSerchio', istatCode: '046023', name: 'Piazza al Serchio', province: 'LU', region: 'Toscana', population: 2200 },
  { key: 'minucciano', istatCode: '046019', name: 'Minucciano', province: 'LU', region: 'Toscana', population: 1900 },
  { key: 'alberona', istatCode: '071002', name: 'Alberona', province: 'FG', region: 'Puglia', population: 900 },
  { key: 'celleDiSanVito', istatCode: '071019', name: 'Celle di San Vito', province: 'FG', region: 'Puglia', population: 160 },
  { key: 'polizziGenerosa', istatCode: '082058', name: 'Polizzi Generosa', province: 'PA', region: 'Sicilia', population: 3000 },
  { key: 'gangi', istatCode: '082036', name: 'Gangi', province: 'PA', region: 'Sicilia', population: 6400 },
  { key: 'vinci', istatCode: '048050', name: 'Vinci', province: 'FI', region: 'Toscana', population: 14300 },
  { key: 'cerretoGuidi', istatCode: '048011', name: 'Cerreto Guidi', province: 'FI', region: 'Toscana', population: 10600 },
  { key: 'ragusa', istatCode: '088009', name: 'Ragusa', province: 'RG', region: 'Sicilia', population: 72000 },
  { key: 'lecce', istatCode: '075035', name: 'Lecce', province: 'LE', region: 'Puglia', population: 94000 },
  { key: 'forli', istatCode: '040012', name: 'Forlì', province: 'FC', region: 'Emilia-Romagna', population: 117000 },
] as const

const UNIONI = [
  { key: 'unioneAltaValleSusa', name: 'Unione Montana Alta Valle Susa', members: ['bardonecchia', 'oulx', 'sauzeDOulx', 'cesanaTorinese', 'claviere'] },
  { key: 'unioneGarfagnana', name: 'Unione dei Comuni della Garfagnana', members: ['castelnuovoDiGarfagnana', 'camporgiano', 'piazzaAlSerchio', 'minucciano'] },
] as const

export type DemoOrganizationKey = (typeof COMUNI)[number]['key'] | (typeof UNIONI)[number]['key']

/** Puts `organizations` (key → id) in ctx.made. */
export const comuniDemoSeeder: DemoSeeder = {
  name: 'comuni',
  async seed({ trx, clock, made }) {
    const repo = comuniRepository(trx)
    const now = clock.now()
    await repo.upsertComuni(
      COMUNI.map(({ key: _key, ...c }) => c),
      now,
    )
    const ids: Record<string, string> = {}
    for (const c of COMUNI) ids[c.key] = ((await repo.findByIstatCode(c.istatCode)) as { id: string }).id
    for (const u of UNIONI) {
      ids[u.key] = await repo.insertUnione(u.name, now)
      await repo.replaceMembers(ids[u.key] as string, u.members.map((m) => ids[m] as string))
    }
    made.set('organizations', ids)
  },
  describe: () => [`registry: ${COMUNI.length} comuni and ${UNIONI.length} Unioni di Comuni (run npm run import-comuni for the full ISTAT list)`],
}
