import type { FastifyPluginAsync } from 'fastify'
import { accountPages } from '../i18n/site.js'
import { Field } from '../web/forms.js'
import { sendPage } from '../web/render.js'

/**
 * The two pages behind the links the API hands out (invitation, password reset): without them a
 * link would open a JSON 404. The form is sent by a small script (the token lives in the URL
 * fragment, which never reaches a server); the messages it shows come from the catalogue through
 * data attributes, so the script holds no text of its own.
 */
const accountPagesRoutes: FastifyPluginAsync = async (app) => {
  for (const [path, page] of Object.entries(accountPages.pages)) {
    app.get(path, { schema: { hide: true } }, (request, reply) =>
      sendPage(
        request,
        reply,
        { title: page.title, noindex: true, scripts: ['account.js'] },
        <div class="container my-5">
          <div class="row">
            <div class="col-lg-6">
              <h1>{page.title}</h1>
              <p class="lead">{page.intro}</p>
              <form
                novalidate
                data-kind={page.kind}
                data-msg-mismatch={accountPages.mismatch}
                data-msg-too-short={accountPages.tooShort}
                data-msg-name={accountPages.nameRequired}
                data-msg-missing-token={accountPages.missingToken}
                data-msg-offline={accountPages.offline}
                data-msg-failed={accountPages.failed}
                data-msg-done={page.done}
              >
                {page.kind === 'invito' ? (
                  <Field id="displayName" label={accountPages.name}>
                    {(control) => <input type="text" {...control} name="displayName" class="form-control" autocomplete="name" minLength={2} maxLength={120} required />}
                  </Field>
                ) : null}
                <Field id="password" label={accountPages.password} help={accountPages.passwordHelp}>
                  {(control) => <input {...control} name="password" type="password" class="form-control" autocomplete="new-password" minLength={12} required />}
                </Field>
                <Field id="confirm" label={accountPages.confirm}>
                  {(control) => <input {...control} name="confirm" type="password" class="form-control" autocomplete="new-password" required />}
                </Field>
                <button type="submit" class="btn btn-primary">
                  {page.action}
                </button>
              </form>
              <div class="alert alert-danger mt-4 error" role="alert" hidden></div>
              <div class="alert alert-success mt-4 done" role="status" hidden></div>
              {/* Shown with the confirmation: both pages end on the sign-in page. */}
              <p class="signin-next" hidden>
                <a class="btn btn-primary" href="/accedi">
                  {accountPages.goSignIn}
                </a>
              </p>
            </div>
          </div>
        </div>,
        // The link's token must not travel on in a Referer, even to our own pages.
        { referrerPolicy: 'no-referrer' },
      ),
    )
  }
}

export default accountPagesRoutes
