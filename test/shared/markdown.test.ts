import t from 'tap'
import { markdownToPlainText, renderMarkdown } from '../../src/shared/markdown.js'

t.test('ordinary Markdown renders: paragraphs, emphasis, lists, links, headings', async (t) => {
  const html = renderMarkdown('## Risposta\n\nSì, **è possibile**:\n\n- primo punto\n- secondo punto\n\nVedi [Normattiva](https://www.normattiva.it/).')
  t.match(html, '<h2>Risposta</h2>')
  t.match(html, '<strong>è possibile</strong>')
  t.match(html, '<li>primo punto</li>')
  t.match(html, '<a href="https://www.normattiva.it/" rel="noopener noreferrer nofollow">Normattiva</a>')
})

t.test('raw HTML never survives: script, event handlers and iframes are shown as text', async (t) => {
  const html = renderMarkdown('Ciao <script>alert(1)</script> <img src=x onerror="alert(2)"> <iframe src="https://evil.example"></iframe>')
  t.notMatch(html, /<script|<img|<iframe/)
  t.match(html, '&lt;script&gt;alert(1)&lt;/script&gt;')
})

t.test('dangerous link schemes are not turned into links', async (t) => {
  for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'file:///etc/passwd']) {
    const html = renderMarkdown(`[clicca](${url})`)
    t.notMatch(html, /<a /, `${url} is not a link`)
  }
  t.match(renderMarkdown('[scrivici](mailto:segreteria@anci.it)'), '<a href="mailto:segreteria@anci.it">')
})

t.test('images are reduced to their alt text', async (t) => {
  const html = renderMarkdown('![logo del comune](https://tracker.example/pixel.png)')
  t.notMatch(html, /<img/)
  t.match(html, 'logo del comune')
})

t.test('bare addresses become links (linkify) with the same protections', async (t) => {
  t.match(renderMarkdown('Vedi https://www.interno.gov.it per i moduli'), '<a href="https://www.interno.gov.it" rel="noopener noreferrer nofollow">')
})

t.test('plain text drops the Markdown syntax but keeps the words', async (t) => {
  t.equal(
    markdownToPlainText('## Titolo\n\nSì, **è possibile** ai sensi del [D.Lgs. 142/2015](https://x.it).\n\n- uno\n- due'),
    'Titolo\nSì, è possibile ai sensi del D.Lgs. 142/2015.\nuno\ndue',
  )
})
