import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import type { Clock } from './clock.js'

/**
 * A lease in `app_meta` that one instance holds at a time (background senders and drainers):
 * taken when free or expired, renewed by its holder. True when `holder` has it until now + `ms`.
 */
export async function holdLease(db: Kysely<Database>, clock: Clock, key: string, holder: string, ms: number): Promise<boolean> {
  const now = clock.now()
  const value = JSON.stringify({ holder, until: new Date(now.getTime() + ms).toISOString() })
  const { rows } = await sql<{ key: string }>`
    insert into app_meta (key, value, updated_at) values (${key}, ${value}::jsonb, ${now})
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at
    where app_meta.value->>'holder' = ${holder} or (app_meta.value->>'until')::timestamptz < ${now}
    returning key
  `.execute(db)
  return rows.length > 0
}
