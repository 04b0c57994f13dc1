import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { DomainError } from '../shared/errors.js'

/**
 * PostgreSQL cannot store a NUL character in text, and a lone UTF-16 surrogate is not a character
 * at all (it would be stored as U+FFFD): text carrying either is refused here, once for every
 * route, before validation, so no query ever sees it and no route needs its own check.
 */
// Without the u flag the regex sees UTF-16 code units, so it can find unpaired surrogates.
// eslint-disable-next-line no-control-regex
const INVALID = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export const hasInvalidCharacters = (text: string): boolean => INVALID.test(text)

/** The dotted paths of every string (object keys included) that holds an invalid character. */
function invalidPaths(value: unknown, path: string, found: string[], depth = 0): void {
  if (found.length >= 10 || depth > 32) return
  if (typeof value === 'string') {
    if (INVALID.test(value)) found.push(path)
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => invalidPaths(item, `${path}.${i}`, found, depth + 1))
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (INVALID.test(key)) found.push(`${path}.${key.replace(INVALID, '?')}`)
      invalidPaths(item, `${path}.${key}`, found, depth + 1)
    }
  }
}

function check(request: FastifyRequest): void {
  const found: string[] = []
  invalidPaths(request.params, 'params', found)
  invalidPaths(request.query, 'querystring', found)
  invalidPaths(request.body, 'body', found)
  if (found.length === 0) return
  throw new DomainError('INVALID_CHARACTERS', 400, `Text may not contain NUL or unpaired surrogate characters: check ${found.join(', ')}`, {
    errors: found.map((field) => ({ field, message: 'contains a NUL or an unpaired surrogate character', code: 'invalid_characters' })),
  })
}

async function hostileInputPlugin(app: FastifyInstance): Promise<void> {
  // preValidation: the body is parsed by then, and the schema (and the handler) have not run.
  // Callback style: no promise per request for a check that never waits.
  app.addHook('preValidation', (request, reply, done) => {
    try {
      check(request)
    } catch (err) {
      done(err as Error)
      return
    }
    done()
  })
}

export default fp(hostileInputPlugin, { name: 'hostile-input' })
