import { OPEN_DATA_COLUMNS, OPEN_DATA_LICENSE } from '../knowledge-base/open-data.js'
import { site } from '../i18n/site.js'
import { Breadcrumbs, ExternalLink, Icon } from '../web/components.js'
import type { IconName } from '../web/assets.js'
import { FEED_PATH } from './faq-page.js'

const FORMATS: Array<{ title: string; text: string; href: string; icon: IconName; action: string; type: string }> = [
  { title: site.openData.csvTitle, text: site.openData.csvText, href: '/api/v1/faqs/export.csv', icon: 'it-file-csv', action: site.openData.download, type: 'text/csv' },
  { title: site.openData.jsonTitle, text: site.openData.jsonText, href: '/api/v1/faqs/export.json', icon: 'it-file-json', action: site.openData.download, type: 'application/json' },
  { title: site.openData.feedTitle, text: site.openData.feedText, href: FEED_PATH, icon: 'it-rss', action: site.openData.subscribe, type: 'application/atom+xml' },
]

export function OpenDataPage() {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={[{ label: site.openData.title }]} />
      <div class="row">
        <div class="col-lg-8 pt-4">
          <h1>{site.openData.title}</h1>
          <p class="lead">{site.openData.lead}</p>
          <h2 class="h4 mt-4">{site.openData.licenseTitle}</h2>
          <p>
            {site.openData.license(OPEN_DATA_LICENSE.name)} <ExternalLink href={OPEN_DATA_LICENSE.url}>{site.openData.licenseLink}</ExternalLink>
          </p>
          <h2 class="h4 mt-5">{site.openData.formats}</h2>
        </div>
      </div>
      <ul class="row list-unstyled">
        {FORMATS.map((format) => (
          <li class="col-md-4 mb-4">
            <div class="card card-bg shadow-sm h-100">
              <div class="card-body">
                <h3 class="card-title h5">
                  <Icon name={format.icon} class="icon-primary me-2" />
                  {format.title}
                </h3>
                <p class="card-text">{format.text}</p>
                <a class="btn btn-primary btn-sm" href={format.href} type={format.type}>
                  <Icon name="it-download" class="icon-white me-1" />
                  {format.action} <span class="visually-hidden">{format.title}</span>
                </a>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <div class="row">
        <div class="col-lg-8">
          <h2 class="h4">{site.openData.fields}</h2>
          <table class="table table-sm">
            <caption class="visually-hidden">{site.openData.fields}</caption>
            <thead>
              <tr>
                <th scope="col">{site.openData.fieldColumn}</th>
                <th scope="col">{site.openData.contentColumn}</th>
              </tr>
            </thead>
            <tbody>
              {OPEN_DATA_COLUMNS.map((column) => (
                <tr>
                  <th scope="row">
                    <code>{column}</code>
                  </th>
                  <td>{site.openData.fieldDescriptions[column]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {site.openData.api} <a href="/docs">{site.layout.apiDocs}</a>
          </p>
        </div>
      </div>
    </div>
  )
}
