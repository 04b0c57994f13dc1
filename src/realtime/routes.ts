import type { ServerResponse } from 'node:http'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { SESSION_COOKIE, isSameOrigin } from '../plugins/auth.js'
import { DomainError } from '../shared/errors.js'
import { Problem } from '../shared/problem.js'
import type { Hub } from './hub.js'

/**
 * `GET /api/v1/ws`: the realtime stream. The protocol (messages, channels, close codes) is
 * documented in the README's "Realtime" section and validated by `messages.ts`.
 */
/** The HTTP response of each upgrade, until its socket is handed to the hub. */
const upgradeResponses = new WeakMap<FastifyRequest, ServerResponse>()

const realtimeRoutes: FastifyPluginAsyncZod<{ hub: Hub; publicOrigin: string }> = async (app, { hub, publicOrigin }) => {
  app.route({
    method: 'GET',
    url: '/ws',
    schema: {
      tags: ['realtime'],
      summary: 'WebSocket stream of forum events (upgrade required); see the README for the message schema',
      response: { 400: Problem, 403: Problem, 426: Problem },
    },
    // A page of another site could open a socket that rides the browser's cookie
    // (cross-site WebSocket hijacking): with a session cookie, the Origin must be ours.
    preValidation: async (request, reply) => {
      upgradeResponses.set(request, reply.raw)
      if (request.cookies[SESSION_COOKIE] !== undefined && !isSameOrigin(request, publicOrigin, { allowMissing: true })) {
        throw new DomainError('CSRF_REJECTED', 403, 'Cross-site WebSocket refused: open it from the forum pages, or use a Bearer token')
      }
    },
    handler: async () => {
      throw new DomainError('UPGRADE_REQUIRED', 426, 'This endpoint speaks WebSocket: send an Upgrade: websocket request')
    },
    wsHandler: (socket, request) => {
      // The hub needs the actor only. Left attached, the connection's TCP socket keeps its HTTP
      // response, whose listeners keep Fastify's reply, request and logger, for the socket's whole
      // life; so does @fastify/websocket's error listener (the hub installs its own).
      const response = upgradeResponses.get(request)
      upgradeResponses.delete(request)
      response?.detachSocket(request.socket)
      socket.removeAllListeners('error')
      hub.connect(socket, request.actor)
    },
  })
}

export default realtimeRoutes
