import type { RequestMeta } from '../accounts/service.js'

/**
 * How a person proves who they are. Today only email and password; SPID and CIE (through a
 * SAML/OpenID Connect gateway) will be other providers that end with the same session, using
 * the accounts table's external identity. The sign-in page lists the providers it is given, so
 * adding one means a new implementation here and no change to the pages' flow.
 */
export interface IdentityProvider<Credentials> {
  /** Stable id, e.g. 'password', later 'spid' or 'cie'. */
  id: string
  /** Checks the credentials and opens a session; throws DomainErrors (wrong credentials, throttled...). */
  signIn(credentials: Credentials, meta: RequestMeta): Promise<{ token: string; role: string }>
}

export interface PasswordCredentials {
  email: string
  password: string
}

export function passwordProvider(accounts: {
  login(input: PasswordCredentials, meta: RequestMeta): Promise<{ token: string; user: { role: string } }>
}): IdentityProvider<PasswordCredentials> {
  return {
    id: 'password',
    async signIn(credentials, meta) {
      const result = await accounts.login(credentials, meta)
      return { token: result.token, role: result.user.role }
    },
  }
}
