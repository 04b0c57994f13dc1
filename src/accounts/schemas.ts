import { z } from 'zod'
import { ROLES } from './actor.js'
import { MAX_PASSWORD_LENGTH } from './passwords.js'

export const Email = z
  .email({ message: 'expected an email address' })
  .max(254)
  .transform((value) => value.toLowerCase())
  .describe('Email address (compared case-insensitively)')

export const Role = z.enum(ROLES)

const Topics = z.array(z.string().trim().min(1).max(100)).max(30).describe('Topics of expertise (experts only)')

/** Length and commonness are judged by the service (WEAK_PASSWORD), not here, so the code is stable. */
const Password = z.string().max(MAX_PASSWORD_LENGTH).describe('At least 12 characters, not a common password')

export const OrganizationRef = z.object({ id: z.uuid(), kind: z.enum(['comune', 'unione']), name: z.string() })

export const UserDto = z
  .object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    role: Role,
    organizationId: z.uuid().nullable(),
    organization: OrganizationRef.nullable().describe('The comune or Unione of a staff member'),
    topics: z.array(z.string()),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    deactivatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'User' })
export type UserDto = z.infer<typeof UserDto>

export const MeDto = UserDto.extend({
  session: z.object({ id: z.uuid(), expiresAt: z.iso.datetime() }),
}).meta({ id: 'Me' })
export type MeDto = z.infer<typeof MeDto>

export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(MAX_PASSWORD_LENGTH) })

export const LoginResult = z.object({
  token: z.string().describe('Send as `Authorization: Bearer <token>`; browsers get it as the ft_session cookie too'),
  expiresAt: z.iso.datetime().describe('Absolute end of the session (it also ends after a period of inactivity)'),
  user: UserDto,
})

export const NewInvitation = z.object({
  email: Email,
  role: Role,
  organizationId: z.uuid().optional().describe('Required for staff: their comune or Unione'),
  topics: Topics.optional(),
})

export const InvitationDto = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: Role,
    organizationId: z.uuid().nullable(),
    topics: z.array(z.string()),
    expiresAt: z.iso.datetime(),
    token: z.string().describe('Single-use; there is no mail server, so the inviter passes the link on'),
    url: z.string().describe('The link to send to the invitee'),
  })
  .meta({ id: 'Invitation' })

export const PendingInvitationDto = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: Role,
    organizationId: z.uuid().nullable(),
    topics: z.array(z.string()),
    invitedBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    expired: z.boolean().describe('The link no longer works: resend it'),
  })
  .meta({ id: 'PendingInvitation' })

export const AcceptInvitation = z.object({
  token: z.string().min(1).max(200),
  password: Password,
  displayName: z.string().trim().min(2).max(120),
})

export const NewPasswordReset = z.object({ userId: z.uuid() })

export const PasswordResetDto = z.object({
  userId: z.uuid(),
  expiresAt: z.iso.datetime(),
  token: z.string(),
  url: z.string().describe('The link to send to the user'),
})

export const RequestPasswordReset = z.object({ email: z.email().max(254) })

export const CompletePasswordReset = z.object({ token: z.string().min(1).max(200), password: Password })

export const MailPreferences = z
  .object({ reminders: z.boolean().describe('The e-mail reminder the day before a forum day opens (the only optional message)') })
  .meta({ id: 'MailPreferences' })

export const ChangePassword = z.object({ currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH), newPassword: Password })

export const UsersQuery = z.object({
  role: Role.optional(),
  organizationId: z.uuid().optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})

export const UserParams = z.object({ id: z.uuid() })

export const UserUpdate = z
  .object({
    displayName: z.string().trim().min(2).max(120).optional(),
    role: Role.optional(),
    organizationId: z.uuid().nullable().optional().describe('Staff only; changing the role away from staff clears it'),
    topics: Topics.optional(),
    active: z.boolean().optional().describe('false deactivates the account and ends its sessions at once'),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'nothing to change')

/** What other modules need to show a person (asker, expert, moderator). */
export interface UserSummary {
  id: string
  displayName: string
  role: z.infer<typeof Role>
  organizationId: string | null
  topics: string[]
  active: boolean
}
