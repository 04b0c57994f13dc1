import type { ForumDayDto } from '../forum-days/schemas.js'

/**
 * The forum-day form: dates and times as separate Rome wall-clock fields (what `<input type=date>`
 * and `<input type=time>` give), joined into the local time the forum-days service reads
 * ("2026-03-29T10:00", no offset), so daylight saving time is the service's business, not the page's.
 */
export interface DayFields {
  title: string
  themes: string[]
  opensDate: string
  opensTime: string
  closesDate: string
  closesTime: string
  deadlineDate: string
  deadlineTime: string
  maxOpen: string
  rehearsal: boolean
  version: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^\d{2}:\d{2}$/

/** "2026-03-29T10:00:00+02:00" -> ["2026-03-29", "10:00"]. */
const splitRome = (rome: string): [string, string] => [rome.slice(0, 10), rome.slice(11, 16)]

export function emptyDayFields(themes: string[]): DayFields {
  return { title: '', themes, opensDate: '', opensTime: '09:00', closesDate: '', closesTime: '17:00', deadlineDate: '', deadlineTime: '', maxOpen: '', rehearsal: false, version: '' }
}

export function dayFieldsOf(day: ForumDayDto): DayFields {
  const [opensDate, opensTime] = splitRome(day.local.opensAt)
  const [closesDate, closesTime] = splitRome(day.local.closesAt)
  const [deadlineDate, deadlineTime] = splitRome(day.local.answerDeadline)
  return {
    title: day.title,
    themes: day.themes.map((t) => t.code),
    opensDate,
    opensTime,
    closesDate,
    closesTime,
    deadlineDate,
    deadlineTime,
    maxOpen: day.maxOpenQuestionsPerOrganization === null ? '' : String(day.maxOpenQuestionsPerOrganization),
    rehearsal: day.rehearsal,
    version: String(day.version),
  }
}

/** The posted form. Theme checkboxes are named `theme-<code>` (a form field is never repeated). */
export function dayFieldsFromForm(body: Record<string, string | undefined>, editionThemes: string[]): DayFields {
  const text = (name: string) => (body[name] ?? '').trim()
  return {
    title: text('title'),
    themes: editionThemes.filter((code) => body[`theme-${code}`] !== undefined),
    opensDate: text('opensDate'),
    opensTime: text('opensTime'),
    closesDate: text('closesDate'),
    closesTime: text('closesTime'),
    deadlineDate: text('deadlineDate'),
    deadlineTime: text('deadlineTime'),
    maxOpen: text('maxOpen'),
    rehearsal: body.rehearsal !== undefined,
    version: text('version'),
  }
}

const local = (date: string, time: string) => (DATE.test(date) && TIME.test(time) ? `${date}T${time}` : undefined)

/**
 * What the service needs, or the fields in error (named as the service's input names them, so a
 * service refusal and a form error point at the same field).
 */
export function dayInput(fields: DayFields):
  | { ok: true; value: { title: string; themes: string[]; opensAt: string; closesAt: string; answerDeadline?: string; maxOpenQuestionsPerOrganization: number | null } }
  | { ok: false; errors: string[] } {
  const errors: string[] = []
  if (fields.title.length < 3 || fields.title.length > 200) errors.push('title')
  if (fields.themes.length === 0) errors.push('themes')
  const opensAt = local(fields.opensDate, fields.opensTime)
  if (!opensAt) errors.push('opensAt')
  const closesAt = local(fields.closesDate, fields.closesTime)
  if (!closesAt) errors.push('closesAt')
  const noDeadline = !fields.deadlineDate && !fields.deadlineTime
  const answerDeadline = noDeadline ? undefined : local(fields.deadlineDate, fields.deadlineTime)
  if (!noDeadline && !answerDeadline) errors.push('answerDeadline')
  const max = fields.maxOpen === '' ? null : Number(fields.maxOpen)
  if (max !== null && !(Number.isInteger(max) && max >= 1 && max <= 1000)) errors.push('maxOpenQuestionsPerOrganization')
  if (errors.length > 0 || !opensAt || !closesAt) return { ok: false, errors }
  return { ok: true, value: { title: fields.title, themes: fields.themes, opensAt, closesAt, ...(answerDeadline ? { answerDeadline } : {}), maxOpenQuestionsPerOrganization: max } }
}
