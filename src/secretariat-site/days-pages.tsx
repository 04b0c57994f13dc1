import type { EditionDto, ForumDayDto } from '../forum-days/schemas.js'
import { formatDateTime } from '../i18n/format.js'
import { eligibilityInWords, secretariat } from '../i18n/secretariat.js'
import { Breadcrumbs } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { describedBy, ErrorLine, ErrorSummary, Field } from '../web/forms.js'
import type { DayFields } from './day-form.js'
import { DataTable } from './table.js'

const t = secretariat.days
const f = t.form
const crumbs = [
  { label: secretariat.overview.title, path: '/segreteria' },
  { label: t.title, path: '/segreteria/giornate' },
]

/** Every edition with its rule in words and its days (rehearsals and cancelled days included). */
export function DaysPage({ editions, days, info }: { editions: EditionDto[]; days: ForumDayDto[]; info?: string }) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[crumbs[0]!, { label: t.title }]} />
      <h1 class="pt-4">{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {info ? (
        <Notice kind="success">
          <p class="mb-0">{info}</p>
        </Notice>
      ) : null}
      {editions.length === 0 ? <p>{t.noEditions}</p> : null}
      {editions.map((edition) => {
        const ofEdition = days.filter((d) => d.editionId === edition.id).sort((a, b) => a.opensAt.localeCompare(b.opensAt))
        const headingId = `edizione-${edition.id}`
        return (
          <section class="mt-5" aria-labelledby={headingId}>
            <h2 class="h3" id={headingId}>
              {edition.name}
            </h2>
            <p>
              <strong>{t.eligibility}:</strong> {eligibilityInWords(edition.eligibility)}
            </p>
            <p>
              <strong>{t.themes}:</strong> {edition.themes.map((th) => th.label).join('; ')}
            </p>
            <p>
              <a class="btn btn-primary" href={`/segreteria/giornate/nuova?edizione=${edition.id}`} aria-label={t.newDayIn(edition.name)}>
                {t.newDay}
              </a>
            </p>
            <DataTable
              labelledBy={headingId}
              headers={[t.columns.title, t.columns.when, t.columns.state, t.columns.questions, t.columns.action]}
              rows={ofEdition.map((d) => ({
                id: `giornata-${d.id}`,
                cells: [
                  <>
                    {d.title}
                    {d.rehearsal ? <span class="badge bg-secondary ms-2">{t.rehearsal}</span> : null}
                    <div class="small text-secondary">{d.themes.map((th) => th.label).join('; ')}</div>
                  </>,
                  t.when(formatDateTime(d.opensAt), formatDateTime(d.closesAt)),
                  t.states[d.state] ?? d.state,
                  t.counts(d.counts.questions, d.counts.answered),
                  <a href={`/segreteria/giornate/${d.id}`} aria-label={t.editLabel(d.title)}>
                    {t.edit}
                  </a>,
                ],
              }))}
              empty={t.none}
            />
          </section>
        )
      })}
    </div>
  )
}

/** A date and a time; the fieldset carries the id the error summary links to. */
function DateTime(props: { name: string; field: string; legend: string; date: string; time: string; help?: string; error: string | undefined }) {
  const { name, field, legend, date, time, help, error } = props
  const helpId = help ? `${name}-help` : undefined
  const errorId = `${field}-error`
  const control = { 'aria-describedby': describedBy(helpId, error && errorId), ...(error ? { 'aria-invalid': 'true' as const } : {}) }
  // With a help line, the fields keep it close and the next field's label keeps its distance.
  const group = help ? 'form-group col-sm-6 mb-2' : 'form-group col-sm-6'
  return (
    <fieldset class="mb-3" id={field}>
      <legend class="h6">{legend}</legend>
      {/* Room for Bootstrap Italia's labels, which sit above their fields. */}
      <div class="row mt-4">
        <div class={group}>
          <label for={`${name}-date`} class="active">
            {f.date}
          </label>
          <input id={`${name}-date`} name={`${name}Date`} type="date" class="form-control" value={date} {...control} />
        </div>
        <div class={group}>
          <label for={`${name}-time`} class="active">
            {f.time}
          </label>
          <input id={`${name}-time`} name={`${name}Time`} type="time" class="form-control" value={time} {...control} />
        </div>
      </div>
      {help ? (
        <small id={helpId} class="form-text d-block mb-5">
          {help}
        </small>
      ) : null}
      <ErrorLine id={errorId} error={error} />
    </fieldset>
  )
}

export interface DayFormView {
  edition: EditionDto
  day?: ForumDayDto
  fields: DayFields
  fieldErrors?: Record<string, string>
  error?: string
  info?: string
}

