/** Rome local hours, as the report queries group them ("YYYY-MM-DDTHH"). */
const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' })

const HOUR = 3_600_000
/** Rome's offset from UTC is whole hours, so a UTC hour has one Rome hour: formatted once each. */
const byUtcHour = new Map<number, string>()
const CACHE_LIMIT = 10_000

export function romeHourKey(instant: Date): string {
  const utcHour = Math.floor(instant.getTime() / HOUR)
  let key = byUtcHour.get(utcHour)
  if (key === undefined) {
    const p = Object.fromEntries(parts.formatToParts(new Date(utcHour * HOUR)).map((x) => [x.type, x.value]))
    key = `${p.year}-${p.month}-${p.day}T${p.hour}`
    if (byUtcHour.size >= CACHE_LIMIT) byUtcHour.clear()
    byUtcHour.set(utcHour, key)
  }
  return key
}

/** The instants starting each hour from the hour of `from` up to (excluding) `to`; at most `max` of them. */
export function hoursBetween(from: Date, to: Date, max = 48): Date[] {
  const hours: Date[] = []
  for (let t = Math.floor(from.getTime() / HOUR) * HOUR; t < to.getTime() && hours.length < max; t += HOUR) hours.push(new Date(t))
  return hours
}
