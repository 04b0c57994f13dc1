import { formatDateTime } from '../i18n/format.js'
import { staff } from '../i18n/staff.js'
import type { QuestionDetailDto, QuestionDto } from '../questions/schemas.js'
import { Breadcrumbs, Time, TrustedHtml } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { Field } from '../web/forms.js'
import { QuestionsTable, StateBadge, stateTexts } from './forum-pages.js'

export function MyQuestionsPage({ organizationId, questions, themeLabel }: { organizationId: string; questions: QuestionDto[]; themeLabel: (code: string) => string }) {
  const awaiting = questions.filter((q) => q.state === 'awaiting_clarification').length
  return (
    <div class="container pb-5" data-live-organization={organizationId} {...stateTexts()}>
      <Breadcrumbs items={[{ label: staff.questions.title }]} />
      <h1 class="pt-4">{staff.questions.title}</h1>
      <p class="lead">{staff.questions.lead}</p>
      {awaiting > 0 ? (
        <Notice kind="info">
          <p class="mb-0">{staff.questions.awaiting(awaiting)}</p>
        </Notice>
      ) : null}
      {questions.length === 0 ? (
        <p>{staff.questions.none}</p>
      ) : (
        <>
          <p>{staff.questions.count(questions.length)}</p>
          <QuestionsTable caption={staff.questions.title} questions={questions} themeLabel={themeLabel} />
        </>
      )}
      <p class="small text-muted" data-live-status data-text-live={staff.questions.live} data-text-offline={staff.questions.offline} aria-live="polite"></p>
    </div>
  )
}

export interface QuestionView {
  question: QuestionDetailDto
  themeLabel: string
  faq: { slug: string; title: string } | undefined
  canReply: boolean
  /** Only the person who asked may withdraw. */
  isAsker: boolean
  error?: string
  reply?: string
  /** Just sent from the ask form: the browser's local draft can go. */
  justSent?: boolean
}

/** One question: the thread (messages rendered by the safe Markdown renderer) and what the clerk may do (the lifecycle's `actions`). */
export function QuestionPage({ question: q, themeLabel, faq, canReply, isAsker, error, reply, justSent }: QuestionView) {
  const base = `/le-mie-domande/${q.id}`
  const faqSlug = faq?.slug ?? q.duplicateOfFaq ?? undefined
  return (
    <div class="container pb-5" data-live-question={q.id} data-clear-draft={justSent ? '' : undefined} data-text-changed={staff.questions.changed} {...stateTexts()}>
      <Breadcrumbs items={[{ label: staff.questions.title, path: '/le-mie-domande' }, { label: q.title }]} />
      <h1 class="pt-4">{q.title}</h1>
      <p>
        {staff.question.state} <StateBadge state={q.state} id={q.id} />{' '}
        <span class="badge bg-danger" data-needs-you={q.id} hidden={q.state !== 'awaiting_clarification'}>
          {staff.questions.needsYou}
        </span>
      </p>
      <p>
        {staff.question.theme} {themeLabel}
      </p>
      <p class="small">{staff.question.askedBy(q.asker.name, formatDateTime(q.submittedAt))}</p>
      <div data-live-changed role="status" class="alert alert-info" hidden>
        {staff.questions.changed} <a href={base}>{staff.questions.reload}</a>
      </div>
      {error ? (
        <Notice kind="error">
          <p class="mb-0">{error}</p>
        </Notice>
      ) : null}
      {q.state === 'rejected' && q.rejectionReason ? (
        <Notice kind="info">
          <p class="mb-0">{staff.question.rejected(q.rejectionReason)}</p>
        </Notice>
      ) : null}
      {faqSlug ? (
        <Notice kind="success">
          <p class="mb-0">
            {staff.question.faqPublished} <a href={`/domande-e-risposte/${encodeURIComponent(faqSlug)}`}>{faq ? `${staff.question.faq}: ${faq.title}` : staff.question.faq}</a>
          </p>
        </Notice>
      ) : null}
      <h2 class="h3 mt-4">{staff.question.thread}</h2>
      <ol class="list-unstyled" data-thread aria-live="polite">
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
      {q.answer?.late ? <p class="small">{staff.question.late}</p> : null}
      {canReply && q.actions.includes('reply') ? (
        <form method="post" action={`${base}/chiarimento`} class="mt-4">
          <h2 class="h4">{staff.question.reply}</h2>
          <Field id="reply" label={staff.question.replyLabel}>
            {(control) => (
              <textarea {...control} name="message" class="form-control" rows={6} required minLength={2} maxLength={10000}>
                {reply ?? ''}
              </textarea>
            )}
          </Field>
          <button type="submit" class="btn btn-primary">
            {staff.question.replySubmit}
          </button>
        </form>
      ) : null}
      {isAsker && q.actions.includes('withdraw') ? (
        <form method="post" action={`${base}/ritira`} class="mt-4">
          <p>{staff.question.withdrawHint}</p>
          <button type="submit" class="btn btn-outline-danger">
            {staff.question.withdraw}
          </button>
        </form>
      ) : null}
      {canReply && q.actions.includes('close') ? (
        <form method="post" action={`${base}/chiudi`} class="mt-4">
          <p>{staff.question.closeHint}</p>
          <button type="submit" class="btn btn-outline-primary">
            {staff.question.close}
          </button>
        </form>
      ) : null}
      <p class="mt-5">
        <a href="/le-mie-domande">{staff.question.back}</a>
      </p>
      <p class="small text-muted" data-live-status data-text-live={staff.questions.live} data-text-offline={staff.questions.offline} aria-live="polite"></p>
    </div>
  )
}
