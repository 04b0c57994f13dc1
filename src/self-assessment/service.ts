import { assessmentUseCases } from './assessments.js'
import { createSelfAssessmentContext, type SelfAssessmentDeps } from './context.js'
import { questionnaireUseCases } from './questionnaires.js'
import { resultUseCases } from './results.js'

export type { SelfAssessmentDeps } from './context.js'

/** The self-assessment (autodiagnosi) service, made of its use cases. */
export function createSelfAssessmentService(deps: SelfAssessmentDeps) {
  const context = createSelfAssessmentContext(deps)
  return { ...questionnaireUseCases(context), ...assessmentUseCases(context), ...resultUseCases(context) }
}

export type SelfAssessmentService = ReturnType<typeof createSelfAssessmentService>
