import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { Problem } from './problem.js'
import { MAX_VERSION } from './versions.js'

/**
 * Route pieces every module shares: id params, the If-Match header and its parsing, the ETag of
 * a versioned resource, the problem responses and the OpenAPI security declaration. The rule they
 * serve (428 without If-Match, 412 STALE_VERSION when stale) lives in `versions.ts`, applied by
 * the services after their authorization checks.
 */

export const IdParams = z.object({ id: z.uuid() })

/** `"3"`, `W/"3"` or `3`, with a version PostgreSQL's integer can hold. */
const ETAG = /^(?:W\/)?"?(\d{1,10})"?$/

/** The version an If-Match header names, or undefined when there is none (or it is not one of ours). */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  const match = header === undefined ? null : ETAG.exec(header.trim())
  if (!match) return undefined
  const version = Number(match[1])
  return version <= MAX_VERSION ? version : undefined
}

export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .refine((value) => versionFromIfMatch(value) !== undefined, 'If-Match must be the ETag of a version, e.g. "3"')
    .optional()
    .describe('The ETag of the version being changed (from GET), e.g. "3". Required: 428 without it, 412 STALE_VERSION when stale'),
})

/** The ETag of a versioned resource, as GET sends it and If-Match sends it back. */
export const withEtag = (reply: FastifyReply, resource: { version: number }): FastifyReply => reply.header('etag', `"${resource.version}"`)

/**
 * Sends JSON made beforehand (and checked against the route's response schema when it was made):
 * Fastify sends a string with a JSON content type as it is, without serializing it again.
 */
export const sendJsonText = (reply: FastifyReply, json: string): FastifyReply => reply.type('application/json; charset=utf-8').send(json)

/** OpenAPI: the route needs a session, as a Bearer token or the session cookie. */
export const SESSION_SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }]

/** The problems any signed-in route can answer: bad input, no session, wrong role, no such thing. */
export const SIGNED_IN_PROBLEMS = { 400: Problem, 401: Problem, 403: Problem, 404: Problem } as const

/** What a conditional change adds: 412 when stale, 428 without If-Match. */
export const CONDITIONAL_PROBLEMS = { 412: Problem, 428: Problem } as const
