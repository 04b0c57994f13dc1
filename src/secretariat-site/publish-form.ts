import { PublishFaqBody, UpdateFaqBody, type FaqDto, type PrivacyFinding } from '../knowledge-base/schemas.js'
import { PRIVACY_CHECKLIST } from '../knowledge-base/text/privacy-scan.js'

/** The publishing form's fields, as the page shows them and the browser posts them back (strings). */
export interface PublishFields {
  title: string
  question: string
  answer: string
  theme: string
  tags: string
  visibility: 'public' | 'reserved'
  scopeRegion: string
  reviewBy: string
  checklist: string[]
  overrideReason: string
}

export const CHECKLIST_IDS = PRIVACY_CHECKLIST.map((c) => c.id)

/** The form as it first appears: the question and its answer, the question's theme. */
export function fieldsFromQuestion(question: { title: string; body: string; theme: string; answer: { markdown: string } | null }): PublishFields {
  return {
    title: question.title,
    question: question.body,
    answer: question.answer?.markdown ?? '',
    theme: question.theme,
    tags: '',
    visibility: 'public',
    scopeRegion: '',
    reviewBy: '',
    checklist: [],
    overrideReason: '',
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** What the browser posted. Textareas send CRLF line ends; the text is kept with LF, as the API stores it. */
export function fieldsFromForm(body: Record<string, string | undefined>): PublishFields {
  const lf = (v: unknown) => text(v).replace(/\r\n?/g, '\n')
  return {
    title: lf(body.title),
    question: lf(body.question),
    answer: lf(body.answer),
    theme: text(body.theme),
    tags: text(body.tags),
    visibility: body.visibility === 'reserved' ? 'reserved' : 'public',
    scopeRegion: text(body.scopeRegion),
    reviewBy: text(body.reviewBy),
    checklist: CHECKLIST_IDS.filter((id) => body[`checklist-${id}`] !== undefined),
    overrideReason: lf(body.overrideReason),
  }
}

/** The name of a finding's controls: which field, and where in it. */
export const findingKey = (f: Pick<PrivacyFinding, 'field' | 'start' | 'end'>) => `${f.field}-${f.start}-${f.end}`

/**
 * Replaces one finding with the moderator's text, if the finding is still where the page said
 * (the text may have been edited since): `undefined` when it is not.
 */
export function replaceFinding(fields: PublishFields, findings: PrivacyFinding[], key: string, replacement: string): PublishFields | undefined {
  const finding = findings.find((f) => findingKey(f) === key)
  if (!finding) return undefined
  const current = fields[finding.field]
  return { ...fields, [finding.field]: `${current.slice(0, finding.start)}${replacement.replace(/\r\n?/g, ' ')}${current.slice(finding.end)}` }
}

/** "anagrafe, richiedenti asilo" -> ["anagrafe", "richiedenti asilo"]. */
const tagsOf = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)

/** The API's body from the form; the schema's own validation decides, with the field in error. */
export function publishBody(questionId: string, fields: PublishFields) {
  const checklist = Object.fromEntries(CHECKLIST_IDS.map((id) => [id, fields.checklist.includes(id)]))
  const reason = fields.overrideReason.trim()
  return PublishFaqBody.safeParse({
    questionId,
    title: fields.title,
    question: fields.question,
    answer: fields.answer,
    theme: fields.theme,
    tags: tagsOf(fields.tags),
    visibility: fields.visibility,
    scopeRegion: fields.scopeRegion.trim() || null,
    reviewBy: fields.reviewBy.trim() || null,
    checklist,
    ...(reason ? { privacyOverride: { reason } } : {}),
  })
}

/** A published FAQ's form, as the editing page first shows it. */
export function fieldsFromFaq(faq: FaqDto): PublishFields {
  return {
    title: faq.title,
    question: faq.question,
    answer: faq.answer,
    theme: faq.theme,
    tags: faq.tags.join(', '),
    visibility: faq.visibility,
    scopeRegion: faq.scopeRegion ?? '',
    reviewBy: faq.review.reviewBy ?? '',
    checklist: [],
    overrideReason: '',
  }
}

/** The API's edit body from the form (every field sent: the form shows them all). */
export function updateBody(fields: PublishFields, extra: { note: string; reviewed: boolean }) {
  const reason = fields.overrideReason.trim()
  return UpdateFaqBody.safeParse({
    title: fields.title,
    question: fields.question,
    answer: fields.answer,
    theme: fields.theme,
    tags: tagsOf(fields.tags),
    visibility: fields.visibility,
    scopeRegion: fields.scopeRegion.trim() || null,
    reviewBy: fields.reviewBy.trim() || null,
    checklist: Object.fromEntries(CHECKLIST_IDS.map((id) => [id, fields.checklist.includes(id)])),
    ...(reason ? { privacyOverride: { reason } } : {}),
    ...(extra.note.trim() ? { note: extra.note.trim() } : {}),
    reviewed: extra.reviewed,
  })
}
