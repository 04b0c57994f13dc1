import type { Actor } from '../accounts/actor.js'
import { isExpertOrModerator, requireExpert, requireModerator, requireUser } from '../accounts/policy.js'
import { notFound } from '../shared/errors.js'
import * as repo from './repository.js'
import type { QuestionDetailDto, QuestionDto } from './schemas.js'
import type { QuestionState } from './tables.js'
import type { QuestionsContext } from './context.js'
import { visibilityOf } from './rules.js'

export interface QuestionFilter {
  forumDayId?: string
  theme?: string
  state?: QuestionState
  organizationId?: string
  /** The asking organization's region; an Unione's is its member comuni's (as in the reports). */
  region?: string
  /** The expert holding the claim now, or who answered (the "Esperto" a list shows). */
  expertId?: string
  limit: number
  offset: number
}

/**
 * The caller, if they may use these filters. Organization, region and expert are the secretariat's:
 * staff see only their organization anyway (the filters would only narrow it), and refusing them
 * keeps the list from being probed for who handled what.
 */
function filtering(actor: Actor, filter: Omit<QuestionFilter, 'limit' | 'offset'>) {
  const user = requireUser(actor)
  if (filter.organizationId || filter.region || filter.expertId) {
    requireModerator(user, 'Only the forum secretariat filters questions by organization, region or expert')
  }
  return user
}

/** Who may see a question sees it: lists, one question with its thread, the source of an FAQ. */
export function readingUseCases(ctx: QuestionsContext) {
  const { db, organizations, renderMarkdown, toDto, actionsOf, sweep, ensureVisible, activity } = ctx

  /** The filter as the repository applies it: a region becomes the organizations in it (the comuni module owns regions). */
  async function matchOf<F extends Omit<QuestionFilter, 'limit' | 'offset'>>({ region, ...rest }: F): Promise<Omit<F, 'region'> & repo.QuestionMatch> {
    return region ? { ...rest, organizationIds: await organizations.organizationIdsInRegion(region) } : rest
  }

  return {
    async list(actor: Actor, filter: QuestionFilter): Promise<QuestionDto[]> {
      const visibility = visibilityOf(filtering(actor, filter))
      return (await repo.listQuestions(db, visibility, await matchOf(filter))).map(toDto)
    },
    /** How many questions `list` would give over all its pages (the secretariat's page shows it). */
    async count(actor: Actor, filter: Omit<QuestionFilter, 'limit' | 'offset'>): Promise<number> {
      const visibility = visibilityOf(filtering(actor, filter))
      return repo.countQuestions(db, visibility, await matchOf(filter))
    },
    /** The organizations that asked questions, for the secretariat's filters (moderators). */
    async askingOrganizationIds(actor: Actor): Promise<string[]> {
      requireModerator(actor)
      return repo.askingOrganizationIds(db)
    },
    /** For the realtime module: throws unless the actor may follow this question (401/403/404). */
    async assertVisible(actor: Actor, id: string): Promise<void> {
      const user = requireUser(actor)
      await ensureVisible(db, user, await repo.findQuestion(db, id))
    },
    async get(actor: Actor, id: string): Promise<QuestionDetailDto> {
      const user = requireUser(actor)
      await sweep()
      const q = await repo.findQuestion(db, id)
      await ensureVisible(db, user, q)
      if (!q) throw notFound('Question', 'QUESTION_NOT_FOUND')
      const [messages, transitions] = await Promise.all([repo.listMessages(db, id), repo.listTransitions(db, id)])
      const experts = isExpertOrModerator(user)
      return {
        ...toDto(q),
        messages: messages.map((m) => ({
          id: m.id,
          kind: m.kind,
          author: { id: m.authorId, name: m.authorName, role: m.authorRole },
          markdown: m.body,
          html: renderMarkdown(m.body),
          createdAt: m.createdAt.toISOString(),
        })),
        transitions: transitions.map((t) => ({
          action: t.action,
          from: t.fromState,
          to: t.toState,
          // Staff see what happened and when; which expert did it is for the experts.
          actorId: experts || t.actorRole === 'staff' ? t.actorId : null,
          actorRole: t.actorRole,
          note: t.note,
          at: t.at.toISOString(),
        })),
        activity: experts ? ((await activity(db, [q], user)).get(q.id) ?? null) : null,
        actions: actionsOf(user, q),
      }
    },
    /** The asking organization's other questions, for the expert's desk (experts and moderators). */
    async organizationHistory(actor: Actor, questionId: string, limit = 10) {
      const user = requireExpert(actor)
      const q = await repo.findQuestion(db, questionId)
      await ensureVisible(db, user, q)
      if (!q) throw notFound('Question', 'QUESTION_NOT_FOUND')
      return repo.organizationHistory(db, q.organizationId, q.id, limit)
    },
    /** For the knowledge base: the question an FAQ is made from. */
    async sourceQuestion(id: string) {
      const q = await repo.findQuestion(db, id)
      if (!q) return undefined
      return {
        id: q.id,
        state: q.state,
        forumDayId: q.forumDayId,
        answeredAt: q.answeredAt ?? q.updatedAt,
        organizationId: q.organizationId,
        askerName: q.askerName,
        title: q.title,
        body: q.body,
        answer: q.answer,
        theme: q.theme,
      }
    },
  }
}
