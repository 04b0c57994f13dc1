import { Meilisearch } from 'meilisearch'
import type { Dependency } from '../health/routes.js'

/** Readiness check for the configured Meilisearch server. */
export function meilisearchHealth(options: { host: string; apiKey?: string }): Dependency {
  const client = new Meilisearch({ host: options.host, apiKey: options.apiKey, timeout: 2_000 })
  return { name: 'search', check: async () => void (await client.health()) }
}
