import { Notice } from '../web/feedback.js'

/** `aria-invalid` and the error line of a form field, from a map of field -> message. */
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

/** Above a form sent back: what went wrong, each field error a link to its field. */
export function ErrorSummary({ error, fieldErrors, title }: { error?: string; fieldErrors: Record<string, string>; title: string }) {
  const entries = Object.entries(fieldErrors)
  if (!error && entries.length === 0) return null
  return (
    <Notice kind="error" title={title}>
      {error ? <p class="mb-0">{error}</p> : null}
      {entries.length > 0 ? (
        <ul class="mb-0">
          {entries.map(([field, text]) => (
            <li>
              <a href={`#${field}`}>{text}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  )
}
