import type { FaqSearchResult } from '../knowledge-base/schemas.js'
import { formatDate, formatNumber } from '../i18n/format.js'
import { site } from '../i18n/site.js'
import { Breadcrumbs, Highlighted, Icon, Pagination, Time } from '../web/components.js'

/** The filters a search page can carry in its URL, as the JSON API names them. */
export interface SearchParams {
  q?: string
  theme?: string
  tag?: string
  law?: string
  year?: number
  page: number
}

const FILTERS = ['theme', 'tag', 'law', 'year'] as const
type Filter = (typeof FILTERS)[number]
const FACET_OF: Record<Filter, keyof FaqSearchResult['facets']> = { theme: 'theme', tag: 'tags', law: 'laws', year: 'year' }

const FACET_VALUES = 12
const italian = new Intl.Collator('it')
const byCountThenName = (a: [string, number], b: [string, number]) => b[1] - a[1] || italian.compare(a[0], b[0])

/**
 * The `k` commonest values, ties in alphabetical order. A facet can hold hundreds of tags, most
 * found once: sorting them all by name cost a millisecond a page, where only the names tied at
 * the cut need comparing, and only against the few kept.
 */
export function mostCommon(entries: Array<[string, number]>, k: number): Array<[string, number]> {
  const byCount = [...entries].sort((a, b) => b[1] - a[1])
  if (byCount.length <= k) return byCount.sort(byCountThenName)
  const cut = byCount[k - 1]![1]
  const above = byCount.filter(([, n]) => n > cut)
  const tied: Array<[string, number]> = []
  for (const entry of byCount) {
    if (entry[1] !== cut) continue
    if (tied.length < k - above.length) tied.push(entry)
    else if (italian.compare(entry[0], tied[tied.length - 1]![0]) < 0) tied[tied.length - 1] = entry
    else continue
    tied.sort(byCountThenName)
  }
  return [...above.sort(byCountThenName), ...tied]
}

/** /domande-e-risposte with these parameters (page 1 unless given): every filter is a plain link. */
export function searchHref(params: Partial<SearchParams>): string {
  const query = new URLSearchParams()
  if (params.q) query.set('q', params.q)
  for (const f of FILTERS) if (params[f] !== undefined && params[f] !== '') query.set(f, String(params[f]))
  if (params.page && params.page > 1) query.set('page', String(params.page))
  const qs = query.toString()
  return `/domande-e-risposte${qs ? `?${qs}` : ''}`
}

/** The search box; the script (search.js) adds suggestions as the visitor types. */
export function SearchForm({ q, label, hint, size = 'lg' }: { q?: string; label: string; hint?: string; size?: 'lg' | 'md' }) {
  return (
    <form action="/domande-e-risposte" method="get" role="search" class="faq-search" data-suggest data-suggest-title={site.faqs.suggestions}>
      <div class="form-group mb-2">
        <label for="q" class="active">
          {label}
        </label>
        <div class="input-group">
          <input
            type="search"
            id="q"
            name="q"
            value={q ?? ''}
            class={`form-control${size === 'lg' ? ' form-control-lg' : ''}`}
            placeholder={site.home.searchPlaceholder}
            maxLength={200}
            autocomplete="off"
            aria-describedby={hint ? 'q-hint' : undefined}
          />
          <div class="input-group-append">
            <button class="btn btn-primary" type="submit">
              <Icon name="it-search" class="icon-white me-1" />
              {site.faqs.searchButton}
            </button>
          </div>
        </div>
        {hint ? (
          <small id="q-hint" class="form-text">
            {hint}
          </small>
        ) : null}
      </div>
      <div class="suggestions" aria-live="polite"></div>
    </form>
  )
}

function Facets({ result, params }: { result: FaqSearchResult; params: SearchParams }) {
  return (
    <nav aria-label={site.faqs.filters}>
      <h2 class="h5">{site.faqs.filters}</h2>
      {FILTERS.map((filter) => {
        const entries = Object.entries(result.facets[FACET_OF[filter]])
        const counts = filter === 'year' ? entries.sort((a, b) => b[0].localeCompare(a[0])).slice(0, FACET_VALUES) : mostCommon(entries, FACET_VALUES)
        if (counts.length === 0) return null
        return (
          <section class="mb-4">
            <h3 class="h6 text-uppercase text-secondary">{site.faqs.facetNames[filter]}</h3>
            <ul class="list-unstyled facet-list">
              {counts.map(([value, n]) => {
                const active = String(params[filter] ?? '') === value
                return (
                  <li>
                    <a
                      href={searchHref({ ...params, [filter]: active ? undefined : value, page: 1 })}
                      aria-current={active ? 'true' : undefined}
                      class={active ? 'fw-bold' : undefined}
                    >
                      {filter === 'theme' ? (result.themeLabels[value] ?? value) : value}
                    </a>{' '}
                    <span class="badge bg-light text-dark">{formatNumber(n)}</span>
                  </li>
                )
              })}
            </ul>
          </section>
        )
      })}
    </nav>
  )
}

