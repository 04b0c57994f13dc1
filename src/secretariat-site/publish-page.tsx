import type { PrivacyFinding } from '../knowledge-base/schemas.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import { secretariat } from '../i18n/secretariat.js'
import { Breadcrumbs, ExternalLink } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { ErrorSummary, fieldHelpers } from './form-parts.js'
import { findingKey, type PublishFields } from './publish-form.js'

const t = secretariat.publish

export type PublicationPreview = Awaited<ReturnType<KnowledgeBaseService['previewPublication']>>

export interface PublishView {
  questionId: string
  questionTitle: string
  fields: PublishFields
  preview: PublicationPreview
  themes: Array<{ code: string; label: string }>
  fieldErrors?: Record<string, string>
  error?: string
  info?: string
}

/**
 * A field's text with its findings marked where they are; each mark says, to a screen reader
 * too, which finding it is, and links to the control that replaces it.
 */
function MarkedText({ value, findings, numberOf }: { value: string; findings: PrivacyFinding[]; numberOf: (f: PrivacyFinding) => number }) {
  const parts: Array<string | PrivacyFinding> = []
  let at = 0
  for (const f of findings) {
    // Overlapping findings: the first one marks the text; the other keeps its own control below.
    if (f.start < at) continue
    parts.push(value.slice(at, f.start), f)
    at = f.end
  }
  parts.push(value.slice(at))
  return (
    <div class="marked-text border rounded p-3 mb-3 bg-light">
      {parts.map((part) =>
        typeof part === 'string' ? (
          part
        ) : (
          <a href={`#fix-${findingKey(part)}`} class="text-decoration-none text-reset">
            <mark>
              <span class="visually-hidden">{t.privacy.markStart(numberOf(part), part.message)}</span>
              {value.slice(part.start, part.end)}
            </mark>
            <sup aria-hidden="true">{numberOf(part)}</sup>
          </a>
        ),
      )}
    </div>
  )
}

function PrivacySection({ fields, findings }: { fields: PublishFields; findings: PrivacyFinding[] }) {
  const numberOf = (f: PrivacyFinding) => findings.indexOf(f) + 1
  return (
    <section aria-labelledby="privacy-title" class="mt-5">
      <h2 id="privacy-title" class="h4">
        {t.privacy.title}
      </h2>
      {findings.length === 0 ? (
        <Notice kind="success">
          <p class="mb-0">{t.privacy.none}</p>
        </Notice>
      ) : (
        <>
          <Notice kind="info">
            <p class="mb-0">{t.privacy.found(findings.length)}</p>
          </Notice>
          {(['title', 'question', 'answer'] as const).map((field) => {
            const inField = findings.filter((f) => f.field === field)
            if (inField.length === 0) return null
            return (
              <>
                <h3 class="h6">{t.privacy.fieldNames[field]}</h3>
                <MarkedText value={fields[field]} findings={inField} numberOf={numberOf} />
              </>
            )
          })}
          <ol class="list-unstyled">
            {findings.map((f, i) => {
              const key = findingKey(f)
              return (
                <li class="border-bottom py-3" id={`fix-${key}`}>
                  <p class="mb-2">
                    <strong>
                      {i + 1}. {f.message}
                    </strong>{' '}
                    {t.privacy.inField[f.field]}: «<mark>{f.text}</mark>»
                  </p>
                  <div class="d-flex flex-wrap align-items-end gap-2">
                    <div class="form-group mb-0 flex-grow-1">
                      <label for={`replacement-${key}`} class="active">
                        {t.privacy.replaceWith}
                      </label>
                      <input type="text" id={`replacement-${key}`} name={`replacement-${key}`} class="form-control" value={t.privacy.suggestions[f.kind] ?? ''} maxLength={200} />
                    </div>
                    <button type="submit" name="intent" value={`fix:${key}`} class="btn btn-outline-primary" formnovalidate aria-label={t.privacy.replaceLabel(i + 1)}>
                      {t.privacy.replace}
                    </button>
                  </div>
                </li>
              )
            })}
          </ol>
          <div class="form-group mt-3">
            <label for="overrideReason" class="active">
              {t.privacy.override}
            </label>
            <textarea id="overrideReason" name="overrideReason" class="form-control" rows={2} maxLength={2000} aria-describedby="overrideReason-help">
              {fields.overrideReason}
            </textarea>
            <small id="overrideReason-help" class="form-text">
              {t.privacy.overrideHelp}
            </small>
          </div>
        </>
      )}
    </section>
  )
}

