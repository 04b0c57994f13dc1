import type { ForumDayDto } from '../forum-days/schemas.js'
import { site } from '../i18n/site.js'
import { Breadcrumbs } from '../web/components.js'
import { ForumDayCard } from './forum-day-card.js'

const ORDER = ['open', 'upcoming', 'closed', 'cancelled'] as const

/** The calendar of forum days by state; counters and states follow the days' live channels. */
export function ForumPage({ days }: { days: ForumDayDto[] }) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: site.forum.title }]} />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{site.forum.title}</h1>
          <p class="lead">{site.forum.lead}</p>
          <p class="small">{site.forumDay.timesNote}</p>
          <p class="small text-secondary" data-live-status aria-live="polite" data-text-live={site.forum.live} data-text-offline={site.forum.offline}></p>
        </div>
      </div>
      {ORDER.map((state) => {
        const list = days.filter((d) => d.state === state)
        if (list.length === 0 && state === 'cancelled') return null
        // Upcoming days soonest first; the rest most recent first.
        list.sort((a, b) => (state === 'upcoming' ? a.opensAt.localeCompare(b.opensAt) : b.opensAt.localeCompare(a.opensAt)))
        return (
          <section class="mt-4" aria-labelledby={`giornate-${state}`}>
            <h2 class="h3" id={`giornate-${state}`}>
              {site.forum.sections[state]}
            </h2>
            {list.length === 0 ? <p>{site.forum.none}</p> : null}
            <ul class="row list-unstyled">
              {list.map((day) => (
                <li class="col-md-6 col-lg-4 mb-4">
                  <ForumDayCard day={day} />
                </li>
              ))}
            </ul>
          </section>
        )
      })}
    </div>
  )
}
