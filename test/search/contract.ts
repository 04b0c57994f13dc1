import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import type { FaqSearchDocument, SearchIndex, SearchQuery } from '../../src/search/search-index.js'

/** Builds a fresh, empty index of the engine under test (torn down with `t`). */
export type IndexFactory = (t: Test) => Promise<SearchIndex>

let sequence = 0

/** A document with a unique id and slug; anything not given is plausible filler. */
export function faqDoc(overrides: Partial<FaqSearchDocument> = {}): FaqSearchDocument {
  sequence += 1
  const id = overrides.id ?? randomUUID()
  return {
    id,
    slug: `faq-${sequence}-${id.slice(0, 8)}`,
    title: 'Orari dello sportello',
    question: 'Quali sono gli orari di apertura al pubblico?',
    answer: 'Gli orari sono stabiliti da ciascun ente e pubblicati sul sito istituzionale.',
    theme: 'Organizzazione',
    tags: [],
    laws: [],
    year: 2024,
    visibility: 'public',
    forumDayId: null,
    scopeRegion: null,
    publishedAt: new Date(Date.UTC(2024, 0, 1) + sequence * 60_000),
    updatedAt: new Date(Date.UTC(2024, 0, 1) + sequence * 60_000),
    ...overrides,
  }
}

const PUBLIC = ['public'] as Array<'public' | 'reserved'>
const EVERYONE = ['public', 'reserved'] as Array<'public' | 'reserved'>

const query = (q: string | undefined, extra: Partial<SearchQuery> = {}): SearchQuery => ({
  q,
  filters: { visibility: PUBLIC },
  page: 1,
  pageSize: 10,
  ...extra,
})

const ids = (result: { hits: Array<{ id: string }> }) => result.hits.map((h) => h.id)

