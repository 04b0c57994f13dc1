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

const HOUR = 3_600_000

/** Offset in minutes from Intl: the slow path, once per UTC hour. */
function intlOffsetMinutes(instant: Date): number {
  const name = formatter.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
  return name === 'GMT' ? 0 : offsetMinutes(name.slice(3))
}

/**
 * Offsets by UTC hour. Formatting through Intl was the largest cost of the forum-day list; Rome
 * changes offset on the hour (01:00 UTC), so one lookup serves the whole hour. An hour whose
 * start and end disagree (no such change since 1893) is never cached. Bounded: a list touches a
 * few hours; cleared rather than evicted one by one when something walks many.
 */
const offsets = new Map<number, number>()
const MAX_CACHED_HOURS = 10_000

function offsetMinutesAt(ms: number): number {
  const hour = Math.floor(ms / HOUR)
  const cached = offsets.get(hour)
  if (cached !== undefined) return cached
  const start = intlOffsetMinutes(new Date(hour * HOUR))
  if (start !== intlOffsetMinutes(new Date(hour * HOUR + HOUR - 1))) return intlOffsetMinutes(new Date(ms))
  if (offsets.size >= MAX_CACHED_HOURS) offsets.clear()
  offsets.set(hour, start)
  return start
}

const two = (n: number) => String(n).padStart(2, '0')

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
}

/** The UTC offset of Europe/Rome at an instant, e.g. "+01:00" in winter, "+02:00" in summer. */
export function romeOffset(instant: Date): string {
  return formatOffset(offsetMinutesAt(instant.getTime()))
}

/** `2026-03-29T10:00:00+02:00`: the wall-clock time in Rome and the offset that makes it exact. */
export function toRomeLocal(instant: Date): string {
  const minutes = offsetMinutesAt(instant.getTime())
  // The wall clock is the instant shifted by the offset, read as if it were UTC.
  const wall = new Date(instant.getTime() + minutes * 60_000)
  return (
    `${String(wall.getUTCFullYear()).padStart(4, '0')}-${two(wall.getUTCMonth() + 1)}-${two(wall.getUTCDate())}` +
    `T${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}:${two(wall.getUTCSeconds())}${formatOffset(minutes)}`
  )
}

function offsetMinutes(offset: string): number {
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
    .filter((instant) => offsetMinutesAt(instant.getTime()) * 60_000 === wall - instant.getTime())
  return candidates[0]
}
