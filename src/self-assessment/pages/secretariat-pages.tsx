import type { EditionDto } from '../../forum-days/schemas.js'
import { formatDateTime, formatNumber } from '../../i18n/format.js'
import { autodiagnosi as t } from '../../i18n/self-assessment.js'
import { Notice } from '../../web/feedback.js'
import { Breadcrumbs, Time } from '../../web/components.js'
import type { AggregatesDto, QuestionnaireDto } from '../schemas.js'

const count = (n: number | '< 5') => (typeof n === 'number' ? formatNumber(n) : n)

function MeansTable({ caption, rows, areas }: { caption: string; rows: AggregatesDto['byRegion']; areas: AggregatesDto['areas'] }) {
  return (
    <div class="table-responsive">
      <table class="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.secretariat.group}</th>
            <th scope="col">{t.secretariat.organizations}</th>
            {areas.map((a) => (
              <th scope="col">{a.title}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.group}</th>
              <td>{count(r.organizations)}</td>
              {areas.map((a) => (
                <td>{t.number(r.means[a.code] ?? null)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export interface SecretariatView {
  editions: EditionDto[]
  editionId: string | undefined
  aggregates: AggregatesDto | undefined
  questionnaires: QuestionnaireDto[]
  notice?: { kind: 'error' | 'success'; text: string; problems?: string[] }
  importText?: string
}

/** The secretariat's page: the edition's aggregates (small counts suppressed), CSV, and the questionnaires' versions. */
export function SecretariatPage({ editions, editionId, aggregates, questionnaires, notice, importText }: SecretariatView) {
  const latestOf = new Map<string, QuestionnaireDto>()
  for (const q of questionnaires) if ((latestOf.get(q.lineageId)?.number ?? 0) < q.number) latestOf.set(q.lineageId, q)
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: t.secretariat.title }]} />
      <h1 class="pt-4">{t.secretariat.title}</h1>
      {notice ? (
        <Notice kind={notice.kind}>
          <p class="mb-0">{notice.text}</p>
          {notice.problems && notice.problems.length > 0 ? (
            <ul class="mb-0">
              {notice.problems.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <form method="get" action="/segreteria/autodiagnosi" class="d-flex flex-wrap align-items-end gap-2 my-3">
        <div class="select-wrapper">
          <label for="edizione">{t.secretariat.edition}</label>
          <select id="edizione" name="edizione">
            {editions.map((e) => (
              <option value={e.id} selected={e.id === editionId}>
                {e.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-outline-primary btn-sm">
          {t.secretariat.show}
        </button>
      </form>
      {aggregates ? (
        <>
          <h2 class="h3">{t.secretariat.participation}</h2>
          <dl class="row">
            <dt class="col-sm-4">{t.secretariat.eligible}</dt>
            <dd class="col-sm-8" data-aggregate="eligible">
              {formatNumber(aggregates.eligible)}
            </dd>
            <dt class="col-sm-4">{t.secretariat.started}</dt>
            <dd class="col-sm-8" data-aggregate="started">
              {count(aggregates.started)}
            </dd>
            <dt class="col-sm-4">{t.secretariat.submitted}</dt>
            <dd class="col-sm-8" data-aggregate="submitted">
              {count(aggregates.submitted)}
            </dd>
          </dl>
          <p class="small">{t.secretariat.suppressed}</p>
          <p>
            <a class="btn btn-outline-primary btn-sm" href={`/api/v1/self-assessment/aggregates.csv?editionId=${aggregates.editionId}`} download>
              {t.secretariat.csv}
            </a>
          </p>
          {aggregates.areas.length === 0 ? (
            <p>{t.secretariat.noData}</p>
          ) : (
            <>
              <MeansTable caption={t.secretariat.byRegion} rows={aggregates.byRegion} areas={aggregates.areas} />
              <MeansTable caption={t.secretariat.byPopulation} rows={aggregates.byPopulation} areas={aggregates.areas} />
              <h2 class="h3 mt-4">{t.secretariat.gaps}</h2>
              <div class="table-responsive">
                <table class="table">
                  <caption class="visually-hidden">{t.secretariat.gaps}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.secretariat.gap}</th>
                      <th scope="col">{t.secretariat.organizations}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {aggregates.gaps.map((g) => (
                      <tr>
                        <td>{g.question ? g.text : <strong>{g.text}</strong>}</td>
                        <td>{count(g.organizations)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      ) : null}
      <h2 class="h3 mt-5">{t.secretariat.questionnaires}</h2>
      {questionnaires.map((q) => {
        const latest = latestOf.get(q.lineageId)?.id === q.id
        return (
          <section class="border rounded p-3 mb-3" aria-labelledby={`q-${q.id}`}>
            <h3 class="h5" id={`q-${q.id}`}>
              {q.title} – {t.version(q.number)} <span class="badge bg-secondary">{t.secretariat.states[q.state]}</span>
            </h3>
            <p class="small mb-2">
              {t.secretariat.answeredBy(q.assessments)} · <Time value={q.updatedAt}>{formatDateTime(q.updatedAt)}</Time> ·{' '}
              <a href={`/api/v1/self-assessment/questionnaires/${q.id}/export`}>{t.secretariat.export}</a>
            </p>
            {latest && q.state === 'draft' ? (
              <form method="post" action={`/segreteria/autodiagnosi/questionari/${q.id}/pubblica`} class="mb-2">
                <input type="hidden" name="version" value={String(q.version)} />
                <button type="submit" class="btn btn-primary btn-sm">
                  {t.secretariat.publish}
                </button>
              </form>
            ) : null}
            {latest ? (
              <details>
                <summary>{t.secretariat.editTitle(q.number)}</summary>
                <p class="small mt-2">{t.secretariat.editHint}</p>
                <form method="post" action={`/segreteria/autodiagnosi/questionari/${q.id}`}>
                  <input type="hidden" name="version" value={String(q.version)} />
                  <label for={`content-${q.id}`} class="form-label">
                    {t.secretariat.content}
                  </label>
                  <textarea id={`content-${q.id}`} name="content" class="form-control font-monospace" rows={16}>
                    {JSON.stringify(q.content, null, 2)}
                  </textarea>
                  <button type="submit" class="btn btn-outline-primary btn-sm mt-2">
                    {t.secretariat.save}
                  </button>
                </form>
              </details>
            ) : null}
          </section>
        )
      })}
      <details class="mt-4">
        <summary>{t.secretariat.importTitle}</summary>
        <p class="small mt-2">{t.secretariat.importHint}</p>
        <form method="post" action="/segreteria/autodiagnosi/questionari">
          <label for="import-content" class="form-label">
            {t.secretariat.content}
          </label>
          <textarea id="import-content" name="content" class="form-control font-monospace" rows={12}>
            {importText ?? ''}
          </textarea>
          <button type="submit" class="btn btn-outline-primary btn-sm mt-2">
            {t.secretariat.import}
          </button>
        </form>
      </details>
    </div>
  )
}
