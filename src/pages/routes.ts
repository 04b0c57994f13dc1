import { readFile } from 'node:fs/promises'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'

/**
 * The two pages behind the links the API hands out (invitation, password reset): without them a
 * link would open a JSON 404. Plain HTML, one stylesheet and one script; nothing inline, so the
 * Content-Security-Policy can forbid everything else.
 */

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

const NAME_FIELD = `<label for="displayName">Nome e cognome</label>
      <input id="displayName" name="displayName" autocomplete="name" minlength="2" maxlength="120" required>`

const PAGES = {
  '/invito': {
    kind: 'invito',
    title: 'Attiva il tuo account',
    intro: 'Sei stato invitato al forum telematico ANCI. Scegli la password con cui accederai.',
    nameField: NAME_FIELD,
    action: 'Attiva l’account',
  },
  '/nuova-password': {
    kind: 'nuova-password',
    title: 'Scegli una nuova password',
    intro: 'Imposta la nuova password del tuo account. Le sessioni aperte verranno chiuse.',
    nameField: '',
    action: 'Salva la nuova password',
  },
} as const

const file = (name: string) => readFile(new URL(`./static/${name}`, import.meta.url), 'utf8')

const pagesRoutes: FastifyPluginAsync = async (app) => {
  const [template, script, style] = await Promise.all([file('account.html'), file('account.js'), file('account.css')])

  const secured = (reply: FastifyReply) =>
    reply.header('content-security-policy', CSP).header('referrer-policy', 'no-referrer').header('x-content-type-options', 'nosniff')

  for (const [path, page] of Object.entries(PAGES)) {
    // The texts are ours, fixed at build time: no user input reaches the template.
    const html = template.replace(/\{\{(\w+)\}\}/g, (_, key: keyof typeof page) => page[key])
    app.get(path, { schema: { hide: true } }, (_request, reply) =>
      secured(reply).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html),
    )
  }
  app.get('/assets/account.js', { schema: { hide: true } }, (_request, reply) => secured(reply).type('text/javascript; charset=utf-8').send(script))
  app.get('/assets/account.css', { schema: { hide: true } }, (_request, reply) => secured(reply).type('text/css; charset=utf-8').send(style))
}

export default pagesRoutes
