import type { Browser } from 'playwright-core'
import tap from 'tap'
import type { App } from '../../src/app.js'
import { publishInput } from '../factories/knowledge-base.js'
import { moderatorOf } from '../factories/forum.js'
import { build } from '../helper.js'
import { TestSmtpServer } from '../mail/smtp.js'
import { launchBrowser, NO_BROWSER, screenshot, seriousViolations, signedInPage } from '../web/browser.js'

/**
 * The end of a clerk's question, in a real browser on the demo data, with the mail going to a
 * real SMTP server: the answer appears on the open page without a reload, the e-mail about it
 * links back to it, and once the secretariat publishes it the clerk follows the link to the
 * public FAQ.
 */

if (NO_BROWSER) tap.comment(`skipping browser tests: ${NO_BROWSER}`)
tap.setTimeout(600_000)

const CLERK = { email: 'anagrafe@demo.comune.polizzigenerosa.example', password: 'demo-staff-Polizzi-2026' }
const EXPERT = { email: 'esperta.demografici@demo.anci.example', password: 'demo-esperta-Anci-2026' }

async function bearer(app: App, who: { email: string; password: string }): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: who })
  return `Bearer ${res.json().token as string}`
}

/** Polls the SMTP server: the outbox worker sends on its own timer. */
async function mailTo(smtp: TestSmtpServer, address: string, subject: string) {
  for (let i = 0; i < 300; i++) {
    const mail = smtp.to(address).find((m) => m.subject === subject)
    if (mail) return mail
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no mail "${subject}" to ${address}; received: ${smtp.received.map((m) => m.subject).join(' | ')}`)
}

/** The link of the message's action (its text part ends each action with the URL). */
function actionLink(text: string | undefined, path: RegExp): URL {
  const match = new RegExp(`https?://\\S*${path.source}`).exec(text ?? '')
  if (!match) throw new Error(`no link matching ${path} in: ${text}`)
  return new URL(match[0])
}

let browser: Browser
tap.before(async () => {
  if (!NO_BROWSER) browser = await launchBrowser()
})
tap.teardown(() => browser?.close())

tap.test('the clerk receives the answer live and by e-mail, then follows the link to the published FAQ', { skip: NO_BROWSER }, async (t) => {
  const smtp = await new TestSmtpServer().start()
  t.teardown(() => smtp.stop())
  const app = await build(t, { env: { DEMO_DATA: 'true', SMTP_URL: smtp.url, MAIL_INTERVAL_MS: '100', SEARCH_INDEXING_INTERVAL_MS: '3600000', REALTIME_POLL_MS: '200' } })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  // The clerk's question on the open demo day, claimed by the demo expert.
  const clerkAuth = await bearer(app, CLERK)
  const expertAuth = await bearer(app, EXPERT)
  const day = (await app.inject({ method: 'GET', url: '/api/v1/forum-days?state=open', headers: { authorization: clerkAuth } })).json()[0]
  const asked = await app.inject({
    method: 'POST',
    url: `/api/v1/forum-days/${day.id}/questions`,
    headers: { authorization: clerkAuth, 'idempotency-key': `answer-browser-${Date.now()}` },
    payload: { title: 'Cambio di residenza del cittadino straniero', body: 'Un cittadino straniero trasferisce la residenza da un altro comune: serve il permesso di soggiorno in corso di validità?', theme: day.themes[0].code },
  })
  t.equal(asked.statusCode, 201, asked.body)
  const questionId = asked.json().id as string
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/questions/${questionId}/claim`, headers: { authorization: expertAuth } })).statusCode, 200)

  const clerk = await signedInPage(t, browser, base, CLERK, { path: `/accedi?ritorno=${encodeURIComponent(`/le-mie-domande/${questionId}`)}` })
  await clerk.waitForURL(`**/le-mie-domande/${questionId}`)
  await clerk.locator('[data-live-status]').getByText('Aggiornamento in tempo reale attivo.').waitFor()
  t.equal(await clerk.locator('main [data-question-state]').first().textContent(), 'In lavorazione')

  const answer = 'Sì: per l’iscrizione anagrafica il cittadino straniero esibisce il **permesso di soggiorno** in corso di validità, o la ricevuta della richiesta di rinnovo.'
  const answered = await app.inject({ method: 'POST', url: `/api/v1/questions/${questionId}/answer`, headers: { authorization: expertAuth }, payload: { markdown: answer } })
  t.equal(answered.statusCode, 200, answered.body)

  // Live: the state words and the answer itself, on the page as it stands.
  await clerk.locator('main [data-question-state="answered"]').waitFor()
  const thread = clerk.locator('[data-thread]')
  await thread.getByText('Risposta dell’esperto').waitFor()
  t.equal(await thread.locator('strong', { hasText: 'permesso di soggiorno' }).count(), 1, 'the answer, rendered, without reloading')
  t.same(await seriousViolations(clerk), [], 'axe on the answered question')
  await screenshot(clerk, 'domanda-con-risposta-desktop')

  // By e-mail, with a link that opens the question.
  const answerMail = await mailTo(smtp, CLERK.email, 'La vostra domanda ha una risposta')
  const questionLink = actionLink(answerMail.text, new RegExp(`/le-mie-domande/${questionId}`))
  await clerk.goto(`${base}${questionLink.pathname}`)
  await clerk.locator('[data-thread]').getByText('ricevuta della richiesta di rinnovo').waitFor()

  // The secretariat publishes it: the clerk is told by e-mail and the page links to the FAQ.
  const moderator = await moderatorOf(app)
  const faq = await app.kb.publish(moderator.actor, publishInput(questionId, { title: 'Residenza del cittadino straniero e permesso di soggiorno' }))
  const publishedMail = await mailTo(smtp, CLERK.email, 'La risposta alla vostra domanda è pubblicata')
  t.equal(actionLink(publishedMail.text, /\/domande-e-risposte\/[\w-]+/).pathname, `/domande-e-risposte/${faq.slug}`, 'the e-mail links to the public FAQ')
  await clerk.reload()
  await clerk.getByRole('link', { name: new RegExp(faq.title) }).click()
  await clerk.waitForURL(`**/domande-e-risposte/${faq.slug}`)
  t.equal(await clerk.getByRole('heading', { level: 1 }).textContent(), faq.title, 'the public FAQ page')
})
