import type { OrganizationProfile } from '../forum-days/eligibility.js'
import type { ForumDayDto } from '../forum-days/schemas.js'
import { experts } from '../i18n/experts.js'
import { formatDateTime, formatNumber, formatTime } from '../i18n/format.js'
import { staff } from '../i18n/staff.js'
import type { QuestionDetailDto } from '../questions/schemas.js'
import type { QuestionState } from '../questions/tables.js'
import { StateBadge, stateTexts } from '../staff-site/forum-pages.js'
import { Breadcrumbs, Time, TrustedHtml } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { Field } from '../web/forms.js'

const t = experts.desk

export interface FaqChoice {
  slug: string
  title: string
}

export interface DeskView {
  question: QuestionDetailDto
  viewerId: string
  day: ForumDayDto | undefined
  themeLabel: string
  organization: OrganizationProfile | undefined
  earlier: Array<{ id: string; title: string; state: QuestionState; submittedAt: Date; duplicateOfFaq: string | null; faq?: FaqChoice }>
  draft: { markdown: string; version: number } | undefined
  /** The text of this form when it was refused (kept, never lost). */
  answerText?: string
  clarificationText?: string
  /** The newer draft a stale save ran into, shown beside the text of this window. */
  newerDraft?: { markdown: string; version: number }
  preview?: { html: string; legalReferences: Array<{ text: string; label: string; url: string | null }> }
  faqQuery?: string
  faqResults?: FaqChoice[]
  notice?: { kind: 'error' | 'success' | 'info'; text: string }
}

const faqPath = (slug: string) => `/domande-e-risposte/${encodeURIComponent(slug)}`

/** The answer desk (`/coda/domande/{id}`): the question, who asks, the lease and exactly the actions the lifecycle allows. */
export function DeskPage(view: DeskView) {
  const { question: q, viewerId, day, themeLabel, organization, earlier, draft, notice } = view
  const base = `/coda/domande/${q.id}`
  const can = (action: string) => q.actions.includes(action as never)
  const mine = q.claim?.expert.id === viewerId
  const returned = q.state === 'claimed' && mine && q.transitions.at(-1)?.action === 'replied'
  const answerText = view.answerText ?? view.newerDraft?.markdown ?? draft?.markdown ?? ''
  return (
    <div
      class="container pb-5"
      data-answer-desk={q.id}
      data-version={q.version}
      data-viewer={viewerId}
      data-duplicate={can('mark_duplicate') ? 'true' : 'false'}
      data-text-faq-choose={t.faqChoose}
      data-text-link-code={t.linkCode}
      data-draft-version={view.newerDraft?.version ?? draft?.version ?? 0}
      data-text-saved={t.draftSaved('{time}')}
      data-text-saving={t.draftSaving}
      data-text-failed={t.draftFailed}
      data-text-newer={t.draftNewer}
      data-text-lease-expired={t.leaseExpired}
      data-text-preview-empty={t.previewEmpty}
      data-text-insert-link={t.insertLink}
      data-text-faq-none={t.faqNone}
      {...stateTexts()}
    >
      <Breadcrumbs items={[{ label: experts.queue.title, path: '/coda' }, { label: q.title }]} />
      <h1 class="pt-4">{q.title}</h1>
      <p>
        {t.state} <StateBadge state={q.state} id={q.id} />
      </p>
      <ul class="list-unstyled">
        <li>
          {t.theme} {themeLabel}
        </li>
        {day ? (
          <li>
            {t.day} {day.title}
          </li>
        ) : null}
        {day ? (
          <li>
            {t.deadline} <Time value={day.answerDeadline}>{formatDateTime(day.answerDeadline)}</Time>
          </li>
        ) : null}
        <li class="small">
          {t.asked(q.asker.name, organization?.name ?? '')}, <Time value={q.submittedAt}>{formatDateTime(q.submittedAt)}</Time>
        </li>
      </ul>
      {notice ? (
        <Notice kind={notice.kind}>
          <p class="mb-0">{notice.text}</p>
        </Notice>
      ) : null}
      <div data-live-changed role="status" class="alert alert-info" hidden>
        {t.changed} <a href={base}>{t.reload}</a>
      </div>

      <LeaseBox view={view} mine={mine} returned={returned} base={base} can={can} />

      <div class="row">
        <div class="col-lg-8">
          <h2 class="h3 mt-4">{t.thread}</h2>
          <ol class="list-unstyled">
            {q.messages.map((m) => (
              <li class={`card card-bg mb-3 ${m.kind === 'clarification_request' ? 'border-warning' : ''}`}>
                <div class="card-body">
                  <h3 class="h6">
                    {staff.question.kinds[m.kind] ?? m.kind} – {m.author.name}, <Time value={m.createdAt}>{formatDateTime(m.createdAt)}</Time>
                  </h3>
                  <TrustedHtml html={m.html} class="message-text" />
                </div>
              </li>
            ))}
          </ol>

          {can('answer') ? <AnswerForm view={view} base={base} answerText={answerText} /> : null}
          {can('request_clarification') ? (
            <form method="post" action={`${base}/chiarimento`} class="mt-5">
              <h2 class="h4">{t.clarification}</h2>
              <p class="small mb-5" id="chiarimento-aiuto">
                {t.clarificationHint}
              </p>
              <Field id="chiarimento" label={t.clarificationLabel}>
                {(control) => (
                  <textarea {...control} name="message" class="form-control" rows={4} required minLength={2} maxLength={10000} aria-describedby="chiarimento-aiuto">
                    {view.clarificationText ?? ''}
                  </textarea>
                )}
              </Field>
              <button type="submit" class="btn btn-outline-primary">
                {t.clarificationSend}
              </button>
            </form>
          ) : null}
          {can('mark_duplicate') || can('answer') ? <FaqSearch view={view} base={base} duplicate={can('mark_duplicate')} /> : null}
        </div>
        <aside class="col-lg-4" aria-labelledby="chi-chiede">
          <OrganizationCard organization={organization} earlier={earlier} />
        </aside>
      </div>
      <p class="mt-5">
        <a href="/coda">{t.back}</a>
      </p>
      <p class="small text-muted" data-live-status data-text-live={experts.queue.live} data-text-offline={experts.queue.offline} aria-live="polite"></p>
    </div>
  )
}

