import { sql, type Kysely } from 'kysely'

/**
 * One theme vocabulary for questions and FAQs: an FAQ's theme becomes the code of a programme
 * edition's theme (as a question's is), and FAQ slugs are cut at a word boundary.
 *
 * - A free-text theme equal to a theme's code or label (ignoring case, accents and spacing)
 *   takes that code. Any other one becomes a new theme (its slug as the code, the text as the
 *   label) of the edition of the FAQ's forum day, or else of the newest edition, so no FAQ
 *   loses its theme. With no edition at all, the slug is kept as the code.
 * - A slug cut in the middle of a word is cut again at the last whole word; the old slug goes
 *   to `faq_slug_redirects`, so published links keep working (the page redirects).
 * Changed FAQs are queued for reindexing through the search outbox.
 */

// Copies of the application's rules at the time of writing (migrations never import src/).
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
const slug = (s: string) =>
  fold(s)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
const MAX_SLUG = 80
function wordBoundarySlug(title: string): string {
  const full = slug(title)
  if (full.length <= MAX_SLUG) return full || 'faq'
  const cut = full.slice(0, MAX_SLUG + 1)
  const lastDash = cut.lastIndexOf('-')
  return (lastDash > 0 ? cut.slice(0, lastDash) : full.slice(0, MAX_SLUG)).replace(/-+$/g, '') || 'faq'
}

interface Theme {
  code: string
  label: string
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faq_slug_redirects (
      old_slug text primary key,
      faq_id uuid not null references faqs (id) on delete cascade,
      created_at timestamptz not null default now()
    )
  `.execute(db)

  const editions = (
    await sql<{ id: string; themes: Theme[] }>`select id, themes from programme_editions order by created_at desc, id`.execute(db)
  ).rows
  const known = new Map<string, string>()
  for (const edition of editions) {
    for (const theme of edition.themes) {
      if (!known.has(fold(theme.code))) known.set(fold(theme.code), theme.code)
      if (!known.has(fold(theme.label))) known.set(fold(theme.label), theme.code)
    }
  }
  const faqs = (
    await sql<{ id: string; slug: string; title: string; theme: string; editionId: string | null }>`
      select f.id, f.slug, f.title, f.theme, d.edition_id as "editionId"
      from faqs f left join forum_days d on d.id = f.forum_day_id
      order by f.published_at, f.id
    `.execute(db)
  ).rows
  const added = new Map<string, Theme[]>()
  const changed = new Set<string>()
  for (const faq of faqs) {
    let code = known.get(fold(faq.theme))
    if (!code) {
      code = slug(faq.theme).slice(0, 60).replace(/-+$/g, '') || 'tema'
      const editionId = faq.editionId ?? editions[0]?.id
      if (editionId) {
        const list = added.get(editionId) ?? added.set(editionId, []).get(editionId)!
        list.push({ code, label: faq.theme.trim() })
      }
      known.set(fold(faq.theme), code)
      known.set(fold(code), code)
    }
    if (code !== faq.theme) {
      await sql`update faqs set theme = ${code} where id = ${faq.id}`.execute(db)
      changed.add(faq.id)
    }
    const better = wordBoundarySlug(faq.title)
    // Only slugs cut mid-word change; a slug with a "-2" suffix or edited by hand stays.
    if (faq.slug.length >= MAX_SLUG - 1 && better !== faq.slug && slug(faq.title).startsWith(faq.slug)) {
      const taken = await sql`select 1 from faqs where slug = ${better}`.execute(db)
      if (taken.rows.length === 0) {
        await sql`update faqs set slug = ${better} where id = ${faq.id}`.execute(db)
        await sql`insert into faq_slug_redirects (old_slug, faq_id) values (${faq.slug}, ${faq.id})`.execute(db)
        changed.add(faq.id)
      }
    }
  }
  for (const [editionId, themes] of added) {
    await sql`update programme_editions set themes = themes || ${JSON.stringify(themes)}::jsonb where id = ${editionId}`.execute(db)
  }
  for (const faqId of changed) await sql`insert into search_outbox (faq_id) values (${faqId})`.execute(db)
}

/** Codes stay (they are valid free text); the redirects go. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table faq_slug_redirects`.execute(db)
}
