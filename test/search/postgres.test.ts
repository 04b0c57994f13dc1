import t from 'tap'
import { sql } from 'kysely'
import { searchIndexContract, faqDoc } from './contract.js'
import { createMigrator, migrateToLatest } from '../../src/db/migrations.js'
import { freshPostgresIndex } from './postgres-index.js'
import { queryPairs, queryTerms } from '../../src/search/postgres-search-index.js'
import type { SearchIndex } from '../../src/search/search-index.js'
import { queryWords, withoutActKinds } from '../../src/search/italian.js'

searchIndexContract(t, async (t) => (await freshPostgresIndex(t)).index)

t.test('when more FAQs match than are ranked, the total says it is a lower bound', async (t) => {
  const { index } = await freshPostgresIndex(t, { candidates: 3, postings: 3, shortlist: 3, browseCount: 4 })
  await index.upsert(Array.from({ length: 6 }, (_, i) => faqDoc({ title: `Permesso di soggiorno, caso ${i}` })))
  const searched = await index.search({ q: 'permesso', filters: { visibility: ['public'] }, page: 1, pageSize: 2 })
  t.equal(searched.hits.length, 2)
  t.equal(searched.totalIsExact, false)
  t.ok(searched.total >= 3 && searched.total <= 6)
  const browsed = await index.search({ filters: { visibility: ['public'] }, page: 1, pageSize: 2 })
  t.same({ total: browsed.total, exact: browsed.totalIsExact }, { total: 4, exact: false })
  const few = await index.search({ q: 'caso', filters: { visibility: ['public'], theme: 'nessuno' }, page: 1, pageSize: 2 })
  t.same({ total: few.total, exact: few.totalIsExact }, { total: 0, exact: true })
})

t.test('health answers when the search tables exist', async (t) => {
  const { index } = await freshPostgresIndex(t)
  await t.resolves(index.health())
})

