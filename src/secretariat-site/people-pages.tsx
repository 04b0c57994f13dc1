import type { Role } from '../accounts/actor.js'
import type { UserDto } from '../accounts/schemas.js'
import type { AuditAction, AuditEntryDto } from '../audit/schemas.js'
import { formatDate, formatDateTime, formatNumber } from '../i18n/format.js'
import { secretariat } from '../i18n/secretariat.js'
import { staff } from '../i18n/staff.js'
import { Breadcrumbs, Time } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { ErrorSummary, Field } from '../web/forms.js'
import { DataTable } from './table.js'

const t = secretariat.people
const p = secretariat.person
const home = { label: secretariat.overview.title, path: '/segreteria' }
const roleLabel = (role: string) => staff.account.roles[role] ?? role

export interface PendingInvitation {
  id: string
  email: string
  role: Role
  createdAt: string
  expiresAt: string
  expired: boolean
}

export interface PeopleView {
  people: UserDto[]
  invitations: PendingInvitation[]
  /** Roles this person may invite (moderators: staff and experts). */
  invitableRoles: Role[]
  filters: { ruolo?: string; stato?: string }
  info?: string
  invite?: { values: { email: string; role: string; organization: string; topics: string }; fieldErrors: Record<string, string>; error?: string }
}

