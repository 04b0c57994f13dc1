/** Sitemap (sitemaps.org 0.9) and robots.txt: every public FAQ with its last change, the public pages. */

const escapeXml = (value: string) => value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c)

/** The protocol's limit per sitemap file; beyond it the sitemap becomes an index of files. */
export const SITEMAP_LIMIT = 50_000

export const PUBLIC_PAGES = ['/', '/domande-e-risposte', '/forum', '/dati-aperti', '/accessibilita', '/privacy'] as const

export function urlSet(origin: string, entries: Array<{ path: string; lastmod?: string }>): string {
  const urls = entries.map(
    (e) => `  <url><loc>${escapeXml(`${origin}${e.path}`)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ''}</url>`,
  )
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`
}

export function sitemapIndex(origin: string, files: number): string {
  const items = Array.from({ length: files }, (_, i) => `  <sitemap><loc>${escapeXml(`${origin}/sitemap-${i + 1}.xml`)}</loc></sitemap>`)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${items.join('\n')}\n</sitemapindex>\n`
}

export function robotsTxt(origin: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Allow: /api/v1/faqs/feed.atom',
    'Disallow: /api/',
    'Disallow: /invito',
    'Disallow: /nuova-password',
    'Disallow: /accedi',
    `Sitemap: ${origin}/sitemap.xml`,
    '',
  ].join('\n')
}