t.test('when a common word matches more FAQs than the bound, the best one is ranked even if it is the newest', async (t) => {
  const { index } = await freshPostgresIndex(t, { candidates: 3, postings: 3, shortlist: 3 })
  // Stored first: FAQs that merely mention the words in their answers.
  await index.upsert(Array.from({ length: 8 }, (_, i) => faqDoc({ title: `Orari dello sportello ${i}`, answer: 'Serve il permesso. Il soggiorno va dichiarato.' })))
  const best = faqDoc({ title: 'Rinnovo del permesso di soggiorno', question: 'Quando va chiesto il rinnovo del permesso di soggiorno?' })
  await index.upsert([best])
  const result = await index.search({ q: 'permesso soggiorno', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, best.id)
  t.equal(result.totalIsExact, false, 'more matched than were ranked: the total says so')
})

t.test('FAQs indexed before the postings migration are found through it after it', async (t) => {
  const { index, db } = await freshPostgresIndex(t, { postings: 2, shortlist: 2 })
  const best = faqDoc({ title: 'Rinnovo del permesso di soggiorno', question: 'Come si rinnova il permesso di soggiorno?' })
  await index.upsert([...Array.from({ length: 5 }, (_, i) => faqDoc({ title: `Sportello ${i}`, answer: 'Serve il permesso. Il soggiorno va dichiarato.' })), best])
  // Back to before 2026-12-01T1500 (no postings; later migrations go too), then forward: the
  // migration fills them from the rows.
  const { error, results } = await createMigrator(db).migrateTo('2026-12-01T1400_forum-day-reminders')
  t.error(error)
  t.ok(results?.some((r) => r.migrationName === '2026-12-01T1500_search-postings' && r.direction === 'Down'), 'the postings migration was undone')
  await migrateToLatest(db)
  const result = await index.search({ q: 'permesso soggiorno', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, best.id)
})

t.test('the word the visitor typed weighs by its own rarity, not as its common synonym does', async (t) => {
  const { index } = await freshPostgresIndex(t)
  // Many FAQs say "cittadinanza" (a synonym of "naturalizzazione"), one says the rarer word itself.
  const common = Array.from({ length: 12 }, (_, i) =>
    faqDoc({ title: `Requisiti per la cittadinanza, caso ${i}`, question: 'Quali requisiti servono per la cittadinanza?' }),
  )
  const typed = faqDoc({ title: 'Domanda allo sportello', question: 'Quali requisiti per chiedere la naturalizzazione dello straniero residente?' })
  await index.upsert([...common, typed])
  const result = await index.search({ q: 'requisiti naturalizzazione', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, typed.id, 'the FAQ with the rare word asked for comes first')
  t.ok(result.hits.length > 1, 'FAQs with the synonym are still found')
  const synonym = await index.search({ q: 'requisiti cittadinanza', filters: { visibility: ['public'] }, page: 1, pageSize: 20 })
  t.not(synonym.hits[0]?.id, typed.id, 'asked for the common word, the rarer synonym is not preferred')
})

t.test('a synonym typed as several words counts as the words typed when a question may miss some', async (t) => {
  const { index } = await freshPostgresIndex(t)
  // "permesso di lungo periodo" and "requisiti" are two terms but four typed words: the FAQ on the
  // permit need not also say "requisiti", as it need not say one word in four of any query.
  const permit = faqDoc({ title: 'Carta di soggiorno del familiare', answer: 'Si chiede in questura.' })
  const passing = faqDoc({ title: "Requisiti per l'iscrizione anagrafica", answer: 'Vale anche per chi ha un permesso di lungo periodo.' })
  const others = Array.from({ length: 6 }, (_, i) => faqDoc({ title: `Requisiti per la residenza, caso ${i}` }))
  await index.upsert([permit, passing, ...others])
  const result = await index.search({ q: 'permesso di lungo periodo requisiti', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.ok(result.hits.some((h) => h.id === permit.id), `the FAQ on the permit is in the top 3: ${result.hits.map((h) => h.id).join(', ')}`)
})

t.test('an FAQ tagged with a phrase the visitor typed whole outranks one saying its words in its question', async (t) => {
  const { index } = await freshPostgresIndex(t)
  const tagged = faqDoc({
    title: 'Permesso UE per soggiornanti di lungo periodo',
    answer: 'Serve un reddito adeguato e il superamento del test di conoscenza della lingua italiana.',
    tags: ['lungo periodo', 'test di italiano'],
  })
  const scattered = faqDoc({
    title: 'Test e permesso del figlio ricongiunto',
    question: 'Il comune fa un test sulla regola o usa solo italiano?',
    answer: 'Il permesso del figlio segue quello del genitore; il colloquio si tiene in italiano.',
  })
  await index.upsert([tagged, scattered, faqDoc()])
  const result = await index.search({ q: 'test di italiano permesso', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, tagged.id)
  const reordered = await index.search({ q: 'test italiano permesso', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(reordered.hits[0]?.id, tagged.id, 'typed without its stop word')
})

t.test('the words a question is phrased with never outweigh what it asks about, however rare they are', async (t) => {
  const { index } = await freshPostgresIndex(t)
  // Many FAQs about work and asylum; one FAQ says "quando" and "può", about something else.
  const topical = Array.from({ length: 12 }, (_, i) =>
    faqDoc({ title: `Lavoro e accoglienza, caso ${i}`, answer: 'Il richiedente asilo accolto nel centro partecipa alle attività di lavoro volontario.' }),
  )
  const phrased = faqDoc({ title: 'Quando può rispondere il comune', answer: 'Entro trenta giorni dalla domanda.' })
  const target = faqDoc({ title: 'Lavoro dei richiedenti asilo', question: 'Dopo quanto tempo il richiedente asilo è autorizzato a lavorare?' })
  const others = Array.from({ length: 20 }, (_, i) => faqDoc({ title: `Cambio di abitazione ${i}`, answer: 'Si dichiara allo sportello.' }))
  await index.upsert([...topical, phrased, target, ...others])
  const result = await index.search({ q: 'quando può lavorare un richiedente asilo', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, target.id)
  const asked = await index.search({ q: 'quando può rispondere', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(asked.hits[0]?.id, phrased.id, 'an FAQ that says them is still found by them')
})

t.test('an FAQ that says every word of the query, none in its title, is ranked past the common words\' strongest FAQs', async (t) => {
  const { index } = await freshPostgresIndex(t, { postings: 3, shortlist: 3 })
  await index.upsert(Array.from({ length: 10 }, (_, i) => faqDoc({ title: `Rinnovo del titolo, caso ${i}`, answer: 'Si chiede in tempo.' })))
  await index.upsert(Array.from({ length: 10 }, (_, i) => faqDoc({ title: `Kit per le spedizioni, caso ${i}`, answer: 'Si ritira allo sportello.' })))
  const target = faqDoc({ title: 'Orari degli uffici', answer: 'Per il rinnovo si usa il kit disponibile negli uffici postali.' })
  await index.upsert([target])
  const result = await index.search({ q: 'rinnovo kit', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, target.id)
})

t.test('an FAQ that says the typed words next to each other is ranked, however weakly it says each of them', async (t) => {
  // Bounds so small that the single words' strongest FAQs, and no GIN tier, decide the candidates.
  const { index, db } = await freshPostgresIndex(t, { candidates: 3, postings: 3, shortlist: 3 })
  await index.upsert(Array.from({ length: 10 }, (_, i) => faqDoc({ title: `Marca per la domanda, caso ${i}`, answer: 'Si compra dal tabaccaio.' })))
  await index.upsert(Array.from({ length: 10 }, (_, i) => faqDoc({ title: `Imposta di bollo, caso ${i}`, answer: 'Si paga in anticipo.' })))
  const target = faqDoc({ title: 'Orari degli uffici', answer: 'Per il rinnovo serve una marca da bollo da 16 euro, che si compra dal tabaccaio.' })
  await index.upsert([target])
  const result = await index.search({ q: 'marca da bollo', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, target.id)

  // Back to before 2026-12-02T0100 (no pair postings), then forward: the migration fills them.
  const { error } = await createMigrator(db).migrateTo('2026-12-01T2000_faq-theme-codes')
  t.error(error)
  await migrateToLatest(db)
  const again = await index.search({ q: 'marca da bollo', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(again.hits[0]?.id, target.id, 'FAQs indexed before the pair postings are found through them after the migration')
  await index.remove([target.id])
  const removed = await index.search({ q: 'marca da bollo', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.notOk(removed.hits.some((h) => h.id === target.id), 'a removed FAQ leaves no pair behind')
})

t.test('an FAQ with the typed words side by side in its title is ranked, though they are side by side in too many FAQs to read them all', async (t) => {
  // Bounds so small that neither the words' strongest FAQs nor the pair's every FAQ can hold it.
  const { index, db } = await freshPostgresIndex(t, { candidates: 3, postings: 3, shortlist: 3, pairPostings: 3, titlePairPostings: 3 })
  // Each word said more strongly than the target says it (title, question and tags), one word an FAQ.
  const strong = ['visura', 'catastale'].flatMap((word) =>
    Array.from({ length: 4 }, (_, i) => faqDoc({ title: `Ufficio ${word} ${i}`, question: `Dove si chiede il ${word}?`, tags: [word] })),
  )
  const inAnswers = Array.from({ length: 6 }, (_, i) => faqDoc({ title: `Pratiche edilizie ${i}`, answer: 'Allegare la visura catastale aggiornata.' }))
  // Other FAQs, so that the two words are not in every one.
  const others = Array.from({ length: 40 }, (_, i) => faqDoc({ title: `Cambio di abitazione ${i}`, answer: 'Si dichiara allo sportello.' }))
  await index.upsert([...strong, ...inAnswers, ...others])
  const target = faqDoc({
    title: 'Visura catastale per la residenza',
    answer: 'Per la dichiarazione di residenza in un immobile nuovo il comune può chiedere il documento che ne attesta i dati.',
  })
  await index.upsert([target])
  const search = () => index.search({ q: 'visura catastale', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal((await search()).hits[0]?.id, target.id)

  // Back to before 2026-12-03T0900 (no pair marked as the title's), then forward: the migration marks them.
  const { error } = await createMigrator(db).migrateTo('2026-12-02T1500_search-keyword-weight')
  t.error(error)
  await migrateToLatest(db)
  t.equal((await search()).hits[0]?.id, target.id, 'FAQs indexed before the migration are found through their titles\' pairs after it')
  await index.upsert([{ ...target, title: 'Documenti per la residenza', answer: `${target.answer} Basta la visura catastale.` }])
  t.not((await search()).hits[0]?.id, target.id, 'a title rewritten without the pair no longer brings the FAQ in')
})

t.test('an FAQ tagged with the word searched for ranks above FAQs that use it in passing', async (t) => {
  // Bounds so small that the word's strongest postings decide what is ranked.
  const { index } = await freshPostgresIndex(t, { candidates: 3, postings: 3, shortlist: 3 })
  const passing = 'Il servizio sociale segue ogni msna accolto: per il msna si apre una cartella e al msna si assegna un tutore.'
  await index.upsert(Array.from({ length: 10 }, (_, i) => faqDoc({ title: `Servizi sociali, caso ${i}`, answer: passing })))
  const tagged = faqDoc({ title: 'Iscrizione anagrafica in comunità', answer: 'Chi è accolto in una struttura è iscritto nella convivenza anagrafica.', tags: ['msna'] })
  await index.upsert([tagged])
  const result = await index.search({ q: 'msna', filters: { visibility: ['public'] }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, tagged.id)
})

t.test('the keyword-weight migration leaves the postings the engine writes today', async (t) => {
  const { index, db } = await freshPostgresIndex(t)
  await index.upsert([
    faqDoc({ title: 'Iscrizione anagrafica dei msna', tags: ['msna', 'anagrafe'], laws: ['L. 47/2017'] }),
    faqDoc({ title: 'Rinnovo del permesso di soggiorno', question: 'Dove si rinnova il permesso?', tags: ['permesso di soggiorno'] }),
    faqDoc({ answer: 'Serve il permesso di soggiorno in corso di validità, o la ricevuta della domanda di rinnovo.' }),
  ])
  const postings = async () =>
    (await sql<{ lexeme: string; faqId: string; impact: number }>`select lexeme, faq_id, impact from search_postings order by 1, 2`.execute(db)).rows
  const written = await postings()
  const { error, results } = await createMigrator(db).migrateTo('2026-12-02T1000_search-field-lengths')
  t.error(error)
  t.ok(results?.some((r) => r.migrationName === '2026-12-02T1500_search-keyword-weight' && r.direction === 'Down'), 'the migration was undone')
  t.notSame(await postings(), written, 'undone, the keywords weigh as they did before')
  await migrateToLatest(db)
  t.same(await postings(), written)
})

t.test('the pairs looked up are the words the visitor typed next to each other, not their synonyms', async (t) => {
  const pairs = (q: string) => queryPairs(queryTerms(q)).map((p) => `${p.a} ${p.b}`)
  t.same(pairs('kit postale rinnovo'), ['kit postale', 'postale rinnovo'])
  t.same(pairs('centro di accoglienza straordinaria'), ['centro accoglienza', 'accoglienza straordinaria'], 'inside a typed phrase, stop words left out')
  t.same(pairs('rinnovo pds'), ['rinnovo pds'], '"permesso di soggiorno", a synonym of "pds", adds no pair')
  t.same(pairs('giuramento'), [])
})

t.test('an abbreviated act kind before a citation is left out of the query; a kind written out stays', async (t) => {
  t.same(withoutActKinds(queryWords('dlgs 142 2015 iscrizione')), ['n142a2015', 'iscrizione'])
  t.same(withoutActKinds(queryWords('D.L. 130/2020 sai')), ['n130a2020', 'sai'])
  t.same(withoutActKinds(queryWords('legge 1228/1954')), ['legge', 'n1228a1954'])
  t.same(withoutActKinds(queryWords('dpr residenza')), ['dpr', 'residenza'], 'not before a citation')
})

/**
 * Twelve FAQs of one theme say "residenza" in title and question (the word's strongest postings),
 * `weak` FAQs of another say it once in the answer; the search is for "residenza" within the other.
 */
async function searchTheWeakTheme(index: SearchIndex, weak: number) {
  await index.upsert(Array.from({ length: 12 }, (_, i) => faqDoc({ title: `Residenza anagrafica, caso ${i}`, question: 'Come si chiede la residenza?', theme: 'Anagrafe' })))
  const docs = Array.from({ length: weak }, (_, i) => faqDoc({ title: `Liste elettorali ${i}`, answer: 'La residenza conta solo per il seggio.', theme: 'Elettorale' }))
  await index.upsert(docs)
  const result = await index.search({ q: 'residenza', filters: { visibility: ['public'], theme: 'Elettorale' }, page: 1, pageSize: 10 })
  return { found: result.hits.map((h) => h.id).sort(), expected: docs.map((f) => f.id).sort(), total: { total: result.total, exact: result.totalIsExact } }
}

t.test('a filter holding few FAQs has every one of them searched, however weakly they say the words', async (t) => {
  const { index } = await freshPostgresIndex(t, { postings: 3, shortlist: 3, pairPostings: 3, filteredExhaustive: 10 })
  const { found, expected, total } = await searchTheWeakTheme(index, 3)
  t.same(found, expected)
  t.same(total, { total: 3, exact: true })
})

t.test('within a filter holding many FAQs, its strongest FAQ is ranked even if stored last', async (t) => {
  const { index } = await freshPostgresIndex(t, { candidates: 3, postings: 3, shortlist: 3, pairPostings: 3, filteredExhaustive: 3 })
  // Stored first: FAQs of the theme that mention the word once, in their answers.
  await index.upsert(Array.from({ length: 8 }, (_, i) => faqDoc({ title: `Sportello ${i}`, answer: 'Serve la residenza.', theme: 'Anagrafe' })))
  // Strongest under any weighting: the word in its title too, not only repeated in a longer answer
  // (impacts are length-normalized, so a short answer saying it once can outweigh a long one).
  const best = faqDoc({
    title: 'Cambio di residenza',
    answer: 'La residenza si chiede al comune. Per la residenza serve un documento; la residenza decorre dalla domanda.',
    tags: ['residenza'],
    theme: 'Anagrafe',
  })
  await index.upsert([best])
  const result = await index.search({ q: 'residenza', filters: { visibility: ['public'], theme: 'Anagrafe' }, page: 1, pageSize: 3 })
  t.equal(result.hits[0]?.id, best.id)
})

t.test('at a common word\'s cut, a short title saying it outweighs long titles saying it as often', async (t) => {
  const { index } = await freshPostgresIndex(t, { postings: 3, shortlist: 3, pairPostings: 3 })
  await index.upsert(Array.from({ length: 8 }, (_, i) => faqDoc({ title: `Residenza e iscrizione anagrafica dei cittadini nel registro della popolazione, pratica ${i}` })))
  // The id sorts after every other: where impacts tie, the index's order would cut it first.
  const short = faqDoc({ id: 'ffffffff-ffff-4fff-bfff-ffffffffffff', title: 'Residenza' })
  await index.upsert([short])
  const result = await index.search({ q: 'residenza', filters: { visibility: ['public'] }, page: 1, pageSize: 10 })
  t.ok(result.hits.some((h) => h.id === short.id), 'the FAQ titled with the word alone is among the 3 strongest postings')
  t.equal(result.totalIsExact, false, 'the cut is reported')
})

t.test('the fields\' lengths behind the impacts follow every upsert, replacement and removal', async (t) => {
  const { index, db } = await freshPostgresIndex(t)
  const kept = async () => (await sql<{ field: string; n: number }>`select field, occurrences::int as n from search_field_lengths where occurrences <> 0 order by field`.execute(db)).rows
  const counted = async () =>
    (await sql<{ field: string; n: number }>`select x as field, count(*)::int as n from search_faqs f, unnest(f.document) u, unnest(u.weights) x group by x order by x`.execute(db)).rows
  const docs = [faqDoc({ title: 'Residenza anagrafica' }), faqDoc({ title: 'Cambio di abitazione', tags: ['residenza', 'anagrafe'] }), faqDoc()]
  await index.upsert(docs)
  t.same(await kept(), await counted(), 'after the first upsert')
  await index.upsert([{ ...docs[0]!, title: 'Residenza anagrafica dei cittadini stranieri ospiti di un centro' }])
  t.same(await kept(), await counted(), 'after a longer title replaced a short one')
  await index.remove([docs[1]!.id])
  t.same(await kept(), await counted(), 'after a removal')
  await index.remove([docs[0]!.id, docs[2]!.id])
  t.same(await kept(), [], 'nothing left once every FAQ is removed')
})

t.test('a filter holding many FAQs, none of them among a word\'s strongest, still finds its own', async (t) => {
  const { index } = await freshPostgresIndex(t, { candidates: 50, postings: 3, shortlist: 3, pairPostings: 3, filteredExhaustive: 2 })
  const { found, expected, total } = await searchTheWeakTheme(index, 4)
  t.same(found, expected)
  t.same(total, { total: 4, exact: true })
})

t.test('within a filter, an FAQ that says every word of the query weakly is ranked when few of the filter\'s FAQs say them all', async (t) => {
  const { index } = await freshPostgresIndex(t, { candidates: 5, postings: 2, shortlist: 4, pairPostings: 1, filteredExhaustive: 3 })
  // Elsewhere, many FAQs say both words: without the filter, FAQs with every word are too many to read whole.
  await index.upsert(Array.from({ length: 30 }, (_, i) => faqDoc({ title: `Lavoro stagionale ${i}`, answer: 'Il contratto va firmato.', theme: 'Lavoro' })))
  // In the theme, the strongest FAQs for the commoner word say only that one.
  await index.upsert(
    Array.from({ length: 3 }, (_, i) =>
      faqDoc({
        title: `Contratto di locazione ${i}`,
        question: 'Quale contratto di locazione serve?',
        answer: 'Il contratto registrato.',
        tags: ['contratto'],
        theme: 'Anagrafe',
      }),
    ),
  )
  const both = faqDoc({
    title: 'Iscrizione anagrafica dei lavoratori',
    answer: 'Serve il contratto firmato; per il lavoro stagionale basta la dichiarazione del datore.',
    theme: 'Anagrafe',
  })
  await index.upsert([both])
  const result = await index.search({ q: 'contratto stagionale', filters: { visibility: ['public'], theme: 'Anagrafe' }, page: 1, pageSize: 2 })
  t.equal(result.hits[0]?.id, both.id)
})

t.test('related FAQs: a synonym of several words counts where the FAQ has them all, not where it has one', async (t) => {
  const { index } = await freshPostgresIndex(t)
  // "SAI" is also "Sistema di accoglienza e integrazione" (synonyms.ts).
  const project = faqDoc({ title: 'Il Sistema di accoglienza e integrazione nei comuni', question: 'Come si avvia un progetto?' })
  const scattered = faqDoc({ title: 'Volontari in accoglienza', question: 'Il sistema delle assicurazioni copre i volontari?' })
  const other = faqDoc({ title: 'Tassa sui rifiuti per le seconde case' })
  await index.upsert([project, scattered, other])
  const related = await index.similar('Adesione di un piccolo comune alla rete SAI', { visibility: ['public'], limit: 5 })
  t.same(
    related.map((hit) => hit.id),
    [project.id],
    'the FAQ about the SAI is related; one that says "sistema" and "accoglienza" apart is not',
  )
})

t.test('related FAQs: one that says every term, none of them strongly, is found past the postings\' bound', async (t) => {
  const { index } = await freshPostgresIndex(t, { postings: 2 })
  // Each term is said more strongly elsewhere (in titles), more often than the bound reads.
  const strong = ['Rinnovo', 'Questura', 'Cedolino'].flatMap((word) => Array.from({ length: 4 }, (_, i) => faqDoc({ title: `${word}: caso ${i}` })))
  const every = faqDoc({ title: 'Allo sportello', answer: 'Per il rinnovo serve il cedolino rilasciato dalla questura.' })
  await index.upsert([every, ...strong])
  const related = await index.similar('Rinnovo in questura con il cedolino', { visibility: ['public'], limit: 10 })
  t.ok(related.some((hit) => hit.id === every.id), 'the FAQ with every term is among the related ones')
})

t.test('related FAQs: an FAQ read both from the postings and as having every term counts once', async (t) => {
  const { index } = await freshPostgresIndex(t, { postings: 2 })
  // Each term is in more FAQs than the bound reads, so the GIN tier runs; the FAQ that says every
  // term in its title is also among each term's strongest postings: read twice per term.
  const others = ['Rinnovo', 'Questura', 'Cedolino'].flatMap((word) => Array.from({ length: 3 }, (_, i) => faqDoc({ title: `Sportello ${i}`, answer: `${word} e altro.` })))
  const every = faqDoc({ title: 'Rinnovo in questura con il cedolino' })
  const two = faqDoc({ title: 'Rinnovo in questura' })
  await index.upsert([every, two, ...others])
  const related = await index.similar('Rinnovo in questura con il cedolino', { visibility: ['public'], limit: 10 })
  t.same(
    related.slice(0, 2).map((hit) => hit.id),
    [every.id, two.id],
    'the FAQ with all three terms before the one with two (read twice, its terms would not match their forms)',
  )
  t.equal(related.filter((hit) => hit.id === every.id).length, 1, 'and listed once')
})
