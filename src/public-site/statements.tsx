import { site } from '../i18n/site.js'
import type { statements } from '../i18n/statements.js'
import { Breadcrumbs } from '../web/components.js'

/** A page of plain prose from the catalogue: the accessibility statement, the privacy notice. */
export function ProsePage({ page }: { page: ReturnType<typeof statements>[keyof ReturnType<typeof statements>] }) {
  return (
    <div class="container">
      <Breadcrumbs items={[{ label: page.title }]} />
      <div class="row">
        <div class="col-lg-8 pt-4 pb-5">
          <h1>{page.title}</h1>
          <p class="lead">{page.lead}</p>
          {page.sections.map((section) => (
            <section class="mt-4">
              <h2 class="h4">{section.title}</h2>
              {section.paragraphs.map((p) => (
                <p>{p}</p>
              ))}
              {'items' in section && section.items ? (
                <ul>
                  {section.items.map((item) => (
                    <li>{item}</li>
                  ))}
                </ul>
              ) : null}
            </section>
          ))}
          <p class="small text-secondary mt-5">{site.owner}</p>
        </div>
      </div>
    </div>
  )
}
