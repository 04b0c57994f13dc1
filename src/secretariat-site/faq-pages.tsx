import { formatDate, formatDateTime } from '../i18n/format.js'
import { secretariat } from '../i18n/secretariat.js'
import type { FaqDto } from '../knowledge-base/schemas.js'
import { Breadcrumbs, Time } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { ErrorSummary, Field } from '../web/forms.js'
import type { PublishFields } from './publish-form.js'
import { ContentFields, PUBLISH_ANCHORS, ReviewParts, type PublicationPreview } from './publish-page.js'
import type { FieldChange } from './revision-diff.js'
import { DataTable } from './table.js'

const t = secretariat.review
const home = { label: secretariat.overview.title, path: '/segreteria' }
const queue = { label: t.title, path: '/segreteria/revisione' }

export interface ReviewQueueView {
  faqs: FaqDto[]
  info?: string
  amendment?: { values: { law: string; amendedOn: string; note: string }; fieldErrors: Record<string, string>; error?: string }
}

/** The FAQs to review, and the form that records a law change (which fills the list). */
export function ReviewQueuePage({ faqs, info, amendment }: ReviewQueueView) {
  const a = t.amendment
  const fieldErrors = amendment?.fieldErrors ?? {}
  const values = amendment?.values ?? { law: '', amendedOn: '', note: '' }
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, { label: t.title }]} />
      <h1 class="pt-4" id="review-title">
        {t.title}
      </h1>
      <p class="lead">{t.lead}</p>
      {info ? (
        <Notice kind="success">
          <p class="mb-0">{info}</p>
        </Notice>
      ) : null}
      <DataTable
        labelledBy="review-title"
        headers={[t.columns.title, t.columns.reason, t.columns.action]}
        rows={faqs.map((faq) => ({
          cells: [
            faq.title,
            faq.review.reason ?? (faq.review.reviewBy ? t.dueBy(formatDate(faq.review.reviewBy)) : ''),
            <a class="btn btn-sm btn-primary" href={`/segreteria/faq/${encodeURIComponent(faq.slug)}`} aria-label={t.openLabel(faq.title)}>
              {t.open}
            </a>,
          ],
        }))}
        empty={t.none}
      />
      <section class="mt-5 col-lg-8 px-0" aria-labelledby="amendment-title">
        <h2 id="amendment-title" class="h4">
          {a.title}
        </h2>
        <p>{a.lead}</p>
        <ErrorSummary error={amendment?.error} fieldErrors={fieldErrors} title={secretariat.publish.invalid} />
        <form method="post" action="/segreteria/revisione/modifiche-normative">
          <Field id="law" label={a.law} help={a.lawHelp} error={fieldErrors.law}>
            {(control) => <input type="text" {...control} name="law" class="form-control" required minLength={3} maxLength={60} value={values.law} />}
          </Field>
          <Field id="amendedOn" label={a.amendedOn} error={fieldErrors.amendedOn}>
            {(control) => <input {...control} name="amendedOn" type="date" class="form-control" required value={values.amendedOn} />}
          </Field>
          <Field id="note" label={a.note} error={fieldErrors.note}>
            {(control) => (
              <textarea {...control} name="note" class="form-control" rows={3} required minLength={3} maxLength={1000}>
                {values.note}
              </textarea>
            )}
          </Field>
          <button type="submit" class="btn btn-outline-primary">
            {a.submit}
          </button>
        </form>
      </section>
    </div>
  )
}

export interface FaqEditView {
  faq: FaqDto
  fields: PublishFields
  note: string
  reviewed: boolean
  preview: PublicationPreview
  themes: Array<{ code: string; label: string }>
  fieldErrors?: Record<string, string>
  error?: string
  info?: string
}

