/** Rome local hours, as the report queries group them ("YYYY-MM-DDTHH"). */
const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })

export function romeHourKey(instant: Date): string {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}T${p.hour}`
}

const HOUR = 3_600_000

/** The instants starting each hour from the hour of `from` up to (excluding) `to`; at most `max` of them. */
export function hoursBetween(from: Date, to: Date, max = 48): Date[] {
  const hours: Date[] = []
  for (let t = Math.floor(from.getTime() / HOUR) * HOUR; t < to.getTime() && hours.length < max; t += HOUR) hours.push(new Date(t))
  return hours
}
