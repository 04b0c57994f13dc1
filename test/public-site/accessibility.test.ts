import type { Browser } from 'playwright-core'
import tap from 'tap'
import { DESKTOP, ITALIAN, launchBrowser, MOBILE, NO_BROWSER, screenshot, seriousViolations, watchConsole } from '../web/browser.js'
import { demoSite, type DemoSite } from './demo-site.js'

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
// A real browser on a shared 2-core machine: more than the default 180 s per file.
tap.setTimeout(600_000)

let browser: Browser
let demo: DemoSite

tap.before(async () => {
  if (NO_BROWSER) return
  browser = await launchBrowser()
  demo = await demoSite(tap)
})
tap.teardown(() => browser?.close())

const PAGES = [
  ['home', '/'],
  ['domande-e-risposte', '/domande-e-risposte'],
  ['ricerca', '/domande-e-risposte?q=rinnovo+permesso+di+soggiorno'],
  ['ricerca-vuota', '/domande-e-risposte?q=xqzwvk'],
  ['forum', '/forum'],
  ['dati-aperti', '/dati-aperti'],
  ['accessibilita', '/accessibilita'],
  ['privacy', '/privacy'],
  ['accedi', '/accedi'],
  ['password-dimenticata', '/password-dimenticata'],
  ['invito', '/invito'],
  ['pagina-non-trovata', '/pagina-che-non-esiste'],
] as const

tap.test('every page: no serious or critical axe violation, screenshots at desktop and mobile width', { skip: NO_BROWSER }, async (t) => {
  for (const viewport of [DESKTOP, MOBILE]) {
    const context = await browser.newContext({ ...ITALIAN, viewport })
    t.teardown(() => context.close())
    const page = await context.newPage()
    watchConsole(t, page)
    const width = viewport === DESKTOP ? 'desktop' : 'mobile'
    for (const [name, path] of [...PAGES, ['faq', demo.faqPath], ['faq-ritirata', demo.withdrawnPath]] as const) {
      const response = await page.goto(`${demo.base}${path}`)
      const expected = name === 'pagina-non-trovata' ? 404 : name === 'faq-ritirata' ? 410 : 200
      t.equal(response?.status(), expected, `${path} answers ${expected}`)
      if (viewport === DESKTOP) t.same(await seriousViolations(page), [], `axe on ${path}`)
      await screenshot(page, `${name}-${width}`)
    }
  }
})


