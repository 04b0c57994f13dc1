import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ELIGIBILITY_REASONS } from '../../src/forum-days/eligibility.js'
import { italianDetail, PROBLEM_MESSAGES } from '../../src/i18n/problems.js'
import { ERROR_CODES } from '../../src/shared/error-codes.js'

const SRC = new URL('../../src/', import.meta.url).pathname
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

const CODE = `'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})'`
/** Every way src/ names an error code today; a new way needs a pattern here. */
const PATTERNS = [
  new RegExp(`new DomainError\\(\\s*${CODE}`, 'g'),
  new RegExp(`\\b(?:forbidden|notFound)\\((?:[^()]|\\([^()]*\\))*?,\\s*${CODE}\\s*\\)`, 'g'),
  new RegExp(`\\bconflict\\(\\s*${CODE}`, 'g'),
  new RegExp(`sendProblem\\([^;]*?\\b\\d{3},\\s*${CODE}`, 'g'),
  new RegExp(`\\bcode: ${CODE}`, 'g'),
]
/** `const code = cond ? 'A' : 'B'`: every literal on the line. */
const CODE_VARIABLE = /\bconst code = ([^\n]+)/g
/** The helpers' default codes. */
const DEFAULTS: Array<[RegExp, string]> = [
  [/\bforbidden\(/, 'FORBIDDEN'],
  [/\bnotFound\(/, 'NOT_FOUND'],
  [/\bunauthenticated\(/, 'UNAUTHENTICATED'],
]

function usedCodes(): Map<string, string> {
  const used = new Map<string, string>()
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8')
    const where = file.slice(SRC.length - 4)
    for (const pattern of PATTERNS) for (const match of text.matchAll(pattern)) used.set(match[1]!, where)
    for (const match of text.matchAll(CODE_VARIABLE)) for (const literal of match[1]!.matchAll(new RegExp(CODE, 'g'))) used.set(literal[1]!, where)
    for (const [pattern, code] of DEFAULTS) if (file.endsWith('shared/errors.ts') || pattern.test(text)) used.set(code, where)
  }
  // A refused question's code is the eligibility decision's reason.
  for (const reason of Object.keys(ELIGIBILITY_REASONS)) if (!reason.startsWith('ELIGIBLE_')) used.set(reason, 'src/forum-days/eligibility.ts')
  return used
}

t.test('every error code used in src/ is in the catalogue (src/shared/error-codes.ts)', async (t) => {
  const used = usedCodes()
  t.ok(used.size > 60, `the scan finds the codes (${used.size})`)
  for (const known of ['FORUM_DAY_CLOSED', 'QUESTION_ALREADY_CLAIMED', 'VALIDATION_FAILED', 'CSRF_REJECTED', 'FORUM_DAY_NOT_OPEN', 'MODERATORS_ONLY']) {
    t.ok(used.has(known), `the scan sees ${known}`)
  }
  const missing = [...used].filter(([code]) => !Object.hasOwn(ERROR_CODES, code)).map(([code, file]) => `${code} (${file})`)
  t.same(missing, [], 'add each to src/shared/error-codes.ts, src/i18n/problems.ts and the README')
})

t.test('every catalogued code has an Italian message that reads as a sentence', async (t) => {
  const request = { id: 'req-1', method: 'GET', path: '/x' }
  for (const code of Object.keys(ERROR_CODES)) {
    const italian = italianDetail(code, {}, request)
    t.ok(italian && /^[A-ZÈL’]/.test(italian) && /[.!?]$/.test(italian), `${code}: ${italian}`)
  }
  t.same(Object.keys(PROBLEM_MESSAGES).sort(), Object.keys(ERROR_CODES).sort(), 'no message for a code that is not catalogued')
})

t.test('the README lists every catalogued code', async (t) => {
  const missing = Object.keys(ERROR_CODES).filter((code) => !README.includes(`\`${code}\``))
  t.same(missing, [], 'each code appears in the README as `CODE`')
})
