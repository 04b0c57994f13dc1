import { Writable } from 'node:stream'
import fc from 'fast-check'
import t from 'tap'
import { build } from '../helper.js'
import { signIn, type SignedIn } from '../factories/accounts.js'
import { createEdition, createForumDay, moderatorOf } from '../factories/forum.js'
import { answeredQuestion, publishedFaq } from '../factories/knowledge-base.js'

/**
 * Hostile input against every operation of the OpenAPI document: seeded, so a failure replays.
 * Each request is anonymous or carries a session of some role, and its parameters, headers and
 * body mix plausible values (from the schema, real ids) with hostile ones (NUL, lone surrogates,
 * numbers past 2^31, long and odd Unicode text, wrong types, missing and extra fields).
 * The promise: no 5xx, no stack in any answer, at most one log line (besides the access log's
 * two) for a rejected request, and no stack logged for it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201)
/** Requests per operation (two runs: anonymous and with sessions mixed in). */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40)

type Schema = Record<string, unknown>
interface Operation {
  method: string
  path: string
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; schema?: Schema }>
  body?: Schema
}
interface FuzzRequest {
  session: number
  path: Record<string, unknown>
  query: Record<string, unknown>
  headers: Record<string, unknown>
  body: unknown
  rawBody?: string
}

// ---- values ----

const codeUnits = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '⑴⑵ ː ŉ',
  'ŉasilo ː residenza ⑴',
  '\u202eevil\u202c',
  'e\u0301\u0301\u0301',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀',
  "' OR 1=1 --",
  "asilo' | !& :* ) ( <-> x",
  '%00',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '-1',
  '2147483648',
  '99999999999999999999999',
  '1e309',
  'NaN',
  'null',
  '{}',
  '-'.repeat(36),
  '00000000-0000-0000-0000-000000000000',
  'x'.repeat(100_000),
]
/** Ordinary text with one bad character inside: passes length checks, reaches the handler. */
const taintedText = fc
  .tuple(fc.string({ unit: 'grapheme-ascii', minLength: 3, maxLength: 20 }), fc.constantFrom('\u0000', '\ud800', '\udc00', '⑴', 'ː', 'ŉ'), fc.nat())
  .map(([text, bad, at]) => text.slice(0, at % (text.length + 1)) + bad + text.slice(at % (text.length + 1)))
const hostileString = fc.oneof(
  { weight: 3, arbitrary: taintedText },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  fc.string({ unit: codeUnits, maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 300, maxLength: 3000 }),
)
const hostileNumber = fc.oneof(
  fc.constantFrom(2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, -1, 0, 0.5, 1e-300),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
)
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
)

/** Plausible values from a JSON schema, with hostile ones mixed in at every level. */
function arbitraryFor(schema: Schema | undefined, refs: Record<string, Schema>, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return hostileValue
  return fc.oneof({ weight: 5, arbitrary: plausible(schema, refs, ids, depth) }, { weight: 1, arbitrary: hostileValue })
}

function plausible(schema: Schema, refs: Record<string, Schema>, ids: string[], depth: number): fc.Arbitrary<unknown> {
  const ref = schema.$ref
  if (typeof ref === 'string') return arbitraryFor(refs[ref.split('/').at(-1) ?? ''], refs, ids, depth + 1)
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (variants?.length) return fc.oneof(...variants.map((v) => plausible(v, refs, ids, depth + 1)))
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]))
  if ('const' in schema) return fc.constant(schema.const)
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined]
  return fc.oneof(...type.map((one) => plausibleOfType(one, schema, refs, ids, depth)))
}

