import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'

/** OpenAPI 3 generated from the routes' zod schemas: JSON at /docs/json, browsable at /docs. */
async function openapiPlugin(app: FastifyInstance, opts: { version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'forum-telematico API',
        description:
          'Forum telematici ANCI: domande dei comuni, risposte degli esperti, banca dati pubblica "Domande & Risposte". ' +
          'Errors are application/problem+json (RFC 9457) with a stable `code`.',
        version: opts.version,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Session token from POST /api/v1/sessions' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'ft_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    // Swagger UI's own policy (hashes of its inline script and style) replaces the global one on
    // /docs; without upgrade-insecure-requests, which would break /docs on http://localhost.
    staticCSP: true,
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
  })
}

export default fp(openapiPlugin, { name: 'openapi' })
