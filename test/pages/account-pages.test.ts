import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { signIn, TEST_PASSWORD } from '../factories/accounts.js'
import { build } from '../helper.js'

/** Debian's Chromium (apt-get install -y chromium); never a browser downloaded by a tool. */
const CHROMIUM = '/usr/bin/chromium'
const NO_BROWSER = existsSync(CHROMIUM) ? false : `needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`
if (NO_BROWSER) t.comment(`skipping browser tests: ${NO_BROWSER}`)

const NEW_PASSWORD = 'Parola-segreta-del-comune-42'

let browser: Browser | undefined
t.before(async () => {
  if (NO_BROWSER) return
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})
t.teardown(() => browser?.close())

/** A page in a fresh browser context, with the app listening. */
async function open(t: Test) {
  const app = await build(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const context = await browser!.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  return { app, base, page }
}

const login = (app: Awaited<ReturnType<typeof build>>, email: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } })

async function submit(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value)
  await page.getByRole('button', { name: /Attiva|Salva/ }).click()
}

t.test('an invited expert opens the link, chooses a password and can sign in', { skip: NO_BROWSER }, async (t) => {
  const { app, base, page } = await open(t)
  const admin = await signIn(app, { role: 'admin' })
  const invitation = await app.accounts.invite(admin.actor, { email: 'esperta.nuova@anci.example', role: 'expert', topics: ['anagrafe'] }, { ip: null })
  const link = new URL(invitation.url)
  const response = await page.goto(`${base}${link.pathname}${link.hash}`)
  t.match(response?.headers()['content-security-policy'], /script-src 'self'/)
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Attiva il tuo account')
  t.equal(new URL(page.url()).hash, '', 'the token leaves the address bar at once')

  await submit(page, { 'Nome e cognome': 'Giulia Esposito', 'Nuova password': NEW_PASSWORD, 'Ripeti la password': 'un-altra-cosa-del-tutto' })
  t.equal(await page.getByRole('alert').textContent(), 'Le due password non coincidono.')
  await submit(page, { 'Nuova password': 'password1234', 'Ripeti la password': 'password1234' })
  await page.getByText('Questa password è tra le più usate').waitFor()
  await submit(page, { 'Nuova password': NEW_PASSWORD, 'Ripeti la password': NEW_PASSWORD })
  await page.getByRole('status').getByText('Il tuo account è attivo').waitFor()
  t.equal(await page.getByRole('link', { name: 'Vai alla pagina di accesso' }).getAttribute('href'), '/accedi', 'it ends on the sign-in page')

  const signedIn = await login(app, 'esperta.nuova@anci.example', NEW_PASSWORD)
  t.equal(signedIn.statusCode, 201)
  t.match(signedIn.json(), { user: { displayName: 'Giulia Esposito', role: 'expert' } })

  const again = await (await browser!.newContext()).newPage()
  await again.goto(`${base}${link.pathname}${link.hash}`)
  await submit(again, { 'Nome e cognome': 'Qualcun altro', 'Nuova password': NEW_PASSWORD, 'Ripeti la password': NEW_PASSWORD })
  await again.getByText('Questo invito è già stato usato').waitFor()
  await again.context().close()
})

t.test('a password reset link sets the new password and ends the open sessions', { skip: NO_BROWSER }, async (t) => {
  const { app, base, page } = await open(t)
  const moderator = await signIn(app, { role: 'moderator' })
  const staff = await signIn(app, { role: 'staff' })
  const reset = await app.accounts.issuePasswordReset(moderator.actor, staff.userId, { ip: null })
  const link = new URL(reset.url)
  await page.goto(`${base}${link.pathname}${link.hash}`)
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Scegli una nuova password')
  t.equal(await page.getByLabel('Nome e cognome').count(), 0, 'no name to give here')
  await submit(page, { 'Nuova password': NEW_PASSWORD, 'Ripeti la password': NEW_PASSWORD })
  await page.getByRole('status').getByText('La password è cambiata').waitFor()
  t.equal(await page.getByRole('link', { name: 'Vai alla pagina di accesso' }).getAttribute('href'), '/accedi', 'it ends on the sign-in page')
  t.equal((await login(app, staff.email, TEST_PASSWORD)).statusCode, 401)
  t.equal((await login(app, staff.email, NEW_PASSWORD)).statusCode, 201)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/me', headers: staff.headers })).statusCode, 401, 'the old session ended')
})

t.test('a link without its token says so instead of showing a form that cannot work', { skip: NO_BROWSER }, async (t) => {
  const { base, page } = await open(t)
  await page.goto(`${base}/nuova-password`)
  await page.getByText('Il link è incompleto').waitFor()
  t.notOk(await page.getByRole('button', { name: /Salva/ }).isVisible())
})

t.test('the pages and their assets are served with a strict policy and no caching of the forms', async (t) => {
  const app = await build(t)
  for (const path of ['/invito', '/nuova-password']) {
    const page = await app.inject({ method: 'GET', url: path })
    t.equal(page.statusCode, 200)
    t.match(page.headers['content-type'], /^text\/html/)
    t.match(page.headers['content-security-policy'], /default-src 'none'; script-src 'self'/)
    t.equal(page.headers['referrer-policy'], 'no-referrer')
    t.equal(page.headers['cache-control'], 'no-store')
    t.notMatch(page.body, /<script>|style=/, 'nothing inline for the policy to allow')
    const src = /<script type="module" src="(\/assets\/account\.[0-9a-f]{10}\.js)"/.exec(page.body)?.[1]
    const script = await app.inject({ method: 'GET', url: src! })
    t.match(script.headers['content-type'], /^(text|application)\/javascript/)
    t.match(script.headers['cache-control'], /immutable/)
    t.match(script.body, /invitations\/accept/)
  }
})
