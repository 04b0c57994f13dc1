import t from 'tap'
import { describeOrigin } from '../../../src/knowledge-base/text/origin.js'

const comuni = (region: string, population: number, n: number) => Array.from({ length: n }, () => ({ region, population }))
const registry = [...comuni('Puglia', 3000, 30), ...comuni('Puglia', 80_000, 3), ...comuni('Molise', 2000, 5), ...comuni('Campania', 2500, 40), ...comuni("Valle d'Aosta/Vallée d'Aoste", 900, 4)]

t.test('the narrowest description that still fits at least k comuni', async (t) => {
  t.equal(describeOrigin({ kind: 'comune', region: 'Puglia', population: 2800 }, registry), 'un comune della Puglia sotto i 5.000 abitanti')
})

t.test('too few comuni in the band: the description widens to the region, then the macro-area', async (t) => {
  t.equal(describeOrigin({ kind: 'comune', region: 'Puglia', population: 80_000 }, registry), 'un comune della Puglia')
  t.equal(describeOrigin({ kind: 'comune', region: 'Molise', population: 2000 }, registry), 'un comune del Sud sotto i 5.000 abitanti')
  t.equal(describeOrigin({ kind: 'comune', region: "Valle d'Aosta/Vallée d'Aoste", population: 900 }, registry), 'un comune italiano')
})

t.test('an unknown population skips the population bands', async (t) => {
  t.equal(describeOrigin({ kind: 'comune', region: 'Puglia', population: null }, registry), 'un comune della Puglia')
})

t.test('Unioni are described by macro-area, with the right Italian prepositions', async (t) => {
  t.equal(describeOrigin({ kind: 'unione', region: 'Toscana', population: 9000 }, registry), "un'Unione di Comuni del Centro")
  t.equal(describeOrigin({ kind: 'unione', region: 'Sicilia', population: 9000 }, registry), "un'Unione di Comuni delle Isole")
  t.equal(describeOrigin({ kind: 'comune', region: 'Marche', population: 1000 }, comuni('Marche', 1000, 25)), 'un comune delle Marche sotto i 5.000 abitanti')
  t.equal(describeOrigin({ kind: 'comune', region: 'Emilia-Romagna', population: 1000 }, comuni('Emilia-Romagna', 60_000, 25)), "un comune dell'Emilia-Romagna")
})
