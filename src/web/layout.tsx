import type { ComponentChildren } from 'preact'
import { isUser } from '../accounts/actor.js'
import { site } from '../i18n/site.js'
import { staff } from '../i18n/staff.js'
import { withNeeds, type PageAsset } from './assets.js'
import { Icon } from './components.js'
import { LANDING } from './landing.js'
import { useSite } from './site-context.js'

/** What a page tells the layout about itself: the <head> and the scripts it needs. */
export interface PageMeta {
  /** The page's own title; the layout appends the site's name. */
  title: string
  description?: string
  /** Path of the page's one URL (search engines, sharing); absolute with PUBLIC_ORIGIN. */
  canonicalPath?: string
  openGraphType?: 'website' | 'article'
  /** schema.org data, as a JSON-LD block. */
  jsonLd?: unknown
  /** Scripts that enhance the page (loaded as modules, deferred). */
  scripts?: Array<Extract<PageAsset, `${string}.js`>>
  /** Pages that should not be indexed (errors, forms). */
  noindex?: boolean
  /** Extra <link> tags, e.g. the Atom feed. */
  alternate?: { type: string; title: string; href: string }
}

/** JSON inside <script>: `<` is written as \u003c, so no text in it can close the element. */
export const jsonForScript = (data: unknown) => JSON.stringify(data).replace(/</g, '\\u003c')

function Head({ meta }: { meta: PageMeta }) {
  const { assets, origin } = useSite()
  const fullTitle = meta.title === site.name ? site.name : `${meta.title} – ${site.name}`
  const canonical = meta.canonicalPath ? `${origin}${meta.canonicalPath}` : undefined
  return (
    <head>
      <meta charSet="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{fullTitle}</title>
      {meta.description ? <meta name="description" content={meta.description} /> : null}
      {meta.noindex ? <meta name="robots" content="noindex" /> : null}
      {canonical ? <link rel="canonical" href={canonical} /> : null}
      <meta property="og:site_name" content={site.name} />
      <meta property="og:locale" content="it_IT" />
      <meta property="og:type" content={meta.openGraphType ?? 'website'} />
      <meta property="og:title" content={meta.title} />
      {meta.description ? <meta property="og:description" content={meta.description} /> : null}
      {canonical ? <meta property="og:url" content={canonical} /> : null}
      <link rel="icon" type="image/svg+xml" href={assets.url('favicon.svg')} />
      <link rel="stylesheet" href={assets.url('bootstrap-italia.css')} />
      <link rel="stylesheet" href={assets.url('site.css')} />
      {meta.alternate ? <link rel="alternate" type={meta.alternate.type} title={meta.alternate.title} href={meta.alternate.href} /> : null}
      {withNeeds(meta.scripts ?? []).map((name) => (
        <script type="module" src={assets.url(name)} />
      ))}
      {meta.jsonLd ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(meta.jsonLd) }} /> : null}
    </head>
  )
}

