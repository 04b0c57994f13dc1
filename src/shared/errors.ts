/**
 * A failure the caller can act on. Services throw these; the error plugin turns them into
 * RFC 9457 problem+json. `code` is stable and documented; `detail` is for people.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    detail: string,
    /** Extra members of the problem document (e.g. the forum day's window, the current state). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail)
    this.name = 'DomainError'
  }
}

export const notFound = (what: string, code = 'NOT_FOUND') => new DomainError(code, 404, `${what} not found`)
export const forbidden = (detail: string, code = 'FORBIDDEN') => new DomainError(code, 403, detail)
export const unauthenticated = (detail = 'Sign in to do this') => new DomainError('UNAUTHENTICATED', 401, detail)
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new DomainError(code, 409, detail, extra)
