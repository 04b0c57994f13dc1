import { createKnowledgeBaseContext, type KnowledgeBaseDeps } from './context.js'
import { curationUseCases } from './curation.js'
import { readingUseCases } from './reading.js'

export type { AskingOrganization, FaqSearchReader, KnowledgeBaseDeps, KnowledgeBaseSources, SourceQuestion, TextTools } from './context.js'
export { normaliseQuery, slugify, visibleTo, weekStart } from './rules.js'

/** The knowledge base's service: one object for routes and other modules, made of its use cases. */
export function createKnowledgeBaseService(deps: KnowledgeBaseDeps) {
  const context = createKnowledgeBaseContext(deps)
  return { ...readingUseCases(context), ...curationUseCases(context) }
}

export type KnowledgeBaseService = ReturnType<typeof createKnowledgeBaseService>
