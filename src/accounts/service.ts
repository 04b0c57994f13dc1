import { createAccountsContext, type AccountsDeps } from './context.js'
import { invitationUseCases } from './invitations.js'
import { passwordResetUseCases } from './password-resets.js'
import { sessionUseCases } from './sessions.js'
import { userUseCases } from './users.js'

export type { AccountsDeps, RequestMeta } from './context.js'

/**
 * The accounts module's service: one object for the routes and the other modules, made of its
 * use cases, each in a file named after it.
 */
export function createAccountsService(deps: AccountsDeps) {
  const context = createAccountsContext(deps)
  return {
    ...sessionUseCases(context),
    ...invitationUseCases(context),
    ...passwordResetUseCases(context),
    ...userUseCases(context),
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
