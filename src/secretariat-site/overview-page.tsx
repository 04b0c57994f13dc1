import type { QuestionDto } from '../questions/schemas.js'
import { formatDate } from '../i18n/format.js'
import { secretariat } from '../i18n/secretariat.js'
import { Breadcrumbs, Time } from '../web/components.js'
import { Notice } from '../staff-site/feedback.js'

const t = secretariat.overview

export interface OverviewView {
  toPublish: QuestionDto[]
  themeLabel: (code: string) => string
  published?: { slug: string; title: string }
  sections: Array<{ path: string; label: string; note?: string }>
}

/** The secretariat's landing page: what waits to be published, and the way to each desk. */
export function OverviewPage({ toPublish, themeLabel, published, sections }: OverviewView) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: t.title }]} />
      <h1 class="pt-4">{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {published ? (
        <Notice kind="success">
          <p class="mb-0">
            {t.published(published.title)} <a href={`/domande-e-risposte/${encodeURIComponent(published.slug)}`}>{t.open}</a>
          </p>
        </Notice>
      ) : null}
      {sections.length === 0 ? null : (
      <nav aria-labelledby="sections-title" class="mt-4">
        <h2 id="sections-title" class="h4">
          {t.more}
        </h2>
        <ul class="list-inline">
          {sections.map((s) => (
            <li class="list-inline-item mb-2">
              <a class="btn btn-outline-primary" href={s.path}>
                {s.label}
                {s.note ? <span class="badge bg-primary ms-2">{s.note}</span> : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      )}
      <section aria-labelledby="to-publish-title" class="mt-4">
        <h2 id="to-publish-title" class="h4">
          {t.toPublish} <span class="text-secondary fs-6">({t.count(toPublish.length)})</span>
        </h2>
        <p>{t.toPublishLead}</p>
        {toPublish.length === 0 ? (
          <p>{t.noneToPublish}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t.columns.title}</th>
                  <th scope="col">{t.columns.theme}</th>
                  <th scope="col">{t.columns.answeredAt}</th>
                  <th scope="col">{t.columns.action}</th>
                </tr>
              </thead>
              <tbody>
                {toPublish.map((q) => (
                  <tr>
                    <td>
                      <a href={`/segreteria/domande/${q.id}`}>{q.title}</a>
                    </td>
                    <td>{themeLabel(q.theme)}</td>
                    <td>{q.answer ? <Time value={q.answer.answeredAt}>{formatDate(q.answer.answeredAt)}</Time> : null}</td>
                    <td>
                      <a class="btn btn-sm btn-primary" href={`/segreteria/domande/${q.id}/faq`} aria-label={t.publishLabel(q.title)}>
                        {t.publish}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