function LeaseBox({ view, mine, returned, base, can }: { view: DeskView; mine: boolean; returned: boolean; base: string; can: (a: string) => boolean }) {
  const q = view.question
  const lease = q.state === 'claimed' ? q.claim?.leaseExpiresAt : null
  return (
    <div class="my-3">
      {returned ? (
        <Notice kind="info">
          <p class="mb-0">{t.takeUp}</p>
        </Notice>
      ) : null}
      {q.state === 'awaiting_clarification' && mine ? <p>{t.awaitingYou}</p> : null}
      {!mine && q.claim ? <p data-held-by>{t.heldBy(q.claim.expert.name)}</p> : null}
      {mine && lease ? (
        <div class="card card-bg p-3" data-lease={lease}>
          <p class="fw-semibold mb-1">{t.yours}</p>
          <p class="mb-1">
            {t.leaseUntil} <Time value={lease}>{formatTime(lease)}</Time>
            <span class="ms-2" data-lease-left hidden>
              {t.leaseLeft} <span data-lease-countdown></span>
            </span>
          </p>
          <p class="text-danger mb-1" data-lease-expired hidden>
            {t.leaseExpired}
          </p>
        </div>
      ) : null}
      <div class="d-flex flex-wrap gap-2 mt-2">
        {can('claim') ? (
          <form method="post" action={`${base}/prendi`}>
            <button type="submit" class="btn btn-primary">
              {t.claim}
            </button>
          </form>
        ) : null}
        {can('renew') ? (
          <form method="post" action={`${base}/rinnova`} data-renew-form>
            <button type="submit" class="btn btn-outline-primary">
              {returned ? t.claim : t.renew}
            </button>
          </form>
        ) : null}
        {can('release') ? (
          <form method="post" action={`${base}/rilascia`}>
            <button type="submit" class="btn btn-outline-secondary" aria-describedby="rilascia-aiuto">
              {t.release}
            </button>
            <span id="rilascia-aiuto" class="visually-hidden">
              {t.releaseHint}
            </span>
          </form>
        ) : null}
      </div>
    </div>
  )
}

function AnswerForm({ view, base, answerText }: { view: DeskView; base: string; answerText: string }) {
  const version = view.newerDraft?.version ?? view.draft?.version ?? 0
  return (
    <form method="post" action={`${base}/risposta`} class="mt-4" data-answer-form>
      <h2 class="h3 mb-5">{t.answer}</h2>
      {view.newerDraft ? (
        <Notice kind="info">
          <p>{t.draftNewer}</p>
          {view.answerText !== undefined ? (
            <>
              <p class="fw-semibold mb-1">{t.yourText}</p>
              <pre class="small bg-light p-2">
                {view.answerText}
              </pre>
            </>
          ) : null}
        </Notice>
      ) : null}
      <div data-newer-draft role="alert" class="alert alert-warning" hidden>
        <p>{t.draftNewer}</p>
        <pre class="small bg-light p-2" data-newer-text></pre>
        <button type="button" class="btn btn-sm btn-outline-primary" data-use-newer>
          {t.draftNewerUse}
        </button>
      </div>
      <input type="hidden" name="draftVersion" value={String(version)} />
      <Field id="risposta" label={t.answerLabel} help={t.answerHint}>
        {(control) => (
          <textarea {...control} name="markdown" class="form-control font-monospace" rows={14} maxLength={50000}>
            {answerText}
          </textarea>
        )}
      </Field>
      <p class="small" data-draft-status aria-live="polite"></p>
      <div class="d-flex flex-wrap gap-2">
        <button type="submit" class="btn btn-primary" name="azione" value="invia">
          {t.send}
        </button>
        <button type="submit" class="btn btn-outline-primary" name="azione" value="bozza">
          {t.saveDraft}
        </button>
        <button type="submit" class="btn btn-outline-primary" name="azione" value="anteprima" data-preview-button>
          {t.preview}
        </button>
      </div>
      <section class="mt-4" aria-labelledby="anteprima" data-preview-section hidden={view.preview === undefined}>
        <h3 id="anteprima" class="h5">
          {t.previewTitle}
        </h3>
        <div class="card card-bg p-3" data-preview>
          {view.preview !== undefined ? view.preview.html ? <TrustedHtml html={view.preview.html} class="message-text" /> : <p>{t.previewEmpty}</p> : null}
        </div>
        <div data-references hidden={!view.preview?.legalReferences.some((r) => r.url)}>
          <h4 class="h6 mt-3">{t.references}</h4>
          <p class="small">{t.referencesHint}</p>
          <ul class="small" data-reference-list>
            {(view.preview?.legalReferences ?? [])
              .filter((r) => r.url)
              .map((r) => (
                <li data-link={`[${r.text}](${r.url})`} data-replace={r.text}>
                  {r.label}: <code>{`[${r.text}](${r.url})`}</code>
                </li>
              ))}
          </ul>
        </div>
      </section>
    </form>
  )
}

