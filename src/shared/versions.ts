import { DomainError } from './errors.js'

/**
 * The conditional-request rule of every versioned resource (editions, forum days, questions,
 * answer drafts, FAQs): a change names the version it was made on (If-Match), 428 when it does
 * not, 412 STALE_VERSION when that version is no longer current. Services apply it after their
 * authorization checks, so a caller without the right learns nothing about versions.
 */

/** Versions are PostgreSQL integers. */
export const MAX_VERSION = 2_147_483_647

/** `current`, when known, goes into the 428 so a client can tell its user what changed. */
export function requireVersion(expected: number | undefined, current?: number): number {
  if (expected === undefined) {
    throw new DomainError(
      'PRECONDITION_REQUIRED',
      428,
      'Send If-Match with the ETag of the version you edited, so no edit is silently lost',
      current === undefined ? undefined : { currentVersion: current },
    )
  }
  return expected
}

export function staleVersion(current: number): DomainError {
  return new DomainError('STALE_VERSION', 412, `Changed by someone else since you read it (now at version ${current}); reload and retry`, {
    currentVersion: current,
  })
}

/** Requires a version and checks it against the current one. */
export function checkVersion(current: number, expected: number | undefined): number {
  const version = requireVersion(expected, current)
  if (version !== current) throw staleVersion(current)
  return version
}
