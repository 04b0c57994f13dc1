import { announcementUseCases } from './announcements.js'
import { createForumDaysContext } from './context.js'
import { editionUseCases } from './editions.js'
import { eligibilityUseCases } from './eligibility-decisions.js'
import type { ForumDaysDeps } from './ports.js'
import { readingUseCases } from './reading.js'
import { rehearsalUseCases } from './rehearsal.js'
import { schedulingUseCases } from './scheduling.js'

export type { DayCounts, DayCountsInStatement, DayQuestions, ForumDaysDeps, OrganizationDirectory } from './ports.js'
export { dayState, windowOf, type ForumDayState } from './rules.js'

/** The forum days module's service: one object for routes and other modules, made of its use cases. */
export function createForumDaysService(deps: ForumDaysDeps) {
  const context = createForumDaysContext(deps)
  return {
    ...editionUseCases(context),
    ...eligibilityUseCases(context),
    ...readingUseCases(context),
    ...schedulingUseCases(context),
    ...rehearsalUseCases(context),
    ...announcementUseCases(context),
  }
}

export type ForumDaysService = ReturnType<typeof createForumDaysService>
