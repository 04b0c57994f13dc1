import type { QuestionDto } from '../questions/schemas.js'
import { formatDate } from '../i18n/format.js'
import { secretariat } from '../i18n/secretariat.js'
import { Breadcrumbs, Time } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { DataTable } from './table.js'

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
        <DataTable
          labelledBy="to-publish-title"
          headers={[t.columns.title, t.columns.theme, t.columns.answeredAt, t.columns.action]}
          rows={toPublish.map((q) => ({
            cells: [
              <a href={`/segreteria/domande/${q.id}`}>{q.title}</a>,
              themeLabel(q.theme),
              q.answer ? <Time value={q.answer.answeredAt}>{formatDate(q.answer.answeredAt)}</Time> : null,
              <a class="btn btn-sm btn-primary" href={`/segreteria/domande/${q.id}/faq`} aria-label={t.publishLabel(q.title)}>
                {t.publish}
              </a>,
            ],
          }))}
          empty={t.noneToPublish}
        />
      </section>
    </div>
  )
}
