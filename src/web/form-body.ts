import type { FastifyInstance } from 'fastify'

/**
 * Lets a plugin context read the pages' HTML form posts (`application/x-www-form-urlencoded`)
 * as a flat object. The first value of a repeated field wins: the forms never repeat one.
 */
export function acceptFormPosts(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const fields: Record<string, string> = {}
    for (const [key, value] of new URLSearchParams(body as string)) if (!(key in fields)) fields[key] = value
    done(null, fields)
  })
}
