import t from 'tap'
import { fromRomeLocal, romeOffset, toRomeLocal } from '../../src/forum-days/rome-time.js'

/** What Intl itself says, formatted the way the forum shows it: the reference for the cached path. */
const reference = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
})
function intlRomeLocal(instant: Date): string {
  const p = Object.fromEntries(reference.formatToParts(instant).map((part) => [part.type, part.value]))
  const offset = p.timeZoneName === 'GMT' ? '+00:00' : (p.timeZoneName ?? '').slice(3)
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`
}

t.test('the spring change: 01:59:59 winter time is followed by 03:00:00 summer time', async (t) => {
  t.equal(toRomeLocal(new Date('2026-03-29T00:59:59.999Z')), '2026-03-29T01:59:59+01:00')
  t.equal(toRomeLocal(new Date('2026-03-29T01:00:00.000Z')), '2026-03-29T03:00:00+02:00')
  t.equal(romeOffset(new Date('2026-03-29T00:30:00Z')), '+01:00')
  t.equal(romeOffset(new Date('2026-03-29T01:30:00Z')), '+02:00')
  t.equal(fromRomeLocal('2026-03-29T02:30'), undefined, '02:30 does not exist that night')
  t.equal(fromRomeLocal('2026-03-29T03:00')?.toISOString(), '2026-03-29T01:00:00.000Z')
})

t.test('the autumn change: 02:59:59 summer time is followed by 02:00:00 winter time', async (t) => {
  // Later instant first: what was cached for one hour must not leak into the hour before.
  t.equal(toRomeLocal(new Date('2026-10-25T01:00:00.000Z')), '2026-10-25T02:00:00+01:00')
  t.equal(toRomeLocal(new Date('2026-10-25T00:59:59.999Z')), '2026-10-25T02:59:59+02:00')
  t.equal(fromRomeLocal('2026-10-25T02:30')?.toISOString(), '2026-10-25T00:30:00.000Z', 'an ambiguous time takes the summer-time instant')
  t.equal(fromRomeLocal('2026-10-25T03:30')?.toISOString(), '2026-10-25T02:30:00.000Z')
})

t.test('every instant across two years of changes reads as Intl reads it, repeated or not', async (t) => {
  const from = Date.UTC(2025, 0, 1)
  const to = Date.UTC(2027, 0, 1)
  let mismatches = 0
  let checked = 0
  // Every 7 minutes 13 seconds, twice: the second pass answers from the cache.
  for (let pass = 0; pass < 2; pass++) {
    for (let ms = from; ms < to; ms += 433_000) {
      const instant = new Date(ms)
      if (toRomeLocal(instant) !== intlRomeLocal(instant)) mismatches++
      checked++
    }
  }
  t.equal(mismatches, 0, `${checked} instants`)
  for (const local of ['2026-01-15T09:00', '2026-07-15T09:00', '2026-03-29T03:30', '2026-10-25T01:59']) {
    const instant = fromRomeLocal(local)
    t.equal(instant && toRomeLocal(instant).slice(0, 16), local, `${local} round-trips`)
  }
})

t.test('dates long ago and far ahead keep their offsets', async (t) => {
  for (const iso of ['1970-01-01T00:00:00Z', '1980-06-01T12:00:00Z', '2099-08-01T10:00:00Z', '2099-12-31T23:59:59Z']) {
    const instant = new Date(iso)
    t.equal(toRomeLocal(instant), intlRomeLocal(instant), iso)
  }
})
