import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The site's static assets: Bootstrap Italia (CSS, fonts, icons) from its npm package and our own
 * files in `src/web/static/`. Every asset is addressed by a name that carries a hash of its
 * content (`/assets/site.3f9a1c2b7e.css`), so it can be cached for a year as immutable and a new
 * release is fetched at once. Nothing is loaded from another host.
 */

const require = createRequire(import.meta.url)
const BOOTSTRAP_ITALIA = join(dirname(require.resolve('bootstrap-italia/package.json')), 'dist')
const OWN_STATIC = fileURLToPath(new URL('./static/', import.meta.url))
const ACCOUNT_STATIC = fileURLToPath(new URL('../pages/static/', import.meta.url))
const STAFF_STATIC = fileURLToPath(new URL('../staff-site/static/', import.meta.url))
const EXPERT_STATIC = fileURLToPath(new URL('../expert-site/static/', import.meta.url))
const SELF_ASSESSMENT_STATIC = fileURLToPath(new URL('../self-assessment/static/', import.meta.url))
const REPORTS_STATIC = fileURLToPath(new URL('../reports/static/', import.meta.url))
// chart.js's UMD build: one file that sets `globalThis.Chart` (its package exports no package.json).
const CHART_JS = dirname(require.resolve('chart.js'))

/** Icons of the Bootstrap Italia sprite that pages use; only these are served (the full sprite is 90 KB). */
export const ICONS = [
  'it-arrow-right',
  'it-calendar',
  'it-check-circle',
  'it-chevron-left',
  'it-chevron-right',
  'it-clock',
  'it-close',
  'it-download',
  'it-external-link',
  'it-file-csv',
  'it-file-json',
  'it-info-circle',
  'it-link',
  'it-pa',
  'it-rss',
  'it-search',
  'it-user',
  'it-warning-circle',
] as const
export type IconName = (typeof ICONS)[number]

/** Fonts of the design system, loaded by the browser only when a text uses them. */
const FONTS = [
  { family: 'Titillium Web', weight: 300, style: 'normal', file: 'Titillium_Web/titillium-web-v10-latin-ext_latin-300.woff2' },
  { family: 'Titillium Web', weight: 400, style: 'normal', file: 'Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2' },
  { family: 'Titillium Web', weight: 400, style: 'italic', file: 'Titillium_Web/titillium-web-v10-latin-ext_latin-italic.woff2' },
  { family: 'Titillium Web', weight: 600, style: 'normal', file: 'Titillium_Web/titillium-web-v10-latin-ext_latin-600.woff2' },
  { family: 'Titillium Web', weight: 700, style: 'normal', file: 'Titillium_Web/titillium-web-v10-latin-ext_latin-700.woff2' },
  { family: 'Lora', weight: 400, style: 'normal', file: 'Lora/lora-v20-latin-ext_latin-regular.woff2' },
  { family: 'Lora', weight: 700, style: 'normal', file: 'Lora/lora-v20-latin-ext_latin-700.woff2' },
  { family: 'Roboto Mono', weight: 400, style: 'normal', file: 'Roboto_Mono/roboto-mono-v13-latin-ext_latin-regular.woff2' },
] as const

/** Assets pages refer to by name. */
export const PAGE_ASSETS = ['bootstrap-italia.css', 'site.css', 'icons.svg', 'favicon.svg', 'search.js', 'forum-live.js', 'account.js', 'ask.js', 'questions-live.js', 'live.js', 'expert-queue.js', 'answer-desk.js', 'chart.js', 'autodiagnosi.js', 'reports.js'] as const
export type PageAsset = (typeof PAGE_ASSETS)[number]
type PageScript = Extract<PageAsset, `${string}.js`>

/** Scripts that use another (live.js: the one WebSocket client); the layout loads what they need first. */
export const SCRIPT_NEEDS: Partial<Record<PageScript, PageScript[]>> = {
  'forum-live.js': ['live.js'],
  'questions-live.js': ['live.js'],
  'expert-queue.js': ['live.js'],
  'answer-desk.js': ['live.js'],
  'reports.js': ['live.js'],
}

/** A page's scripts with what they need, each once, needed ones first (module scripts run in document order). */
export function withNeeds(scripts: readonly PageScript[]): PageScript[] {
  const ordered = new Set<PageScript>()
  for (const name of scripts) {
    for (const need of SCRIPT_NEEDS[name] ?? []) ordered.add(need)
    ordered.add(name)
  }
  return [...ordered]
}

export interface Asset {
  /** `/assets/<name>.<hash>.<ext>` */
  url: string
  contentType: string
  /** Served from disk with @fastify/static... */
  file?: { root: string; path: string }
  /** ...or from memory (assets we generate). */
  body?: Buffer
}

