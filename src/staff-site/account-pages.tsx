import type { MeDto } from '../accounts/schemas.js'
import { staff } from '../i18n/staff.js'
import { Breadcrumbs } from '../web/components.js'
import { Notice } from '../web/feedback.js'
import { Field } from '../web/forms.js'

export interface SignInView {
  email?: string
  returnTo?: string
  error?: string
  info?: string
}

/** Email and password; works as a plain form post (no script). */
export function SignInPage({ email, returnTo, error, info }: SignInView) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: staff.signIn.title }]} />
      <div class="row">
        <div class="col-lg-6 pt-4">
          <h1>{staff.signIn.title}</h1>
          <p class="lead">{staff.signIn.lead}</p>
          {info ? <Notice kind="info">{info}</Notice> : null}
          {error ? (
            <Notice kind="error" title={staff.signIn.errorTitle}>
              <p class="mb-0">{error}</p>
            </Notice>
          ) : null}
          <form method="post" action="/accedi" class="mt-4">
            {returnTo ? <input type="hidden" name="ritorno" value={returnTo} /> : null}
            <Field id="email" label={staff.signIn.email}>
              {(control) => <input {...control} name="email" type="email" class="form-control" autocomplete="username" required value={email ?? ''} />}
            </Field>
            <Field id="password" label={staff.signIn.password}>
              {(control) => <input {...control} name="password" type="password" class="form-control" autocomplete="current-password" required />}
            </Field>
            <button type="submit" class="btn btn-primary">
              {staff.signIn.submit}
            </button>
          </form>
          <p class="mt-4">
            <a href="/password-dimenticata">{staff.signIn.forgot}</a>
          </p>
          <p>{staff.signIn.noAccount}</p>
        </div>
      </div>
    </div>
  )
}

export function ForgotPasswordPage({ email, error, sent }: { email?: string; error?: string; sent?: boolean }) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: staff.signIn.title, path: '/accedi' }, { label: staff.forgot.title }]} />
      <div class="row">
        <div class="col-lg-6 pt-4">
          <h1>{staff.forgot.title}</h1>
          {sent ? (
            <Notice kind="success">
              <p class="mb-0">{staff.forgot.sent}</p>
            </Notice>
          ) : (
            <>
              <p class="lead">{staff.forgot.lead}</p>
              {error ? (
                <Notice kind="error">
                  <p class="mb-0">{error}</p>
                </Notice>
              ) : null}
              <form method="post" action="/password-dimenticata" class="mt-4">
                <Field id="email" label={staff.forgot.email}>
                  {(control) => <input {...control} name="email" type="email" class="form-control" autocomplete="email" required value={email ?? ''} />}
                </Field>
                <button type="submit" class="btn btn-primary">
                  {staff.forgot.submit}
                </button>
              </form>
            </>
          )}
          <p class="mt-4">
            <a href="/accedi">{staff.forgot.back}</a>
          </p>
        </div>
      </div>
    </div>
  )
}

export function AccountPage({
  me,
  reminders,
  error,
  changed,
  mailSaved,
}: {
  me: MeDto
  reminders: boolean
  error?: string
  changed?: boolean
  mailSaved?: boolean
}) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: staff.account.title }]} />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{staff.account.title}</h1>
          <dl class="row mt-4">
            <dt class="col-sm-3">{staff.account.name}</dt>
            <dd class="col-sm-9">{me.displayName}</dd>
            <dt class="col-sm-3">{staff.account.email}</dt>
            <dd class="col-sm-9">{me.email}</dd>
            <dt class="col-sm-3">{staff.account.role}</dt>
            <dd class="col-sm-9">{staff.account.roles[me.role] ?? me.role}</dd>
            {me.organization ? (
              <>
                <dt class="col-sm-3">{staff.account.organization}</dt>
                <dd class="col-sm-9">{me.organization.name}</dd>
              </>
            ) : null}
          </dl>
          <h2 class="h3 mt-5" id="password">
            {staff.account.changePassword}
          </h2>
          {changed ? (
            <Notice kind="success">
              <p class="mb-0">{staff.account.changed}</p>
            </Notice>
          ) : null}
          {error ? (
            <Notice kind="error">
              <p class="mb-0">{error}</p>
            </Notice>
          ) : null}
          <form method="post" action="/account/password" class="mt-3 col-lg-8 px-0">
            <input type="text" name="username" autocomplete="username" value={me.email} hidden />
            <Field id="currentPassword" label={staff.account.current}>
              {(control) => <input {...control} name="currentPassword" type="password" class="form-control" autocomplete="current-password" required />}
            </Field>
            <Field id="newPassword" label={staff.account.next} help={staff.account.nextHelp}>
              {(control) => <input {...control} name="newPassword" type="password" class="form-control" autocomplete="new-password" minLength={12} required />}
            </Field>
            <Field id="confirm" label={staff.account.confirm}>
              {(control) => <input {...control} name="confirm" type="password" class="form-control" autocomplete="new-password" required />}
            </Field>
            <button type="submit" class="btn btn-primary">
              {staff.account.submit}
            </button>
          </form>
          <h2 class="h3 mt-5" id="email">
            {staff.account.mailTitle}
          </h2>
          {mailSaved ? (
            <Notice kind="success">
              <p class="mb-0">{staff.account.mailSaved}</p>
            </Notice>
          ) : null}
          <p>{staff.account.mailIntro}</p>
          <form method="post" action="/account/email" class="mt-3 col-lg-8 px-0">
            <div class="form-check">
              <input id="reminders" name="reminders" type="checkbox" value="1" checked={reminders} />
              <label for="reminders">{staff.account.reminders}</label>
            </div>
            <button type="submit" class="btn btn-outline-primary mt-2">
              {staff.account.saveMail}
            </button>
          </form>
        </div>
      </div>
    </div>
  )
}
