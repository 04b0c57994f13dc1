import type { ForumDayDto } from '../forum-days/schemas.js'
import { formatDate, formatDateTime } from '../i18n/format.js'
import { secretariat } from '../i18n/secretariat.js'
import { staff } from '../i18n/staff.js'
import type { QuestionDetailDto, QuestionDto } from '../questions/schemas.js'
import { QUESTION_STATES } from '../questions/tables.js'
import { Breadcrumbs, Pagination, Time, TrustedHtml } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { ErrorSummary, Field } from '../web/forms.js'
import { DataTable } from './table.js'

const t = secretariat.questions
const q = secretariat.question
const stateLabel = (state: string) => staff.questions.states[state] ?? state

/** The filters of the question list, as the query string names them. */
export interface QuestionFilters {
  giornata?: string
  stato?: string
  tema?: string
  ente?: string
  regione?: string
  esperto?: string
}

export interface Option {
  value: string
  label: string
}

export interface AllQuestionsView {
  filters: QuestionFilters
  questions: QuestionDto[]
  /** Matches over all pages. */
  total: number
  page: number
  pages: number
  /** Questions on the pages before this one. */
  offset: number
  days: ForumDayDto[]
  themes: Option[]
  organizations: Option[]
  regions: string[]
  experts: Option[]
  organizationName: (id: string) => string
  themeLabel: (code: string) => string
}