export interface AssetManifest {
  url(name: PageAsset): string
  /** The asset at a hashed file name under /assets/, if any. */
  lookup(fileName: string): Asset | undefined
}

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
}

const hashOf = (content: Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 10)

function hashedName(name: string, content: Buffer): string {
  const ext = extname(name)
  return `${basename(name, ext)}.${hashOf(content)}${ext}`
}

/** The sprite reduced to the icons in ICONS, as one SVG of <symbol>s. */
export function spriteSubset(sprite: string, icons: readonly string[]): string {
  const symbols = icons.map((id) => {
    const match = new RegExp(`<symbol id="${id}"[^>]*>[\\s\\S]*?</symbol>`).exec(sprite)
    if (!match) throw new Error(`bootstrap-italia's sprite has no icon ${id}`)
    return match[0]
  })
  return `<svg xmlns="http://www.w3.org/2000/svg">${symbols.join('')}</svg>`
}

/** One icon of the sprite as a standalone SVG (the favicon: the public-administration building). */
export function standaloneIcon(sprite: string, id: string, fill: string): string {
  const match = new RegExp(`<symbol id="${id}"( viewBox="[^"]*")[^>]*>([\\s\\S]*?)</symbol>`).exec(sprite)
  if (!match) throw new Error(`bootstrap-italia's sprite has no icon ${id}`)
  return `<svg xmlns="http://www.w3.org/2000/svg"${match[1]} fill="${fill}">${match[2]}</svg>`
}

async function buildManifest(): Promise<AssetManifest> {
  const byFile = new Map<string, Asset>()
  const byName = new Map<string, Asset>()
  const add = (name: string, content: Buffer, source: Pick<Asset, 'file' | 'body'>) => {
    const fileName = hashedName(name, content)
    const asset: Asset = { url: `/assets/${fileName}`, contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream', ...source }
    byFile.set(fileName, asset)
    byName.set(name, asset)
    return asset
  }
  const fromDisk = async (name: string, root: string, path: string) => add(name, await readFile(join(root, path)), { file: { root, path } })

  await fromDisk('bootstrap-italia.css', BOOTSTRAP_ITALIA, 'css/bootstrap-italia.min.css')
  const fonts = await Promise.all(FONTS.map(async (font) => ({ ...font, url: (await fromDisk(basename(font.file), join(BOOTSTRAP_ITALIA, 'fonts'), font.file)).url })))
  // Bootstrap Italia injects its @font-face rules from JavaScript (an inline <style>, which our
  // Content-Security-Policy forbids); they are part of our stylesheet instead.
  const fontFaces = fonts
    .map((f) => `@font-face{font-family:'${f.family}';font-style:${f.style};font-weight:${f.weight};font-display:swap;src:url(${f.url}) format('woff2')}`)
    .join('\n')
  const siteCss = Buffer.from(`${fontFaces}\n${await readFile(join(OWN_STATIC, 'site.css'), 'utf8')}`)
  add('site.css', siteCss, { body: siteCss })
  const fullSprite = await readFile(join(BOOTSTRAP_ITALIA, 'svg/sprites.svg'), 'utf8')
  const sprite = Buffer.from(spriteSubset(fullSprite, ICONS))
  add('icons.svg', sprite, { body: sprite })
  const favicon = Buffer.from(standaloneIcon(fullSprite, 'it-pa', '#0066cc'))
  add('favicon.svg', favicon, { body: favicon })
  await fromDisk('search.js', OWN_STATIC, 'search.js')
  await fromDisk('forum-live.js', OWN_STATIC, 'forum-live.js')
  await fromDisk('account.js', ACCOUNT_STATIC, 'account.js')
  await fromDisk('ask.js', STAFF_STATIC, 'ask.js')
  await fromDisk('questions-live.js', STAFF_STATIC, 'questions-live.js')
  await fromDisk('live.js', OWN_STATIC, 'live.js')
  await fromDisk('expert-queue.js', EXPERT_STATIC, 'expert-queue.js')
  await fromDisk('answer-desk.js', EXPERT_STATIC, 'answer-desk.js')
  // Chart.js from its npm package (no CDN), for the reports and the self-assessment results.
  await fromDisk('chart.js', CHART_JS, 'chart.umd.min.js')
  await fromDisk('autodiagnosi.js', SELF_ASSESSMENT_STATIC, 'autodiagnosi.js')
  await fromDisk('reports.js', REPORTS_STATIC, 'reports.js')

  return {
    url: (name) => byName.get(name)!.url,
    lookup: (fileName) => byFile.get(fileName),
  }
}

let manifest: Promise<AssetManifest> | undefined

/** Built once per process (hashing reads ~1 MB of files), on first use rather than at import. */
export function assetManifest(): Promise<AssetManifest> {
  manifest ??= buildManifest().catch((err: unknown) => {
    manifest = undefined
    throw err
  })
  return manifest
}
