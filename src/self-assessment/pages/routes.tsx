import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AccountsService } from '../../accounts/service.js'
import type { ForumDaysService } from '../../forum-days/service.js'
import type { SelfAssessmentService } from '../service.js'

export interface SelfAssessmentPagesOptions {
  selfAssessment: SelfAssessmentService
  forumDays: ForumDaysService
  accounts: AccountsService
}

const selfAssessmentPages: FastifyPluginAsyncZod<SelfAssessmentPagesOptions> = async () => {}

export default selfAssessmentPages
