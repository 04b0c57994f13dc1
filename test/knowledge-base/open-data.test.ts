import t from 'tap'
import { atomFeed, OPEN_DATA_COLUMNS, openDataRecord, toCsv } from '../../src/knowledge-base/open-data.js'
import type { FaqDto } from '../../src/knowledge-base/schemas.js'
import { normaliseQuery, slugify, weekStart } from '../../src/knowledge-base/service.js'

const faq: FaqDto = {
  id: '7d3f8a52-3c1e-4f55-9a0b-1c2d3e4f5a6b',
  slug: 'iscrizione-anagrafica-del-richiedente-asilo',
  url: '/domande-e-risposte/iscrizione-anagrafica-del-richiedente-asilo',
  title: 'Iscrizione anagrafica del richiedente asilo: "serve" il permesso?',
  question: 'Il richiedente asilo può iscriversi in anagrafe?',
  questionHtml: '<p>Il richiedente asilo può iscriversi in anagrafe?</p>\n',
  answer: 'Sì, ai sensi del D.Lgs. 142/2015, art. 5, con la <ricevuta>.',
  answerHtml: '<p>Sì, ai sensi del D.Lgs. 142/2015, art. 5, con la &lt;ricevuta&gt;.</p>\n',
  theme: 'servizi-demografici',
  themeLabel: 'Servizi demografici',
  tags: ['anagrafe', 'asilo'],
  legalReferences: [{ key: 'D.Lgs. 142/2015', label: 'D.Lgs. 142/2015', article: '5', text: 'D.Lgs. 142/2015, art. 5', links: {} }],
  scope: 'nazionale',
  scopeRegion: null,
  visibility: 'public',
  origin: 'un comune della Puglia sotto i 5.000 abitanti',
  forumDayId: null,
  state: 'published',
  publishedAt: '2017-11-24T10:00:00.000Z',
  updatedAt: '2017-11-25T10:00:00.000Z',
  answeredOn: '2017-11-20',
  review: { flagged: false, reason: null, reviewBy: null, lawAsOf: '2017-11-20' },
  questionsAnswered: 3,
  version: 2,
  related: [],
}

t.test('the Atom feed is well-formed and escapes what it carries', async (t) => {
  const xml = atomFeed([faq], 'https://forum.example.it', new Date('2026-01-01T00:00:00Z'))
  t.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="it">/)
  t.match(xml, '<id>https://forum.example.it/domande-e-risposte/iscrizione-anagrafica-del-richiedente-asilo</id>')
  t.match(xml, '<title>Iscrizione anagrafica del richiedente asilo: &quot;serve&quot; il permesso?</title>')
  t.match(xml, '<updated>2017-11-25T10:00:00.000Z</updated>')
  t.match(xml, '&amp;lt;ricevuta&amp;gt;', 'HTML content is escaped once more inside the XML')
  t.notMatch(xml, /<ricevuta>/)
  t.equal(xml.match(/<entry>/g)?.length, 1)
})

t.test('an empty feed still says when it was generated', async (t) => {
  t.match(atomFeed([], 'https://forum.example.it', new Date('2026-01-01T00:00:00Z')), '<updated>2026-01-01T00:00:00.000Z</updated>')
})

t.test('the CSV export opens in an Italian spreadsheet: BOM, ";" between fields, quotes where needed', async (t) => {
  const csv = toCsv([openDataRecord(faq, 'https://forum.example.it')], OPEN_DATA_COLUMNS)
  t.ok(csv.startsWith('\uFEFF'), 'a UTF-8 byte-order mark, so accents survive')
  const [header, row] = csv.slice(1).split('\r\n')
  t.equal(header, OPEN_DATA_COLUMNS.join(';'))
  t.match(row, /^iscrizione-anagrafica-del-richiedente-asilo;https:\/\/forum\.example\.it\/domande-e-risposte\//)
  t.match(row, '"Iscrizione anagrafica del richiedente asilo: ""serve"" il permesso?"')
  t.match(row, ';Sì, ai sensi del D.Lgs. 142/2015, art. 5, con la <ricevuta>.;', 'commas need no quotes')
  t.match(row, ';"anagrafe; asilo";D.Lgs. 142/2015;nazionale;', 'a ";" inside a field is quoted')
  t.ok(csv.endsWith('\r\n'))
})

t.test('slugs are readable, accent-free and bounded', async (t) => {
  t.equal(slugify('Città: iscrizione anagrafica dei richiedenti asilo (D.Lgs. 142/2015)'), 'citta-iscrizione-anagrafica-dei-richiedenti-asilo-d-lgs-142-2015')
  t.ok(slugify('parola '.repeat(40)).length <= 80)
  t.notMatch(slugify('parola '.repeat(40)), /-$/)
  t.equal(slugify('!!!'), 'faq')
})

t.test('search analytics group queries by ISO week and by normalised text', async (t) => {
  t.equal(weekStart(new Date('2026-11-22T23:00:00Z')), '2026-11-16', 'a Sunday belongs to the week that began on Monday')
  t.equal(weekStart(new Date('2026-11-23T00:00:00Z')), '2026-11-23')
  t.equal(normaliseQuery('  Rinnovo   PDS '), 'rinnovo pds')
})
