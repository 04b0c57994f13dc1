import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { assessmentUseCases } from './assessments.js'
import { createSelfAssessmentContext, type SelfAssessmentDeps } from './context.js'
import { questionnaireUseCases } from './questionnaires.js'
import * as repo from './repository.js'
import { resultUseCases } from './results.js'

export type { SelfAssessmentDeps } from './context.js'

/** The self-assessment (autodiagnosi) service, made of its use cases. */
export function createSelfAssessmentService(deps: SelfAssessmentDeps) {
  const context = createSelfAssessmentContext(deps)
  return {
    ...questionnaireUseCases(context),
    ...assessmentUseCases(context),
    ...resultUseCases(context),

    // ---- for the reports module (inside its transaction, so no actor: the caller checked) ----
    /** The organizations that started or submitted an assessment of one of the edition's questionnaires. */
    async organizationsAssessed(trx: Kysely<Database>, editionId: string): Promise<string[]> {
      return repo.organizationsThatAssessed(trx, editionId)
    },
  }
}

export type SelfAssessmentService = ReturnType<typeof createSelfAssessmentService>
