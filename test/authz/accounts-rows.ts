import { TEST_PASSWORD, createOrganization, signIn } from '../factories/accounts.js'
import { EVERYONE, SIGNED_IN, type MatrixRow } from './world.js'

const STRONG = 'Matrice-di-Autorizzazione-1'
let n = 0
const unique = () => `${Date.now().toString(36)}-${++n}`

/** Accounts, sessions, audit log and the comuni registry. */
export const accountsRows: MatrixRow[] = [
  {
    name: 'POST /sessions (sign in)',
    allow: EVERYONE,
    request: async ({ app }) => {
      const user = await signIn(app, { role: 'expert' })
      return { method: 'POST', url: '/api/v1/sessions', payload: { email: user.email, password: TEST_PASSWORD } }
    },
  },
  {
    name: 'GET /me',
    allow: SIGNED_IN,
    request: (w, caller) => ({ method: 'GET', url: '/api/v1/me', headers: w.headers(caller) }),
  },
  {
    name: 'GET /me/mail-preferences',
    allow: SIGNED_IN,
    request: (w, caller) => ({ method: 'GET', url: '/api/v1/me/mail-preferences', headers: w.headers(caller) }),
  },
  {
    name: 'PUT /me/mail-preferences',
    allow: SIGNED_IN,
    request: (w, caller) => ({ method: 'PUT', url: '/api/v1/me/mail-preferences', headers: w.headers(caller), payload: { reminders: true } }),
  },
  {
    name: 'POST /me/password (change your own)',
    allow: SIGNED_IN,
    // The same password again: the world's accounts keep working for the other rows.
    request: (w, caller) => ({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: w.headers(caller),
      payload: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
    }),
  },
  {
    name: 'DELETE /sessions/current (sign out)',
    allow: SIGNED_IN,
    // A fresh session of the caller's account, so signing out does not end the one other rows use.
    request: async (w, caller) => {
      if (caller === 'anonymous') return { method: 'DELETE', url: '/api/v1/sessions/current' }
      const session = await w.app.accounts.startSessionUnchecked(w.users[caller].userId)
      return { method: 'DELETE', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${session.token}` } }
    },
  },
  {
    name: 'POST /invitations (an expert)',
    allow: ['moderator', 'admin'],
    request: (w, caller) => ({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: w.headers(caller),
      payload: { email: `invitee-${unique()}@x.example`, role: 'expert' },
    }),
  },
  {
    name: 'POST /invitations (an admin)',
    allow: ['admin'],
    request: (w, caller) => ({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: w.headers(caller),
      payload: { email: `invitee-${unique()}@x.example`, role: 'admin' },
    }),
  },
  {
    name: 'GET /invitations',
    allow: ['moderator', 'admin'],
    request: (w, caller) => ({ method: 'GET', url: '/api/v1/invitations', headers: w.headers(caller) }),
  },
  {
    name: 'POST /invitations/:id/resend (an expert\'s)',
    allow: ['moderator', 'admin'],
    request: async (w, caller) => {
      const invitation = await w.app.accounts.invite(w.users.admin.actor, { email: `resend-${unique()}@x.example`, role: 'expert' }, { ip: null, userAgent: null })
      return { method: 'POST', url: `/api/v1/invitations/${invitation.id}/resend`, headers: w.headers(caller) }
    },
  },
  {
    name: 'POST /invitations/accept',
    allow: EVERYONE,
    request: async (w, caller) => {
      const invitation = await w.app.accounts.invite(w.users.admin.actor, { email: `accept-${unique()}@x.example`, role: 'expert' }, { ip: null })
      return {
        method: 'POST',
        url: '/api/v1/invitations/accept',
        headers: w.headers(caller),
        payload: { token: invitation.token, password: STRONG, displayName: 'Invitato' },
      }
    },
  },
  {
    name: 'POST /password-resets (for a staff member)',
    allow: ['moderator', 'admin'],
    request: (w, caller) => ({ method: 'POST', url: '/api/v1/password-resets', headers: w.headers(caller), payload: { userId: w.users.staffB.userId } }),
  },
  {
    name: 'POST /password-resets (for an admin)',
    allow: ['admin'],
    request: (w, caller) => ({ method: 'POST', url: '/api/v1/password-resets', headers: w.headers(caller), payload: { userId: w.users.admin.userId } }),
  },
  {
    name: 'POST /password-resets/request',
    allow: EVERYONE,
    request: (w, caller) => ({ method: 'POST', url: '/api/v1/password-resets/request', headers: w.headers(caller), payload: { email: w.users.staffB.email } }),
  },
  {
    name: 'POST /password-resets/complete',
    allow: EVERYONE,
    request: async (w, caller) => {
      const target = await signIn(w.app, { role: 'expert' })
      const reset = await w.app.accounts.issuePasswordReset(w.users.admin.actor, target.userId, { ip: null })
      return { method: 'POST', url: '/api/v1/password-resets/complete', headers: w.headers(caller), payload: { token: reset.token, password: STRONG } }
    },
  },
  {
    name: 'GET /users',
    allow: ['moderator', 'admin'],
    request: (w, caller) => ({ method: 'GET', url: '/api/v1/users', headers: w.headers(caller) }),
  },
  {
    name: "GET /users/{id} (staff A's account)",
    allow: ['staffA', 'moderator', 'admin'],
    request: (w, caller) => ({ method: 'GET', url: `/api/v1/users/${w.users.staffA.userId}`, headers: w.headers(caller) }),
  },
  {
    name: 'PATCH /users/{id} (change a staff member)',
    allow: ['admin'],
    request: async (w, caller) => {
      const target = await signIn(w.app, { role: 'staff', organizationId: w.orgA.id })
      return { method: 'PATCH', url: `/api/v1/users/${target.userId}`, headers: w.headers(caller), payload: { organizationId: w.orgB.id } }
    },
  },
  {
    name: 'PATCH /users/{id} (staff A changes their own organization)',
    allow: ['admin'],
    request: (w, caller) => ({
      method: 'PATCH',
      url: `/api/v1/users/${w.users.staffA.userId}`,
      headers: w.headers(caller),
      payload: { organizationId: w.orgA.id },
    }),
  },
  {
    name: 'GET /audit-log',
    allow: ['admin'],
    request: (w, caller) => ({ method: 'GET', url: '/api/v1/audit-log', headers: w.headers(caller) }),
  },
  {
    name: 'GET /comuni?prefix= (public registry)',
    allow: EVERYONE,
    request: (w, caller) => ({ method: 'GET', url: '/api/v1/comuni?prefix=comune', headers: w.headers(caller) }),
  },
  {
    name: 'GET /comuni/{istatCode}',
    allow: EVERYONE,
    request: (w, caller) => ({ method: 'GET', url: `/api/v1/comuni/${w.orgA.istatCode}`, headers: w.headers(caller) }),
  },
  {
    name: 'GET /organizations/{id}',
    allow: EVERYONE,
    request: (w, caller) => ({ method: 'GET', url: `/api/v1/organizations/${w.orgB.id}`, headers: w.headers(caller) }),
  },
  {
    name: 'GET /unioni',
    allow: EVERYONE,
    request: (w, caller) => ({ method: 'GET', url: '/api/v1/unioni', headers: w.headers(caller) }),
  },
  {
    name: 'POST /unioni',
    allow: ['moderator', 'admin'],
    request: async (w, caller) => {
      const [a, b] = [await createOrganization(w.app), await createOrganization(w.app)]
      return { method: 'POST', url: '/api/v1/unioni', headers: w.headers(caller), payload: { name: `Unione ${unique()}`, memberIstatCodes: [a.istatCode, b.istatCode] } }
    },
  },
  {
    name: 'PATCH /unioni/{id}',
    allow: ['moderator', 'admin'],
    request: async (w, caller) => {
      const unione = await createOrganization(w.app, { kind: 'unione' })
      return { method: 'PATCH', url: `/api/v1/unioni/${unione.id}`, headers: w.headers(caller), payload: { name: `Unione rinominata ${unique()}` } }
    },
  },
]
