import t from 'tap'
import { ANONYMOUS, type Role, type UserActor } from '../../src/accounts/actor.js'
import type { Audience } from '../../src/events/event-log.js'
import { admits, authorizeChannel, type ChannelChecks } from '../../src/realtime/access.js'
import { parseSnapshot } from '../../src/realtime/repository.js'
import { DomainError } from '../../src/shared/errors.js'

const ORG_A = '00000000-0000-4000-8000-00000000000a'
const ORG_B = '00000000-0000-4000-8000-00000000000b'
const QUESTION = '00000000-0000-4000-8000-0000000000f1'

const user = (role: Role, organizationId: string | null = null): UserActor => ({
  kind: 'user',
  userId: `u-${role}`,
  sessionId: `s-${role}`,
  role,
  organizationId,
  email: `${role}@example.it`,
  displayName: role,
})

const callers = {
  anonymous: ANONYMOUS,
  staffA: user('staff', ORG_A),
  staffB: user('staff', ORG_B),
  expert: user('expert'),
  moderator: user('moderator'),
  admin: user('admin'),
}
type Caller = keyof typeof callers

t.test('who each audience admits', async (t) => {
  const cases: Array<[Audience, Caller[]]> = [
    [{ kind: 'public' }, ['anonymous', 'staffA', 'staffB', 'expert', 'moderator', 'admin']],
    [{ kind: 'signed_in' }, ['staffA', 'staffB', 'expert', 'moderator', 'admin']],
    [{ kind: 'experts' }, ['expert', 'moderator', 'admin']],
    [{ kind: 'moderators' }, ['moderator', 'admin']],
    [{ kind: 'organization', organizationId: ORG_A }, ['staffA', 'moderator', 'admin']],
    [{ kind: 'question', questionId: QUESTION, organizationId: ORG_A }, ['staffA', 'expert', 'moderator', 'admin']],
  ]
  for (const [audience, allowed] of cases) {
    const admitted = (Object.keys(callers) as Caller[]).filter((c) => admits(callers[c], [audience]))
    t.same(admitted, allowed, audience.kind)
  }
  t.notOk(admits(callers.admin, []), 'an event with no audience reaches nobody')
})

t.test('who may subscribe to which channel', async (t) => {
  const checks: ChannelChecks = {
    question: async (actor) => {
      if (actor !== callers.staffA && actor !== callers.moderator) throw new DomainError('QUESTION_NOT_VISIBLE', 403, 'not yours')
    },
    forumDay: async () => undefined,
  }
  const outcome = async (caller: Caller, channel: string) => {
    try {
      await authorizeChannel(callers[caller], channel, checks)
      return 'ok'
    } catch (err) {
      return (err as DomainError).code
    }
  }
  const table: Array<[string, Partial<Record<Caller, string>>]> = [
    ['faqs', { anonymous: 'ok', staffB: 'ok' }],
    ['forum-day:00000000-0000-4000-8000-000000000d01', { anonymous: 'ok', expert: 'ok' }],
    ['forum-day:not-a-uuid', { anonymous: 'CHANNEL_UNKNOWN' }],
    ['queue', { anonymous: 'UNAUTHENTICATED', staffA: 'CHANNEL_FORBIDDEN', expert: 'ok', admin: 'ok' }],
    ['accounts', { anonymous: 'UNAUTHENTICATED', expert: 'CHANNEL_FORBIDDEN', moderator: 'ok' }],
    [`organization:${ORG_A}`, { anonymous: 'UNAUTHENTICATED', staffA: 'ok', staffB: 'CHANNEL_FORBIDDEN', expert: 'CHANNEL_FORBIDDEN', moderator: 'ok' }],
    [`question:${QUESTION}`, { anonymous: 'UNAUTHENTICATED', staffA: 'ok', staffB: 'QUESTION_NOT_VISIBLE', moderator: 'ok' }],
    ['queue:extra', { expert: 'CHANNEL_UNKNOWN', anonymous: 'CHANNEL_UNKNOWN' }],
    [`organization:${ORG_A}:more`, { moderator: 'CHANNEL_UNKNOWN' }],
  ]
  for (const [channel, expected] of table) {
    for (const [caller, code] of Object.entries(expected)) t.equal(await outcome(caller as Caller, channel), code, `${caller} → ${channel}`)
  }
})

t.test('snapshots are read from their text form', async (t) => {
  t.same(parseSnapshot('10:20:12,15'), { xmin: 10n, xmax: 20n, inProgress: [12n, 15n] })
  t.same(parseSnapshot('7:7:'), { xmin: 7n, xmax: 7n, inProgress: [] })
})
