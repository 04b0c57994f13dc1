import type { Role } from '../accounts/actor.js'

/** Where each role works: the page a person lands on after signing in (and the header's link). */
export const LANDING: Record<Role, string> = {
  staff: '/il-mio-forum',
  expert: '/coda',
  moderator: '/segreteria',
  admin: '/segreteria',
}
