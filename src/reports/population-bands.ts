/**
 * Population bands of the reports, in the order they are shown. Unioni di Comuni are a band of
 * their own (their population is their members'); comuni without a known population, another.
 * The SQL in repository.ts computes the same codes.
 */
export const POPULATION_BANDS = [
  { code: 'fino-1000', label: 'Fino a 1.000 abitanti', max: 1000 },
  { code: '1001-5000', label: 'Da 1.001 a 5.000 abitanti', max: 5000 },
  { code: '5001-15000', label: 'Da 5.001 a 15.000 abitanti', max: 15000 },
  { code: '15001-50000', label: 'Da 15.001 a 50.000 abitanti', max: 50000 },
  { code: '50001-150000', label: 'Da 50.001 a 150.000 abitanti', max: 150000 },
  { code: 'oltre-150000', label: 'Oltre 150.000 abitanti', max: null },
  { code: 'unione', label: 'Unioni di Comuni', max: null },
  { code: 'non-nota', label: 'Popolazione non nota', max: null },
] as const

export type PopulationBand = (typeof POPULATION_BANDS)[number]['code']

export function populationBand(kind: 'comune' | 'unione', population: number | null): PopulationBand {
  if (kind === 'unione') return 'unione'
  if (population === null) return 'non-nota'
  for (const band of POPULATION_BANDS) if (band.max !== null && population <= band.max) return band.code
  return 'oltre-150000'
}

export const bandLabel = (code: string) => POPULATION_BANDS.find((b) => b.code === code)?.label ?? code
