import { sql, type Kysely } from 'kysely'

/**
 * The forum-day peak. Per-day figures kept as they change instead of counted per request: one
 * row per (forum day, organization) with its questions, answered and open counts, maintained by
 * a trigger on questions (so every writer, migrations and scripts included, keeps it true). The
 * forum-day list sums a day's rows; the cap on open questions reads its organization's row.
 * Rows per organization, not per day: a single row per day would serialise every submission of
 * the day on its lock. Partial indexes serve the experts' queue: oldest waiting question of a day,
 * and of a day and theme.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table forum_day_counts (
      forum_day_id uuid not null,
      organization_id uuid not null,
      questions integer not null default 0,
      answered integer not null default 0,
      open integer not null default 0,
      primary key (forum_day_id, organization_id)
    )
  `.execute(db)

  // Same definitions as the counts the service used to compute: withdrawn questions do not count,
  // "answered" includes closed, "open" is what still waits for an expert or for the asker.
  await sql`
    create function forum_day_counts_apply() returns trigger language plpgsql as $$
    declare
      dq integer := 0;
      da integer := 0;
      d_open integer := 0;
      day uuid;
      org uuid;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        dq := dq - (old.state <> 'withdrawn')::int;
        da := da - (old.state in ('answered', 'closed'))::int;
        d_open := d_open - (old.state in ('submitted', 'claimed', 'awaiting_clarification'))::int;
        day := old.forum_day_id;
        org := old.organization_id;
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        dq := dq + (new.state <> 'withdrawn')::int;
        da := da + (new.state in ('answered', 'closed'))::int;
        d_open := d_open + (new.state in ('submitted', 'claimed', 'awaiting_clarification'))::int;
        day := new.forum_day_id;
        org := new.organization_id;
      end if;
      -- A claim (submitted -> claimed) changes nothing here: no write, no lock on the row.
      if dq = 0 and da = 0 and d_open = 0 then
        return null;
      end if;
      insert into forum_day_counts as c (forum_day_id, organization_id, questions, answered, open)
      values (day, org, dq, da, d_open)
      on conflict (forum_day_id, organization_id) do update
        set questions = c.questions + excluded.questions, answered = c.answered + excluded.answered, open = c.open + excluded.open;
      return null;
    end
    $$
  `.execute(db)
  await sql`
    create trigger questions_forum_day_counts after insert or delete or update of state on questions
    for each row execute function forum_day_counts_apply()
  `.execute(db)
  await sql`
    insert into forum_day_counts (forum_day_id, organization_id, questions, answered, open)
    select forum_day_id, organization_id,
      count(*) filter (where state <> 'withdrawn'),
      count(*) filter (where state in ('answered', 'closed')),
      count(*) filter (where state in ('submitted', 'claimed', 'awaiting_clarification'))
    from questions group by forum_day_id, organization_id
  `.execute(db)

  await sql`create index questions_queue_day on questions (forum_day_id, submitted_at, id) where state = 'submitted'`.execute(db)
  await sql`create index questions_queue_day_theme on questions (forum_day_id, theme, submitted_at, id) where state = 'submitted'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index questions_queue_day_theme`.execute(db)
  await sql`drop index questions_queue_day`.execute(db)
  await sql`drop trigger questions_forum_day_counts on questions`.execute(db)
  await sql`drop function forum_day_counts_apply()`.execute(db)
  await sql`drop table forum_day_counts`.execute(db)
}
