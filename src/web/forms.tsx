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
  const errorId = `${id}-error`
  const description = describedBy(helpId, error && errorId)
  const control: ControlAttributes = { id, ...(description ? { 'aria-describedby': description } : {}), ...(error ? { 'aria-invalid': 'true' as const } : {}) }
  const group = [select ? 'select-wrapper form-group' : 'form-group', extra].filter(Boolean).join(' ')
  return (
    <div class={group}>
      {/* "active": the label stays above its field (site.css), where Bootstrap Italia would float it over an empty one. */}
      <label for={id} class={select ? undefined : 'active'}>
        {label}
      </label>
      {renderControl(control)}
      {help ? (
        <small id={helpId} class="form-text">
          {help}
        </small>
      ) : null}
      <ErrorLine id={errorId} error={error} />
    </div>
  )
}

/** The ids a control is described by (its help line, its error line), for `aria-describedby`. */
export function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined
}

/** A field's or a group's error, read with it through `aria-describedby`. */
export function ErrorLine({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <div id={id} class="text-danger small">
      {error}
    </div>
  ) : null
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
