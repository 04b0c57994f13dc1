import { existsSync, mkdirSync } from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import type { Test } from 'tap'

/**
 * What every browser test of the pages shares: Debian's Chromium (never a browser downloaded by a
 * tool), an Italian visitor's context, the accessibility scan and the screenshots.
 */
export const CHROMIUM = '/usr/bin/chromium'
export const NO_BROWSER = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export const DESKTOP = { width: 1280, height: 900 }
export const MOBILE = { width: 390, height: 844 }

/** An Italian visitor: Italian language, Rome time zone. */
export const ITALIAN: BrowserContextOptions = { locale: 'it-IT', timezoneId: 'Europe/Rome' }

/** Screenshots go here (git-ignored); look at them after a run. */
export const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url).pathname

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}

/**
 * WCAG 2.1 AA rules of axe-core; the serious and critical violations, each as "rule: targets".
 * Plus three things a clerk would notice that axe does not check: unnamed tables, text fields
 * with no line to type on, labels drawn over other text.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const violations = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  return [...violations, ...(await unnamedTables(page)), ...(await unseenFields(page)), ...(await coveringLabels(page))]
}

/** A screen reader lists a page's tables by name: each visible one needs a caption or aria-labelledby. */
async function unnamedTables(page: Page): Promise<string[]> {
  const unnamed = (await page.locator('table:visible').count()) - (await page.getByRole('table', { name: /\S/ }).count())
  return unnamed > 0 ? [`table-name (serious): ${unnamed} table(s) without a name (a caption or aria-labelledby)`] : []
}

/** A text field must show where to type (WCAG 1.4.11): Bootstrap Italia draws its line only on typed inputs. */
async function unseenFields(page: Page): Promise<string[]> {
  const unseen = await page.locator('input.form-control:visible, textarea.form-control:visible').evaluateAll((fields) =>
    fields
      .filter((f) => {
        const style = getComputedStyle(f)
        return style.borderBottomStyle === 'none' || style.borderBottomWidth === '0px'
      })
      .map((f) => `#${f.id}`),
  )
  return unseen.length > 0 ? [`field-boundary (serious): text fields with no visible line — ${unseen.join(', ')}`] : []
}

/** A label drawn over a heading, a paragraph, a legend, help text or another label (as Bootstrap Italia's floating labels did). */
async function coveringLabels(page: Page): Promise<string[]> {
  const covering = await page.locator('label:visible').evaluateAll((labels) => {
    const text = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, p, legend, small, label')).filter((e) => e.checkVisibility())
    return labels.flatMap((label) => {
      const a = label.getBoundingClientRect()
      const hit = text.find((e) => {
        if (e === label || e.contains(label) || label.contains(e)) return false
        const b = e.getBoundingClientRect()
        const overlap = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top))
        return overlap > 20
      })
      return hit ? [`label[for=${label.getAttribute('for')}] over <${hit.tagName.toLowerCase()}> "${hit.textContent?.trim().slice(0, 30)}"`] : []
    })
  })
  return covering.length > 0 ? [`label-overlap (serious): ${covering.join('; ')}`] : []
}

/** Fails the test on any message the page logs as an error (a CSP violation, a failed asset...). */
export function watchConsole(t: Test, page: Page): void {
  page.on('console', (message) => {
    // An error page's own status (404, 410) is logged too: that one is expected.
    if (message.type() !== 'error' || message.location().url === page.url()) return
    t.fail(`console error on ${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => t.fail(`script error on ${page.url()}: ${error.message}`))
}

/** Presses Tab until the focused element matches `selector`; false after `max` presses. */
export async function tabTo(page: Page, selector: string, max = 40): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    // A string: the tests are compiled without the DOM library.
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return true
  }
  return false
}

export interface Login {
  email: string
  password: string
}

/** A fresh Italian context (closed with the test) on `base`, its console watched. */
export async function newPage(t: Test, browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ...ITALIAN, viewport: DESKTOP, ...options })
  t.teardown(() => context.close())
  const page = await context.newPage()
  watchConsole(t, page)
  return page
}

/** A fresh context signed in through the sign-in form (at `path`, which may name where to return). */
export async function signedInPage(t: Test, browser: Browser, base: string, who: Login, options: BrowserContextOptions & { path?: string } = {}): Promise<Page> {
  const { path = '/accedi', ...contextOptions } = options
  const page = await newPage(t, browser, contextOptions)
  await page.goto(`${base}${path}`)
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password', { exact: true }).fill(who.password)
  await page.getByRole('button', { name: 'Accedi' }).click()
  await page.waitForLoadState()
  return page
}
