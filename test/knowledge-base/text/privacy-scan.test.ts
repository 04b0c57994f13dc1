import t from 'tap'
import { isValidFiscalCode, isValidIban, scanPersonalData } from '../../../src/knowledge-base/text/privacy-scan.js'

const kinds = (text: string, names = {}) => scanPersonalData(text, names).map((f) => [f.kind, f.text])

t.test('e-mail addresses and Italian phone numbers are found with their positions', async (t) => {
  const text = 'Scrivere a ufficio.anagrafe@comune.esempio.it, tel. 099 123 4567, cell. +39 333 123 4567, fax 06.76980863.'
  const findings = scanPersonalData(text)
  t.same(findings.map((f) => [f.kind, f.text]), [
    ['email', 'ufficio.anagrafe@comune.esempio.it'],
    ['phone', '099 123 4567'],
    ['phone', '+39 333 123 4567'],
    ['phone', '06.76980863'],
  ])
  for (const f of findings) t.equal(text.slice(f.start, f.end), f.text)
})

t.test('years, dates, law numbers, postcodes and amounts are not phone numbers', async (t) => {
  t.same(kinds('Il D.Lgs. 142/2015, art. 5, del 31.07.2017, CAP 00178, anno 1998, importo 1.000.000 euro, 5.000 abitanti, prot. esclusi.'), [])
})

t.test('a fiscal code is flagged only when its check character is right', async (t) => {
  t.ok(isValidFiscalCode('RSSMRA85T10A562S'))
  t.notOk(isValidFiscalCode('RSSMRA85T10A562X'))
  t.same(kinds('CF RSSMRA85T10A562S; sbagliato RSSMRA85T10A562X; parola ABCDEFGHIJKLMNOP'), [['fiscal_code', 'RSSMRA85T10A562S']])
})

t.test('an omocodic fiscal code (letters in place of digits) is still recognised', async (t) => {
  // The same person as RSSMRA85T10A562S with the last digit replaced by its omocodia letter (2 -> N).
  const omocodic = 'RSSMRA85T10A56NS'
  const checkFixed = omocodic.slice(0, 15) + (['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z'].find((c) => isValidFiscalCode(omocodic.slice(0, 15) + c)) as string)
  t.same(kinds(`codice ${checkFixed}`), [['fiscal_code', checkFixed]])
})

t.test('IBANs are validated with mod-97, with or without spaces', async (t) => {
  t.ok(isValidIban('IT60X0542811101000000123456'))
  t.notOk(isValidIban('IT61X0542811101000000123456'))
  t.same(kinds('IBAN IT60 X054 2811 1010 0000 0123 456 oppure IT61X0542811101000000123456'), [['iban', 'IT60 X054 2811 1010 0000 0123 456']])
})

t.test('protocol numbers in their usual forms', async (t) => {
  t.same(kinds('Prot. n. 12345/2017, protocollo n. 4567 e n. prot. 123/A').map(([k]) => k), ['protocol_number', 'protocol_number', 'protocol_number'])
})

t.test('the asking comune and person are found whatever the case and accents, on whole words', async (t) => {
  t.same(kinds('Il Comune di FORLI (Forlì) risponde; il barista di Bari; Mario Rossi, ovvero ROSSI MARIO.', { comuneNames: ['Forlì', 'Bari'], personNames: ['Mario Rossi'] }), [
    ['comune_name', 'FORLI'],
    ['comune_name', 'Forlì'],
    ['comune_name', 'Bari'],
    ['person_name', 'Mario Rossi'],
    ['person_name', 'ROSSI MARIO'],
  ])
})