function LegalSection({ references }: { references: PublicationPreview['legalReferences'] }) {
  return (
    <section aria-labelledby="legal-title" class="mt-5">
      <h2 id="legal-title" class="h4">
        {t.legal.title}
      </h2>
      {references.length === 0 ? (
        <p>{t.legal.none}</p>
      ) : (
        <ul>
          {references.map((ref) => (
            <li>
              <strong>{ref.key}</strong>
              {ref.article ? `, art. ${ref.article}` : ''}
              {ref.label !== ref.key ? ` – ${ref.label}` : ''} <span class="text-secondary">(«{ref.text}»)</span>
              {ref.links.inForce ? (
                <>
                  {' '}
                  <ExternalLink href={ref.links.inForce}>{t.legal.inForce}</ExternalLink>
                </>
              ) : null}
              {ref.links.eurLex ? (
                <>
                  {' '}
                  <ExternalLink href={ref.links.eurLex}>{t.legal.eurLex}</ExternalLink>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** The FAQ's content fields, shared by publishing and editing. */
export function ContentFields({ fields, themes, slug, fieldErrors }: { fields: PublishFields; themes: Array<{ code: string; label: string }>; slug: string; fieldErrors: Record<string, string> }) {
  const { invalid, fieldError } = fieldHelpers(fieldErrors)
  return (
    <>
      <div class="form-group">
        <label for="title" class="active">
          {t.fields.title}
        </label>
        <input type="text" id="title" name="title" class="form-control" required minLength={10} maxLength={300} value={fields.title} aria-describedby="title-help" {...invalid('title')} />
        <small id="title-help" class="form-text">
          {t.fields.titleHelp} {t.slug} <code>/domande-e-risposte/{slug}</code>
        </small>
        {fieldError('title')}
      </div>
      <div class="form-group">
        <label for="question" class="active">
          {t.fields.question}
        </label>
        <textarea id="question" name="question" class="form-control" rows={6} required aria-describedby="question-help" {...invalid('question')}>
          {fields.question}
        </textarea>
        <small id="question-help" class="form-text">
          {t.fields.questionHelp}
        </small>
        {fieldError('question')}
      </div>
      <div class="form-group">
        <label for="answer" class="active">
          {t.fields.answer}
        </label>
        <textarea id="answer" name="answer" class="form-control" rows={12} required aria-describedby="answer-help" {...invalid('answer')}>
          {fields.answer}
        </textarea>
        <small id="answer-help" class="form-text">
          {t.fields.answerHelp}
        </small>
        {fieldError('answer')}
      </div>
      <div class="select-wrapper form-group">
        <label for="theme">{t.fields.theme}</label>
        <select id="theme" name="theme" required aria-describedby="theme-help" {...invalid('theme')}>
          {themes.map((th) => (
            <option value={th.code} selected={fields.theme === th.code}>
              {th.label}
            </option>
          ))}
        </select>
        <small id="theme-help" class="form-text">
          {t.fields.themeHelp}
        </small>
        {fieldError('theme')}
      </div>
      <div class="form-group">
        <label for="tags" class="active">
          {t.fields.tags}
        </label>
        <input type="text" id="tags" name="tags" class="form-control" value={fields.tags} maxLength={1300} aria-describedby="tags-help" {...invalid('tags')} />
        <small id="tags-help" class="form-text">
          {t.fields.tagsHelp}
        </small>
        {fieldError('tags')}
      </div>
      <fieldset class="mb-4">
        <legend class="h6">{t.fields.visibility}</legend>
        <div class="form-check">
          <input id="visibility-public" name="visibility" type="radio" value="public" checked={fields.visibility === 'public'} />
          <label for="visibility-public">{t.fields.public}</label>
        </div>
        <div class="form-check">
          <input id="visibility-reserved" name="visibility" type="radio" value="reserved" checked={fields.visibility === 'reserved'} />
          <label for="visibility-reserved">{t.fields.reserved}</label>
        </div>
      </fieldset>
      <div class="row">
        <div class="form-group col-md-6">
          <label for="scopeRegion" class="active">
            {t.fields.scopeRegion}
          </label>
          <input type="text" id="scopeRegion" name="scopeRegion" class="form-control" value={fields.scopeRegion} maxLength={60} aria-describedby="scopeRegion-help" {...invalid('scopeRegion')} />
          <small id="scopeRegion-help" class="form-text">
            {t.fields.scopeRegionHelp}
          </small>
          {fieldError('scopeRegion')}
        </div>
        <div class="form-group col-md-6">
          <label for="reviewBy" class="active">
            {t.fields.reviewBy}
          </label>
          <input id="reviewBy" name="reviewBy" type="date" class="form-control" value={fields.reviewBy} {...invalid('reviewBy')} />
          {fieldError('reviewBy')}
        </div>
      </div>
    </>
  )
}

/** "Check again", the privacy findings with their replacements, the legal references and the checklist. */
export function ReviewParts({ fields, preview, fieldErrors }: { fields: PublishFields; preview: PublicationPreview; fieldErrors: Record<string, string> }) {
  const { fieldError } = fieldHelpers(fieldErrors)
  return (
    <>
      <button type="submit" name="intent" value="check" class="btn btn-outline-primary" formnovalidate>
        {t.check}
      </button>
      <PrivacySection fields={fields} findings={preview.findings} />
      {fieldError('privacyOverride')}
      <LegalSection references={preview.legalReferences} />
      <fieldset class="mt-5" id="checklist" {...(fieldErrors.checklist ? { 'aria-describedby': 'checklist-error' } : {})}>
        <legend class="h4">{t.checklist.title}</legend>
        {preview.checklist.map((item) => (
          <div class="form-check">
            <input id={`checklist-${item.id}`} name={`checklist-${item.id}`} type="checkbox" value="1" checked={fields.checklist.includes(item.id)} />
            <label for={`checklist-${item.id}`}>{item.label}</label>
          </div>
        ))}
        {fieldError('checklist')}
      </fieldset>
    </>
  )
}

/** Publish as an FAQ: one plain form; "check" and each "replace" post it back and show it again. */
export function PublishPage({ questionId, questionTitle, fields, preview, themes, fieldErrors = {}, error, info }: PublishView) {
  const action = `/segreteria/domande/${questionId}/faq`
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: secretariat.overview.title, path: '/segreteria' }, { label: t.title }]} />
      <div class="row">
        <div class="col-lg-9 pt-4">
          <h1>{t.title}</h1>
          <p class="lead">{t.lead}</p>
          <p>
            {t.from} <a href={`/segreteria/domande/${questionId}`}>{questionTitle}</a>
          </p>
          {info ? (
            <Notice kind="success">
              <p class="mb-0">{info}</p>
            </Notice>
          ) : null}
          <ErrorSummary error={error} fieldErrors={fieldErrors} title={t.invalid} />
          <form method="post" action={action} class="mt-4">
            <ContentFields fields={fields} themes={themes} slug={preview.slug} fieldErrors={fieldErrors} />
            <ReviewParts fields={fields} preview={preview} fieldErrors={fieldErrors} />
            <button type="submit" name="intent" value="publish" class="btn btn-primary mt-4">
              {t.submit}
            </button>
          </form>
        </div>
      </div>
    </div>
  )
}
