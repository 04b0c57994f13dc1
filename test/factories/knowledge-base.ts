import type { App } from '../../src/app.js'
import { PublishFaqBody, type FaqDto } from '../../src/knowledge-base/schemas.js'
import { createOrganization, signIn, type SignedIn } from './accounts.js'
import { claimedBy, createForumDay, moderatorOf, submitQuestion } from './forum.js'

/** Every box of the privacy checklist ticked. */
export const CHECKLIST = { thirdPartyNames: true, healthData: true, judicialData: true, otherIdentifyingDetails: true } as const

export const ANSWER_142 =
  "Sì. Ai sensi dell'art. 5, comma 3, del D.Lgs. n. 142/2015 il richiedente asilo ospite di un centro di accoglienza " +
  "è iscritto nell'anagrafe della popolazione residente secondo il **regolamento anagrafico** (D.P.R. 223/1989)."

let n = 0

/** A question of a small comune of Puglia, asked, claimed and answered; ready to become an FAQ. */
export async function answeredQuestion(
  app: App,
  options: { comuneName?: string; answer?: string; title?: string; body?: string } = {},
): Promise<{ questionId: string; staff: SignedIn; expert: SignedIn; comuneName: string }> {
  const comuneName = options.comuneName ?? `Borgo Test ${process.pid.toString(36)}-${++n}`
  const org = await createOrganization(app, { name: comuneName, region: 'Puglia', population: 2800 })
  const staff = await signIn(app, { role: 'staff', organizationId: org.id })
  const day = await createForumDay(app)
  const question = await submitQuestion(app, staff, day.id, { title: options.title, body: options.body })
  const expert = await claimedBy(app, question.id)
  await app.questions.answer(expert.actor, question.id, options.answer ?? ANSWER_142)
  return { questionId: question.id, staff, expert, comuneName }
}

export function publishBody(questionId: string, overrides: Partial<PublishFaqBody> = {}): Record<string, unknown> {
  return {
    questionId,
    title: "Iscrizione anagrafica del richiedente asilo ospite di un centro d'accoglienza",
    question: 'Il richiedente asilo ospitato in un centro di accoglienza può essere iscritto in anagrafe?',
    answer: ANSWER_142,
    theme: 'servizi-demografici',
    tags: ['anagrafe', 'richiedenti asilo'],
    checklist: CHECKLIST,
    ...overrides,
  }
}

/** The validated body, defaults applied, as the route hands it to the service. */
export const publishInput = (questionId: string, overrides: Partial<PublishFaqBody> = {}): PublishFaqBody => PublishFaqBody.parse(publishBody(questionId, overrides))

/** Publishes through the service as a moderator and drains the search outbox. */
export async function publishedFaq(app: App, overrides: Partial<PublishFaqBody> = {}): Promise<FaqDto> {
  const { questionId } = await answeredQuestion(app)
  const moderator = await moderatorOf(app)
  const faq = await app.kb.publish(moderator.actor, publishInput(questionId, overrides))
  await app.kb.drainIndex()
  return faq
}
