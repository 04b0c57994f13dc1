import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { italianDetail, italianIssue, problemTitle } from '../i18n/problems.js'
import { localeOf } from '../i18n/locale.js'
import { createDatabaseAvailability, DATABASE_RETRY_AFTER_SECONDS, type DatabaseAvailability } from '../db/unavailable.js'
import { DomainError } from '../shared/errors.js'
import { PROBLEM_CONTENT_TYPE, problemType, type Problem } from '../shared/problem.js'

/** Fastify's own client errors, given codes of ours so clients never see framework internals. */
const FRAMEWORK_CODES: Record<string, { code: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', title: 'Request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_BODY', title: 'Malformed request body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_BODY', title: 'Malformed request body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'MALFORMED_BODY', title: 'Malformed request body' },
}

/**
 * Writes an RFC 9457 problem. `detail` is the English text; the caller reads the Italian one from
 * the message catalogue (by `code`, with `extra`) unless Accept-Language prefers English.
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  const locale = localeOf(request)
  // The standard members win over the extra ones. Object.assign rather than a spread followed by
  // properties: on Node 20 each property written after a spread costs about a microsecond.
  const body: Problem = Object.assign({}, extra, {
    type: problemType(code),
    title: problemTitle(status, locale),
    status,
    detail: locale === 'en' ? detail : (italianDetail(code, extra, { id: request.id, method: request.method, path: request.url.split('?')[0] ?? '/' }) ?? detail),
    code,
    instance: request.url,
    requestId: request.id,
  })
  return reply.status(status).type(PROBLEM_CONTENT_TYPE).header('content-language', locale).send(body)
}

/** The name and message of what caused a failure, for one log line. */
function causeOf(error: Error): string | undefined {
  const cause = error.cause
  return cause instanceof Error ? `${cause.name}: ${cause.message}`.slice(0, 300) : undefined
}

export interface ErrorsOptions {
  /** Told of every connection-level database failure; it logs an outage once, not per request. */
  databaseAvailability?: DatabaseAvailability
}

function errorsPlugin(app: FastifyInstance, options: ErrorsOptions): void {
  const availability = options.databaseAvailability ?? createDatabaseAvailability(app.log)
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      // A dependency that failed (the search engine): one warn line per request, without a stack,
      // so an outage is visible in the log without flooding it. 4xx are the caller's, not logged.
      if (error.status >= 500) request.log.warn({ code: error.code, cause: causeOf(error) }, 'dependency unavailable')
      return sendProblem(request, reply, error.status, error.code, error.message, error.extra)
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body'
      const italian = localeOf(request) === 'it'
      const errors = error.validation.map((issue) => ({
        field: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: (italian ? italianIssue(issue.keyword, issue.params) : undefined) ?? issue.message ?? 'invalid value',
        code: issue.keyword,
      }))
      const fields = [...new Set(errors.map((e) => e.field))].join(', ')
      return sendProblem(request, reply, 400, 'VALIDATION_FAILED', `Invalid request: check ${fields}`, { errors })
    }
    const framework = FRAMEWORK_CODES[error.code]
    if (framework) {
      return sendProblem(request, reply, error.statusCode ?? 400, framework.code, error.message)
    }
    if (error.statusCode === 429) {
      return sendProblem(request, reply, 429, 'RATE_LIMITED', 'Too many requests: wait before trying again')
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return sendProblem(request, reply, status, 'BAD_REQUEST', error.message)
    }
    if (availability.report(error)) {
      // An outage, not a bug: the client retries, the log has one line for the whole outage.
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
      return sendProblem(request, reply, 503, 'DATABASE_UNAVAILABLE', 'The database is unreachable; try again in a moment')
    }
    // Internals go to the log with the request id, never to the client.
    request.log.error({ err: error }, 'unhandled error')
    return sendProblem(
      request,
      reply,
      500,
      'INTERNAL_ERROR',
      `Something went wrong on our side. If it persists, report request id ${request.id}.`,
    )
  })

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`),
  )
}

export default fp(errorsPlugin, { name: 'errors' })
