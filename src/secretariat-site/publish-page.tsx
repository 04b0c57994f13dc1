import type { PrivacyFinding } from '../knowledge-base/schemas.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import { secretariat } from '../i18n/secretariat.js'
import { Breadcrumbs, ExternalLink } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { describedBy, ErrorLine, ErrorSummary, Field } from '../web/forms.js'
import { findingKey, type PublishFields } from './publish-form.js'

const t = secretariat.publish

/** The service names the override `privacyOverride`; the page shows it as its reason's textarea. */
export const PUBLISH_ANCHORS = { privacyOverride: 'overrideReason' }

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

function PrivacySection({ fields, findings, error }: { fields: PublishFields; findings: PrivacyFinding[]; error: string | undefined }) {
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
                    <Field id={`replacement-${key}`} label={t.privacy.replaceWith} class="mb-0 flex-grow-1">
                      {(control) => <input type="text" {...control} name={`replacement-${key}`} class="form-control" value={t.privacy.suggestions[f.kind] ?? ''} maxLength={200} />}
                    </Field>
                    <button type="submit" name="intent" value={`fix:${key}`} class="btn btn-outline-primary" formnovalidate aria-label={t.privacy.replaceLabel(i + 1)}>
                      {t.privacy.replace}
                    </button>
                  </div>
                </li>
              )
            })}
          </ol>
          <Field id="overrideReason" label={t.privacy.override} help={t.privacy.overrideHelp} error={error} class="mt-3">
            {(control) => (
              <textarea {...control} name="overrideReason" class="form-control" rows={2} maxLength={2000}>
                {fields.overrideReason}
              </textarea>
            )}
          </Field>
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
  return (
    <>
      <Field
        id="title"
        label={t.fields.title}
        help={
          <>
            {t.fields.titleHelp} {t.slug} <code>/domande-e-risposte/{slug}</code>
          </>
        }
        error={fieldErrors.title}
      >
        {(control) => <input type="text" {...control} name="title" class="form-control" required minLength={10} maxLength={300} value={fields.title} />}
      </Field>
      <Field id="question" label={t.fields.question} help={t.fields.questionHelp} error={fieldErrors.question}>
        {(control) => (
          <textarea {...control} name="question" class="form-control" rows={6} required>
            {fields.question}
          </textarea>
        )}
      </Field>
      <Field id="answer" label={t.fields.answer} help={t.fields.answerHelp} error={fieldErrors.answer}>
        {(control) => (
          <textarea {...control} name="answer" class="form-control" rows={12} required>
            {fields.answer}
          </textarea>
        )}
      </Field>
      <Field id="theme" label={t.fields.theme} help={t.fields.themeHelp} error={fieldErrors.theme} select>
        {(control) => (
          <select {...control} name="theme" required>
            {themes.map((th) => (
              <option value={th.code} selected={fields.theme === th.code}>
                {th.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="tags" label={t.fields.tags} help={t.fields.tagsHelp} error={fieldErrors.tags}>
        {(control) => <input type="text" {...control} name="tags" class="form-control" value={fields.tags} maxLength={1300} />}
      </Field>
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
        <Field id="scopeRegion" label={t.fields.scopeRegion} help={t.fields.scopeRegionHelp} error={fieldErrors.scopeRegion} class="col-md-6">
          {(control) => <input type="text" {...control} name="scopeRegion" class="form-control" value={fields.scopeRegion} maxLength={60} />}
        </Field>
        <Field id="reviewBy" label={t.fields.reviewBy} error={fieldErrors.reviewBy} class="col-md-6">
          {(control) => <input {...control} name="reviewBy" type="date" class="form-control" value={fields.reviewBy} />}
        </Field>
      </div>
    </>
  )
}

/** "Check again", the privacy findings with their replacements, the legal references and the checklist. */
export function ReviewParts({ fields, preview, fieldErrors }: { fields: PublishFields; preview: PublicationPreview; fieldErrors: Record<string, string> }) {
  return (
    <>
      <button type="submit" name="intent" value="check" class="btn btn-outline-primary" formnovalidate>
        {t.check}
      </button>
      <PrivacySection fields={fields} findings={preview.findings} error={fieldErrors.privacyOverride} />
      <LegalSection references={preview.legalReferences} />
      <fieldset class="mt-5" id="checklist" aria-describedby={describedBy(fieldErrors.checklist && 'checklist-error')}>
        <legend class="h4">{t.checklist.title}</legend>
        {preview.checklist.map((item) => (
          <div class="form-check">
            <input id={`checklist-${item.id}`} name={`checklist-${item.id}`} type="checkbox" value="1" checked={fields.checklist.includes(item.id)} />
            <label for={`checklist-${item.id}`}>{item.label}</label>
          </div>
        ))}
        <ErrorLine id="checklist-error" error={fieldErrors.checklist} />
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
          <ErrorSummary error={error} fieldErrors={fieldErrors} title={t.invalid} anchors={PUBLISH_ANCHORS} />
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