function FilterSelect({ id, label, anyLabel, value, options }: { id: keyof QuestionFilters; label: string; anyLabel: string; value?: string; options: Option[] }) {
  return (
    <Field id={`filtro-${id}`} label={label} class="col-md-4" select>
      {(control) => (
        <select {...control} name={id}>
          <option value="">{anyLabel}</option>
          {options.map((o) => (
            <option value={o.value} selected={value === o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

/** A page of the list with the same filters (the first page has no `pagina`, as the form sends it). */
function pageHref(filters: QuestionFilters, page: number): string {
  const params = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => Boolean(e[1])))
  if (page > 1) params.set('pagina', String(page))
  const query = params.toString()
  return `/segreteria/domande${query ? `?${query}` : ''}#risultati`
}

/** Every question, filtered by a plain GET form (bookmarkable, works without a script). */
export function AllQuestionsPage(view: AllQuestionsView) {
  const { filters, questions } = view
  const holder = (x: QuestionDto) => x.answer?.answeredBy.name ?? x.claim?.expert.name ?? ''
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: secretariat.overview.title, path: '/segreteria' }, { label: t.title }]} />
      <h1 class="pt-4">{t.title}</h1>
      <p class="lead">{t.lead}</p>
      <form method="get" action="/segreteria/domande" class="mt-4" aria-labelledby="filters-title">
        <h2 id="filters-title" class="h5">
          {t.filters}
        </h2>
        <div class="row">
          <FilterSelect
            id="giornata"
            label={t.fields.day}
            anyLabel={t.anyDay}
            value={filters.giornata}
            options={view.days.map((d) => ({ value: d.id, label: `${d.title}, ${formatDate(d.opensAt)}${d.rehearsal ? ` ${t.rehearsal}` : ''}` }))}
          />
          <FilterSelect id="stato" label={t.fields.state} anyLabel={t.anyState} value={filters.stato} options={QUESTION_STATES.map((s) => ({ value: s, label: stateLabel(s) }))} />
          <FilterSelect id="tema" label={t.fields.theme} anyLabel={t.any} value={filters.tema} options={view.themes} />
          <FilterSelect id="ente" label={t.fields.organization} anyLabel={t.any} value={filters.ente} options={view.organizations} />
          <FilterSelect id="regione" label={t.fields.region} anyLabel={t.any} value={filters.regione} options={view.regions.map((r) => ({ value: r, label: r }))} />
          <FilterSelect id="esperto" label={t.fields.expert} anyLabel={t.any} value={filters.esperto} options={view.experts} />
        </div>
        <button type="submit" class="btn btn-primary">
          {t.apply}
        </button>{' '}
        <a href="/segreteria/domande" class="btn btn-outline-primary">
          {t.clear}
        </a>
      </form>
      <h2 class="h4 mt-5" id="risultati">
        {t.count(view.total)}
      </h2>
      {view.pages > 1 && questions.length > 0 ? (
        <p class="text-secondary">{t.range(view.offset + 1, view.offset + questions.length, view.page, view.pages)}</p>
      ) : null}
      <DataTable
        labelledBy="risultati"
        headers={[t.columns.title, t.columns.organization, t.columns.state, t.columns.theme, t.columns.expert, t.columns.submitted]}
        rows={questions.map((x) => ({
          cells: [
            <a href={`/segreteria/domande/${x.id}`}>{x.title}</a>,
            view.organizationName(x.organizationId),
            stateLabel(x.state),
            view.themeLabel(x.theme),
            holder(x),
            <Time value={x.submittedAt}>{formatDateTime(x.submittedAt)}</Time>,
          ],
        }))}
        empty={t.none}
      />
      <Pagination page={view.page} pages={view.pages} href={(n) => pageHref(filters, n)} />
    </div>
  )
}

export interface QuestionDeskView {
  question: QuestionDetailDto
  organization: { name: string; region: string | null }
  day: ForumDayDto | undefined
  themeLabel: string
  faqSlug?: string
  experts: Option[]
  /** Which of the secretariat's actions the page offers (from the question's state). */
  can: { reassign: boolean; reject: boolean; publish: boolean }
  fieldErrors?: Record<string, string>
  error?: string
  info?: string
  values?: { expertId?: string; reason?: string }
}

/** One question for the secretariat: the thread, who holds it, and the actions its state allows. */
export function QuestionDeskPage(view: QuestionDeskView) {
  const { question: x, can } = view
  const fieldErrors = view.fieldErrors ?? {}
  return (
    <div class="container pb-5">
      <Breadcrumbs
        items={[
          { label: secretariat.overview.title, path: '/segreteria' },
          { label: t.title, path: '/segreteria/domande' },
          { label: x.title },
        ]}
      />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{x.title}</h1>
          {view.info ? (
            <Notice kind="success">
              <p class="mb-0">{view.info}</p>
            </Notice>
          ) : null}
          <ErrorSummary error={view.error} fieldErrors={fieldErrors} title={secretariat.publish.invalid} />
          <dl class="row">
            <dt class="col-sm-4">{q.asker}</dt>
            <dd class="col-sm-8">
              {view.organization.name}
              {view.organization.region ? ` (${view.organization.region})` : ''}
            </dd>
            <dt class="col-sm-4">{q.askedBy}</dt>
            <dd class="col-sm-8">
              {x.asker.name}, <Time value={x.submittedAt}>{formatDateTime(x.submittedAt)}</Time>
            </dd>
            <dt class="col-sm-4">{q.day}</dt>
            <dd class="col-sm-8">{view.day?.title ?? ''}</dd>
            <dt class="col-sm-4">{q.state}</dt>
            <dd class="col-sm-8">{stateLabel(x.state)}</dd>
            <dt class="col-sm-4">{q.theme}</dt>
            <dd class="col-sm-8">{view.themeLabel}</dd>
            <dt class="col-sm-4">{q.holder}</dt>
            <dd class="col-sm-8">{x.claim?.expert.name ?? q.nobody}</dd>
            {x.rejectionReason ? (
              <>
                <dt class="col-sm-4">{q.rejection}</dt>
                <dd class="col-sm-8">{x.rejectionReason}</dd>
              </>
            ) : null}
          </dl>
          {view.faqSlug ? (
            <p>
              {q.faq} <a href={`/domande-e-risposte/${encodeURIComponent(view.faqSlug)}`}>{view.faqSlug}</a>
            </p>
          ) : null}
          <h2 class="h4 mt-4">{q.thread}</h2>
          <ol class="list-unstyled">
            {x.messages.map((m) => (
              <li class="border-start border-3 ps-3 mb-3">
                <p class="small text-secondary mb-1">
                  {staff.question.kinds[m.kind] ?? m.kind} – {m.author.name}, <Time value={m.createdAt}>{formatDateTime(m.createdAt)}</Time>
                </p>
                <TrustedHtml html={m.html} />
              </li>
            ))}
          </ol>
          {x.answer ? (
            <section aria-labelledby="answer-title">
              <h2 id="answer-title" class="h4">
                {q.answer}
              </h2>
              <p class="small text-secondary">{q.answeredBy(x.answer.answeredBy.name)}</p>
              <TrustedHtml html={x.answer.html} />
            </section>
          ) : null}
        </div>
        <aside class="col-lg-4 pt-4" aria-labelledby="actions-title">
          <h2 id="actions-title" class="h4">
            {q.actions}
          </h2>
          {!can.reassign && !can.reject && !can.publish ? <p>{q.noActions}</p> : null}
          {can.publish ? (
            <p>
              <a class="btn btn-primary" href={`/segreteria/domande/${x.id}/faq`}>
                {secretariat.overview.publish}
              </a>
            </p>
          ) : null}
          {can.reassign ? (
            <form method="post" action={`/segreteria/domande/${x.id}/riassegna`} class="mb-5">
              <h3 class="h5">{q.reassign}</h3>
              <Field id="expertId" label={q.reassignTo} error={fieldErrors.expertId} select>
                {(control) => (
                  <select {...control} name="expertId" required>
                    <option value="">{q.chooseExpert}</option>
                    {view.experts.map((e) => (
                      <option value={e.value} selected={view.values?.expertId === e.value}>
                        {e.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button type="submit" class="btn btn-outline-primary">
                {q.reassignSubmit}
              </button>
            </form>
          ) : null}
          {can.reject ? (
            <form method="post" action={`/segreteria/domande/${x.id}/respingi`}>
              <h3 class="h5">{q.reject}</h3>
              <Field id="reason" label={q.rejectReason} help={q.rejectHelp} error={fieldErrors.reason}>
                {(control) => (
                  <textarea {...control} name="reason" class="form-control" rows={4} required minLength={5} maxLength={2000}>
                    {view.values?.reason ?? ''}
                  </textarea>
                )}
              </Field>
              <button type="submit" class="btn btn-outline-danger">
                {q.rejectSubmit}
              </button>
            </form>
          ) : null}
          <p class="mt-4">
            <a href="/segreteria/domande">{q.back}</a>
          </p>
        </aside>
      </div>
    </div>
  )
}
