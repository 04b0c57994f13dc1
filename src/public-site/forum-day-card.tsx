import type { ForumDayDto } from '../forum-days/schemas.js'
import { formatDateTime, formatNumber } from '../i18n/format.js'
import { site } from '../i18n/site.js'
import { Icon, Time } from '../web/components.js'

const BADGE: Record<string, string> = { open: 'bg-success', upcoming: 'bg-primary', closed: 'bg-secondary', cancelled: 'bg-danger' }

/**
 * One forum day: state, Rome times, themes and public counters. The `data-*` attributes are what
 * the live script (forum-live.js) updates when the day's channel reports a change.
 */
export function ForumDayCard({ day, headingLevel = 3 }: { day: ForumDayDto; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <article class="card card-bg shadow-sm h-100 forum-day" data-forum-day={day.id} data-state={day.state}>
      <div class="card-body">
        <p class="mb-2">
          <span
            class={`badge ${BADGE[day.state] ?? 'bg-secondary'}`}
            data-live="state"
            data-text-open={site.forumDay.states.open}
            data-text-upcoming={site.forumDay.states.upcoming}
            data-text-closed={site.forumDay.states.closed}
            data-text-cancelled={site.forumDay.states.cancelled}
          >
            {site.forumDay.states[day.state]}
          </span>
          <span class="ms-2 small text-secondary">{day.editionName}</span>
        </p>
        <Heading class="card-title h5">{day.title}</Heading>
        <ul class="list-unstyled small mb-3">
          <li>
            <Icon name="it-calendar" class="icon-sm me-1" />
            {site.forumDay.opens} <Time value={day.opensAt}>{formatDateTime(day.opensAt)}</Time>
          </li>
          <li>
            <Icon name="it-clock" class="icon-sm me-1" />
            {site.forumDay.closes} <Time value={day.closesAt}>{formatDateTime(day.closesAt)}</Time>
          </li>
        </ul>
        {day.state === 'cancelled' ? <p class="text-danger">{site.forumDay.cancelled(day.cancelReason)}</p> : null}
        {day.themes.length > 0 ? (
          <p class="small mb-3">
            <strong>{site.forumDay.themes}:</strong> {day.themes.map((t) => t.label).join(', ')}
          </p>
        ) : null}
        <dl class="row text-center g-0 mb-0" aria-label={site.forumDay.counters}>
          <div class="col d-flex flex-column-reverse">
            <dt class="small fw-normal">{site.forumDay.questions}</dt>
            <dd class="counter-value mb-0" data-live="questions">
              {formatNumber(day.counts.questions)}
            </dd>
          </div>
          <div class="col d-flex flex-column-reverse">
            <dt class="small fw-normal">{site.forumDay.answered}</dt>
            <dd class="counter-value mb-0" data-live="answered">
              {formatNumber(day.counts.answered)}
            </dd>
          </div>
          <div class="col d-flex flex-column-reverse">
            <dt class="small fw-normal">{site.forumDay.open}</dt>
            <dd class="counter-value mb-0" data-live="open">
              {formatNumber(day.counts.open)}
            </dd>
          </div>
        </dl>
        {day.state === 'open' ? (
          <div class="mt-3">
            <p class="small mb-2">{site.forumDay.openNow}</p>
            <a class="btn btn-primary btn-sm" href="/accedi">
              {site.forumDay.signInToAsk}
            </a>
          </div>
        ) : null}
      </div>
    </article>
  )
}
