import { answeringUseCases } from './answering.js'
import { createQuestionsContext } from './context.js'
import { moderationUseCases } from './moderation.js'
import type { QuestionsDeps } from './ports.js'
import { queueUseCases } from './queue.js'
import { readingUseCases } from './reading.js'
import { submissionUseCases } from './submission.js'

export type { FaqLookup, OrganizationDirectory, PeopleDirectory, QuestionsDeps, SubmitResult } from './ports.js'
export type { QuestionFilter } from './reading.js'

/** The questions module's service: one object for routes and other modules, made of its use cases. */
export function createQuestionsService(deps: QuestionsDeps) {
  const context = createQuestionsContext(deps)
  return {
    ...submissionUseCases(context),
    ...readingUseCases(context),
    ...queueUseCases(context),
    ...answeringUseCases(context),
    ...moderationUseCases(context),
  }
}

export type QuestionsService = ReturnType<typeof createQuestionsService>