/** The behaviour every SearchIndex adapter must have. */
export function searchIndexContract(t: Test, makeIndex: IndexFactory): void {
  t.test('an upserted FAQ is found by a word of its title', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({ title: 'Iscrizione anagrafica del richiedente asilo' })
    await index.upsert([doc])
    const result = await index.search(query('iscrizione'))
    t.same(ids(result), [doc.id])
    t.match(result.hits[0], { id: doc.id, slug: doc.slug, title: doc.title })
    t.equal(result.total, 1)
  })

  t.test('upserting an FAQ again replaces the indexed version', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({ title: 'Rilascio del codice fiscale' })
    await index.upsert([doc])
    await index.upsert([{ ...doc, title: 'Rinnovo della tessera sanitaria' }])
    t.same(ids(await index.search(query('fiscale'))), [], 'the old title no longer matches')
    const found = await index.search(query('tessera'))
    t.same(ids(found), [doc.id])
    t.equal(found.hits[0]?.title, 'Rinnovo della tessera sanitaria')
  })

  t.test('a removed FAQ is no longer found', async (t) => {
    const index = await makeIndex(t)
    const kept = faqDoc({ title: 'Cancellazione anagrafica per irreperibilità' })
    const gone = faqDoc({ title: 'Cancellazione anagrafica per trasferimento all estero' })
    await index.upsert([kept, gone])
    await index.remove([gone.id, randomUUID()])
    t.same(ids(await index.search(query('cancellazione'))), [kept.id])
  })

  t.test('visitors never see reserved FAQs; signed-in staff see both', async (t) => {
    const index = await makeIndex(t)
    const open = faqDoc({ title: 'Accoglienza nei CAS: competenze del comune', visibility: 'public' })
    const reserved = faqDoc({ title: 'Accoglienza nei CAS: convenzioni con la prefettura', visibility: 'reserved' })
    await index.upsert([open, reserved])
    t.same(ids(await index.search(query('accoglienza'))), [open.id])
    t.same(ids(await index.search(query(undefined))), [open.id], 'also when browsing')
    t.same(ids({ hits: await index.similar('accoglienza nei CAS convenzioni prefettura', { visibility: PUBLIC, limit: 5 }) }), [open.id])
    const staff = await index.search(query('accoglienza', { filters: { visibility: EVERYONE } }))
    t.same(ids(staff).sort(), [open.id, reserved.id].sort())
  })

  t.test('facet counts describe the matching FAQs', async (t) => {
    const index = await makeIndex(t)
    await index.upsert([
      faqDoc({ title: 'Rinnovo del permesso di soggiorno', theme: 'Permessi', tags: ['rinnovo', 'questura'], laws: ['D.Lgs. 286/1998'], year: 2023 }),
      faqDoc({ title: 'Permesso di soggiorno per lavoro stagionale', theme: 'Permessi', tags: ['lavoro'], laws: ['D.Lgs. 286/1998'], year: 2024 }),
      faqDoc({ title: 'Permesso di soggiorno e residenza', theme: 'Anagrafe', tags: ['rinnovo'], laws: [], year: 2024 }),
      faqDoc({ title: 'Orari della biblioteca', theme: 'Cultura', tags: ['orari'], year: 2024 }),
    ])
    const result = await index.search(query('permesso'))
    t.equal(result.total, 3)
    t.same(result.facets.theme, { Permessi: 2, Anagrafe: 1 })
    t.same(result.facets.tags, { rinnovo: 2, questura: 1, lavoro: 1 })
    t.same(result.facets.laws, { 'D.Lgs. 286/1998': 2 })
    t.same(result.facets.year, { '2023': 1, '2024': 2 })
  })

  t.test('filters by theme, tag, law, year and forum day narrow the results', async (t) => {
    const index = await makeIndex(t)
    const day = randomUUID()
    const a = faqDoc({ title: 'Ricongiungimento familiare: requisiti di alloggio', theme: 'Famiglia', tags: ['alloggio'], laws: ['D.Lgs. 286/1998'], year: 2022, forumDayId: day })
    const b = faqDoc({ title: 'Ricongiungimento familiare dei figli maggiorenni', theme: 'Famiglia', tags: ['figli'], laws: ['D.P.R. 394/1999'], year: 2024 })
    const c = faqDoc({ title: 'Ricongiungimento familiare e residenza', theme: 'Anagrafe', tags: ['figli'], laws: [], year: 2024 })
    await index.upsert([a, b, c])
    const filtered = (filters: Partial<SearchQuery['filters']>) =>
      index.search(query('ricongiungimento', { filters: { visibility: PUBLIC, ...filters } })).then((r) => ids(r).sort())
    t.same(await filtered({ theme: 'Famiglia' }), [a.id, b.id].sort())
    t.same(await filtered({ tag: 'figli' }), [b.id, c.id].sort())
    t.same(await filtered({ law: 'D.P.R. 394/1999' }), [b.id])
    t.same(await filtered({ year: 2022 }), [a.id])
    t.same(await filtered({ forumDayId: day }), [a.id])
    t.same(await filtered({ theme: 'Famiglia', tag: 'figli' }), [b.id])
    const browsing = await index.search(query(undefined, { filters: { visibility: PUBLIC, tag: 'figli' } }))
    t.same(ids(browsing).sort(), [b.id, c.id].sort(), 'filters apply without a query too')
    t.equal(browsing.total, 2)
  })

  t.test('without a query the newest FAQs come first', async (t) => {
    const index = await makeIndex(t)
    const old = faqDoc({ publishedAt: new Date('2021-05-01T10:00:00Z') })
    const newest = faqDoc({ publishedAt: new Date('2025-02-01T10:00:00Z') })
    const middle = faqDoc({ publishedAt: new Date('2023-09-01T10:00:00Z') })
    await index.upsert([old, newest, middle])
    const result = await index.search(query(undefined))
    t.same(ids(result), [newest.id, middle.id, old.id])
    t.equal(result.total, 3)
    t.same(ids(await index.search(query('   '))), [newest.id, middle.id, old.id], 'blank counts as empty')
  })

  t.test('pages split the results without gaps or repeats', async (t) => {
    const index = await makeIndex(t)
    const docs = Array.from({ length: 7 }, (_, i) =>
      faqDoc({ title: `Codice fiscale per stranieri, caso ${i + 1}`, publishedAt: new Date(Date.UTC(2024, 2, i + 1)) }),
    )
    await index.upsert(docs)
    const seen: string[] = []
    for (const page of [1, 2, 3]) {
      const result = await index.search(query('codice fiscale', { page, pageSize: 3 }))
      t.equal(result.total, 7)
      t.equal(result.page, page)
      t.equal(result.pageSize, 3)
      t.equal(result.hits.length, page === 3 ? 1 : 3)
      seen.push(...ids(result))
    }
    t.same(seen.sort(), docs.map((d) => d.id).sort())
    const browse = await index.search(query(undefined, { page: 2, pageSize: 3 }))
    t.same(ids(browse), [docs[3]!.id, docs[2]!.id, docs[1]!.id], 'browsing pages newest first')
  })

  t.test('snippets highlight the matched words and escape everything else', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({
      title: 'Dichiarazione di dimora abituale',
      question: 'Come si verifica la dimora abituale?',
      answer: 'La polizia locale accerta la dimora <script>alert(1)</script> abituale entro 45 giorni & comunica l\'esito.',
    })
    await index.upsert([doc])
    const [hit] = (await index.search(query('dimora'))).hits
    t.match(hit?.snippet, /<mark>dimora<\/mark>/i)
    t.notMatch(hit?.snippet, /<script>/, 'no markup from the text survives')
    t.notMatch(hit?.snippet.replace(/<\/?mark>/g, ''), /[<>]/, 'only <mark> tags are markup')
  })

  t.test('accents do not matter: "citta" finds "città"', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({ title: 'Residenza in una città metropolitana', answer: 'Vale per ogni città.' })
    await index.upsert([doc, faqDoc()])
    t.same(ids(await index.search(query('citta'))), [doc.id])
    t.same(ids(await index.search(query('CITTÀ'))), [doc.id])
  })

  t.test('plurals and singulars find each other: "permessi" finds "permesso"', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({ title: 'Durata del permesso per motivi di studio' })
    await index.upsert([doc, faqDoc()])
    t.same(ids(await index.search(query('permessi studio'))), [doc.id])
  })

  t.test('a misspelled word still finds its FAQ: "ricongiungimeto"', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({ title: 'Ricongiungimento con il coniuge' })
    await index.upsert([doc, faqDoc()])
    t.same(ids(await index.search(query('ricongiungimeto'))), [doc.id])
  })

  t.test('acronyms and synonyms: "pds" finds "permesso di soggiorno", "SAI" finds "SPRAR"', async (t) => {
    const index = await makeIndex(t)
    const permit = faqDoc({ title: 'Rinnovo del permesso di soggiorno scaduto' })
    const sprar = faqDoc({ title: 'Adesione del comune alla rete SPRAR', answer: 'Il comune presenta domanda di contributo.' })
    await index.upsert([permit, sprar, faqDoc()])
    t.same(ids(await index.search(query('pds'))), [permit.id])
    t.same(ids(await index.search(query('SAI'))), [sprar.id])
    t.same(ids(await index.search(query('siproimi comune'))), [sprar.id])
  })

  t.test('the everyday word for the law\'s: "moglie" and "marito" find "coniuge"', async (t) => {
    const index = await makeIndex(t)
    const spouse = faqDoc({ title: 'Cittadinanza per matrimonio', answer: 'Il coniuge straniero può chiederla dopo due anni di residenza legale.' })
    await index.upsert([spouse, faqDoc()])
    t.same(ids(await index.search(query('moglie'))), [spouse.id])
    t.same(ids(await index.search(query('cittadinanza al marito'))), [spouse.id])
  })

  t.test('"vigili" and "vigili urbani" find the FAQ on the polizia locale, and "polizia municipale" still does', async (t) => {
    const index = await makeIndex(t)
    const police = faqDoc({ title: 'Accertamenti sulla dimora abituale', answer: 'Li svolge la polizia locale entro quarantacinque giorni.' })
    await index.upsert([police, faqDoc()])
    t.same(ids(await index.search(query('vigili'))), [police.id])
    t.same(ids(await index.search(query('Vigili Urbani accertamenti'))), [police.id])
    t.same(ids(await index.search(query('polizia municipale'))), [police.id])
  })

  t.test('"maggiorenni" and "neomaggiorenne" find the FAQ saying "maggiore età", "homeless" the one on "senza fissa dimora"', async (t) => {
    const index = await makeIndex(t)
    const adult = faqDoc({ title: 'Permesso al compimento della maggiore età', answer: 'Il minore affidato può convertirlo in un permesso per studio o lavoro.' })
    const street = faqDoc({ title: 'Residenza di chi è senza fissa dimora', answer: 'Si iscrive nella via fittizia del comune.' })
    await index.upsert([adult, street, faqDoc()])
    t.same(ids(await index.search(query('maggiorenni'))), [adult.id])
    t.same(ids(await index.search(query('neomaggiorenne'))), [adult.id])
    t.same(ids(await index.search(query('homeless'))), [street.id])
  })

  t.test('"braccianti" finds the FAQ on agricultural workers, "gdpr" and "privacy" the one on personal data', async (t) => {
    const index = await makeIndex(t)
    const farm = faqDoc({ title: 'Residenza dei lavoratori stagionali in agricoltura', answer: 'Chi lavora nella raccolta può prendere la residenza.' })
    const data = faqDoc({ title: 'Dati personali nelle domande al forum', answer: 'Descrivete il caso senza nomi.' })
    const cited = faqDoc({ title: 'Informativa agli utenti dello sportello', answer: 'Va data secondo il Reg. (UE) 2016/679.' })
    await index.upsert([farm, data, cited, faqDoc()])
    t.same(ids(await index.search(query('Braccianti'))), [farm.id])
    t.same(ids(await index.search(query('GDPR nomi'))), [data.id])
    t.same(new Set(ids(await index.search(query('privacy')))), new Set([data.id, cited.id]))
  })

  t.test('"compie 18 anni" finds "maggiore età", and "18" alone is still a number', async (t) => {
    const index = await makeIndex(t)
    const adult = faqDoc({ title: 'Permesso del minore non accompagnato al compimento della maggiore età' })
    const dated = faqDoc({ title: 'Decreto del 18 novembre 2019 sui progetti di accoglienza' })
    await index.upsert([adult, dated, faqDoc()])
    // First, not alone: an engine may also return the FAQ that says "18" in a date, further down.
    t.equal(ids(await index.search(query('minore compie 18 anni')))[0], adult.id)
    t.same(ids(await index.search(query('diciottesimo compleanno'))), [adult.id])
    t.equal(ids(await index.search(query('decreto 18 novembre')))[0], dated.id)
  })

  t.test('a citation in any usual shape finds the FAQ citing it', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({
      title: 'Accoglienza e iscrizione anagrafica',
      answer: "L'art. 5 del D.Lgs. n. 142/2015 disciplina il domicilio del richiedente.",
      laws: ['D.Lgs. 142/2015'],
    })
    const other = faqDoc({ answer: 'Si applica la legge n. 91/1992 sulla cittadinanza.', laws: ['L. 91/1992'] })
    await index.upsert([doc, other])
    for (const q of ['142/2015', '142\\2015', 'dlgs 142 2015', 'D.Lgs. n. 142 del 2015']) {
      t.same(ids(await index.search(query(q))), [doc.id], q)
    }
  })

  t.test('the last word typed matches as a prefix: "iscrizione anagr"', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({ title: 'Iscrizione anagrafica dei minori' })
    const other = faqDoc({ title: 'Iscrizione ai servizi scolastici' })
    await index.upsert([doc, other])
    t.same(ids(await index.search(query('iscrizione anagr'))), [doc.id])
  })

  t.test('similar() finds FAQs about the same thing, best first', async (t) => {
    const index = await makeIndex(t)
    const best = faqDoc({
      title: 'Ricongiungimento familiare dei figli maggiorenni',
      question: 'Il cittadino straniero può chiedere il ricongiungimento dei figli maggiorenni a carico?',
    })
    const related = faqDoc({ title: 'Ricongiungimento familiare: requisiti di reddito' })
    const unrelated = faqDoc({ title: 'Tassa sui rifiuti per le seconde case' })
    await index.upsert([best, related, unrelated])
    const hits = await index.similar('Posso ottenere il ricongiungimento per mio figlio maggiorenne?', { visibility: PUBLIC, limit: 5 })
    t.equal(hits[0]?.id, best.id)
    t.notOk(ids({ hits }).includes(unrelated.id))
    t.ok((await index.similar('ricongiungimento', { visibility: PUBLIC, limit: 1 })).length <= 1, 'limit is respected')
  })

  t.test('synonyms with stop words inside, in capitals and with accents: "CIE", "pds", "sui"', async (t) => {
    const index = await makeIndex(t)
    const cie = faqDoc({ title: "RILASCIO DELLA CARTA D'IDENTITÀ ELETTRONICA", answer: 'Il comune la rilascia su appuntamento.' })
    const permit = faqDoc({ title: 'Il PERMESSO DI SOGGIORNO è scaduto: che fare?' })
    const desk = faqDoc({ title: "Lo Sportello Unico per l'Immigrazione e il nulla osta al lavoro" })
    await index.upsert([cie, permit, desk, faqDoc()])
    t.same(ids(await index.search(query('cie'))), [cie.id])
    t.same(ids(await index.search(query('PDS scaduto'))), [permit.id])
    t.same(ids(await index.search(query('sui nulla osta lavoro'))), [desk.id])
  })

  t.test('a synonym phrase typed without its stop words still finds the FAQs saying it otherwise', async (t) => {
    const index = await makeIndex(t)
    const cie = faqDoc({ title: 'Rilascio della CIE ai minori', answer: 'Servono entrambi i genitori.' })
    // Says "carta" and "identità" apart, about something else.
    const apart = faqDoc({ title: "Carta blu per i minori: verifica dell'identità", answer: 'La carta blu si chiede allo sportello.' })
    const permit = faqDoc({ title: 'Un pds scaduto da sessanta giorni' })
    const expired = faqDoc({ title: 'Permesso di lavoro scaduto', answer: 'Il soggiorno del lavoratore resta regolare se il permesso è stato chiesto in tempo.' })
    await index.upsert([cie, apart, permit, expired, faqDoc()])
    t.equal(ids(await index.search(query('carta identita minori')))[0], cie.id)
    t.equal(ids(await index.search(query('permesso soggiorno scaduto')))[0], permit.id)
  })

  t.test('derived forms meet: "aderire SAI" finds "Adesione alla rete SAI"', async (t) => {
    const index = await makeIndex(t)
    const doc = faqDoc({ title: 'Adesione di un piccolo comune alla rete SAI' })
    await index.upsert([doc, faqDoc()])
    t.same(ids(await index.search(query('aderire SAI'))), [doc.id])
    t.same(ids(await index.search(query('iscriversi anagrafe', { filters: { visibility: PUBLIC } }))).length, 0, 'no false friend')
  })

  t.test('EU acts and two-digit years are cited in every form, on both sides', async (t) => {
    const index = await makeIndex(t)
    const directive = faqDoc({ title: 'Carta blu UE', answer: 'La direttiva (UE) 2021/1883 disciplina la Carta blu.' })
    const gdpr = faqDoc({ title: 'Dati personali nelle risposte', answer: 'Si applica il Regolamento (UE) 2016/679 (GDPR).' })
    const registry = faqDoc({ title: 'Regolamento anagrafico', answer: 'Lo prevede il D.P.R. 223/1989, art. 7.' })
    const citizenship = faqDoc({ title: 'Cittadinanza per matrimonio', answer: "Si veda l'art. 5 della legge n. 91/1992." })
    const tui = faqDoc({ title: 'Permesso per motivi familiari', answer: "L'art. 29 del D.Lgs. 286/1998 elenca i familiari." })
    await index.upsert([directive, gdpr, registry, citizenship, tui, faqDoc()])
    for (const q of ['2021/1883/UE', 'direttiva (UE) 2021/1883']) t.same(ids(await index.search(query(q))), [directive.id], q)
    t.same(ids(await index.search(query('Reg. UE 2016/679'))), [gdpr.id])
    t.same(ids(await index.search(query('DPR 223/89'))), [registry.id])
    t.same(ids(await index.search(query('L. 91/92'))), [citizenship.id])
    t.same(ids(await index.search(query('art. 29 TUI'))), [tui.id])
  })

  t.test('the one rare, decisive word of a query is not dropped for common ones', async (t) => {
    const index = await makeIndex(t)
    const common = Array.from({ length: 6 }, (_, i) =>
      faqDoc({ title: `Controlli sulla residenza nel comune, caso ${i}`, answer: 'Il comune verifica la residenza con i controlli anagrafici.' }),
    )
    const decisive = faqDoc({ title: 'Accertamenti della polizia municipale', answer: "L'agente verifica la dimora." })
    await index.upsert([...common, decisive])
    const found = ids(await index.search(query('controlli residenza comune polizia municipale')))
    t.ok(found.slice(0, 3).includes(decisive.id), `the polizia municipale FAQ is in the top 3: ${found.join(', ')}`)
  })
}

