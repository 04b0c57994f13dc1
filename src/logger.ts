import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'
import pino, { type DestinationStream } from 'pino'
import pretty from 'pino-pretty'
import type { Config } from './config.js'

/** Credentials never reach the log, whatever object they travel in. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  'password',
  'token',
]

export function createLogger(log: Config['log'], destination?: DestinationStream): FastifyBaseLogger {
  const usePretty = log.format === 'pretty' || (log.format === 'auto' && destination === undefined && process.stdout.isTTY)
  const options = { level: log.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  if (destination) return pino(options, destination)
  // pino-pretty as a synchronous stream: no worker thread, and lines are flushed before exit.
  return usePretty ? pino(options, pretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })) : pino(options)
}

const SAFE_REQUEST_ID = /^[\w.:-]{1,64}$/

/** Keep a caller's X-Request-Id (from a proxy) when it is safe to log; otherwise make one. */
export function requestIdFor(raw: IncomingMessage): string {
  const incoming = raw.headers['x-request-id']
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID()
}
