/**
 * Population bands of the reports, in the order they are shown. Unioni di Comuni are a band of
 * their own (their population is their members'); comuni without a known population, another.
 * The SQL in repository.ts computes the same codes.
 */
export const POPULATION_BANDS = [
  { code: 'fino-1000', label: 'Fino a 1.000 abitanti' },
  { code: '1001-5000', label: 'Da 1.001 a 5.000 abitanti' },
  { code: '5001-15000', label: 'Da 5.001 a 15.000 abitanti' },
  { code: '15001-50000', label: 'Da 15.001 a 50.000 abitanti' },
  { code: '50001-150000', label: 'Da 50.001 a 150.000 abitanti' },
  { code: 'oltre-150000', label: 'Oltre 150.000 abitanti' },
  { code: 'unione', label: 'Unioni di Comuni' },
  { code: 'non-nota', label: 'Popolazione non nota' },
] as const

export const bandLabel = (code: string) => POPULATION_BANDS.find((b) => b.code === code)?.label ?? code
