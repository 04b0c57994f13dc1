/**
 * Where a question came from, in words that cannot identify the comune: "un comune della Puglia
 * sotto i 5.000 abitanti", widened until at least `k` comuni of the registry fit the description.
 */

const MACRO_AREAS = {
  'Nord-Ovest': ['piemonte', "valle d'aosta", 'liguria', 'lombardia'],
  'Nord-Est': ['trentino-alto adige', 'veneto', 'friuli-venezia giulia', 'emilia-romagna'],
  Centro: ['toscana', 'umbria', 'marche', 'lazio'],
  Sud: ['abruzzo', 'molise', 'campania', 'puglia', 'basilicata', 'calabria'],
  Isole: ['sicilia', 'sardegna'],
} as const

type MacroArea = keyof typeof MACRO_AREAS

/** "della Puglia", "del Piemonte", "dell'Emilia-Romagna", "delle Marche". */
const REGION_PREPOSITION: Record<string, string> = {
  piemonte: 'del Piemonte',
  "valle d'aosta": "della Valle d'Aosta",
  liguria: 'della Liguria',
  lombardia: 'della Lombardia',
  'trentino-alto adige': 'del Trentino-Alto Adige',
  veneto: 'del Veneto',
  'friuli-venezia giulia': 'del Friuli-Venezia Giulia',
  'emilia-romagna': "dell'Emilia-Romagna",
  toscana: 'della Toscana',
  umbria: "dell'Umbria",
  marche: 'delle Marche',
  lazio: 'del Lazio',
  abruzzo: "dell'Abruzzo",
  molise: 'del Molise',
  campania: 'della Campania',
  puglia: 'della Puglia',
  basilicata: 'della Basilicata',
  calabria: 'della Calabria',
  sicilia: 'della Sicilia',
  sardegna: 'della Sardegna',
}

const AREA_PREPOSITION: Record<MacroArea, string> = {
  'Nord-Ovest': 'del Nord-Ovest',
  'Nord-Est': 'del Nord-Est',
  Centro: 'del Centro',
  Sud: 'del Sud',
  Isole: 'delle Isole',
}

const BANDS = [
  { max: 5_000, words: 'sotto i 5.000 abitanti' },
  { max: 15_000, words: 'tra 5.000 e 15.000 abitanti' },
  { max: 50_000, words: 'tra 15.000 e 50.000 abitanti' },
  { max: 150_000, words: 'tra 50.000 e 150.000 abitanti' },
  { max: Infinity, words: 'oltre 150.000 abitanti' },
] as const

/** ISTAT names may be bilingual ("Valle d'Aosta/Vallée d'Aoste", "Trentino-Alto Adige/Südtirol"). */
export function canonicalRegion(region: string): string {
  return region
    .split('/')[0]!
    .trim()
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/\s*-\s*/g, '-')
}

const areaOf = (region: string): MacroArea | undefined =>
  (Object.keys(MACRO_AREAS) as MacroArea[]).find((area) => (MACRO_AREAS[area] as readonly string[]).includes(canonicalRegion(region)))

const bandOf = (population: number) => BANDS.findIndex((b) => population < b.max)

export interface OriginSubject {
  kind: 'comune' | 'unione'
  region: string
  population: number | null
}

export function describeOrigin(asker: OriginSubject, registry: ReadonlyArray<{ region: string; population: number | null }>, k = 20): string {
  const region = canonicalRegion(asker.region)
  const area = areaOf(asker.region)
  if (asker.kind === 'unione') {
    // Regions hold few Unioni each: the macro-area is the narrowest safe description.
    return area ? `un'Unione di Comuni ${AREA_PREPOSITION[area]}` : "un'Unione di Comuni italiana"
  }
  const band = asker.population === null ? -1 : bandOf(asker.population)
  const entries = registry.map((c) => ({ region: canonicalRegion(c.region), area: areaOf(c.region), band: c.population === null ? -1 : bandOf(c.population) }))
  const count = (fits: (c: (typeof entries)[number]) => boolean) => entries.filter(fits).length

  const candidates: Array<[string, () => number]> = []
  const inRegion = REGION_PREPOSITION[region]
  if (inRegion && band >= 0) candidates.push([`un comune ${inRegion} ${BANDS[band]!.words}`, () => count((c) => c.region === region && c.band === band)])
  if (inRegion) candidates.push([`un comune ${inRegion}`, () => count((c) => c.region === region)])
  if (area && band >= 0) candidates.push([`un comune ${AREA_PREPOSITION[area]} ${BANDS[band]!.words}`, () => count((c) => c.area === area && c.band === band)])
  if (area) candidates.push([`un comune ${AREA_PREPOSITION[area]}`, () => count((c) => c.area === area)])
  for (const [words, matching] of candidates) if (matching() >= k) return words
  return 'un comune italiano'
}
