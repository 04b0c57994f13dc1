import { readFileSync } from 'node:fs'
import type { DemoSeeder } from '../demo/seed.js'
import type { KnowledgeBaseService } from './service.js'

interface DemoFaq {
  id: string
  title: string
  question: string
  answer: string
  theme: string
  tags: string[]
}

/** Realistic FAQs on the programmes' themes (also the search relevance test set). */
const demoFaqs = (): DemoFaq[] => JSON.parse(readFileSync(new URL('./demo/faqs.json', import.meta.url), 'utf8')) as DemoFaq[]

/** Publishes the demo FAQs, a few days apart, by the demo moderator. Needs the accounts and forum-days seeders. */
export function knowledgeBaseDemoSeeder(kb: KnowledgeBaseService): DemoSeeder {
  return {
    name: 'knowledge base',
    async seed({ trx, clock, made }) {
      const users = (made.get('users') ?? {}) as Record<string, string>
      const days = made.get('forumDays') as { closed: string } | undefined
      if (!users.moderator) throw new Error('knowledge base demo: the accounts seeder must run first')
      const faqs = demoFaqs()
      const now = clock.now().getTime()
      for (const [i, faq] of faqs.entries()) {
        const publishedAt = new Date(now - (faqs.length - i) * 3 * 86_400_000)
        await kb.importFaq(trx, {
          ...faq,
          publishedAt,
          answeredOn: publishedAt.toISOString().slice(0, 10),
          publishedBy: users.moderator,
          forumDayId: i % 4 === 0 ? (days?.closed ?? null) : null,
        })
      }
    },
    describe: () => ['knowledge base: the demo FAQs are searchable — try /api/v1/faqs?q=rinnovo%20pds'],
  }
}
