import type { ForumDayDto } from '../forum-days/schemas.js'
import { formatDateTime } from '../i18n/format.js'
import { autodiagnosi } from '../i18n/self-assessment.js'
import { staff } from '../i18n/staff.js'
import type { QuestionDto } from '../questions/schemas.js'
import { Breadcrumbs, Time } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { ErrorSummary, Field } from '../web/forms.js'

export interface Eligibility {
  eligible: boolean
  reason: string
}

/** A question's state in Italian words, with a marker when the clerk has something to do. */
export function StateBadge({ state, id }: { state: string; id?: string }) {
  const cls =
    state === 'awaiting_clarification' ? 'bg-warning text-dark' : state === 'answered' || state === 'closed' ? 'bg-success' : state === 'submitted' ? 'bg-secondary' : 'bg-primary'
  return (
    <span class={`badge ${cls}`} data-question-state={state} data-question-id={id}>
      {staff.questions.states[state] ?? state}
    </span>
  )
}

/** The state words the live script needs, handed over as data attributes (it holds no text). */
export const stateTexts = (): Record<string, string> =>
  Object.fromEntries(Object.entries(staff.questions.states).map(([state, text]) => [`data-state-${state.replaceAll('_', '-')}`, text]))

export function QuestionsTable({ caption, questions, themeLabel }: { caption: string; questions: QuestionDto[]; themeLabel: (code: string) => string }) {
  return (
    <div class="table-responsive">
      <table class="table">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{staff.questions.columns.title}</th>
            <th scope="col">{staff.questions.columns.theme}</th>
            <th scope="col">{staff.questions.columns.state}</th>
            <th scope="col">{staff.questions.columns.submitted}</th>
          </tr>
        </thead>
        <tbody>
          {questions.map((q) => (
            <tr data-question-row={q.id}>
              <td>
                <a href={`/le-mie-domande/${q.id}`}>{q.title}</a>
              </td>
              <td>{themeLabel(q.theme)}</td>
              <td>
                <StateBadge state={q.state} id={q.id} />{' '}
                <span class="badge bg-danger" data-needs-you={q.id} hidden={q.state !== 'awaiting_clarification'}>
                  {staff.questions.needsYou}
                </span>
              </td>
              <td>
                <Time value={q.submittedAt}>{formatDateTime(q.submittedAt)}</Time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export interface ForumHomeView {
  organizationName: string
  organizationId: string
  day: ForumDayDto | undefined
  eligibility: Eligibility | undefined
  questions: QuestionDto[]
  now: Date
}

/** The organization's forum page: the open (or next) day, its themes, eligibility, its questions. */
export function ForumHomePage({ organizationName, organizationId, day, eligibility, questions, now }: ForumHomeView) {
  const label = (code: string) => day?.themes.find((th) => th.code === code)?.label ?? code
  return (
    <div class="container pb-5" data-live-organization={organizationId} {...stateTexts()}>
      <Breadcrumbs items={[{ label: staff.forum.title }]} />
      <h1 class="pt-4">{staff.forum.title}</h1>
      <p class="lead">{organizationName}</p>
      {!day ? (
        <p>{staff.forum.noDay}</p>
      ) : (
        <section aria-labelledby="day-title" class="mt-4">
          <p class="text-uppercase fw-semibold small mb-1">
            {day.state === 'open' ? staff.forum.openDay : staff.forum.nextDay}
            {day.rehearsal ? ` – ${staff.forum.rehearsal}` : ''}
          </p>
          <h2 id="day-title">{day.title}</h2>
          <p class="mb-1">{day.editionName}</p>
          {day.state === 'open' ? (
            <p>
              <Time value={day.closesAt}>{staff.forum.closesAt(day.closesAt)}</Time>
            </p>
          ) : (
            <p>
              <Time value={day.opensAt}>{staff.forum.opensAt(day.opensAt)}</Time> {staff.forum.opensIn(new Date(day.opensAt).getTime() - now.getTime())}
            </p>
          )}
          <p class="small">{staff.forum.timesNote}</p>
          <h3 class="h4 mt-4">{staff.forum.themes}</h3>
          <ul>
            {day.themes.map((th) => (
              <li>{th.label}</li>
            ))}
          </ul>
          {eligibility ? (
            <>
              <h3 class="h4 mt-4">{staff.forum.eligibility}</h3>
              <p data-eligible={String(eligibility.eligible)}>
                {eligibility.eligible ? staff.forum.eligible(organizationName, day.editionName) : staff.forum.notEligible(organizationName, day.editionName)}{' '}
                {staff.forum.why} {staff.forum.reasons[eligibility.reason] ?? eligibility.reason}
              </p>
            </>
          ) : null}
          {eligibility?.eligible ? (
            <p class="mt-3">
              <a class="btn btn-primary" href={`/il-mio-forum/domande/nuova?giornata=${day.id}`}>
                {staff.forum.ask}
              </a>
            </p>
          ) : null}
          <h3 class="h4 mt-5">{staff.forum.questionsOfDay}</h3>
          {questions.length === 0 ? <p>{staff.forum.noQuestions}</p> : <QuestionsTable caption={staff.forum.questionsOfDay} questions={questions} themeLabel={label} />}
          <p>
            <a href="/le-mie-domande">{staff.forum.allQuestions}</a>
          </p>
        </section>
      )}
      <section class="mt-5" aria-labelledby="autodiagnosi-link">
        <h2 class="h4" id="autodiagnosi-link">
          <a href="/autodiagnosi">{autodiagnosi.link}</a>
        </h2>
        <p>{autodiagnosi.linkLead}</p>
      </section>
      <p class="small text-muted" data-live-status data-text-live={staff.questions.live} data-text-offline={staff.questions.offline} aria-live="polite"></p>
    </div>
  )
}

export interface AskView {
  day: ForumDayDto
  idempotencyKey: string
  values: { title?: string; body?: string; theme?: string }
  fieldErrors?: Record<string, string>
  error?: string
}

/** Ask a question: a plain form; `ask.js` adds similar questions while typing and a local draft. */
export function AskPage({ day, idempotencyKey, values, fieldErrors = {}, error }: AskView) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: staff.forum.title, path: '/il-mio-forum' }, { label: staff.ask.title }]} />
      <div class="row">
        <div class="col-lg-7 pt-4">
          <h1>{staff.ask.title}</h1>
          <p class="lead">{staff.ask.lead(day.title)}</p>
          {day.state === 'upcoming' ? (
            <Notice kind="info">
              <p class="mb-0">
                {staff.ask.noOpenDay} {staff.forum.opensAt(day.opensAt)}
              </p>
            </Notice>
          ) : day.state !== 'open' ? (
            <Notice kind="info">
              <p class="mb-0">{staff.ask.dayOver(day.closesAt)}</p>
            </Notice>
          ) : null}
          <ErrorSummary error={error} fieldErrors={fieldErrors} title={staff.ask.errorSummary} />
          <form method="post" action="/il-mio-forum/domande" class="mt-4" data-ask-form data-text-saved={staff.ask.draftSaved}>
            <input type="hidden" name="forumDayId" value={day.id} />
            {/* Made when the form is shown: a double click or a re-sent form replays the first question. */}
            <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
            <Field id="title" label={staff.ask.questionTitle} help={staff.ask.titleHelp} error={fieldErrors.title}>
              {(control) => <input type="text" {...control} name="title" class="form-control" required minLength={5} maxLength={200} value={values.title ?? ''} />}
            </Field>
            <Field id="body" label={staff.ask.body} help={staff.ask.bodyHelp} error={fieldErrors.body}>
              {(control) => (
                <textarea {...control} name="body" class="form-control" rows={10} required minLength={10} maxLength={10000}>
                  {values.body ?? ''}
                </textarea>
              )}
            </Field>
            <Field id="theme" label={staff.ask.theme} error={fieldErrors.theme} select>
              {(control) => (
                <select {...control} name="theme" required>
                  <option value="">{staff.ask.chooseTheme}</option>
                  {day.themes.map((th) => (
                    <option value={th.code} selected={values.theme === th.code}>
                      {th.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit" class="btn btn-primary">
              {staff.ask.submit}
            </button>
            <p class="small text-muted mt-2" data-draft-status aria-live="polite"></p>
          </form>
        </div>
        <aside class="col-lg-5 pt-4" aria-labelledby="similar-title">
          <h2 id="similar-title" class="h4">
            {staff.ask.similar}
          </h2>
          <p class="small">{staff.ask.similarHint}</p>
          <div
            data-similar
            aria-live="polite"
            data-text-faq={staff.ask.similarFaq}
            data-text-question={staff.ask.similarQuestion}
            data-text-none={staff.ask.similarNone}
            {...stateTexts()}
          ></div>
        </aside>
      </div>
    </div>
  )
}
