import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { prepared } from '../db/prepared-statements.js'
import type { Role } from './actor.js'
import { pairKeyPrefix, type ThrottleCounter } from './login-throttle.js'

export interface UserRow {
  id: string
  email: string
  displayName: string
  role: Role
  organizationId: string | null
  topics: string[]
  active: boolean
  deactivatedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

const USER_COLUMNS = [
  'users.id',
  'users.email',
  'users.displayName',
  'users.role',
  'users.organizationId',
  'users.topics',
  'users.active',
  'users.deactivatedAt',
  'users.createdAt',
  'users.updatedAt',
] as const

export interface SessionWithUser {
  sessionId: string
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  userId: string
  email: string
  displayName: string
  role: Role
  organizationId: string | null
  active: boolean
}

/** What the invitation flows read of an invitation (acceptance, resending). */
const INVITATION_COLUMNS = ['id', 'email', 'role', 'organizationId', 'topics', 'invitedBy', 'expiresAt', 'acceptedAt'] as const

export const accountsRepository = (db: Kysely<Database>) => ({
  // Users

  async insertUser(row: {
    email: string
    displayName: string
    role: Role
    organizationId: string | null
    topics: string[]
    passwordHash: string | null
    now: Date
  }): Promise<UserRow> {
    const { now, ...values } = row
    return db
      .insertInto('users')
      .values({ ...values, createdAt: now, updatedAt: now })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow()
  },

  async findUserById(id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst()
  },

  async findUsersByIds(ids: string[]): Promise<UserRow[]> {
    if (ids.length === 0) return []
    return db.selectFrom('users').select(USER_COLUMNS).where('id', 'in', ids).execute()
  },

  async findUserForLogin(email: string): Promise<(UserRow & { passwordHash: string | null }) | undefined> {
    return db
      .selectFrom('users')
      .select([...USER_COLUMNS, 'users.passwordHash'])
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst()
  },

  async emailTaken(email: string): Promise<boolean> {
    const row = await db.selectFrom('users').select('id').where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst()
    return row !== undefined
  },

  async listUsers(filter: { role?: Role; organizationId?: string; active?: boolean; limit: number; offset: number }): Promise<UserRow[]> {
    let query = db.selectFrom('users').select(USER_COLUMNS).orderBy('displayName').orderBy('id').limit(filter.limit).offset(filter.offset)
    if (filter.role) query = query.where('role', '=', filter.role)
    if (filter.organizationId) query = query.where('organizationId', '=', filter.organizationId)
    if (filter.active !== undefined) query = query.where('active', '=', filter.active)
    return query.execute()
  },

  async updateUser(
    id: string,
    changes: Partial<{
      displayName: string
      role: Role
      organizationId: string | null
      topics: string[]
      active: boolean
      deactivatedAt: Date | null
      passwordHash: string
    }>,
    now: Date,
  ): Promise<UserRow> {
    return db
      .updateTable('users')
      .set({ ...changes, updatedAt: now })
      .where('id', '=', id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow()
  },

  // Sessions

  async insertSession(row: { userId: string; tokenHash: string; now: Date; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<string> {
    const { now, ...values } = row
    const inserted = await db
      .insertInto('sessions')
      .values({ ...values, createdAt: now, lastSeenAt: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  },

  /** The live (unrevoked) sessions of these token hashes with their users: one statement for a batch of requests. */
  async findLiveSessions(tokenHashes: readonly string[]): Promise<Array<SessionWithUser & { tokenHash: string }>> {
    // Prepared: every signed-in request runs it, so it is parsed and planned once per connection.
    const { rows } = await prepared(sql<SessionWithUser & { tokenHash: string }>`
      select s.token_hash, s.id as session_id, s.created_at, s.last_seen_at, s.expires_at,
             u.id as user_id, u.email, u.display_name, u.role, u.organization_id, u.active
      from sessions s join users u on u.id = s.user_id
      where s.token_hash = any(${[...tokenHashes]}::text[]) and s.revoked_at is null
    `).execute(db)
    return rows
  },

  async findSessionsByIds(ids: string[]): Promise<Array<{ sessionId: string; lastSeenAt: Date; expiresAt: Date; active: boolean }>> {
    return db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.userId')
      .select(['s.id as sessionId', 's.lastSeenAt', 's.expiresAt', 'u.active'])
      .where('s.id', 'in', ids)
      .where('s.revokedAt', 'is', null)
      .execute()
  },

  async touchSession(sessionId: string, now: Date): Promise<void> {
    await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', sessionId).execute()
  },

  async revokeSession(sessionId: string, now: Date): Promise<void> {
    await db.updateTable('sessions').set({ revokedAt: now }).where('id', '=', sessionId).where('revokedAt', 'is', null).execute()
  },

  async revokeOtherSessions(userId: string, keptSessionId: string, now: Date): Promise<number> {
    const result = await db
      .updateTable('sessions')
      .set({ revokedAt: now })
      .where('userId', '=', userId)
      .where('id', '<>', keptSessionId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  },

  async revokeUserSessions(userId: string, now: Date): Promise<number> {
    const result = await db
      .updateTable('sessions')
      .set({ revokedAt: now })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  },

  /** Active staff of an organization, for e-mail; `remindersOnly`: those who keep the optional reminders. */
  async staffContacts(organizationId: string, remindersOnly: boolean): Promise<Array<{ id: string; email: string }>> {
    let query = db.selectFrom('users').select(['id', 'email']).where('role', '=', 'staff').where('organizationId', '=', organizationId).where('active', '=', true)
    if (remindersOnly) query = query.where('mailReminders', '=', true)
    return query.orderBy('id').execute()
  },

  async activeContact(id: string): Promise<{ id: string; email: string } | undefined> {
    return db.selectFrom('users').select(['id', 'email']).where('id', '=', id).where('active', '=', true).executeTakeFirst()
  },

  async organizationsWithReminderContacts(): Promise<string[]> {
    const rows = await db
      .selectFrom('users')
      .select('organizationId')
      .distinct()
      .where('role', '=', 'staff')
      .where('active', '=', true)
      .where('mailReminders', '=', true)
      .where('organizationId', 'is not', null)
      .execute()
    return rows.flatMap((r) => (r.organizationId ? [r.organizationId] : []))
  },

  async mailReminders(userId: string): Promise<boolean> {
    const row = await db.selectFrom('users').select('mailReminders').where('id', '=', userId).executeTakeFirstOrThrow()
    return row.mailReminders
  },

  async setMailReminders(userId: string, on: boolean, now: Date): Promise<void> {
    await db.updateTable('users').set({ mailReminders: on, updatedAt: now }).where('id', '=', userId).execute()
  },

  async sessionExpiresAt(sessionId: string): Promise<Date> {
    const row = await db.selectFrom('sessions').select('expiresAt').where('id', '=', sessionId).executeTakeFirstOrThrow()
    return row.expiresAt
  },

  // Invitations

  async insertInvitation(row: {
    tokenHash: string
    email: string
    role: Role
    organizationId: string | null
    topics: string[]
    /** null: issued from the command line (`npm run create-admin`). */
    invitedBy: string | null
    now: Date
    expiresAt: Date
  }): Promise<string> {
    const { now, ...values } = row
    const inserted = await db
      .insertInto('invitations')
      .values({ ...values, createdAt: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  },

  async findInvitation(tokenHash: string) {
    return db.selectFrom('invitations').select(INVITATION_COLUMNS).where('tokenHash', '=', tokenHash).executeTakeFirst()
  },

  /** Locks the invitation row: two concurrent acceptances of one token, one wins. */
  async findInvitationForUpdate(tokenHash: string) {
    return db.selectFrom('invitations').select(INVITATION_COLUMNS).where('tokenHash', '=', tokenHash).forUpdate().executeTakeFirst()
  },

  /** A new link replaces the email's earlier pending ones. */
  async expirePendingInvitations(email: string, now: Date): Promise<void> {
    await db
      .updateTable('invitations')
      .set({ expiresAt: now })
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .where('acceptedAt', 'is', null)
      .where('expiresAt', '>', now)
      .execute()
  },

  /** Invitations not (yet) accepted, newest first: who has not activated their account. */
  async listPendingInvitations(limit: number) {
    return db
      .selectFrom('invitations')
      .select(['id', 'email', 'role', 'organizationId', 'topics', 'invitedBy', 'createdAt', 'expiresAt'])
      .where('acceptedAt', 'is', null)
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute()
  },

  /** Locks the invitation row: a resend and an acceptance of it do not interleave. */
  async findInvitationById(id: string) {
    return db
      .selectFrom('invitations')
      .select(INVITATION_COLUMNS)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
  },

  /** A new link for the same invitation: the old token stops working. */
  async renewInvitation(id: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await db.updateTable('invitations').set({ tokenHash, expiresAt }).where('id', '=', id).execute()
  },

  async markInvitationAccepted(id: string, userId: string, now: Date): Promise<void> {
    await db.updateTable('invitations').set({ acceptedAt: now, userId }).where('id', '=', id).execute()
  },

  // Password resets

  async insertPasswordReset(row: { tokenHash: string; userId: string; issuedBy: string | null; now: Date; expiresAt: Date }): Promise<string> {
    const { now, ...values } = row
    const inserted = await db
      .insertInto('passwordResets')
      .values({ ...values, createdAt: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return inserted.id
  },

  /** Whether the account asked for a reset link itself (no issuer) since `since`. */
  async recentSelfServiceReset(userId: string, since: Date): Promise<boolean> {
    const row = await db
      .selectFrom('passwordResets')
      .select('id')
      .where('userId', '=', userId)
      .where('issuedBy', 'is', null)
      .where('createdAt', '>', since)
      .executeTakeFirst()
    return row !== undefined
  },

  /** A new link replaces the user's earlier unused ones. */
  async voidPasswordResets(userId: string, now: Date): Promise<void> {
    await db.updateTable('passwordResets').set({ usedAt: now }).where('userId', '=', userId).where('usedAt', 'is', null).execute()
  },

  async findPasswordReset(tokenHash: string) {
    return db.selectFrom('passwordResets').select(['id', 'userId', 'expiresAt', 'usedAt']).where('tokenHash', '=', tokenHash).executeTakeFirst()
  },

  async findPasswordResetForUpdate(tokenHash: string) {
    return db
      .selectFrom('passwordResets')
      .select(['id', 'userId', 'expiresAt', 'usedAt'])
      .where('tokenHash', '=', tokenHash)
      .forUpdate()
      .executeTakeFirst()
  },

  async markPasswordResetUsed(id: string, now: Date): Promise<void> {
    await db.updateTable('passwordResets').set({ usedAt: now }).where('id', '=', id).execute()
  },

  // Login throttling (the policy is in login-throttle.ts)

  async throttleCounters(keys: string[]): Promise<ThrottleCounter[]> {
    return db.selectFrom('loginThrottle').select(['key', 'failures', 'lastFailedAt']).where('key', 'in', keys).execute()
  },

  /** Counts one failure per key; a key whose last failure is older than the window starts again. */
  async recordFailure(keys: string[], now: Date, windowMs: number): Promise<void> {
    const forgottenBefore = new Date(now.getTime() - windowMs)
    await db
      .insertInto('loginThrottle')
      .values(keys.map((key) => ({ key, failures: 1, lastFailedAt: now })))
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql`case when login_throttle.last_failed_at <= ${forgottenBefore}::timestamptz then 1 else login_throttle.failures + 1 end`,
          lastFailedAt: now,
        }),
      )
      .execute()
  },

  async clearThrottle(keys: string[]): Promise<void> {
    await db.deleteFrom('loginThrottle').where('key', 'in', keys).execute()
  },

  /** After a password reset every counter of the account starts again, whatever the address. */
  async clearAccountThrottle(email: string): Promise<void> {
    const prefix = pairKeyPrefix(email)
    await db
      .deleteFrom('loginThrottle')
      .where((eb) => eb.or([eb('key', '=', `account:${email}`), eb(sql<boolean>`starts_with(key, ${prefix})`, '=', true)]))
      .execute()
  },

  /** The addresses the account has signed in from (its sessions, revoked ones included). */
  async sessionAddresses(userId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('sessions')
      .select('ip')
      .where('userId', '=', userId)
      .where('ip', 'is not', null)
      .groupBy('ip')
      .orderBy(sql`max(created_at)`, 'desc')
      .limit(200)
      .execute()
    return rows.flatMap((r) => (r.ip ? [r.ip] : []))
  },
})
