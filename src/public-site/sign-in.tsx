import { site } from '../i18n/site.js'
import { Breadcrumbs } from '../web/components.js'

/**
 * Placeholder so that the "Accedi" links do not lead to a 404: the sign-in form, sign-out and
 * the landing pages per role come with issue 13 (sign-in and the comune staff's pages), which
 * replaces this page.
 */
export function SignInPlaceholder() {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: site.signIn.title }]} />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{site.signIn.title}</h1>
          <p class="lead">{site.signIn.lead}</p>
          <p>{site.signIn.coming}</p>
          <p>{site.signIn.noAccount}</p>
        </div>
      </div>
    </div>
  )
}
