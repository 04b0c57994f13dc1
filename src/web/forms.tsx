import type { ComponentChildren, VNode } from 'preact'
import { Notice } from './feedback.js'

/** What a field's control must carry to be tied to its label, help line and error. */
export interface ControlAttributes {
  id: string
  'aria-describedby'?: string
  'aria-invalid'?: 'true'
}

/**
 * One labelled field in Bootstrap Italia's markup: the label, the control, its help line and its
 * error. The control is the page's own (input, textarea or select, with its name, value and
 * limits); it gets `control`, which names its help and error for screen readers.
 */
export function Field({
  id,
  label,
  help,
  error,
  select = false,
  class: extra,
  children: renderControl,
}: {
  id: string
  label: ComponentChildren
  help?: ComponentChildren
  error?: string | undefined
  /** A select: Bootstrap Italia's wrapper draws its arrow, and its label never floats. */
  select?: boolean
  class?: string
  children: (control: ControlAttributes) => VNode
}) {
  const helpId = help ? `${id}-help` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [helpId, errorId].filter(Boolean).join(' ')
  const control: ControlAttributes = { id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': 'true' as const } : {}) }
  const group = [select ? 'select-wrapper form-group' : 'form-group', extra].filter(Boolean).join(' ')
  return (
    <div class={group}>
      {/* Bootstrap Italia floats a label over an empty input unless it is "active". */}
      <label for={id} class={select ? undefined : 'active'}>
        {label}
      </label>
      {renderControl(control)}
      {help ? (
        <small id={helpId} class="form-text">
          {help}
        </small>
      ) : null}
      {error ? (
        <div id={errorId} class="text-danger small">
          {error}
        </div>
      ) : null}
    </div>
  )
}

/**
 * `aria-invalid` and the error line of a group that is not one `Field`: a fieldset of boxes, a
 * date and a time.
 */
export function fieldHelpers(fieldErrors: Record<string, string>) {
  const invalid = (field: string) => (fieldErrors[field] ? { 'aria-invalid': 'true' as const, 'aria-errormessage': `${field}-error` } : {})
  const fieldError = (field: string) =>
    fieldErrors[field] ? (
      <div id={`${field}-error`} class="text-danger small">
        {fieldErrors[field]}
      </div>
    ) : null
  return { invalid, fieldError }
}

/**
 * Above a form sent back: what went wrong, each field error a link to its field. Errors are named
 * as the service names its inputs; `anchors` says which element shows a field whose id differs.
 */
export function ErrorSummary({ error, fieldErrors, title, anchors = {} }: { error?: string | undefined; fieldErrors: Record<string, string>; title: string; anchors?: Record<string, string> }) {
  const entries = Object.entries(fieldErrors)
  if (!error && entries.length === 0) return null
  return (
    <Notice kind="error" title={title}>
      {error ? <p class="mb-0">{error}</p> : null}
      {entries.length > 0 ? (
        <ul class="mb-0">
          {entries.map(([field, text]) => (
            <li>
              <a href={`#${anchors[field] ?? field}`}>{text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  )
}
