import type { InjectOptions } from 'fastify'
import type { Test } from 'tap'
import type { App } from '../../src/app.js'
import type { OrganizationDto } from '../../src/comuni/schemas.js'
import { build } from '../helper.js'
import { createOrganization, signIn, type SignedIn } from '../factories/accounts.js'

/**
 * The authorization matrix: every endpoint × every kind of caller, asserting allow or deny.
 * A module adds its endpoints as `MatrixRow`s in a file of its own (see accounts-rows.ts) and
 * lists that file in test/authz-matrix.test.ts.
 */

export const CALLERS = ['anonymous', 'staffA', 'staffB', 'expert', 'moderator', 'admin', 'deactivated'] as const
export type Caller = (typeof CALLERS)[number]

export interface World {
  app: App
  /** Comune A (staffA's) and comune B (staffB's), both small comuni in Piemonte. */
  orgA: OrganizationDto
  orgB: OrganizationDto
  /** Signed-in users; `deactivated` was a staff member of comune A whose account was then deactivated. */
  users: Record<Exclude<Caller, 'anonymous'>, SignedIn>
  /** The headers a caller sends ({} for anonymous). */
  headers(caller: Caller): Record<string, string>
}

export interface MatrixRow {
  /** "METHOD /path (what)" as a reader would say it. */
  name: string
  /** Builds a fresh request for one caller (create what it needs: each call must be independent). */
  request(world: World, caller: Caller): InjectOptions | Promise<InjectOptions>
  /** Who is allowed; everyone else must get 401 or 403. */
  allow: readonly Caller[]
}

export const SIGNED_IN: readonly Caller[] = ['staffA', 'staffB', 'expert', 'moderator', 'admin']
export const EVERYONE: readonly Caller[] = CALLERS

export async function buildWorld(t: Test): Promise<World> {
  const app = await build(t)
  const orgA = await createOrganization(app, { name: 'Comune A' })
  const orgB = await createOrganization(app, { name: 'Comune B' })
  const admin = await signIn(app, { role: 'admin' })
  const users = {
    staffA: await signIn(app, { role: 'staff', organizationId: orgA.id }),
    staffB: await signIn(app, { role: 'staff', organizationId: orgB.id }),
    expert: await signIn(app, { role: 'expert' }),
    moderator: await signIn(app, { role: 'moderator' }),
    admin,
    deactivated: await signIn(app, { role: 'staff', organizationId: orgA.id }),
  }
  await app.accounts.updateUser(admin.actor, users.deactivated.userId, { active: false }, { ip: null })
  return {
    app,
    orgA,
    orgB,
    users,
    headers: (caller) => (caller === 'anonymous' ? {} : users[caller].headers),
  }
}
