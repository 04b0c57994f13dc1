import { negotiate } from '@fastify/accept-negotiator'
import type { FastifyRequest } from 'fastify'

/** Italian first; English where a text exists in English (the API's problem details). */
export const LOCALES = ['it', 'en'] as const
export type Locale = (typeof LOCALES)[number]

/**
 * The language the caller reads, from Accept-Language: Italian unless English is preferred.
 * Regional tags count as their language ("en-GB" is English), as the negotiator matches whole tags.
 */
export function localeOf(request: Pick<FastifyRequest, 'headers'>): Locale {
  const header = request.headers['accept-language']
  if (!header) return 'it'
  const primary = header
    .split(',')
    .map((part) => part.trim().replace(/^([a-z]{2,3})-[a-z0-9-]+/i, '$1'))
    .join(',')
  return negotiate<Locale>(primary, [...LOCALES]) ?? 'it'
}
