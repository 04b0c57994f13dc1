import type { Role, UserActor } from '../../src/accounts/actor.js'
import { hashPassword } from '../../src/accounts/passwords.js'
import type { App } from '../../src/app.js'
import { comuniRepository } from '../../src/comuni/repository.js'
import type { OrganizationDto } from '../../src/comuni/schemas.js'

/**
 * Small factories for tests: organizations and signed-in users with real sessions, created
 * directly through the services (no HTTP). Every call makes unique names, codes and emails.
 */

/** The password of every factory-made account. */
export const TEST_PASSWORD = 'factory-password-9ZqX'
/** The PUBLIC_ORIGIN of testConfig() (http://localhost:<PORT default>). */
export const TEST_ORIGIN = 'http://localhost:3000'

let counter = 0
const next = () => ++counter
const suffix = () => `${process.pid.toString(36)}-${next()}-${Math.random().toString(36).slice(2, 6)}`

// Hashing costs tens of milliseconds: hash the shared test password once per process.
let passwordHash: Promise<string> | undefined
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD))

/** ISTAT codes from 900000 up: no real comune has them. */
const fakeIstatCode = () => String(900000 + ((next() * 7919 + Math.floor(Math.random() * 1000)) % 99999)).padStart(6, '0')

export interface ComuneOverrides {
  kind?: 'comune'
  name?: string
  istatCode?: string
  province?: string | null
  region?: string
  population?: number | null
}

export interface UnioneOverrides {
  kind: 'unione'
  name?: string
  region?: string
  /** Populations of the member comuni to create (default two members of 1,500 and 2,500). */
  memberPopulations?: number[]
  /** Or existing comuni (ids) to make members. */
  memberIds?: string[]
}

/** A comune (default: Piemonte, 3,000 inhabitants) or an Unione di Comuni with fresh member comuni. */
export async function createOrganization(app: App, overrides: ComuneOverrides | UnioneOverrides = {}): Promise<OrganizationDto> {
  if (overrides.kind === 'unione') {
    const region = overrides.region ?? 'Piemonte'
    const memberIds =
      overrides.memberIds ??
      (await Promise.all((overrides.memberPopulations ?? [1500, 2500]).map((population) => createOrganization(app, { region, population })))).map(
        (m) => m.id,
      )
    const repo = comuniRepository(app.ports.db)
    const id = await repo.insertUnione(overrides.name ?? `Unione dei Comuni Test ${suffix()}`, app.ports.clock.now())
    await repo.replaceMembers(id, memberIds)
    return app.comuni.getOrganization(id)
  }
  let istatCode = overrides.istatCode ?? fakeIstatCode()
  while (!overrides.istatCode && (await comuniRepository(app.ports.db).findByIstatCode(istatCode))) istatCode = fakeIstatCode()
  await app.comuni.upsertComuni([
    {
      istatCode,
      name: overrides.name ?? `Comune Test ${suffix()}`,
      province: overrides.province === undefined ? 'TO' : overrides.province,
      region: overrides.region ?? 'Piemonte',
      population: overrides.population === undefined ? 3000 : overrides.population,
    },
  ])
  return app.comuni.getComune(istatCode)
}

export interface SignInOptions {
  role: Role
  /** For staff: their comune or Unione (a fresh comune is made when omitted). */
  organizationId?: string
  topics?: string[]
  email?: string
  displayName?: string
}

export interface SignedIn {
  userId: string
  email: string
  password: string
  token: string
  sessionId: string
  organizationId: string | null
  headers: { authorization: string }
  actor: UserActor
}

/** An account of the given role with a live session; use `headers` on app.inject(). */
export async function signIn(app: App, options: SignInOptions): Promise<SignedIn> {
  const organizationId = options.role === 'staff' ? (options.organizationId ?? (await createOrganization(app)).id) : null
  const tag = suffix()
  const user = await app.accounts.createUserUnchecked({
    email: options.email ?? `${options.role}-${tag}@test.example`,
    displayName: options.displayName ?? `Test ${options.role} ${tag}`,
    role: options.role,
    organizationId,
    topics: options.topics ?? (options.role === 'expert' ? ['anagrafe', 'accoglienza'] : []),
    passwordHash: await testPasswordHash(),
  })
  const session = await app.accounts.startSessionUnchecked(user.id)
  return {
    userId: user.id,
    email: user.email,
    password: TEST_PASSWORD,
    token: session.token,
    sessionId: session.sessionId,
    organizationId,
    headers: { authorization: `Bearer ${session.token}` },
    actor: {
      kind: 'user',
      userId: user.id,
      sessionId: session.sessionId,
      role: user.role,
      organizationId,
      email: user.email,
      displayName: user.displayName,
    },
  }
}

export interface SignedInWithCookie extends Omit<SignedIn, 'headers'> {
  /** The session cookie plus a same-site Origin, as the forum's own pages send them. */
  headers: { cookie: string; origin: string }
  cookies: { ft_session: string }
}

/** Like signIn, but authenticated the browser's way (cookie + Origin), for CSRF tests. */
export async function signInWithCookie(app: App, options: SignInOptions & { origin?: string }): Promise<SignedInWithCookie> {
  const { headers: _bearer, ...signedIn } = await signIn(app, options)
  return {
    ...signedIn,
    headers: { cookie: `ft_session=${signedIn.token}`, origin: options.origin ?? TEST_ORIGIN },
    cookies: { ft_session: signedIn.token },
  }
}
