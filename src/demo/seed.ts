import type { Kysely } from 'kysely'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/database.js'
import type { Clock } from '../shared/clock.js'

export interface DemoContext {
  trx: Kysely<Database>
  clock: Clock
  /** What earlier seeders made (organization ids, user ids...), keyed by name. */
  made: Map<string, unknown>
}

/** One module's share of the demo data. Seeders run in order, in one transaction. */
export interface DemoSeeder {
  name: string
  seed(ctx: DemoContext): Promise<void>
  /** Lines printed at every start while demo data is present (e.g. the demo logins). */
  describe?(): string[]
}

const MARKER = 'demo_data_loaded'

/** Loads the demo data once, into an empty installation; prints its logins at every start. */
export async function seedDemoData(db: Kysely<Database>, clock: Clock, log: FastifyBaseLogger, seeders: DemoSeeder[]): Promise<void> {
  const loadedNow = await db.transaction().execute(async (trx) => {
    const marker = await trx.selectFrom('appMeta').select('key').where('key', '=', MARKER).executeTakeFirst()
    if (marker) return false
    const ctx: DemoContext = { trx, clock, made: new Map() }
    for (const seeder of seeders) await seeder.seed(ctx)
    await trx.insertInto('appMeta').values({ key: MARKER, value: JSON.stringify({ at: clock.now().toISOString() }) }).execute()
    return true
  })
  const lines = seeders.flatMap((s) => s.describe?.() ?? [])
  log.info({ loadedNow, seeders: seeders.map((s) => s.name) }, loadedNow ? 'demo data loaded' : 'demo data present')
  if (lines.length > 0) log.info(`demo data:\n${lines.map((l) => `  ${l}`).join('\n')}`)
}