/** People and invitations: invite, resend an invitation, who has not activated, the accounts. */
export function PeoplePage({ people, invitations, invitableRoles, filters, info, invite }: PeopleView) {
  const fieldErrors = invite?.fieldErrors ?? {}
  const values = invite?.values ?? { email: '', role: '', organization: '', topics: '' }
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, { label: t.title }]} />
      <h1 class="pt-4">{t.title}</h1>
      <p class="lead">{t.lead}</p>
      {info ? (
        <Notice kind="success">
          <p class="mb-0">{info}</p>
        </Notice>
      ) : null}
      <section class="mt-4 col-lg-8 px-0" aria-labelledby="invite-title">
        <h2 id="invite-title" class="h4">
          {t.invite}
        </h2>
        <ErrorSummary error={invite?.error} fieldErrors={fieldErrors} title={secretariat.publish.invalid} anchors={{ organizationId: 'organization' }} />
        <form method="post" action="/segreteria/persone/inviti">
          <Field id="email" label={t.email} error={fieldErrors.email}>
            {(control) => <input {...control} name="email" type="email" class="form-control" required value={values.email} autocomplete="off" />}
          </Field>
          <Field id="role" label={t.role} error={fieldErrors.role} select>
            {(control) => (
              <select {...control} name="role" required>
                {invitableRoles.map((role) => (
                <option value={role} selected={values.role === role}>
                  {roleLabel(role)}
                </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="organization" label={t.organization} help={t.organizationHelp} error={fieldErrors.organizationId}>
            {(control) => <input type="text" {...control} name="organization" class="form-control" value={values.organization} />}
          </Field>
          <Field id="topics" label={t.topics} help={t.topicsHelp}>
            {(control) => <input type="text" {...control} name="topics" class="form-control" value={values.topics} />}
          </Field>
          <button type="submit" class="btn btn-primary">
            {t.inviteSubmit}
          </button>
        </form>
      </section>
      <section class="mt-5" aria-labelledby="pending-title">
        <h2 id="pending-title" class="h4">
          {t.pending}
        </h2>
        <DataTable
          labelledBy="pending-title"
          headers={[t.email, t.role, t.invitedOn, t.expires, <span class="visually-hidden">{t.resend}</span>]}
          rows={invitations.map((i) => ({
            cells: [
              i.email,
              roleLabel(i.role),
              <Time value={i.createdAt}>{formatDate(i.createdAt)}</Time>,
              i.expired ? <strong>{t.expired}</strong> : <Time value={i.expiresAt}>{formatDateTime(i.expiresAt)}</Time>,
              invitableRoles.includes(i.role) ? (
                <form method="post" action={`/segreteria/persone/inviti/${i.id}/reinvia`}>
                  <button type="submit" class="btn btn-sm btn-outline-primary" aria-label={t.resendLabel(i.email)}>
                    {t.resend}
                  </button>
                </form>
              ) : null,
            ],
          }))}
          empty={t.pendingNone}
        />
      </section>
      <section class="mt-5" aria-labelledby="accounts-title">
        <h2 id="accounts-title" class="h4">
          {t.accounts}
        </h2>
        <form method="get" action="/segreteria/persone" class="row align-items-end">
          <Field id="filtro-ruolo" label={t.filterRole} class="col-md-4" select>
            {(control) => (
              <select {...control} name="ruolo">
                <option value="">{t.anyRole}</option>
                {(['staff', 'expert', 'moderator', 'admin'] as const).map((role) => (
                  <option value={role} selected={filters.ruolo === role}>
                    {roleLabel(role)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="filtro-stato" label={t.filterActive} class="col-md-4" select>
            {(control) => (
              <select {...control} name="stato">
                <option value="">{t.anyState}</option>
                <option value="attivi" selected={filters.stato === 'attivi'}>
                  {t.activeOnly}
                </option>
                <option value="disattivati" selected={filters.stato === 'disattivati'}>
                  {t.inactiveOnly}
                </option>
              </select>
            )}
          </Field>
          <div class="form-group col-md-4">
            <button type="submit" class="btn btn-outline-primary">
              {t.filter}
            </button>
          </div>
        </form>
        <DataTable
          labelledBy="accounts-title"
          headers={[t.columns.name, t.columns.email, t.columns.role, t.columns.organization, t.columns.state]}
          rows={people.map((u) => ({
            cells: [<a href={`/segreteria/persone/${u.id}`}>{u.displayName}</a>, u.email, roleLabel(u.role), u.organization?.name ?? '', u.active ? t.active : t.inactive],
          }))}
          empty={t.none}
        />
      </section>
    </div>
  )
}

export interface PersonView {
  person: UserDto
  /** Only admins change roles and activation (the accounts policy). */
  canManage: boolean
  isSelf: boolean
  info?: string
  error?: string
}

/** One account: its details; for admins, role change and (de)activation. */
export function PersonPage({ person, canManage, isSelf, info, error }: PersonView) {
  const roles = person.role === 'staff' ? (['staff'] as const) : (['expert', 'moderator', 'admin'] as const)
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, { label: t.title, path: '/segreteria/persone' }, { label: person.displayName }]} />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{person.displayName}</h1>
          {info ? (
            <Notice kind="success">
              <p class="mb-0">{info}</p>
            </Notice>
          ) : null}
          {error ? (
            <Notice kind="error">
              <p class="mb-0">{error}</p>
            </Notice>
          ) : null}
          <dl class="row">
            <dt class="col-sm-4">{t.columns.email}</dt>
            <dd class="col-sm-8">{person.email}</dd>
            <dt class="col-sm-4">{t.columns.role}</dt>
            <dd class="col-sm-8">{roleLabel(person.role)}</dd>
            {person.organization ? (
              <>
                <dt class="col-sm-4">{t.columns.organization}</dt>
                <dd class="col-sm-8">{person.organization.name}</dd>
              </>
            ) : null}
            {person.topics.length > 0 ? (
              <>
                <dt class="col-sm-4">{p.topics}</dt>
                <dd class="col-sm-8">{person.topics.join(', ')}</dd>
              </>
            ) : null}
            <dt class="col-sm-4">{t.columns.state}</dt>
            <dd class="col-sm-8">
              {person.active ? t.active : t.inactive}
              {person.deactivatedAt ? ` (${p.deactivatedOn} ${formatDate(person.deactivatedAt)})` : ''}
            </dd>
            <dt class="col-sm-4">{p.since}</dt>
            <dd class="col-sm-8">
              <Time value={person.createdAt}>{formatDate(person.createdAt)}</Time>
            </dd>
          </dl>
          {!canManage || isSelf ? (
            <p>{p.adminsOnly}</p>
          ) : (
            <>
              {person.role === 'staff' ? (
                <p>{p.organizationForStaff}</p>
              ) : (
                <form method="post" action={`/segreteria/persone/${person.id}/ruolo`} class="mt-4">
                  <h2 class="h4">{p.changeRole}</h2>
                  <Field id="role" label={t.role} select>
                    {(control) => (
                      <select {...control} name="role">
                        {roles.map((role) => (
                          <option value={role} selected={person.role === role}>
                            {roleLabel(role)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <button type="submit" class="btn btn-outline-primary">
                    {p.roleSubmit}
                  </button>
                </form>
              )}
              <form method="post" action={`/segreteria/persone/${person.id}/attivazione`} class="mt-5">
                <input type="hidden" name="active" value={person.active ? 'no' : 'si'} />
                {person.active ? <p>{p.deactivateText}</p> : null}
                <button type="submit" class={`btn ${person.active ? 'btn-outline-danger' : 'btn-outline-primary'}`}>
                  {person.active ? p.deactivate : p.reactivate}
                </button>
              </form>
              <p class="mt-4">
                <a href={`/segreteria/registro?persona=${person.id}`}>{p.history}</a>
              </p>
            </>
          )}
          <p class="mt-4">
            <a href="/segreteria/persone">{p.back}</a>
          </p>
        </div>
      </div>
    </div>
  )
}

export interface AuditView {
  entries: AuditEntryDto[]
  actions: readonly string[]
  people: Array<{ id: string; label: string }>
  filters: { attivita?: string; persona?: string }
  nextBefore: number | null
  nameOf: (id: string | null) => string
  /** An organization's name, when the id is one the page loaded. */
  organizationOf: (id: string) => string | undefined
}

const a = secretariat.audit
// Done before any session, yet by the account's owner, who proved it (password, invitation or
// reset link): "who" is that person. A failed sign-in or a reset request proves no one.
const SELF_PROVEN: ReadonlySet<AuditAction> = new Set<AuditAction>(['login.succeeded', 'invitation.accepted', 'password_reset.completed'])

type Names = Pick<AuditView, 'nameOf' | 'organizationOf'>

/** The person who acted: the session's, or the account's owner where they proved it. */
function actorId(e: AuditEntryDto): string | null {
  return e.actorUserId ?? (SELF_PROVEN.has(e.action) ? e.targetUserId : null)
}

function actorCell(e: AuditEntryDto, nameOf: AuditView['nameOf']): string {
  const id = actorId(e)
  return id ? nameOf(id) : a.anonymous
}

/** Whom it concerned; said in two words when it is the one who acted, not their name again. */
function targetCell(e: AuditEntryDto, nameOf: AuditView['nameOf']): string {
  if (!e.targetUserId) return e.targetEmail ?? ''
  return e.targetUserId === actorId(e) ? a.self : nameOf(e.targetUserId)
}

/** One detail's value in words: roles and reasons named, people and organizations by name, yes/no in Italian. */
function detailValue(key: string, value: unknown, { nameOf, organizationOf }: Names): string {
  if (typeof value === 'boolean') return value ? a.yes : a.no
  if (typeof value === 'number') return formatNumber(value)
  if (typeof value === 'string') {
    if (key === 'reason') return a.reasons[value] ?? value
    if (key === 'key') return a.limits[value] ?? value
    // Eight hex digits tell a sign-in's session from another's, and pair it with its exit.
    if (key === 'sessionId') return value.slice(0, 8)
    if (key === 'invitedBy') return nameOf(value)
    if (key === 'organizationId') return organizationOf(value) ?? value
    // A role, or what a change went from or to (a role, or an organization's id).
    if (key === 'role' || key === 'from' || key === 'to') return organizationOf(value) ?? roleLabel(value)
    return value
  }
  if (key === 'findings' && Array.isArray(value)) return value.map((f: { kind?: unknown; field?: unknown }) => `${String(f.kind)} (${String(f.field)})`).join(', ')
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ')
  return JSON.stringify(value)
}

/** An entry's details, one per line ("motivo: account disattivato"); nothing when it has none. */
function AuditDetails({ details, names }: { details: Record<string, unknown>; names: Names }) {
  const shown = Object.entries(details).filter(([, value]) => value !== undefined && value !== null)
  if (shown.length === 0) return null
  return (
    <ul class="list-unstyled mb-0 small text-break">
      {shown.map(([key, value]) => (
        <li>
          {a.details[key] ?? key}: {detailValue(key, value, names)}
        </li>
      ))}
    </ul>
  )
}

/** The audit log for admins, filtered by action and person, paged back in time. */
export function AuditPage({ entries, actions, people, filters, nextBefore, nameOf, organizationOf }: AuditView) {
  const older = new URLSearchParams({ ...(filters.attivita ? { attivita: filters.attivita } : {}), ...(filters.persona ? { persona: filters.persona } : {}), prima: String(nextBefore) })
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[home, { label: a.title }]} />
      <h1 class="pt-4" id="audit-title">
        {a.title}
      </h1>
      <p class="lead">{a.lead}</p>
      <form method="get" action="/segreteria/registro" class="row align-items-end">
        <Field id="filtro-attivita" label={a.action} class="col-md-5" select>
          {(control) => (
            <select {...control} name="attivita">
              <option value="">{a.anyAction}</option>
              {actions.map((action) => (
                <option value={action} selected={filters.attivita === action}>
                  {a.actions[action] ?? action}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="filtro-persona" label={a.person} class="col-md-5" select>
          {(control) => (
            <select {...control} name="persona">
              <option value="">{a.anyPerson}</option>
              {people.map((person) => (
                <option value={person.id} selected={filters.persona === person.id}>
                  {person.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="form-group col-md-2">
          <button type="submit" class="btn btn-outline-primary">
            {a.filter}
          </button>
        </div>
      </form>
      <DataTable
        small
        labelledBy="audit-title"
        headers={[a.columns.when, a.columns.action, a.columns.actor, a.columns.target, a.columns.ip, a.columns.details]}
        rows={entries.map((e) => ({
          cells: [
            <Time value={e.occurredAt}>{formatDateTime(e.occurredAt)}</Time>,
            <span data-action={e.action}>{a.actions[e.action] ?? e.action}</span>,
            actorCell(e, nameOf),
            targetCell(e, nameOf),
            e.ip ?? '',
            <AuditDetails details={e.details} names={{ nameOf, organizationOf }} />,
          ],
        }))}
        empty={a.none}
      />
      {nextBefore !== null ? (
        <p>
          <a href={`/segreteria/registro?${older.toString()}`}>{a.older}</a>
        </p>
      ) : null}
    </div>
  )
}
