import { secretariat } from '../i18n/secretariat.js'
import { Breadcrumbs } from '../web/components.js'
import { Notice } from '../web/feedback.js'

/** A page that only says why an action cannot be taken here, with the way on. */
export function NoticePage({ title, text, link }: { title: string; text: string; link: { href: string; label: string } }) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: secretariat.overview.title, path: '/segreteria' }, { label: title }]} />
      <h1 class="pt-4">{title}</h1>
      <Notice kind="info">
        <p class="mb-0">
          {text} <a href={link.href}>{link.label}</a>
        </p>
      </Notice>
    </div>
  )
}