function plausibleOfType(type: string | undefined, schema: Schema, refs: Record<string, Schema>, ids: string[], depth: number): fc.Arbitrary<unknown> {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key]) : undefined)
  switch (type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return fc.integer({ min: Math.max(num('minimum') ?? -1000, -(2 ** 31)), max: Math.min(num('maximum') ?? 1000, 2 ** 31 - 1) })
    case 'number':
      return fc.double({ min: num('minimum') ?? -1000, max: num('maximum') ?? 1000, noNaN: true })
    case 'array':
      return fc.array(arbitraryFor(schema.items as Schema, refs, ids, depth + 1), { maxLength: Math.min(num('maxItems') ?? 3, 3) })
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, arbitraryFor(value, refs, ids, depth + 1)])),
        { requiredKeys: [] },
      )
      // Sometimes a field the schema does not know.
      return fc.tuple(record, fc.option(fc.tuple(hostileString, hostileValue), { freq: 4 })).map(([value, extra]) =>
        extra ? { ...value, [extra[0]]: extra[1] } : value,
      )
    }
    case 'string': {
      if (schema.format === 'uuid') return fc.oneof(fc.constantFrom(...ids), fc.uuid())
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString())
      if (schema.format === 'date') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
      const minLength = num('minLength') ?? 0
      return fc.oneof(fc.constantFrom(...ids), fc.string({ minLength, maxLength: Math.max(minLength, Math.min(num('maxLength') ?? 40, 200)) }))
    }
    default:
      return hostileValue
  }
}

// ---- requests ----

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '')

/** Percent-encoded, lone surrogates included (encodeURIComponent refuses them). */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    return [...text].map((ch) => (/[\ud800-\udfff]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('')
  }
}

/** Header values a client can send: hostile, but valid on the wire. */
const headerValue = fc.oneof(
  fc.constantFrom('"1"', 'W/"2"', '"0"', '"2147483647"', '"2147483648"', '"99999999999999999999"', '*', '"-1"', '"1.5"', 'abc', ''),
  fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
)

/** Values that broke routes once (NUL, lone surrogates, unaccent punctuation, fake ids, overflow). */
const KILLERS: readonly unknown[] = ['a\u0000b', 'x\ud800y', '⑴ ː ŉ asilo', '-'.repeat(36), 2 ** 31, 1e300, -1, 'x'.repeat(5000), ['\u0000'], { '\u0000': 1 }]
const HEADER_KILLERS: readonly unknown[] = ['"2147483648"', '"99999999999999999999"', '*', '"-1"']

/** The places of a request a mutation can spoil. */
const MUTATIONS = ['path', 'query', 'header', 'body', 'body', 'extra', 'raw', 'none'] as const

/**
 * Mostly plausible requests with one hostile spot each (a parameter, a header, a body field, an
 * unknown field, an unparseable body): a hostile value behind otherwise valid input reaches the
 * handler and the database, where the 500s were.
 */
