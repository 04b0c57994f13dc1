import type { Test } from 'tap'
import type { App } from '../../src/app.js'
import { moderatorOf } from '../factories/forum.js'
import { build } from '../helper.js'

export interface DemoSite {
  app: App
  base: string
  /** A published FAQ whose answer cites an act with a Normattiva link. */
  faqPath: string
  /** A slug that was published, then withdrawn. */
  withdrawnPath: string
}

/** The app with the demo data, listening: what a visitor sees after `npm start`. */
export async function demoSite(t: Test): Promise<DemoSite> {
  const app = await build(t, { env: { DEMO_DATA: 'true', SEARCH_INDEXING_INTERVAL_MS: '3600000', REALTIME_POLL_MS: '200' } })
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const hits = (await app.inject({ method: 'GET', url: '/api/v1/faqs?q=permesso%20di%20soggiorno&pageSize=20' })).json().hits as Array<{ slug: string }>
  let faqPath = ''
  for (const { slug } of hits) {
    const faq = (await app.inject({ method: 'GET', url: `/api/v1/faqs/${slug}` })).json()
    if (faq.legalReferences.some((r: { links: { inForce?: string } }) => r.links.inForce)) {
      faqPath = faq.url
      break
    }
  }
  if (!faqPath) throw new Error('the demo data has no FAQ citing an act')
  const last = hits.at(-1)!.slug
  const moderator = await moderatorOf(app)
  await app.kb.unpublish(moderator.actor, last, (await app.kb.get(moderator.actor, last)).version)
  return { app, base, faqPath, withdrawnPath: `/domande-e-risposte/${last}` }
}
