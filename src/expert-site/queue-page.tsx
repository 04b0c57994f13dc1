import type { ForumDayDto } from '../forum-days/schemas.js'
import { durationText, experts, WAIT_PATTERNS } from '../i18n/experts.js'
import { formatDateTime, formatTime } from '../i18n/format.js'
import type { DeskItemDto, QueueItemDto } from '../questions/schemas.js'
import { Notice } from '../web/feedback.js'
import { StateBadge } from '../staff-site/forum-pages.js'
import { Breadcrumbs, Time } from '../web/components.js'

const t = experts.queue

export interface QueueFilter {
  forumDayId?: string
  theme?: string
}

export interface QueueView {
  viewerId: string
  days: ForumDayDto[]
  filter: QueueFilter
  waiting: QueueItemDto[]
  /** Claimed by colleagues: shown apart, as "sta rispondendo" (a hint, never a lock on reading). */
  working: QueueItemDto[]
  desk: DeskItemDto[]
  themeLabel: (code: string) => string
  notice?: { kind: 'error' | 'success' | 'info'; text: string }
}

/** The query string of a filter, to keep it across forms and links. */
export const filterQuery = (filter: QueueFilter) => {
  const params = new URLSearchParams()
  if (filter.forumDayId) params.set('giornata', filter.forumDayId)
  if (filter.theme) params.set('tema', filter.theme)
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** One waiting question: what it is, how long it has waited, its deadline, and the claim button. */
export function WaitingRow({ q, themeLabel, returnTo }: { q: QueueItemDto; themeLabel: (code: string) => string; returnTo: string }) {
  return (
    <tr data-queue-item={q.id} data-forum-day-id={q.forumDayId} data-theme={q.theme}>
      <td>
        <a href={`/coda/domande/${q.id}`} data-field="title">
          {q.title}
        </a>
        <div class="small text-muted" data-field="day">
          {q.forumDayTitle}
        </div>
        {q.activity.drafting.length > 0 ? <div class="small">{t.drafting(q.activity.drafting.map((d) => d.name).join(', '))}</div> : null}
      </td>
      <td data-field="theme">{themeLabel(q.theme)}</td>
      <td>
        <Time value={q.submittedAt}>
          <span data-waiting-since={q.submittedAt}>{durationText(q.waitingSeconds)}</span>
        </Time>
      </td>
      <td>
        <Time value={q.answerDeadline}>
          <span data-field="deadline">{formatDateTime(q.answerDeadline)}</span>
        </Time>{' '}
        {q.overdue ? <span class="badge bg-danger">{t.overdue}</span> : null}
      </td>
      <td>
        {q.actions.includes('claim') ? (
          <form method="post" action={`/coda/domande/${q.id}/prendi`} data-claim-form>
            <input type="hidden" name="ritorno" value={returnTo} />
            <button type="submit" class="btn btn-primary btn-sm" aria-label={t.claimTitle(q.title)} data-claim-button>
              {t.claim}
            </button>
          </form>
        ) : null}
      </td>
    </tr>
  )
}

/** The experts' queue (`/coda`): their desk on top, the filters, "Prendi la prossima", the waiting questions, the colleagues at work. */
export function QueuePage({ viewerId, days, filter, waiting, working, desk, themeLabel, notice }: QueueView) {
  const themes = [...new Map(days.filter((d) => !filter.forumDayId || d.id === filter.forumDayId).flatMap((d) => d.themes.map((th) => [th.code, th.label] as const)))]
  const returnTo = `/coda${filterQuery(filter)}`
  return (
    <div
      class="container pb-5"
      data-expert-queue
      data-viewer={viewerId}
      data-filter-day={filter.forumDayId ?? ''}
      data-filter-theme={filter.theme ?? ''}
      data-text-is-answering={t.isAnswering('{name}')}
      data-text-just-arrived={t.justArrived}
      data-text-reply-notice={t.replyNotice('{title}')}
      data-text-claim-title={t.claimTitle('{title}')}
      data-text-wait-less={WAIT_PATTERNS.lessThanMinute}
      data-text-wait-minutes={WAIT_PATTERNS.minutes}
      data-text-wait-hours={WAIT_PATTERNS.hours}
      data-text-wait-days={WAIT_PATTERNS.days}
    >
      <Breadcrumbs items={[{ label: t.title }]} />
      <h1 class="pt-4">{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {notice ? (
        <Notice kind={notice.kind}>
          <p class="mb-0">{notice.text}</p>
        </Notice>
      ) : null}
      <div data-live-notices role="status" aria-live="polite"></div>

      <section aria-labelledby="scrivania" class="mb-5">
        <h2 id="scrivania" class="h3">
          {t.desk}
        </h2>
        <p>{t.deskLead}</p>
        {desk.length === 0 ? (
          <p data-desk-empty>{t.deskNone}</p>
        ) : null}
        <ul class="list-group" data-desk>
          {desk.map((q) => (
            <li class={`list-group-item${q.returned ? ' border-start border-4 border-success' : ''}`} data-desk-item={q.id}>
              <a href={`/coda/domande/${q.id}`}>{q.title}</a> <StateBadge state={q.state} id={q.id} />{' '}
              {q.returned ? <span class="badge bg-success">{t.returned}</span> : null}
              {q.state === 'awaiting_clarification' ? <span class="small ms-2">{t.awaiting}</span> : null}
              {q.state === 'claimed' && q.claim?.leaseExpiresAt ? (
                <span class="small ms-2">
                  <Time value={q.claim.leaseExpiresAt}>{t.leaseUntil(formatTime(q.claim.leaseExpiresAt))}</Time>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="in-attesa">
        <h2 id="in-attesa" class="h3">
          {t.waiting}
        </h2>
        <form method="get" action="/coda" class="row g-3 align-items-end mb-3" aria-label={t.filters}>
          <div class="col-md-5">
            <div class="select-wrapper">
              <label for="giornata">{t.day}</label>
              <select id="giornata" name="giornata">
                <option value="">{t.anyDay}</option>
                {days.map((d) => (
                  <option value={d.id} selected={d.id === filter.forumDayId} data-title={d.title} data-deadline={d.answerDeadline} data-deadline-text={formatDateTime(d.answerDeadline)}>
                    {d.title}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="col-md-5">
            <div class="select-wrapper">
              <label for="tema">{t.theme}</label>
              <select id="tema" name="tema">
                <option value="">{t.anyTheme}</option>
                {themes.map(([code, label]) => (
                  <option value={code} selected={code === filter.theme}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="col-md-2">
            <button type="submit" class="btn btn-outline-primary w-100">
              {t.filter}
            </button>
          </div>
        </form>
        <form method="post" action="/coda/prendi-la-prossima" class="mb-4">
          <input type="hidden" name="forumDayId" value={filter.forumDayId ?? ''} />
          <input type="hidden" name="theme" value={filter.theme ?? ''} />
          <button type="submit" class="btn btn-primary" aria-describedby="prossima-aiuto">
            {t.next}
          </button>
          <span id="prossima-aiuto" class="small ms-3">
            {t.nextHint}
          </span>
        </form>
        <p data-queue-empty hidden={waiting.length > 0}>
          {t.none}
        </p>
        <div class="table-responsive">
          <table class="table" hidden={waiting.length === 0} data-queue-table>
            <caption class="visually-hidden">{t.waiting}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.title}</th>
                <th scope="col">{t.columns.theme}</th>
                <th scope="col">{t.columns.waiting}</th>
                <th scope="col">{t.columns.deadline}</th>
                <th scope="col">{t.columns.action}</th>
              </tr>
            </thead>
            <tbody data-queue>
              {waiting.map((q) => (
                <WaitingRow q={q} themeLabel={themeLabel} returnTo={returnTo} />
              ))}
            </tbody>
          </table>
        </div>
        {/* What the live script copies for a question that arrives while the page is open. */}
        <template data-row-template>
          <table>
            <tbody>
              <tr data-queue-item="">
                <td>
                  <a href="" data-field="title"></a>
                  <div class="small text-muted" data-field="day"></div>
                </td>
                <td data-field="theme"></td>
                <td>
                  <span data-waiting-since="">{t.justArrived}</span>
                </td>
                <td>
                  <span data-field="deadline"></span>
                </td>
                <td>
                  <form method="post" action="" data-claim-form>
                    <input type="hidden" name="ritorno" value={returnTo} />
                    <button type="submit" class="btn btn-primary btn-sm" data-claim-button>
                      {t.claim}
                    </button>
                  </form>
                </td>
              </tr>
            </tbody>
          </table>
        </template>
      </section>

      <section aria-labelledby="colleghi" class="mt-5">
        <h2 id="colleghi" class="h4">
          {t.working}
        </h2>
        <p data-working-empty hidden={working.length > 0}>
          {t.workingNone}
        </p>
        <ul data-working>
          {working.map((q) => (
            <li data-working-item={q.id}>
              <a href={`/coda/domande/${q.id}`}>{q.title}</a> – <span data-field="holder">{t.isAnswering(q.claim?.expert.name ?? '')}</span>
            </li>
          ))}
        </ul>
      </section>
      <template data-theme-labels>
        {[...new Map(days.flatMap((d) => d.themes.map((th) => [th.code, th.label] as const)))].map(([code, label]) => (
          <span data-code={code}>{label}</span>
        ))}
      </template>
      <p class="small text-muted mt-4" data-live-status data-text-live={t.live} data-text-offline={t.offline} aria-live="polite"></p>
    </div>
  )
}
