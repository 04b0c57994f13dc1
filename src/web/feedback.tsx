import type { FastifyRequest } from 'fastify'
import type { ComponentChildren } from 'preact'
import { italianDetail } from '../i18n/problems.js'
import { DomainError } from '../shared/errors.js'

/**
 * A service's refusal in the words of the problem catalogue, for a form shown again with it.
 * Anything that is not a DomainError is not the person's to fix: it goes on to the error page.
 */
export function problemMessage(err: unknown, request: FastifyRequest): { status: number; text: string; code: string; extra: Record<string, unknown> } {
  if (!(err instanceof DomainError)) throw err
  const extra = err.extra ?? {}
  const text = italianDetail(err.code, extra, { id: request.id, method: request.method, path: request.url.split('?')[0] ?? '/' }) ?? err.message
  return { status: err.status, text, code: err.code, extra }
}

/** A message above a form: errors are announced at once (role=alert), confirmations politely. */
export function Notice({ kind, title, children }: { kind: 'error' | 'success' | 'info'; title?: string; children: ComponentChildren }) {
  const cls = kind === 'error' ? 'alert-danger' : kind === 'success' ? 'alert-success' : 'alert-info'
  return (
    <div class={`alert ${cls} my-3`} role={kind === 'error' ? 'alert' : 'status'}>
      {title ? <p class="fw-semibold mb-1">{title}</p> : null}
      {children}
    </div>
  )
}