function requestsFor(op: Operation, refs: Record<string, Schema>, ids: string[], sessions: number, seed: number, realId: (path: string) => string | undefined): FuzzRequest[] {
  const params = (where: 'path' | 'query' | 'header') => op.parameters.filter((p) => p.in === where)
  const fields = (where: 'path' | 'query') =>
    fc.record(Object.fromEntries(params(where).map((p) => [p.name, arbitraryFor(p.schema, refs, ids)])), {
      requiredKeys: where === 'path' ? undefined : [],
    })
  const headers = fc.record(Object.fromEntries(params('header').map((p) => [p.name, headerValue])), { requiredKeys: [] })
  const body = op.body ? arbitraryFor(op.body, refs, ids) : fc.option(hostileValue, { freq: 3 })
  const rawBody = fc.constantFrom('{"a":', '\u0000', '[1,2', '{"title":"\\u0000"}', 'null', '"\\ud800"', '{"markdown":"\\ud800x"}')
  const mutation = fc.record({ where: fc.constantFrom(...MUTATIONS), pick: fc.nat(), value: hostileValue, raw: rawBody })
  const request = fc.record({ session: fc.integer({ min: 0, max: sessions }), path: fields('path'), query: fields('query'), headers, body, mutation })
  const random = fc.sample(request, { seed, numRuns: RUNS_PER_OPERATION }).map(({ mutation, ...r }) => {
    const spoil = (target: Record<string, unknown>, names: string[]) => {
      if (names.length > 0) target[names[mutation.pick % names.length]!] = mutation.value
    }
    const out: FuzzRequest = { ...r, path: { ...r.path }, query: { ...r.query }, headers: { ...r.headers } }
    if (mutation.where === 'path') spoil(out.path, params('path').map((p) => p.name))
    if (mutation.where === 'query') spoil(out.query, params('query').map((p) => p.name))
    if (mutation.where === 'header') spoil(out.headers, params('header').map((p) => p.name))
    const bodyObject = out.body !== null && typeof out.body === 'object' && !Array.isArray(out.body) ? { ...(out.body as Record<string, unknown>) } : undefined
    if (mutation.where === 'body' && bodyObject) {
      spoil(bodyObject, Object.keys(((op.body?.properties ?? {}))))
      out.body = bodyObject
    }
    if (mutation.where === 'extra' && bodyObject) out.body = { ...bodyObject, [`extra\u0000${mutation.pick % 3}`]: mutation.value }
    if (mutation.where === 'raw') out.rawBody = mutation.raw
    return out
  })
  // Then every spot of the operation gets each killer value once, the rest plausible.
  const spots: Array<readonly [keyof Pick<FuzzRequest, 'path' | 'query' | 'headers' | 'body'>, string, readonly unknown[]]> = [
    ...params('path').map((p) => ['path', p.name, KILLERS] as const),
    ...params('query').map((p) => ['query', p.name, KILLERS] as const),
    ...params('header').map((p) => ['headers', p.name, HEADER_KILLERS] as const),
    ...Object.keys((op.body?.properties ?? {}) as Record<string, unknown>).map((name) => ['body', name, KILLERS] as const),
  ]
  const targeted = spots.flatMap(([where, name, values]) => values.map((value) => ({ where, name, value })))
  const bases = targeted.length > 0 ? fc.sample(request, { seed: seed + 1, numRuns: targeted.length }) : []
  return [
    ...random,
    ...targeted.map(({ where, name, value }, i) => {
      const { mutation: _ignored, ...base } = bases[i]!
      const body = base.body !== null && typeof base.body === 'object' && !Array.isArray(base.body) ? base.body : {}
      // The rest as real as it gets: the resource exists, and every role (and none) tries it.
      const path = Object.fromEntries(Object.keys(base.path).map((key) => [key, realId(op.path) ?? base.path[key]]))
      const out: FuzzRequest = { ...base, session: i % (sessions + 1), path, query: { ...base.query }, headers: { ...base.headers }, body: { ...body } }
      ;(out[where] as Record<string, unknown>)[name] = value
      return out
    }),
  ]
}

// ---- the run ----

function logCapture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    },
  })
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) }
}

