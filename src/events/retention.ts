import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'

/** The `app_meta` key that records how far retention deleted the log. */
const PRUNED_THROUGH = 'events.pruned_through'

/**
 * Deletes events older than `before`, recording the highest position deleted: resuming from
 * below it can no longer be exact. The event log's own module writes its table; the realtime
 * module's scheduler job calls this.
 */
export async function pruneEvents(db: Kysely<Database>, before: Date): Promise<number> {
  const { rows } = await sql<{ deleted: number }>`
    with deleted as (delete from events where occurred_at < ${before} returning position),
    mark as (
      insert into app_meta (key, value)
      select ${PRUNED_THROUGH}, to_jsonb(max(position)) from deleted having count(*) > 0
      on conflict (key) do update set value = to_jsonb(greatest((app_meta.value)::bigint, (excluded.value)::bigint)), updated_at = now()
    )
    select count(*)::int as deleted from deleted
  `.execute(db)
  return rows[0]?.deleted ?? 0
}

/** The highest position deleted by retention (0 if none). */
export async function prunedThrough(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('appMeta').select('value').where('key', '=', PRUNED_THROUGH).executeTakeFirst()
  const value: unknown = row?.value
  return typeof value === 'number' ? value : 0
}
