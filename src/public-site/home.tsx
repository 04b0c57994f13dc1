import type { ForumDayDto } from '../forum-days/schemas.js'
import type { FaqSearchResult } from '../knowledge-base/schemas.js'
import { site } from '../i18n/site.js'
import { FaqList, SearchForm } from './faq-search.js'
import { ForumDayCard } from './forum-day-card.js'

export function HomePage({ newest, days }: { newest: FaqSearchResult; days: ForumDayDto[] }) {
  return (
    <>
      <section class="bg-primary text-white py-5 home-hero" aria-labelledby="titolo">
        <div class="container">
          <div class="row">
            <div class="col-lg-8">
              <h1 id="titolo" class="text-white">
                {site.home.title}
              </h1>
              <p class="lead text-white">{site.home.lead}</p>
            </div>
          </div>
        </div>
      </section>
      <section class="container py-4">
        <div class="row">
          <div class="col-lg-8">
            <SearchForm label={site.home.searchLabel} hint={site.home.searchHint} />
          </div>
        </div>
      </section>
      <div class="container pb-5">
        <div class="row">
          <section class="col-lg-7 pe-lg-5" aria-labelledby="ultime">
            <h2 id="ultime" class="h3 mb-4">
              {site.home.newest}
            </h2>
            <FaqList hits={newest.hits} />
            <a class="btn btn-outline-primary" href="/domande-e-risposte">
              {site.home.allFaqs}
            </a>
          </section>
          <section class="col-lg-5 mt-5 mt-lg-0" aria-labelledby="giornate">
            <h2 id="giornate" class="h3 mb-4">
              {site.home.forumDays}
            </h2>
            {days.length === 0 ? <p>{site.home.noForumDays}</p> : null}
            {days.map((day) => (
              <div class="mb-4">
                <ForumDayCard day={day} />
              </div>
            ))}
            <p class="small">{site.forumDay.timesNote}</p>
            <a class="btn btn-outline-primary" href="/forum">
              {site.home.allForumDays}
            </a>
          </section>
        </div>
      </div>
      <section class="bg-light py-5" aria-labelledby="come-funziona">
        <div class="container">
          <h2 id="come-funziona" class="h3 mb-4">
            {site.home.howItWorks}
          </h2>
          <ol class="row list-unstyled">
            {site.home.steps.map((step, i) => (
              <li class="col-md-4 mb-3">
                <p class="h5">
                  <span class="badge bg-primary me-2">{i + 1}</span>
                  {step.title}
                </p>
                <p>{step.text}</p>
              </li>
            ))}
          </ol>
        </div>
      </section>
    </>
  )
}
