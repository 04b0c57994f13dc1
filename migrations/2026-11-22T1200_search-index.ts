import { sql, type Kysely } from 'kysely'

// The PostgreSQL search engine's own tables. They hold a copy of each published FAQ as the index
// sees it (written by the search outbox worker), so the engine can be rebuilt and swapped like
// Meilisearch and never joins the knowledge base's tables.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table search_faqs (
      id text primary key,
      slug text not null,
      title text not null,
      question text not null,
      answer text not null,
      theme text not null,
      tags text[] not null default '{}',
      laws text[] not null default '{}',
      year integer not null,
      visibility text not null check (visibility in ('public', 'reserved')),
      forum_day_id text,
      scope_region text,
      published_at timestamptz not null,
      updated_at timestamptz not null,
      -- tags, laws, theme, citation tokens and synonym expansions, written by the adapter
      keywords text not null default '',
      document tsvector generated always as (
        setweight(to_tsvector('italian', f_unaccent(title)), 'A') ||
        setweight(to_tsvector('italian', f_unaccent(question)), 'B') ||
        setweight(to_tsvector('italian', f_unaccent(keywords)), 'C') ||
        setweight(to_tsvector('italian', f_unaccent(answer)), 'D')
      ) stored
    )
  `.execute(db)
  await sql`create index search_faqs_document_idx on search_faqs using gin (document)`.execute(db)
  await sql`create index search_faqs_published_idx on search_faqs (published_at desc, id)`.execute(db)
  await sql`create index search_faqs_tags_idx on search_faqs using gin (tags)`.execute(db)
  await sql`create index search_faqs_laws_idx on search_faqs using gin (laws)`.execute(db)
  await sql`create index search_faqs_theme_idx on search_faqs (theme)`.execute(db)
  // Every folded word ever indexed, for correcting misspelled query words by trigram similarity.
  // Only grows (a stale word just corrects to something that matches nothing); a reindex resets it.
  await sql`create table search_vocabulary (word text primary key)`.execute(db)
  await sql`create index search_vocabulary_trgm_idx on search_vocabulary using gin (word gin_trgm_ops)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists search_vocabulary`.execute(db)
  await sql`drop table if exists search_faqs`.execute(db)
}
