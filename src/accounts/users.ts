import type { Kysely } from 'kysely'
import { auditLog } from '../audit/service.js'
import type { Database } from '../db/database.js'
import { notFound } from '../shared/errors.js'
import type { Actor, Role } from './actor.js'
import type { AccountsContext, RequestMeta } from './context.js'
import { hashPassword } from './passwords.js'
import { assertCanListUsers, assertCanUpdateUser, assertCanViewUser } from './policy.js'
import { accountsRepository } from './repository.js'
import type { UserDto, UserSummary } from './schemas.js'

/** Accounts as the admins and the secretariat see them, and people as other modules show them. */
export function userUseCases(ctx: AccountsContext) {
  const { db, clock, toDtos, toDto, checkRoleShape, sessionsRevoked, accessChanged } = ctx

  /** For other modules: how to show a person. Unknown ids are left out. */
  async function getUserSummaries(ids: string[]): Promise<Map<string, UserSummary>> {
    const rows = await accountsRepository(db).findUsersByIds([...new Set(ids)])
    return new Map(
      rows.map((r) => [r.id, { id: r.id, displayName: r.displayName, role: r.role, organizationId: r.organizationId, topics: r.topics, active: r.active }]),
    )
  }

  return {
    async listUsers(
      actor: Actor,
      filter: { role?: Role; organizationId?: string; active?: boolean; limit: number; offset: number },
    ): Promise<UserDto[]> {
      assertCanListUsers(actor)
      return toDtos(await accountsRepository(db).listUsers(filter))
    },
    async getUser(actor: Actor, id: string): Promise<UserDto> {
      assertCanViewUser(actor, id)
      const user = await accountsRepository(db).findUserById(id)
      if (!user) throw notFound('User', 'USER_NOT_FOUND')
      return toDto(user)
    },
    /** Role, organization, topics, name, activation (admins). Deactivating ends the sessions at once. */
    async updateUser(
      actor: Actor,
      id: string,
      changes: { displayName?: string; role?: Role; organizationId?: string | null; topics?: string[]; active?: boolean },
      meta: RequestMeta,
    ): Promise<UserDto> {
      assertCanUpdateUser(actor, id, changes)
      const current = await accountsRepository(db).findUserById(id)
      if (!current) throw notFound('User', 'USER_NOT_FOUND')
      const role = changes.role ?? current.role
      const organizationId = changes.organizationId !== undefined ? changes.organizationId : role === 'staff' ? current.organizationId : null
      const topics = changes.topics ?? (role === 'expert' ? current.topics : [])
      await checkRoleShape(role, organizationId, topics)
      const updated = await db.transaction().execute(async (trx) => {
        const repo = accountsRepository(trx)
        const now = clock.now()
        const active = changes.active ?? current.active
        const row = await repo.updateUser(
          id,
          {
            role,
            organizationId,
            topics,
            ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
            active,
            deactivatedAt: active ? null : (current.deactivatedAt ?? now),
          },
          now,
        )
        const audit = auditLog(trx, clock)
        const base = { actor, targetUserId: id, targetEmail: current.email, ip: meta.ip }
        if (role !== current.role) await audit.record({ ...base, action: 'user.role_changed', details: { from: current.role, to: role } })
        if (organizationId !== current.organizationId) {
          await audit.record({ ...base, action: 'user.organization_changed', details: { from: current.organizationId, to: organizationId } })
        }
        if (active && (role !== current.role || organizationId !== current.organizationId)) await accessChanged(trx, id, 'role_or_organization_changed')
        if (changes.displayName !== undefined || changes.topics !== undefined) {
          await audit.record({ ...base, action: 'user.updated', details: { displayName: changes.displayName, topics: changes.topics } })
        }
        if (current.active && !active) {
          const revoked = await repo.revokeUserSessions(id, now)
          await audit.record({ ...base, action: 'user.deactivated', details: { sessionsRevoked: revoked } })
          await sessionsRevoked(trx, id, 'deactivated')
        }
        if (!current.active && active) await audit.record({ ...base, action: 'user.reactivated' })
        return row
      })
      return toDto(updated)
    },
    /** For other modules: how to show a person. Unknown ids are left out. */
    getUserSummaries,
    /** The active staff accounts of an organization, for the messages about its questions. */
    // In the caller's transaction when given one: embedded PGlite has a single connection, which
    // an open transaction holds, so a read outside it would wait for ever.
    async organizationContacts(
      organizationId: string,
      options: { remindersOnly?: boolean; trx?: Kysely<Database> } = {},
    ): Promise<Array<{ id: string; email: string }>> {
      return accountsRepository(options.trx ?? db).staffContacts(organizationId, options.remindersOnly ?? false)
    },

    /** An active person's e-mail, to tell them about their work; undefined for an unknown or deactivated account. */
    // In the caller's transaction when given one, as organizationContacts.
    async userContact(id: string, options: { trx?: Kysely<Database> } = {}): Promise<{ id: string; email: string } | undefined> {
      return accountsRepository(options.trx ?? db).activeContact(id)
    },

    /** The organizations with active staff who keep the optional reminders. */
    async organizationsWithReminderContacts(): Promise<string[]> {
      return accountsRepository(db).organizationsWithReminderContacts()
    },

    /** One person, or 404 USER_NOT_FOUND. */
    async getUserSummary(id: string): Promise<UserSummary> {
      const found = (await getUserSummaries([id])).get(id)
      if (!found) throw notFound('User', 'USER_NOT_FOUND')
      return found
    },
    /**
     * Creates an account directly, without invitation or authorization: for demo data and tests
     * only. Runs in the caller's transaction when given one.
     */
    async createUserUnchecked(
      input: { email: string; displayName: string; role: Role; organizationId?: string | null; topics?: string[]; password?: string; passwordHash?: string },
      trx: Kysely<Database> = db,
    ): Promise<UserDto> {
      const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password) : null)
      const row = await accountsRepository(trx).insertUser({
        email: input.email.toLowerCase(),
        displayName: input.displayName,
        role: input.role,
        organizationId: input.organizationId ?? null,
        topics: input.topics ?? [],
        passwordHash,
        now: clock.now(),
      })
      return {
        id: row.id,
        email: row.email,
        displayName: row.displayName,
        role: row.role,
        organizationId: row.organizationId,
        organization: null,
        topics: row.topics,
        active: row.active,
        createdAt: row.createdAt.toISOString(),
        deactivatedAt: null,
      }
    },
  }
}
