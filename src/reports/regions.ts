import { ITALIAN_REGIONS } from '../comuni/import.js'

/**
 * The 20 regions as a tile grid shaped roughly like Italy: the map-like chart of the edition
 * report, drawn as SVG from this table (no map tiles, nothing from the internet).
 */
export const REGION_TILES: Record<(typeof ITALIAN_REGIONS)[number], { abbr: string; col: number; row: number }> = {
  "Valle d'Aosta": { abbr: 'VDA', col: 0, row: 0 },
  'Trentino-Alto Adige': { abbr: 'TAA', col: 2, row: 0 },
  Piemonte: { abbr: 'PIE', col: 0, row: 1 },
  Lombardia: { abbr: 'LOM', col: 1, row: 1 },
  Veneto: { abbr: 'VEN', col: 2, row: 1 },
  'Friuli-Venezia Giulia': { abbr: 'FVG', col: 3, row: 1 },
  Liguria: { abbr: 'LIG', col: 0, row: 2 },
  'Emilia-Romagna': { abbr: 'EMR', col: 1, row: 2 },
  Toscana: { abbr: 'TOS', col: 1, row: 3 },
  Umbria: { abbr: 'UMB', col: 2, row: 3 },
  Marche: { abbr: 'MAR', col: 3, row: 3 },
  Lazio: { abbr: 'LAZ', col: 2, row: 4 },
  Abruzzo: { abbr: 'ABR', col: 3, row: 4 },
  Molise: { abbr: 'MOL', col: 4, row: 4 },
  Sardegna: { abbr: 'SAR', col: 0, row: 5 },
  Campania: { abbr: 'CAM', col: 3, row: 5 },
  Basilicata: { abbr: 'BAS', col: 4, row: 5 },
  Puglia: { abbr: 'PUG', col: 5, row: 5 },
  Calabria: { abbr: 'CAL', col: 4, row: 6 },
  Sicilia: { abbr: 'SIC', col: 3, row: 7 },
}

export const REGIONS: readonly string[] = ITALIAN_REGIONS