/** Edit and republish an FAQ: the publishing form's checks, a note for the history, "reviewed". */
export function FaqEditPage({ faq, fields, note, reviewed, preview, themes, fieldErrors = {}, error, info }: FaqEditView) {
  const f = secretariat.faq
  const title = f.title(faq.title)
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, queue, { label: title }]} />
      <div class="row">
        <div class="col-lg-9 pt-4">
          <h1>{title}</h1>
          <p>
            <a href={faq.url}>{f.publicPage}</a> · <a href={`/segreteria/faq/${encodeURIComponent(faq.slug)}/revisioni`}>{f.history}</a>
          </p>
          {faq.review.flagged ? (
            <Notice kind="info">
              <p class="mb-0">
                {f.flagged} {faq.review.reason}
              </p>
            </Notice>
          ) : null}
          {info ? (
            <Notice kind="success">
              <p class="mb-0">{info}</p>
            </Notice>
          ) : null}
          <ErrorSummary error={error} fieldErrors={fieldErrors} title={secretariat.publish.invalid} anchors={PUBLISH_ANCHORS} />
          {faq.state === 'unpublished' ? (
            <p>{f.unpublished}</p>
          ) : (
            <form method="post" action={`/segreteria/faq/${encodeURIComponent(faq.slug)}`} class="mt-4">
              <input type="hidden" name="version" value={String(faq.version)} />
              <ContentFields fields={fields} themes={themes} slug={faq.slug} fieldErrors={fieldErrors} />
              <Field id="note" label={f.note}>
                {(control) => <input type="text" {...control} name="note" class="form-control" maxLength={500} value={note} />}
              </Field>
              <ReviewParts fields={fields} preview={preview} fieldErrors={fieldErrors} />
              {faq.review.flagged || faq.review.reviewBy ? (
                <div class="form-check mt-4">
                  <input id="reviewed" name="reviewed" type="checkbox" value="1" checked={reviewed} />
                  <label for="reviewed">{f.reviewed}</label>
                </div>
              ) : null}
              <button type="submit" name="intent" value="publish" class="btn btn-primary mt-4">
                {f.submit}
              </button>
            </form>
          )}
        </div>
      </div>
    </div>
  )
}

export interface RevisionView {
  version: number
  editedBy: string
  editedAt: string
  note: string | null
  changes: FieldChange[] | undefined
}

/** Every version of an FAQ, newest first, each with its differences from the one before. */
export function RevisionsPage({ faq, revisions }: { faq: FaqDto; revisions: RevisionView[] }) {
  const r = secretariat.revisions
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, queue, { label: faq.title, path: `/segreteria/faq/${encodeURIComponent(faq.slug)}` }, { label: secretariat.faq.history }]} />
      <div class="row">
        <div class="col-lg-9 pt-4">
          <h1>{r.title(faq.title)}</h1>
          <p class="lead">{r.lead}</p>
          <ol class="list-unstyled">
            {revisions.map((rev) => (
              <li class="border-top pt-3 mt-4">
                <h2 class="h4">{r.version(rev.version)}</h2>
                <p class="small text-secondary">
                  {rev.editedBy}, <Time value={rev.editedAt}>{formatDateTime(rev.editedAt)}</Time>
                </p>
                {rev.note ? (
                  <p>
                    <strong>{r.note}</strong> {rev.note}
                  </p>
                ) : null}
                {rev.changes === undefined ? (
                  <p>{r.first}</p>
                ) : rev.changes.length === 0 ? (
                  <p>{r.unchanged}</p>
                ) : (
                  rev.changes.map((change) => (
                    <section class="mb-3">
                      <h3 class="h6">{r.fields[change.field] ?? change.field}</h3>
                      <p class="marked-text border rounded p-3 bg-light">
                        {change.parts.map((part) =>
                          part.added ? (
                            <ins>
                              <span class="visually-hidden">{r.added} </span>
                              {part.value}
                            </ins>
                          ) : part.removed ? (
                            <del>
                              <span class="visually-hidden">{r.removed} </span>
                              {part.value}
                            </del>
                          ) : (
                            part.value
                          ),
                        )}
                      </p>
                    </section>
                  ))
                )}
              </li>
            ))}
          </ol>
          <p>
            <a href={`/segreteria/faq/${encodeURIComponent(faq.slug)}`}>{r.back}</a>
          </p>
        </div>
      </div>
    </div>
  )
}
