import MarkdownIt from 'markdown-it'

/**
 * Answers are Markdown, stored as written and rendered here. Raw HTML is never passed through
 * (`html: false` escapes it), and markdown-it's link validation drops javascript:, vbscript:,
 * file: and non-image data: URLs; we further allow only http(s) and mailto.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true })

const ALLOWED_PROTOCOL = /^(https?:|mailto:)/i
const defaultValidate = md.validateLink.bind(md)
md.validateLink = (url: string) => defaultValidate(url) && (ALLOWED_PROTOCOL.test(url.trim()) || !/^[a-z][a-z0-9+.-]*:/i.test(url.trim()))

// External links open safely and carry no referrer or ranking.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options))
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]
  if (token && /^https?:/i.test(String(token.attrGet('href') ?? ''))) token.attrSet('rel', 'noopener noreferrer nofollow')
  return defaultLinkOpen(tokens, idx, options, env, self)
}
// Images are not part of an answer: show their alt text instead of loading anything.
md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx]?.content ?? '')

export function renderMarkdown(markdown: string): string {
  return md.render(markdown)
}

/** The text a reader sees, without Markdown syntax: for search indexing and snippets. */
export function markdownToPlainText(markdown: string): string {
  const tokens = md.parse(markdown, {})
  const parts: string[] = []
  for (const token of tokens) {
    if (token.type === 'inline') {
      parts.push((token.children ?? []).map((child) => (child.type === 'softbreak' || child.type === 'hardbreak' ? ' ' : child.content)).join(''))
    } else if (token.type === 'fence' || token.type === 'code_block') {
      parts.push(token.content.trim())
    }
  }
  return parts.join('\n').replace(/[ \t]+/g, ' ').trim()
}
