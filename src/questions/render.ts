/**
 * Stand-in until the shared safe Markdown renderer (src/shared/markdown.ts) lands: shows the
 * Markdown as escaped text in a paragraph, so nothing a user wrote can become markup.
 */
export function escapedText(markdown: string): string {
  const escaped = markdown.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
  return `<p>${escaped}</p>\n`
}