function Header() {
  const { actor, path } = useSite()
  return (
    <header class="it-header-wrapper">
      <div class="it-header-slim-wrapper">
        <div class="container">
          <div class="row">
            <div class="col-12">
              <div class="it-header-slim-wrapper-content">
                {/* On a phone a signed-in person's buttons need the row: the owner's link steps aside; a visitor's says the short name beside "Accedi". */}
                <a class={`navbar-brand${isUser(actor) ? ' d-none d-sm-inline' : ''}`} href={site.ownerUrl}>
                  <span class="d-none d-sm-inline">{site.owner}</span>
                  <span class="d-sm-none">{site.ownerShort}</span>
                </a>
                <div class="it-header-slim-right-zone">
                  {isUser(actor) ? (
                    <div class="signed-in-actions d-flex align-items-center gap-2">
                      <span class="text-white small d-none d-md-inline">{site.layout.signedInAs(actor.displayName)}</span>
                      <a class="btn btn-sm btn-primary" href={LANDING[actor.role]}>
                        {staff.nav.personal}
                      </a>
                      <a class="btn btn-sm btn-primary" href="/account">
                        {staff.nav.account}
                      </a>
                      {/* Signing out changes state: a POST (from our origin), never a link. */}
                      <form method="post" action="/esci" class="d-inline">
                        <button type="submit" class="btn btn-sm btn-outline-light">
                          {staff.signOut}
                        </button>
                      </form>
                    </div>
                  ) : (
                    <a class="btn btn-primary btn-icon btn-full" href="/accedi">
                      <span class="rounded-icon">
                        <Icon name="it-user" class="icon-primary" />
                      </span>
                      <span>{site.layout.signIn}</span>
                    </a>
                  )}
                </div>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div class="it-nav-wrapper">
        <div class="it-header-center-wrapper">
          <div class="container">
            <div class="row">
              <div class="col-12">
                <div class="it-header-center-content-wrapper">
                  <div class="it-brand-wrapper">
                    <a href="/">
                      <Icon name="it-pa" />
                      <div class="it-brand-text">
                        <div class="it-brand-title">{site.name}</div>
                        <div class="it-brand-tagline d-none d-md-block">{site.tagline}</div>
                      </div>
                    </a>
                  </div>
                  <div class="it-right-zone">
                    <div class="it-search-wrapper">
                      <span class="d-none d-md-block">{site.layout.search}</span>
                      <a class="search-link rounded-icon" href="/domande-e-risposte#cerca" aria-label={site.layout.searchLink}>
                        <Icon name="it-search" />
                      </a>
                    </div>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
        <div class="it-header-navbar-wrapper">
          <div class="container">
            <nav class="site-nav" aria-label={site.layout.mainMenu}>
              <ul class="site-nav-list">
                {site.nav.map((item) => {
                  const current = path === item.path || path.startsWith(`${item.path}/`)
                  return (
                    <li>
                      <a class={`site-nav-link${current ? ' active' : ''}`} href={item.path} aria-current={current ? 'page' : undefined}>
                        {item.label}
                      </a>
                    </li>
                  )
                })}
              </ul>
            </nav>
          </div>
        </div>
      </div>
    </header>
  )
}

function Footer() {
  return (
    <footer class="it-footer" id="footer">
      <div class="it-footer-main">
        <div class="container">
          <div class="row">
            <div class="col-12">
              <div class="it-brand-wrapper">
                <a href="/">
                  <Icon name="it-pa" />
                  <div class="it-brand-text">
                    <h2 class="no_toc">{site.name}</h2>
                    <h3 class="no_toc d-none d-md-block">{site.owner}</h3>
                  </div>
                </a>
              </div>
            </div>
          </div>
          <div class="row border-top border-white py-4">
            <div class="col-lg-8 pb-2">
              <p class="text-white">{site.layout.footerAbout}</p>
              <p class="text-white small mb-0">{site.layout.license}</p>
            </div>
            <div class="col-lg-4 pb-2">
              <h3 class="h6 text-white text-uppercase">{site.layout.footerLinks}</h3>
              <ul class="footer-list clearfix">
                {site.nav.map((item) => (
                  <li>
                    <a href={item.path}>{item.label}</a>
                  </li>
                ))}
                <li>
                  <a href="/docs">{site.layout.apiDocs}</a>
                </li>
              </ul>
            </div>
          </div>
        </div>
      </div>
      <div class="it-footer-small-prints clearfix">
        <div class="container">
          <h2 class="visually-hidden">{site.layout.footerLegal}</h2>
          <ul class="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
            <li class="list-inline-item">
              <a href="/accessibilita">{site.layout.accessibility}</a>
            </li>
            <li class="list-inline-item">
              <a href="/privacy">{site.layout.privacy}</a>
            </li>
            <li class="list-inline-item">
              <a href="/dati-aperti">{site.layout.openData}</a>
            </li>
          </ul>
        </div>
      </div>
    </footer>
  )
}

/** The one page frame: skip links, header with the forum's identity and menu, main, footer. */
export function Layout({ meta, children }: { meta: PageMeta; children: ComponentChildren }) {
  return (
    <html lang={site.language}>
      <Head meta={meta} />
      <body>
        <div class="skiplinks">
          <a class="visually-hidden-focusable" href="#main-container">
            {site.layout.skipToContent}
          </a>
          <a class="visually-hidden-focusable" href="#footer">
            {site.layout.skipToFooter}
          </a>
        </div>
        <Header />
        <main id="main-container" tabIndex={-1}>
          {children}
        </main>
        <Footer />
      </body>
    </html>
  )
}