function ActiveFilters({ params, themeLabels }: { params: SearchParams; themeLabels: Record<string, string> }) {
  const active = FILTERS.filter((f) => params[f] !== undefined && params[f] !== '')
  if (active.length === 0) return null
  return (
    <div class="mb-3">
      <span class="me-2">{site.faqs.activeFilters}:</span>
      {active.map((f) => {
        const value = f === 'theme' ? (themeLabels[String(params[f])] ?? params[f]) : params[f]
        const label = `${site.faqs.facetNames[f]}: ${value}`
        return (
          <a class="chip chip-simple chip-primary me-2" href={searchHref({ ...params, [f]: undefined, page: 1 })} aria-label={site.faqs.removeFilter(label)}>
            <span class="chip-label">{label}</span>
            <Icon name="it-close" class="icon-xs ms-1" />
          </a>
        )
      })}
      {active.length > 1 ? <a href={searchHref({ q: params.q, page: 1 })}>{site.faqs.clearAll}</a> : null}
    </div>
  )
}

export function FaqList({ hits }: { hits: FaqSearchResult['hits'] }) {
  return (
    <ol class="list-unstyled faq-results">
      {hits.map((hit) => (
        <li class="mb-4 pb-3 border-bottom">
          <p class="small text-secondary mb-1">
            <a href={searchHref({ theme: hit.theme, page: 1 })} class="text-secondary">
              {hit.themeLabel}
            </a>
            {' · '}
            {site.faqs.published} <Time value={hit.publishedAt}>{formatDate(hit.publishedAt)}</Time>
            {hit.visibility === 'reserved' ? <span class="badge bg-warning text-dark ms-2">{site.faqs.reserved}</span> : null}
          </p>
          <h3 class="h5 mb-1">
            <a href={`/domande-e-risposte/${hit.slug}`}>{hit.title}</a>
          </h3>
          <p class="mb-0">
            <Highlighted snippet={hit.snippet} />
          </p>
        </li>
      ))}
    </ol>
  )
}

export interface SearchPageData {
  params: SearchParams
  result: FaqSearchResult
  /** For the zero-result page and the browse view: the newest FAQs and every theme. */
  browse?: FaqSearchResult
}

export function FaqSearchPage({ params, result, browse }: SearchPageData) {
  const searching = Boolean(params.q)
  const pages = Math.min(1000, Math.ceil(result.total / result.pageSize))
  const empty = result.hits.length === 0
  return (
    <div class="container">
      <Breadcrumbs items={[{ label: site.faqs.title }]} />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{site.faqs.title}</h1>
          <p class="lead">{site.faqs.lead}</p>
          <div id="cerca">
            <SearchForm q={params.q} label={site.faqs.searchLabel} hint={site.home.searchHint} size="md" />
          </div>
        </div>
      </div>
      <div class="row mt-4">
        <div class="col-lg-8 order-lg-2 ps-lg-5">
          <h2 class="h4" id="risultati">
            {searching ? site.faqs.resultsFor(params.q!) : site.faqs.newestFirst}
          </h2>
          <p role="status" class="text-secondary">
            {site.faqs.count(result.total, result.totalIsExact)}
            {pages > 1 ? ` · ${site.faqs.pageOf(params.page, pages)}` : ''}
          </p>
          {result.didYouMean ? (
            <p class="did-you-mean">
              {site.faqs.didYouMean}{' '}
              <a href={searchHref({ ...params, q: result.didYouMean, page: 1 })}>
                <strong>{result.didYouMean}</strong>
              </a>
            </p>
          ) : null}
          <ActiveFilters params={params} themeLabels={result.themeLabels} />
          {empty ? <NoResults params={params} browse={browse} /> : <FaqList hits={result.hits} />}
          <Pagination page={params.page} pages={pages} href={(page) => searchHref({ ...params, page })} />
        </div>
        <div class="col-lg-4 order-lg-1">
          {empty && browse ? <Facets result={browse} params={params} /> : <Facets result={result} params={params} />}
        </div>
      </div>
    </div>
  )
}

function NoResults({ params, browse }: { params: SearchParams; browse?: FaqSearchResult }) {
  const themes = Object.entries(browse?.facets.theme ?? {}).sort((a, b) => b[1] - a[1])
  return (
    <div>
      <div class="callout note">
        <div class="callout-title">
          <Icon name="it-info-circle" />
          <span>{params.q ? site.faqs.noResultsTitle(params.q) : site.faqs.noResultsTitle('')}</span>
        </div>
        <ul class="mb-0">
          {site.faqs.noResultsTips.map((tip) => (
            <li>{tip}</li>
          ))}
        </ul>
      </div>
      {themes.length > 0 ? (
        <section class="mt-4">
          <h3 class="h5">{site.faqs.tryThemes}</h3>
          <ul class="list-inline">
            {themes.map(([theme, n]) => (
              <li class="list-inline-item mb-2">
                <a class="chip chip-simple" href={searchHref({ theme, page: 1 })}>
                  <span class="chip-label">
                    {browse?.themeLabels[theme] ?? theme} ({formatNumber(n)})
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {browse && browse.hits.length > 0 ? (
        <section class="mt-4">
          <h3 class="h5">{site.faqs.newestFaqs}</h3>
          <FaqList hits={browse.hits} />
        </section>
      ) : null}
      <p class="mt-4">
        {site.faqs.askInForum} <a href="/forum">{site.home.allForumDays}</a>
      </p>
    </div>
  )
}
