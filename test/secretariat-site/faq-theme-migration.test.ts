import { sql, type Kysely } from 'kysely'
import { setTimeout } from 'node:timers/promises'
import t from 'tap'
import { down, up } from '../../migrations/2026-12-01T2000_faq-theme-codes.js'
import { LIST_CACHE_MS } from '../../src/forum-days/context.js'
import { moderatorOf } from '../factories/forum.js'
import { publishedFaq } from '../factories/knowledge-base.js'
import { build } from '../helper.js'

const LONG_TITLE = 'Iscrizione anagrafica del richiedente asilo ospite di un centro di accoglienza straordinaria del comune'
/** What the earlier rule made of LONG_TITLE: 80 characters, cut in the middle of "straordinaria". */
const OLD_SLUG = 'iscrizione-anagrafica-del-richiedente-asilo-ospite-di-un-centro-di-accoglienza-s'

t.test('the migration turns free-text FAQ themes into theme codes and re-cuts mid-word slugs with a redirect', async (t) => {
  const app = await build(t)
  const byLabel = await publishedFaq(app)
  const unknown = await publishedFaq(app, { title: LONG_TITLE })
  // As the migrator runs it: no plugins, no schema types.
  const db = app.ports.db.withoutPlugins() as unknown as Kysely<unknown>
  // The data as the earlier version stored it.
  await sql`update faqs set theme = 'Servizi demografici e soggiorno del cittadino straniero' where id = ${byLabel.id}`.execute(db)
  await sql`update faqs set theme = 'Giardinaggio urbano', slug = ${OLD_SLUG} where id = ${unknown.id}`.execute(db)
  await down(db)
  await up(db)

  const rows = (await sql<{ id: string; theme: string; slug: string }>`select id, theme, slug from faqs`.execute(db)).rows
  const row = (id: string) => rows.find((r) => r.id === id)!
  t.equal(row(byLabel.id).theme, 'servizi-demografici', 'a label becomes its code')
  t.equal(row(unknown.id).theme, 'giardinaggio-urbano', 'an unknown text becomes a new code…')
  const moderator = await moderatorOf(app)
  // The migration wrote under a running app, as `npm run migrate` beside running instances would:
  // the theme vocabulary it read before is kept for LIST_CACHE_MS (forum-days/context.ts).
  await setTimeout(LIST_CACHE_MS + 50)
  const themes = await app.kb.themes()
  t.ok(themes.some((th) => th.code === 'giardinaggio-urbano' && th.label === 'Giardinaggio urbano'), '…of the vocabulary, with the text as its label')
  t.equal(row(unknown.id).slug, 'iscrizione-anagrafica-del-richiedente-asilo-ospite-di-un-centro-di-accoglienza', 'cut at a word boundary')
  t.equal(row(byLabel.id).slug, byLabel.slug, 'a slug that was whole stays')

  const old = await app.inject({ method: 'GET', url: `/domande-e-risposte/${OLD_SLUG}` })
  t.equal(old.statusCode, 301, 'the old link redirects')
  t.equal(old.headers.location, `/domande-e-risposte/${row(unknown.id).slug}`)
  const api = await app.inject({ method: 'GET', url: `/api/v1/faqs/${OLD_SLUG}` })
  t.equal(api.statusCode, 301)
  t.match((await app.kb.get(moderator.actor, row(unknown.id).slug)).themeLabel, 'Giardinaggio urbano')
  const queued = (await sql<{ n: number }>`select count(*)::int as n from search_outbox where faq_id in (${byLabel.id}, ${unknown.id}) and processed_at is null`.execute(db)).rows[0]!.n
  t.ok(queued >= 2, 'changed FAQs are queued for reindexing')
})

t.test('a new slug is cut at the last whole word within 80 characters', async (t) => {
  const app = await build(t)
  const faq = await publishedFaq(app, { title: LONG_TITLE })
  t.equal(faq.slug, 'iscrizione-anagrafica-del-richiedente-asilo-ospite-di-un-centro-di-accoglienza')
  t.ok(faq.slug.length <= 80)
})

t.test('a search by a theme’s label, as older links and questionnaires write it, finds the FAQs of its code', async (t) => {
  const app = await build(t)
  await publishedFaq(app)
  const byCode = (await app.inject({ method: 'GET', url: '/api/v1/faqs?theme=servizi-demografici' })).json()
  const byLabel = (await app.inject({ method: 'GET', url: `/api/v1/faqs?theme=${encodeURIComponent('servizi demografici e soggiorno del cittadino straniero')}` })).json()
  t.equal(byCode.total, 1)
  t.equal(byLabel.total, 1)
  t.match(byCode, { hits: [{ theme: 'servizi-demografici', themeLabel: 'Servizi demografici e soggiorno del cittadino straniero' }], themeLabels: { 'servizi-demografici': 'Servizi demografici e soggiorno del cittadino straniero' } })
})
