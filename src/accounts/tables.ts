import type { Generated } from 'kysely'
import type { Role } from './actor.js'

export interface UsersTable {
  id: Generated<string>
  email: string
  displayName: string
  role: Role
  organizationId: string | null
  topics: Generated<string[]>
  passwordHash: string | null
  active: Generated<boolean>
  deactivatedAt: Date | null
  externalProvider: string | null
  externalSubject: string | null
  /** The optional e-mail reminder before a forum day opens. */
  mailReminders: Generated<boolean>
  createdAt: Date
  updatedAt: Date
}

export interface SessionsTable {
  id: Generated<string>
  userId: string
  tokenHash: string
  createdAt: Date
  lastSeenAt: Date
  /** The absolute limit; the idle limit is computed from lastSeenAt. */
  expiresAt: Date
  revokedAt: Date | null
  ip: string | null
  userAgent: string | null
}

export interface InvitationsTable {
  id: Generated<string>
  tokenHash: string
  email: string
  role: Role
  organizationId: string | null
  topics: Generated<string[]>
  invitedBy: string | null
  createdAt: Date
  expiresAt: Date
  acceptedAt: Date | null
  userId: string | null
}

export interface PasswordResetsTable {
  id: Generated<string>
  tokenHash: string
  userId: string
  issuedBy: string | null
  createdAt: Date
  expiresAt: Date
  usedAt: Date | null
}

export interface LoginThrottleTable {
  key: string
  failures: number
  lastFailedAt: Date
}