function FaqSearch({ view, base, duplicate }: { view: DeskView; base: string; duplicate: boolean }) {
  const results = view.faqResults
  return (
    <section class="mt-5" aria-labelledby="faq-cerca">
      <h2 id="faq-cerca" class={duplicate ? "h4" : "h4 mb-5"}>
        {duplicate ? t.duplicate : t.faqSearch}
      </h2>
      {duplicate ? <p class="small mb-5">{t.duplicateHint}</p> : null}
      <form method="get" action={base} class="d-flex gap-2 align-items-end mb-3" role="search" data-faq-search>
        <Field id="faq" label={t.faqSearch} class="mb-0 flex-grow-1">
          {(control) => <input type="search" {...control} name="faq" class="form-control" value={view.faqQuery ?? ''} maxLength={200} />}
        </Field>
        <button type="submit" class="btn btn-outline-primary">
          {t.faqSearchButton}
        </button>
      </form>
      <form method="post" action={`${base}/duplicato`} data-duplicate-form>
        <fieldset data-faq-results hidden={results === undefined}>
          <legend class="h6">{t.faqResults}</legend>
          {results && results.length === 0 ? <p>{t.faqNone}</p> : null}
          <ul class="list-unstyled" data-faq-list>
            {(results ?? []).map((faq, i) => (
              <li class="mb-3" data-link={`[${faq.title}](${faqPath(faq.slug)})`}>
                {duplicate ? (
                  <div class="form-check">
                    <input class="form-check-input" type="radio" name="faq" id={`faq-${i}`} value={faq.slug} />
                    <label class="form-check-label" for={`faq-${i}`}>
                      {faq.title}
                    </label>
                  </div>
                ) : (
                  <p class="mb-1">{faq.title}</p>
                )}
                <p class="small mb-0">
                  <a href={faqPath(faq.slug)} target="_blank" rel="noopener">
                    {faq.title}
                  </a>{' '}
                  – {t.linkCode} <code>{`[${faq.title}](${faqPath(faq.slug)})`}</code>
                </p>
              </li>
            ))}
          </ul>
          {duplicate ? (
            <button type="submit" class="btn btn-outline-danger">
              {t.duplicateSend}
            </button>
          ) : null}
        </fieldset>
      </form>
    </section>
  )
}

function OrganizationCard({ organization, earlier }: { organization: DeskView['organization']; earlier: DeskView['earlier'] }) {
  return (
    <div class="card card-bg p-3 mt-4">
      <h2 id="chi-chiede" class="h4">
        {t.organization}
      </h2>
      {organization ? (
        <ul class="list-unstyled">
          <li class="fw-semibold">{organization.name}</li>
          <li>{t.kinds[organization.kind] ?? organization.kind}</li>
          {organization.region ? (
            <li>
              {t.region} {organization.region}
            </li>
          ) : null}
          {organization.population !== null ? (
            <li>
              {t.population} {formatNumber(organization.population)}
            </li>
          ) : null}
        </ul>
      ) : null}
      <h3 class="h6 mt-3">{t.earlier}</h3>
      {earlier.length === 0 ? (
        <p class="small">{t.earlierNone}</p>
      ) : (
        <ul class="small ps-3">
          {earlier.map((e) => (
            <li class="mb-2">
              {e.title} – {staff.questions.states[e.state] ?? e.state}
              {e.duplicateOfFaq ? (
                <>
                  {' '}
                  – {t.pointedTo}: <a href={faqPath(e.duplicateOfFaq)}>{e.duplicateOfFaq}</a>
                </>
              ) : null}
              {e.faq ? (
                <>
                  {' '}
                  – {t.becameFaq}: <a href={faqPath(e.faq.slug)}>{e.faq.title}</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