const ACCESS_LOG = new Set(['incoming request', 'request completed'])
const STACK_IN_BODY = /\bat [\w.<>]+ \(|node_modules|\.ts:\d+:\d+|\n\s+at /

t.test('no operation of the OpenAPI document answers hostile input with a 5xx or a stack', async (t) => {
  const { stream, lines } = logCapture()
  const app = await build(t, { env: { LOG_LEVEL: 'info' }, logStream: stream })
  const moderator = await moderatorOf(app)
  const faq = await publishedFaq(app)
  const { questionId, staff, expert } = await answeredQuestion(app)
  const edition = await createEdition(app)
  const day = await createForumDay(app, { editionId: edition.id, themes: edition.themes.map((th) => th.code) })
  const admin = await signIn(app, { role: 'admin' })
  const org = await app.comuni.getOrganization(staff.organizationId!)
  const ids = [faq.id, faq.slug, questionId, edition.id, day.id, org.id, org.istatCode ?? '001001', staff.userId]
  const sessions: Array<SignedIn | undefined> = [undefined, staff, expert, moderator, admin]
  const realIds: Array<[RegExp, string]> = [
    [/\/questions\/\{/, questionId],
    [/\/faqs\/\{/, faq.slug],
    [/\/forum-days\/\{/, day.id],
    [/\/editions\/\{/, edition.id],
    [/\/(organizations|unioni)\/\{/, org.id],
    [/\/comuni\/\{/, org.istatCode ?? '001001'],
    [/\/users\/\{/, staff.userId],
  ]
  const realId = (path: string) => realIds.find(([pattern]) => pattern.test(path))?.[1]

  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
    paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>
    components?: { schemas?: Record<string, Schema> }
  }>()
  const refs = doc.components?.schemas ?? {}
  const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, parameters: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema })),
  )
  t.ok(operations.length > 50, `the document lists the operations (${operations.length})`)

  const statuses = new Map<number, number>()
  const failures: string[] = []
  const rejected = new Map<string, string>()
  let sent = 0
  for (const [index, op] of operations.entries()) {
    for (const [run, request] of requestsFor(op, refs, ids, sessions.length - 1, SEED + index, realId).entries()) {
      // Ending the fuzz's own sessions would turn the rest of the run anonymous.
      const session = op.method === 'DELETE' && op.path.endsWith('/sessions/current') ? undefined : sessions[run < RUNS_PER_OPERATION && run % 2 === 0 ? 0 : request.session]
      const url =
        op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(asText(request.path[name]) || 'x')) +
        (Object.keys(request.query).length > 0
          ? '?' + Object.entries(request.query).map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(asText(v))}`).join('&')
          : '')
      const requestId = `fuzz-${index}-${run}`
      const headers: Record<string, string> = { 'x-request-id': requestId, accept: 'application/json', ...(session?.headers ?? {}) }
      // A header that cannot go on the wire (NUL, non-Latin-1) is sent as a plausible version instead.
      for (const [name, value] of Object.entries(request.headers)) headers[name] = /^[\x20-\x7e]*$/.test(asText(value)) ? asText(value) : '"2147483648"'
      const hasBody = !['GET', 'DELETE'].includes(op.method)
      if (hasBody) headers['content-type'] = 'application/json'
      const payload = hasBody ? (request.rawBody ?? (request.body === null ? 'null' : JSON.stringify(request.body ?? {}))) : undefined
      const res = await app.inject({ method: op.method as 'GET', url, headers, payload })
      sent++
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      const what = `${op.method} ${op.path} #${run} (${requestId})`
      if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`)
      if (STACK_IN_BODY.test(res.body)) failures.push(`${what}: a stack in the answer`)
      if (res.statusCode >= 400 && res.statusCode < 500) rejected.set(requestId, what)
    }
  }

  const extraLines = new Map<string, Array<Record<string, unknown>>>()
  for (const line of lines()) {
    const id = line.requestId
    if (typeof id !== 'string' || !rejected.has(id) || ACCESS_LOG.has(String(line.msg))) continue
    extraLines.set(id, [...(extraLines.get(id) ?? []), line])
  }
  for (const [id, logged] of extraLines) {
    if (logged.length > 1) failures.push(`${rejected.get(id)}: ${logged.length} log lines for one rejected request`)
    if (JSON.stringify(logged).includes('"stack"')) failures.push(`${rejected.get(id)}: a stack logged for a rejected request`)
  }

  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`).join(', ')
  t.comment(`fuzz seed ${SEED}: ${sent} requests over ${operations.length} operations; statuses ${byStatus}`)
  t.comment(`rejected (4xx): ${rejected.size}; of them with a log line beyond the access log: ${extraLines.size}`)
  t.ok(sent >= 2000, `a few thousand requests (${sent})`)
  t.same(failures.slice(0, 20), [], `no 5xx, no stack, one log line per rejected request at most (${failures.length} failures)`)
})