/** Create or edit a day; on an existing day, also cancel it and (for a rehearsal) wipe its questions. */
export function DayFormPage({ edition, day, fields, fieldErrors = {}, error, info }: DayFormView) {
  const title = day ? f.titleEdit(day.title) : f.titleNew
  const editable = !day || day.state !== 'cancelled'
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[...crumbs, { label: title }]} />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{title}</h1>
          <p>
            <strong>{t.edition}:</strong> {edition.name}
          </p>
          <p>
            <strong>{t.eligibility}:</strong> {eligibilityInWords(edition.eligibility)}
          </p>
          {day ? (
            <p>
              <strong>{t.columns.state}:</strong> {t.states[day.state] ?? day.state}
              {day.cancelReason ? ` – ${day.cancelReason}` : ''}
              {day.rehearsal ? <span class="badge bg-secondary ms-2">{t.rehearsal}</span> : null}
            </p>
          ) : null}
          {info ? (
            <Notice kind="success">
              <p class="mb-0">{info}</p>
            </Notice>
          ) : null}
          <ErrorSummary error={error} fieldErrors={fieldErrors} title={f.invalid} anchors={{ maxOpenQuestionsPerOrganization: 'maxOpen' }} />
          {editable ? (
            <form method="post" action={day ? `/segreteria/giornate/${day.id}` : '/segreteria/giornate'} class="mt-4">
              <input type="hidden" name="editionId" value={edition.id} />
              {day ? <input type="hidden" name="version" value={fields.version} /> : null}
              <Field id="title" label={f.name} help={f.nameHelp} error={fieldErrors.title}>
                {(control) => <input type="text" {...control} name="title" class="form-control" required minLength={3} maxLength={200} value={fields.title} />}
              </Field>
              <fieldset class="mb-4" id="themes" aria-describedby={describedBy(fieldErrors.themes && 'themes-error')}>
                <legend class="h6">{f.themes}</legend>
                {edition.themes.map((th) => (
                  <div class="form-check">
                    <input id={`theme-${th.code}`} name={`theme-${th.code}`} type="checkbox" value="1" checked={fields.themes.includes(th.code)} />
                    <label for={`theme-${th.code}`}>{th.label}</label>
                  </div>
                ))}
                <ErrorLine id="themes-error" error={fieldErrors.themes} />
              </fieldset>
              <p class="small">{f.timeZone}</p>
              <DateTime name="opens" field="opensAt" legend={f.opens} date={fields.opensDate} time={fields.opensTime} error={fieldErrors.opensAt} />
              <DateTime name="closes" field="closesAt" legend={f.closes} date={fields.closesDate} time={fields.closesTime} error={fieldErrors.closesAt} />
              <DateTime
                name="deadline"
                field="answerDeadline"
                legend={f.deadline}
                date={fields.deadlineDate}
                time={fields.deadlineTime}
                help={f.deadlineHelp}
                error={fieldErrors.answerDeadline}
              />
              <Field id="maxOpen" label={f.maxOpen} error={fieldErrors.maxOpenQuestionsPerOrganization}>
                {(control) => <input {...control} name="maxOpen" type="number" min={1} max={1000} class="form-control" value={fields.maxOpen} />}
              </Field>
              {day ? null : (
                <div class="form-check mb-4">
                  <input id="rehearsal" name="rehearsal" type="checkbox" value="1" checked={fields.rehearsal} />
                  <label for="rehearsal">{f.rehearsal}</label>
                </div>
              )}
              <button type="submit" class="btn btn-primary">
                {day ? f.submitEdit : f.submitNew}
              </button>
            </form>
          ) : null}
          {day && (day.state === 'upcoming' || day.state === 'open') ? (
            <form method="post" action={`/segreteria/giornate/${day.id}/annulla`} class="mt-5">
              <h2 class="h4">{f.cancelTitle}</h2>
              <input type="hidden" name="version" value={String(day.version)} />
              <Field id="reason" label={f.cancelReason} error={fieldErrors.reason}>
                {(control) => <textarea {...control} name="reason" class="form-control" rows={3} required minLength={3} maxLength={2000}></textarea>}
              </Field>
              <button type="submit" class="btn btn-outline-danger">
                {f.cancelSubmit}
              </button>
            </form>
          ) : null}
          {day?.rehearsal ? (
            <form method="post" action={`/segreteria/giornate/${day.id}/svuota`} class="mt-5">
              <h2 class="h4">{f.wipeTitle}</h2>
              <p>{f.wipeText}</p>
              <div class="form-check">
                <input id="confirm" name="confirm" type="checkbox" value="1" required />
                <label for="confirm">{f.wipeConfirm}</label>
              </div>
              <button type="submit" class="btn btn-outline-danger mt-2">
                {f.wipeSubmit}
              </button>
            </form>
          ) : null}
          <p class="mt-5">
            <a href="/segreteria/giornate">{f.back}</a>
          </p>
        </div>
      </div>
    </div>
  )
}
