import t from 'tap'
import { findLegalReferences, lawKey, legalLinks } from '../../../src/knowledge-base/text/legal-references.js'

const keys = (text: string) => findLegalReferences(text).map((r) => r.key)

t.test('the many ways of citing a legislative decree normalise to one key', async (t) => {
  for (const written of [
    'D.Lgs. n. 142/2015',
    'D. Lgs. 142/2015',
    'd.lgs. 142 del 2015',
    'Dlgs 142/2015',
    'decreto legislativo 18 agosto 2015, n. 142',
    'decreto legislativo 142\\2015',
  ]) {
    t.same(keys(`Si veda il ${written}, in vigore.`), ['D.Lgs. 142/2015'], written)
  }
})

t.test('laws, decree-laws, presidential decrees, EU acts and circulars are recognised', async (t) => {
  t.same(keys('L. 91/1992, l. n. 91/1992 e la legge 5 febbraio 1992, n. 91'), ['L. 91/1992', 'L. 91/1992', 'L. 91/1992'])
  t.same(keys('D.L. 113/2018, decreto-legge 4 ottobre 2018, n. 113, convertito dalla legge 1 dicembre 2018, n. 132'), ['D.L. 113/2018', 'D.L. 113/2018', 'L. 132/2018'])
  t.same(keys('DPR 223/1989 e decreto del Presidente della Repubblica 31 agosto 1999, n. 394'), ['D.P.R. 223/1989', 'D.P.R. 394/1999'])
  t.same(keys('la direttiva 2014/66/UE e il regolamento (UE) 2016/679 e il regolamento (CE) n. 810/2009'), [
    'Direttiva 2014/66/UE',
    'Regolamento (UE) 2016/679',
    'Regolamento (CE) 2009/810',
  ])
  t.same(keys("la circolare del Ministero dell'Interno del 31 luglio 2017"), ['Circolare Min. Interno 31/07/2017'])
})

t.test('articles are attached to the act they belong to, with positions of the whole citation', async (t) => {
  const text = "Ai sensi dell'art. 5-bis, comma 3, del D.Lgs. n. 142/2015 e degli artt. 4 e 5 D.P.R. 394/1999."
  const [first, second] = findLegalReferences(text)
  t.match(first, { key: 'D.Lgs. 142/2015', article: '5-bis, comma 3', text: 'art. 5-bis, comma 3, del D.Lgs. n. 142/2015' })
  t.equal(text.slice(first!.start, first!.end), first!.text)
  t.match(second, { key: 'D.P.R. 394/1999', article: '4 e 5' })
})

t.test('numbers, years and article numbers alone are not citations', async (t) => {
  t.same(keys("L'art. 5 prevede, al n. 142, che nel 2015 il comma l. 5 si applichi a 5.000 abitanti."), [])
})

t.test('known acts link to Normattiva, today and at the answer date, down to the article', async (t) => {
  const [ref] = findLegalReferences("l'art. 5-bis del D.Lgs. n. 142/2015")
  t.same(legalLinks(ref!, '2017-11-20'), {
    inForce: 'https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2015-08-18;142~art5bis',
    atAnswerDate: 'https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2015-08-18;142~art5bis!vig=2017-11-20',
  })
  t.same(legalLinks({ key: 'D.P.R. 223/1989' }, '2020-01-01').inForce, 'https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1989-05-30;223')
})

t.test('an act outside the table links only when the text gives its date', async (t) => {
  const [dated] = findLegalReferences('decreto legislativo 3 ottobre 2025, n. 77')
  t.match(legalLinks(dated!, '2026-01-01').inForce, 'urn:nir:stato:decreto.legislativo:2025-10-03;77')
  t.same(legalLinks({ key: 'D.Lgs. 77/2025' }, '2026-01-01'), {}, 'a short citation of an unknown act has no date, hence no URN')
})

t.test('EU acts link to EUR-Lex by CELEX number', async (t) => {
  t.same(legalLinks({ key: 'Direttiva 2014/66/UE' }, '2017-11-20'), { eurLex: 'https://eur-lex.europa.eu/legal-content/IT/TXT/?uri=CELEX:32014L0066' })
  t.same(legalLinks({ key: 'Regolamento (CE) 2009/810' }, '2017-11-20'), { eurLex: 'https://eur-lex.europa.eu/legal-content/IT/TXT/?uri=CELEX:32009R0810' })
})

t.test('a moderator can name an act in full or in short', async (t) => {
  t.equal(lawKey('decreto legislativo 18 agosto 2015, n. 142'), 'D.Lgs. 142/2015')
  t.equal(lawKey('D.Lgs. 142/2015'), 'D.Lgs. 142/2015')
  t.equal(lawKey('la legge nuova'), undefined)
})
