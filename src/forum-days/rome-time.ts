/** Instants shown in Italian local time (Europe/Rome), with the offset in force at that instant. */
export const FORUM_TIME_ZONE = 'Europe/Rome'

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: FORUM_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
})

function parts(instant: Date): Record<string, string> {
  return Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]))
}

/** The UTC offset of Europe/Rome at an instant, e.g. "+01:00" in winter, "+02:00" in summer. */
export function romeOffset(instant: Date): string {
  const name = parts(instant).timeZoneName ?? 'GMT'
  return name === 'GMT' ? '+00:00' : name.slice(3)
}

/** `2026-03-29T10:00:00+02:00`: the wall-clock time in Rome and the offset that makes it exact. */
export function toRomeLocal(instant: Date): string {
  const p = parts(instant)
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${romeOffset(instant)}`
}

const offsetMinutes = (offset: string) => {
  const sign = offset.startsWith('-') ? -1 : 1
  const [h, m] = offset.slice(1).split(':').map(Number)
  return sign * ((h ?? 0) * 60 + (m ?? 0))
}

/**
 * A Rome wall-clock time without offset ("2026-03-29T10:00") as an instant. Returns undefined for
 * a time that does not exist (skipped by the spring DST change); an ambiguous autumn time takes
 * the earlier instant (summer time), as Italian timetables do.
 */
export function fromRomeLocal(local: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local)
  if (!match) return undefined
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number]
  const wall = Date.UTC(y, mo - 1, d, h, mi, s)
  // Try both offsets that could be in force around that wall time; keep those that round-trip.
  const candidates = [120, 60]
    .map((minutes) => new Date(wall - minutes * 60_000))
    .filter((instant) => offsetMinutes(romeOffset(instant)) * 60_000 === wall - instant.getTime())
  return candidates[0]
}
