import { formatDate, formatDateTime } from '../../i18n/format.js'
import { autodiagnosi as t } from '../../i18n/self-assessment.js'
import { Notice } from '../../web/feedback.js'
import { Breadcrumbs, Time } from '../../web/components.js'
import type { AnswerMap, AreaDef, AssessmentDto, QuestionnaireContent, QuestionnaireDto, ResultDto } from '../schemas.js'

const home = { label: t.title, path: '/autodiagnosi' }

function AnswerText({ question, answer }: { question: AreaDef['questions'][number]; answer: AnswerMap[string] | undefined }) {
  if (!answer) return <em>{t.form.unanswered}</em>
  if ('notApplicable' in answer) return <>{t.form.notApplicable}</>
  return <>{question.levels.find((l) => l.score === answer.score)?.label ?? String(answer.score)}</>
}

/** The staff's starting page: published questionnaires and the organization's assessments. */
export function HomePage({ questionnaires, assessments, error }: { questionnaires: QuestionnaireDto[]; assessments: AssessmentDto[]; error?: string }) {
  const open = new Map(assessments.filter((a) => a.state === 'in_progress').map((a) => [a.lineageId, a]))
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: t.title }]} />
      <h1 class="pt-4">{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <h2 class="h3 mt-4">{t.questionnaires}</h2>
      {questionnaires.length === 0 ? <p>{t.none}</p> : null}
      {questionnaires.map((q) => {
        const current = open.get(q.lineageId)
        return (
          <div class="card-wrapper mb-3">
            <div class="card card-bg">
              <div class="card-body">
                <h3 class="card-title h5">
                  {q.title} <span class="text-muted small">({t.version(q.number)})</span>
                </h3>
                <p>{q.content.description}</p>
                {current ? (
                  <a class="btn btn-primary" href={`/autodiagnosi/${current.id}`}>
                    {t.continue}
                  </a>
                ) : (
                  <form method="post" action="/autodiagnosi/avvia">
                    <input type="hidden" name="questionnaireId" value={q.id} />
                    <button type="submit" class="btn btn-primary">
                      {t.start}
                    </button>
                  </form>
                )}
              </div>
            </div>
          </div>
        )
      })}
      <h2 class="h3 mt-4">{t.yours}</h2>
      {assessments.length === 0 ? (
        <p>{t.noneYet}</p>
      ) : (
        <div class="table-responsive">
          <table class="table">
            <caption class="visually-hidden">{t.yours}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.questionnaire}</th>
                <th scope="col">{t.columns.state}</th>
                <th scope="col">{t.columns.progress}</th>
                <th scope="col">{t.columns.updated}</th>
              </tr>
            </thead>
            <tbody>
              {assessments.map((a) => (
                <tr>
                  <td>
                    <a href={a.state === 'submitted' ? `/autodiagnosi/${a.id}/risultato` : `/autodiagnosi/${a.id}`}>
                      {a.questionnaireTitle} ({t.version(a.questionnaireNumber)})
                    </a>
                  </td>
                  <td>{t.states[a.state]}</td>
                  <td>{t.progress(a.progress.answered, a.progress.total)}</td>
                  <td>
                    <Time value={a.updatedAt}>{formatDateTime(a.updatedAt)}</Time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

const answeredIn = (area: AreaDef, answers: AnswerMap) => area.questions.filter((q) => q.code in answers).length

/** One assessment in progress: its areas with how much of each is answered. */
export function OverviewPage({ assessment, content }: { assessment: AssessmentDto; content: QuestionnaireContent }) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, { label: assessment.questionnaireTitle }]} />
      <h1 class="pt-4">{assessment.questionnaireTitle}</h1>
      <p class="lead">{assessment.organization.name}</p>
      <p>{t.overview.shared}</p>
      <p class="small text-muted">{t.savedBy(assessment.updatedBy, formatDateTime(assessment.updatedAt))}</p>
      <h2 class="h3 mt-4">{t.overview.areas}</h2>
      <ol class="list-group list-group-numbered mb-4">
        {content.areas.map((area) => (
          <li class="list-group-item d-flex justify-content-between align-items-start">
            <div class="ms-2 me-auto">
              <a href={`/autodiagnosi/${assessment.id}/aree/${area.code}`} class="fw-semibold">
                {area.title}
              </a>
              {area.description ? <p class="mb-0 small">{area.description}</p> : null}
            </div>
            <span class="badge bg-secondary">{t.overview.answered(answeredIn(area, assessment.answers), area.questions.length)}</span>
          </li>
        ))}
      </ol>
      <a class="btn btn-primary" href={`/autodiagnosi/${assessment.id}/riepilogo`}>
        {t.overview.review}
      </a>
    </div>
  )
}

export interface AreaFormView {
  assessment: AssessmentDto
  content: QuestionnaireContent
  area: AreaDef
  saved?: boolean
  error?: string
  /** Choices refused because a colleague saved first (question text -> chosen level), shown so they can be made again. */
  lost?: Array<{ question: string; choice: string }>
}

/** The form of one area: a group of radio buttons per question, saved with the version it was read at. */
export function AreaFormPage({ assessment, content, area, saved, error, lost }: AreaFormView) {
  const index = content.areas.findIndex((a) => a.code === area.code)
  const next = content.areas[index + 1]
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, { label: assessment.questionnaireTitle, path: `/autodiagnosi/${assessment.id}` }, { label: area.title }]} />
      <p class="pt-4 mb-1 text-muted">{t.form.area(index + 1, content.areas.length)}</p>
      <h1>{area.title}</h1>
      {area.description ? <p class="lead">{area.description}</p> : null}
      {saved ? <Notice kind="success">{t.form.saved}</Notice> : null}
      {error ? (
        <Notice kind="error" title={lost ? t.form.staleTitle : undefined}>
          <p class="mb-1">{error}</p>
          {lost && lost.length > 0 ? (
            <>
              <p class="mb-1">{t.form.yourChoices}</p>
              <ul class="mb-0">
                {lost.map((l) => (
                  <li>
                    {l.question}: <strong>{l.choice}</strong>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Notice>
      ) : null}
      <p class="small text-muted">{t.savedBy(assessment.updatedBy, formatDateTime(assessment.updatedAt))}</p>
      <form method="post" action={`/autodiagnosi/${assessment.id}/aree/${area.code}`} class="sa-area-form">
        <input type="hidden" name="version" value={String(assessment.version)} />
        {area.questions.map((q, i) => {
          const answer = assessment.answers[q.code]
          const id = `q-${q.code}`
          return (
            <fieldset class="mb-4" aria-describedby={q.help ? `${id}-help` : undefined}>
              <legend class="h5 fw-semibold">
                {i + 1}. {q.text}
              </legend>
              {q.help ? (
                <p id={`${id}-help`} class="small">
                  {q.help}
                </p>
              ) : null}
              {q.levels.map((level) => (
                <div class="form-check">
                  <input
                    class="form-check-input"
                    type="radio"
                    name={`q:${q.code}`}
                    id={`${id}-${level.score}`}
                    value={String(level.score)}
                    checked={answer !== undefined && 'score' in answer && answer.score === level.score}
                  />
                  <label class="form-check-label" for={`${id}-${level.score}`}>
                    {level.label}
                  </label>
                </div>
              ))}
              {q.notApplicable ? (
                <div class="form-check">
                  <input class="form-check-input" type="radio" name={`q:${q.code}`} id={`${id}-na`} value="na" checked={answer !== undefined && 'notApplicable' in answer} />
                  <label class="form-check-label" for={`${id}-na`}>
                    {t.form.notApplicable}
                  </label>
                </div>
              ) : null}
            </fieldset>
          )
        })}
        <div class="d-flex flex-wrap gap-2">
          <button type="submit" name="then" value={next ? `aree/${next.code}` : 'riepilogo'} class="btn btn-primary">
            {t.form.saveNext}
          </button>
          <button type="submit" name="then" value="" class="btn btn-outline-primary">
            {t.form.save}
          </button>
          <a class="btn btn-link" href={`/autodiagnosi/${assessment.id}`}>
            {t.form.back}
          </a>
        </div>
      </form>
    </div>
  )
}

/** Every answer before submitting; what is missing, and the submit button once nothing is. */
export function ReviewPage({ assessment, content, error }: { assessment: AssessmentDto; content: QuestionnaireContent; error?: string }) {
  const missing = assessment.progress.total - assessment.progress.answered
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, { label: assessment.questionnaireTitle, path: `/autodiagnosi/${assessment.id}` }, { label: t.review.title }]} />
      <h1 class="pt-4">{t.review.title}</h1>
      <p class="lead">{t.review.lead}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {missing > 0 ? <Notice kind="info">{t.review.missing(missing)}</Notice> : <Notice kind="success">{t.review.complete}</Notice>}
      {content.areas.map((area) => (
        <section class="mb-4">
          <h2 class="h4">{area.title}</h2>
          <dl>
            {area.questions.map((q) => (
              <>
                <dt>{q.text}</dt>
                <dd>
                  <AnswerText question={q} answer={assessment.answers[q.code]} />
                </dd>
              </>
            ))}
          </dl>
          <a href={`/autodiagnosi/${assessment.id}/aree/${area.code}`}>{t.review.edit}</a>
        </section>
      ))}
      {missing === 0 ? (
        <form method="post" action={`/autodiagnosi/${assessment.id}/invia`}>
          <input type="hidden" name="version" value={String(assessment.version)} />
          <button type="submit" class="btn btn-primary">
            {t.review.submit}
          </button>
        </form>
      ) : null}
    </div>
  )
}

