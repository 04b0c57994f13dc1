import type { ComponentChildren, JSX } from 'preact'
import { site } from '../i18n/site.js'
import type { IconName } from './assets.js'
import { useSite } from './site-context.js'

/**
 * Small pieces every page uses. Preact escapes every interpolated value; the only ways to put
 * markup from data into a page are `TrustedHtml` (HTML our own renderer made safe) and
 * `Highlighted` (a search snippet rebuilt element by element).
 */

/** A Bootstrap Italia icon from our sprite. Decorative unless it is given a title. */
export function Icon({ name, class: className = '', title }: { name: IconName; class?: string; title?: string }) {
  const { assets } = useSite()
  return (
    <svg class={`icon ${className}`.trim()} aria-hidden={title ? undefined : 'true'} role={title ? 'img' : undefined} focusable="false">
      {title ? <title>{title}</title> : null}
      <use href={`${assets.url('icons.svg')}#${name}`} />
    </svg>
  )
}

/**
 * HTML produced by `src/shared/markdown.ts` (raw HTML off, safe link protocols): the one kind of
 * HTML from stored data a page may include as is.
 */
export function TrustedHtml({ html, class: className }: { html: string; class?: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: html }} />
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
const unescape = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)

/**
 * A search snippet: escaped text with `<mark>…</mark>` around matched words. It is taken apart
 * and rebuilt as text and <mark> elements, so nothing else in it can ever become markup.
 */
export function Highlighted({ snippet }: { snippet: string }) {
  const parts = snippet.split(/(<mark>[\s\S]*?<\/mark>)/)
  return (
    <>
      {parts.map((part) => {
        const marked = /^<mark>([\s\S]*)<\/mark>$/.exec(part)
        return marked ? <mark>{unescape(marked[1]!)}</mark> : unescape(part)
      })}
    </>
  )
}

/** A link to another site: opens in the same tab, says where it goes, sends no referrer. */
export function ExternalLink({ href, children, class: className }: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a href={href} class={className} rel="noopener noreferrer external">
      {children}
      <Icon name="it-external-link" class="icon-xs ms-1 align-baseline" />
      <span class="visually-hidden"> {site.faq.opensElsewhere}</span>
    </a>
  )
}

export interface Crumb {
  label: string
  path?: string
}

export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav class="breadcrumb-container mt-3" aria-label={site.layout.breadcrumbs}>
      <ol class="breadcrumb p-0 mb-0">
        {[{ label: site.layout.home, path: '/' }, ...items].map((item, i, all) => {
          const last = i === all.length - 1
          return (
            <li class={`breadcrumb-item${last ? ' active' : ''}`} aria-current={last ? 'page' : undefined}>
              {last || !item.path ? item.label : <a href={item.path}>{item.label}</a>}
              {last ? null : <span class="separator">/</span>}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}

/** Page links that keep the other query parameters; numbered around the current page. */
export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  if (pages <= 1) return null
  const shown = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b)
  const items: JSX.Element[] = []
  shown.forEach((n, i) => {
    if (i > 0 && n - shown[i - 1]! > 1) {
      items.push(
        <li class="page-item" aria-hidden="true">
          <span class="page-link">…</span>
        </li>,
      )
    }
    items.push(
      <li class="page-item">
        {n === page ? (
          <a class="page-link" href={href(n)} aria-current="page">
            <span class="visually-hidden">{site.faqs.page(n)}</span>
            <span aria-hidden="true">{n}</span>
          </a>
        ) : (
          <a class="page-link" href={href(n)}>
            <span class="visually-hidden">{site.faqs.page(n)}</span>
            <span aria-hidden="true">{n}</span>
          </a>
        )}
      </li>,
    )
  })
  return (
    <nav class="pagination-wrapper justify-content-center mt-4" aria-label={site.faqs.pagination}>
      <ul class="pagination">
        <li class={`page-item${page <= 1 ? ' disabled' : ''}`}>
          {page > 1 ? (
            <a class="page-link" href={href(page - 1)}>
              <Icon name="it-chevron-left" class="icon-primary" />
              <span class="visually-hidden">{site.faqs.previous}</span>
            </a>
          ) : null}
        </li>
        {items}
        <li class={`page-item${page >= pages ? ' disabled' : ''}`}>
          {page < pages ? (
            <a class="page-link" href={href(page + 1)}>
              <span class="visually-hidden">{site.faqs.next}</span>
              <Icon name="it-chevron-right" class="icon-primary" />
            </a>
          ) : null}
        </li>
      </ul>
    </nav>
  )
}

/** `<time>` with the machine-readable instant beside the Italian text. */
export function Time({ value, children }: { value: string; children: ComponentChildren }) {
  return <time dateTime={value}>{children}</time>
}
