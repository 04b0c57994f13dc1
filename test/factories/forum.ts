import type { UserActor } from '../../src/accounts/actor.js'
import type { App } from '../../src/app.js'
import type { EditionDto, ForumDayDto } from '../../src/forum-days/schemas.js'
import type { EligibilityRule } from '../../src/forum-days/tables.js'
import type { QuestionDto } from '../../src/questions/schemas.js'
import { signIn, type SignedIn } from './accounts.js'

/**
 * Editions, forum days and questions for tests, made through the services (no HTTP).
 * Every call makes unique titles; times default to a day open around the app's clock.
 */

let counter = 0
const tag = () => `${process.pid.toString(36)}-${++counter}`

const moderators = new WeakMap<App, Promise<SignedIn>>()
/** One moderator per app, made on first use. */
export function moderatorOf(app: App): Promise<SignedIn> {
  let m = moderators.get(app)
  if (!m) moderators.set(app, (m = signIn(app, { role: 'moderator' })))
  return m
}

export const THEMES = [
  { code: 'modelli-organizzativi', label: "Modelli organizzativi per l'accoglienza e l'integrazione" },
  { code: 'servizi-demografici', label: 'Servizi demografici e soggiorno del cittadino straniero' },
]

/** Default: seed 002's rule (comuni up to 5,000 inhabitants and Unioni, in four regions). */
export const PICCOLI_COMUNI_RULE: EligibilityRule = {
  kinds: ['comune', 'unione'],
  populationMax: 5000,
  populationAppliesTo: ['comune'],
  regions: ['Piemonte', 'Toscana', 'Puglia', 'Sicilia'],
  enrollment: 'not_needed',
}

export async function createEdition(
  app: App,
  overrides: Partial<{ name: string; programme: string; eligibility: Partial<EligibilityRule>; registryDate: string; themes: typeof THEMES }> = {},
): Promise<EditionDto> {
  const moderator = await moderatorOf(app)
  return app.forumDays.createEdition(moderator.actor, {
    programme: overrides.programme ?? 'Piano di Azione Piccoli Comuni',
    name: overrides.name ?? `Piano di Azione ${tag()}`,
    themes: overrides.themes ?? THEMES,
    eligibility: { ...PICCOLI_COMUNI_RULE, ...overrides.eligibility },
    registryDate: overrides.registryDate ?? '2026-01-01',
  })
}

const HOUR = 3_600_000

export interface DayOverrides {
  editionId?: string
  title?: string
  themes?: string[]
  opensAt?: Date | string
  closesAt?: Date | string
  answerDeadline?: Date | string
  maxOpenQuestionsPerOrganization?: number | null
  rehearsal?: boolean
}

/** A forum day; by default open from an hour before the app's "now" for eight hours. */
export async function createForumDay(app: App, overrides: DayOverrides = {}): Promise<ForumDayDto> {
  const moderator = await moderatorOf(app)
  const now = app.ports.clock.now().getTime()
  const iso = (v: Date | string | undefined, fallback: number) => (v === undefined ? new Date(fallback).toISOString() : typeof v === 'string' ? v : v.toISOString())
  const editionId = overrides.editionId ?? (await createEdition(app)).id
  return app.forumDays.create(moderator.actor, {
    editionId,
    title: overrides.title ?? `Giornata di forum ${tag()}`,
    themes: overrides.themes ?? THEMES.map((t) => t.code),
    opensAt: iso(overrides.opensAt, now - HOUR),
    closesAt: iso(overrides.closesAt, now + 7 * HOUR),
    answerDeadline: overrides.answerDeadline === undefined ? undefined : iso(overrides.answerDeadline, 0),
    maxOpenQuestionsPerOrganization: overrides.maxOpenQuestionsPerOrganization ?? null,
    rehearsal: overrides.rehearsal ?? false,
  })
}

export function questionInput(overrides: Partial<{ title: string; body: string; theme: string }> = {}) {
  return {
    title: overrides.title ?? `Iscrizione anagrafica del richiedente asilo ${tag()}`,
    body: overrides.body ?? 'Il richiedente asilo ospite di un centro di accoglienza può chiedere la residenza anagrafica nel nostro comune?',
    theme: overrides.theme ?? THEMES[1]!.code,
  }
}

/** A submitted question from this staff member (an Idempotency-Key is made up). */
export async function submitQuestion(app: App, staff: { actor: UserActor }, forumDayId: string, overrides: Parameters<typeof questionInput>[0] = {}): Promise<QuestionDto> {
  const result = await app.questions.submit(staff.actor, forumDayId, questionInput(overrides), `factory-${tag()}`)
  return result.body
}

/** An expert who claimed the question. */
export async function claimedBy(app: App, questionId: string, expert?: SignedIn): Promise<SignedIn> {
  const who = expert ?? (await signIn(app, { role: 'expert' }))
  await app.questions.claim(who.actor, questionId)
  return who
}