const positionClass: Record<string, string> = { in_linea: 'bg-success', da_rafforzare: 'bg-warning text-dark', da_costruire: 'bg-danger', non_valutabile: 'bg-secondary' }

/** The result: chart and table per area, position in words, and for each gap the FAQs and forum-day themes. */
export function ResultPage({ result, isStaff }: { result: ResultDto; isStaff: boolean }) {
  const previous = result.previous
  const previousScore = (code: string) => previous?.areas.find((a) => a.code === code)?.score ?? null
  const chart = {
    labels: result.areas.map((a) => a.title),
    score: result.areas.map((a) => a.score),
    target: result.areas.map((a) => a.target),
    previous: previous ? result.areas.map((a) => previousScore(a.code)) : null,
    min: result.scale.min,
    max: result.scale.max,
    text: { score: t.result.score, target: t.result.target, previous: previous ? t.result.previous(formatDate(previous.submittedAt)) : '' },
  }
  return (
    <div class="container pb-5 sa-result">
      <Breadcrumbs items={[home, { label: t.result.title }]} />
      <h1 class="pt-4">{t.result.title}</h1>
      <p class="lead mb-1">{result.organization.name}</p>
      <p class="mb-1">{t.result.version(result.questionnaire.title, result.questionnaire.number)}</p>
      <p class="mb-1">
        <Time value={result.submittedAt}>{t.result.submitted(formatDateTime(result.submittedAt))}</Time>
      </p>
      <p>{t.result.model(t.sizes[result.sizeClass] ?? result.sizeClass)}</p>
      <p class="no-print small">
        {t.result.printHint}{' '}
        <button type="button" class="btn btn-sm btn-outline-primary" data-print hidden>
          {t.result.print}
        </button>
      </p>
      <div class="row">
        <div class="col-lg-6 sa-chart">
          <figure>
            {/* Chart.js sizes the canvas to this box (a fixed height, so long area names never squash it). */}
            <div class="sa-chart-box">
              <canvas id="sa-chart" role="img" aria-label={t.result.chartLabel} data-chart={JSON.stringify(chart)} />
            </div>
            <figcaption class="small">{t.result.chartTitle}</figcaption>
          </figure>
        </div>
        <div class="col-lg-6">
          <div class="table-responsive">
            <table class="table" id="sa-table">
              <caption>
                {t.result.chartTitle}. {t.result.scale(result.scale.min, result.scale.max)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t.result.area}</th>
                  <th scope="col">{t.result.score}</th>
                  <th scope="col">{t.result.target}</th>
                  <th scope="col">{t.result.position}</th>
                  {previous ? <th scope="col">{t.result.previous(formatDate(previous.submittedAt))}</th> : null}
                </tr>
              </thead>
              <tbody>
                {result.areas.map((a) => (
                  <tr>
                    <th scope="row">{a.title}</th>
                    <td>{t.number(a.score)}</td>
                    <td>{t.number(a.target)}</td>
                    <td>
                      <span class={`badge ${positionClass[a.position] ?? ''}`}>{t.positions[a.position]}</span>
                    </td>
                    {previous ? <td>{t.number(previousScore(a.code))}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
      <h2 class="mt-4">{t.result.gaps}</h2>
      {result.areas.map((a) => (
        <section class="sa-area mb-4" aria-labelledby={`area-${a.code}`}>
          <h3 class="h4" id={`area-${a.code}`}>
            {a.title}: <span class={`badge ${positionClass[a.position] ?? ''}`}>{t.positions[a.position]}</span>
          </h3>
          {a.notApplicable > 0 ? <p class="small text-muted">{t.result.notApplicable(a.notApplicable)}</p> : null}
          {a.position === 'in_linea' ? <p>{t.result.inLine}</p> : null}
          {a.gaps.length > 0 ? (
            <>
              <p class="mb-1">{t.result.belowTarget}</p>
              <ul>
                {a.gaps.map((g) => (
                  <li>
                    {g.text} <em>({g.label})</em>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {a.position === 'da_rafforzare' || a.position === 'da_costruire' ? (
            <div class="sa-next-steps">
              <h4 class="h5">{t.result.nextSteps}</h4>
              <p class="mb-1 fw-semibold">{t.result.faqs}</p>
              {a.faqs.length > 0 ? (
                <ul>
                  {a.faqs.map((f) => (
                    <li>
                      <a href={f.url}>{f.title}</a>
                    </li>
                  ))}
                </ul>
              ) : (
                <p>{t.result.noFaqs}</p>
              )}
              {a.forumThemes.length > 0 ? (
                <>
                  <p class="mb-1 fw-semibold">{t.result.themes}</p>
                  <ul>
                    {a.forumThemes.map((th) => {
                      const days = result.forumDays.filter((d) => d.themes.includes(th.code))
                      return (
                        <li>
                          {th.label}
                          {days.length > 0 ? (
                            <>
                              {' – '}
                              {t.result.days}:{' '}
                              {days.map((d, i) => (
                                <>
                                  {i > 0 ? ', ' : ''}
                                  {d.title} (<Time value={d.opensAt}>{formatDateTime(d.opensAt)}</Time>)
                                </>
                              ))}
                            </>
                          ) : null}
                        </li>
                      )
                    })}
                  </ul>
                </>
              ) : null}
            </div>
          ) : null}
        </section>
      ))}
      {/* The organization's own links; the secretariat reading a result has neither page. */}
      {isStaff ? (
        <div class="no-print d-flex flex-wrap gap-2">
          <a class="btn btn-outline-primary" href="/il-mio-forum">
            {t.result.forumLink}
          </a>
          <a class="btn btn-outline-primary" href="/autodiagnosi">
            {t.result.newOne}
          </a>
        </div>
      ) : null}
    </div>
  )
}
