import type { FastifyPluginAsync } from 'fastify'
import type { AccountsService } from '../accounts/service.js'
import type { ForumDaysService } from '../forum-days/service.js'
import type { KnowledgeBaseService } from '../knowledge-base/service.js'
import type { QuestionsService } from '../questions/service.js'
import expertRoutes from '../expert-site/routes.js'
import accountRoutes from './account-routes.js'
import forumRoutes from './forum-routes.js'
import { acceptFormPosts } from '../web/form-body.js'

export interface StaffSiteOptions {
  accounts: AccountsService
  forumDays: ForumDaysService
  questions: QuestionsService
  kb: KnowledgeBaseService
  cookieSecure: boolean
}

/**
 * The signed-in pages: sign-in and account, and the comune staff's forum pages. Their forms are
 * plain HTML posts (they work without JavaScript), so this context, and only this one, reads
 * `application/x-www-form-urlencoded` bodies. Handlers call the services with the request's
 * Actor, as the JSON routes do.
 */
const staffSite: FastifyPluginAsync<StaffSiteOptions> = async (app, options) => {
  acceptFormPosts(app)
  await app.register(accountRoutes, { accounts: options.accounts, cookieSecure: options.cookieSecure })
  await app.register(forumRoutes, { accounts: options.accounts, forumDays: options.forumDays, questions: options.questions, kb: options.kb })
  // The experts' pages share this context's form parsing and session rules.
  await app.register(expertRoutes, { forumDays: options.forumDays, questions: options.questions, kb: options.kb })
}

export default staffSite
