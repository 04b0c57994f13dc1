/** Dates and numbers as an Italian reader expects them, always in Rome's time zone. */
const TIME_ZONE = 'Europe/Rome'

const dateFormat = new Intl.DateTimeFormat('it-IT', { timeZone: TIME_ZONE, day: 'numeric', month: 'long', year: 'numeric' })
const timeFormat = new Intl.DateTimeFormat('it-IT', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
const weekdayFormat = new Intl.DateTimeFormat('it-IT', { timeZone: TIME_ZONE, weekday: 'long' })
const numberFormat = new Intl.NumberFormat('it-IT')
// Made once: a formatter costs tens of microseconds to build, and an FAQ page asks for the
// date once per legal reference.
const isoDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })

const instant = (value: Date | string) => (typeof value === 'string' ? new Date(value) : value)

/** "24 novembre 2017" (a calendar date such as 2017-11-24 is read as that day, not as UTC midnight). */
export function formatDate(value: Date | string): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return dateFormat.format(new Date(`${value}T12:00:00Z`))
  return dateFormat.format(instant(value))
}

/** "10:30" in Rome. */
export const formatTime = (value: Date | string): string => timeFormat.format(instant(value))

/** "lunedì 2 marzo 2026, ore 10:00". */
export const formatDateTime = (value: Date | string): string => `${weekdayFormat.format(instant(value))} ${formatDate(value)}, ore ${formatTime(value)}`

/** "12.345". */
export const formatNumber = (value: number): string => numberFormat.format(value)

/** The Rome calendar date of an instant, YYYY-MM-DD. */
export function romeDate(value: Date | string): string {
  const parts = Object.fromEntries(isoDateFormat.formatToParts(instant(value)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}
