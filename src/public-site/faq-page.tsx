import type { FaqDto } from '../knowledge-base/schemas.js'
import { OPEN_DATA_LICENSE } from '../knowledge-base/open-data.js'
import { formatDate } from '../i18n/format.js'
import { site } from '../i18n/site.js'
import { Breadcrumbs, ExternalLink, Icon, Time, TrustedHtml } from '../web/components.js'
import { searchHref } from './faq-search.js'

export const FEED_PATH = '/api/v1/faqs/feed.atom'

/** schema.org FAQPage: one question with its accepted answer, for search engines. */
export function faqJsonLd(faq: FaqDto, origin: string, plainAnswer: string) {
  const url = `${origin}${faq.url}`
  return {
    '@context': 'https://schema.org',
    '@type': 'FAQPage',
    url,
    inLanguage: 'it',
    datePublished: faq.publishedAt,
    dateModified: faq.updatedAt,
    license: OPEN_DATA_LICENSE.url,
    publisher: { '@type': 'Organization', name: site.owner, url: site.ownerUrl },
    mainEntity: {
      '@type': 'Question',
      name: faq.title,
      text: faq.question,
      dateCreated: faq.publishedAt,
      answerCount: 1,
      acceptedAnswer: { '@type': 'Answer', text: plainAnswer, url, dateCreated: faq.publishedAt, dateModified: faq.updatedAt },
    },
  }
}

function LegalReferences({ faq }: { faq: FaqDto }) {
  if (faq.legalReferences.length === 0) return null
  return (
    <section class="mt-5" aria-labelledby="riferimenti">
      <h2 class="h4" id="riferimenti">
        {site.faq.legalReferences}
      </h2>
      <ul class="link-list-plain legal-references">
        {faq.legalReferences.map((ref) => (
          <li class="mb-2">
            <strong>
              {ref.label}
              {ref.article ? `, ${site.faq.article(ref.article)}` : ''}
            </strong>
            <span class="d-block small">
              {ref.links.inForce ? <ExternalLink href={ref.links.inForce}>{site.faq.inForce}</ExternalLink> : null}
              {ref.links.atAnswerDate ? (
                <>
                  {' · '}
                  <ExternalLink href={ref.links.atAnswerDate}>{site.faq.atAnswerDate(faq.answeredOn)}</ExternalLink>
                </>
              ) : null}
              {ref.links.eurLex ? (
                <>
                  {ref.links.inForce ? ' · ' : ''}
                  <ExternalLink href={ref.links.eurLex}>{site.faq.eurLex}</ExternalLink>
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

export function FaqPage({ faq }: { faq: FaqDto }) {
  return (
    <div class="container">
      <Breadcrumbs items={[{ label: site.faqs.title, path: '/domande-e-risposte' }, { label: faq.title }]} />
      <div class="row">
        <article class="col-lg-8 pt-4" aria-labelledby="titolo">
          <p class="mb-2">
            <a class="chip chip-simple chip-primary" href={searchHref({ theme: faq.theme, page: 1 })}>
              <span class="chip-label">{faq.themeLabel}</span>
            </a>
            {faq.visibility === 'reserved' ? <span class="badge bg-warning text-dark ms-2">{site.faqs.reserved}</span> : null}
          </p>
          <h1 id="titolo">{faq.title}</h1>
          <p class="text-secondary small">
            {site.faq.publishedOn} <Time value={faq.publishedAt}>{formatDate(faq.publishedAt)}</Time>
            {faq.updatedAt !== faq.publishedAt ? (
              <>
                {' · '}
                {site.faq.updatedOn} <Time value={faq.updatedAt}>{formatDate(faq.updatedAt)}</Time>
              </>
            ) : null}
          </p>
          {faq.review.flagged ? (
            <div class="callout warning" role="note">
              <div class="callout-title">
                <Icon name="it-warning-circle" />
                <span>{site.faq.underReview}</span>
              </div>
              <p>{site.faq.restsOnLaw(faq.review.lawAsOf)}</p>
              {faq.review.reason ? (
                <p class="small mb-0">
                  {site.faq.reviewReason} {faq.review.reason}
                </p>
              ) : null}
            </div>
          ) : null}
          {faq.visibility === 'reserved' ? <p class="alert alert-warning">{site.faq.reservedNote}</p> : null}
          <section class="mt-4" aria-labelledby="domanda">
            <h2 class="h4" id="domanda">
              {site.faq.question}
            </h2>
            <TrustedHtml html={faq.questionHtml} class="faq-question" />
            {faq.origin ? <p class="small text-secondary">{site.faq.originText(faq.origin)}</p> : null}
          </section>
          <section class="mt-4" aria-labelledby="risposta">
            <h2 class="h4" id="risposta">
              {site.faq.answer}
            </h2>
            <TrustedHtml html={faq.answerHtml} class="faq-answer" />
            {faq.questionsAnswered > 1 ? <p class="small text-secondary mt-3">{site.faq.questionsAnswered(faq.questionsAnswered)}</p> : null}
          </section>
          <LegalReferences faq={faq} />
        </article>
        <aside class="col-lg-4 pt-4 ps-lg-5">
          <dl class="faq-facts">
            <dt>{site.faq.theme}</dt>
            <dd>
              <a href={searchHref({ theme: faq.theme, page: 1 })}>{faq.themeLabel}</a>
            </dd>
            {faq.tags.length > 0 ? (
              <>
                <dt>{site.faq.tags}</dt>
                <dd>
                  <ul class="list-inline mb-0">
                    {faq.tags.map((tag) => (
                      <li class="list-inline-item">
                        <a href={searchHref({ tag, page: 1 })}>{tag}</a>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
            <dt>{site.faq.scope}</dt>
            <dd>{faq.scopeRegion ? site.faq.scopeRegion(faq.scopeRegion) : site.faq.scopeNational}</dd>
            <dt>{site.faq.lawAsOf}</dt>
            <dd>
              <Time value={faq.answeredOn}>{formatDate(faq.answeredOn)}</Time>
            </dd>
          </dl>
          {faq.related.length > 0 ? (
            <nav aria-labelledby="correlate" class="mt-4">
              <h2 class="h5" id="correlate">
                {site.faq.related}
              </h2>
              <ul class="link-list-plain">
                {faq.related.map((r) => (
                  <li class="mb-2">
                    <a href={`/domande-e-risposte/${r.slug}`}>{r.title}</a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <p class="mt-4">
            <a href={FEED_PATH} type="application/atom+xml">
              <Icon name="it-rss" class="icon-sm me-1" />
              {site.faq.feed}
            </a>
          </p>
          <p>
            <a href="/domande-e-risposte">{site.faq.backToSearch}</a>
          </p>
        </aside>
      </div>
    </div>
  )
}
