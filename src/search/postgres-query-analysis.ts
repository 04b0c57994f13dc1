import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { prepared } from '../db/prepared-statements.js'
import { stem } from './italian.js'

/** One way a term can be present: a word, a derived form, a synonym phrase, a correction. */
export interface Form {
  /** A to_tsquery expression (only [a-z0-9] and operators). */
  expr: string
  /** What counts as the form being present, when stricter than `expr` (a phrase's words in order). */
  match?: string
  /** The words that must all be present (for its document frequency). */
  words: string[]
}

/** A query word or synonym concept: the forms it may take in an FAQ. */
export interface Term {
  forms: Form[]
  /** The form the visitor typed: no other form may weigh more (a rare synonym of a common word). */
  typed?: number
  /** A single word that may be misspelled (corrected from the vocabulary when it matches nothing). */
  word?: string
  prefix?: boolean
}

/**
 * Document frequencies: per word of every form, per form (an upper bound: its rarest word), per
 * term (an upper bound: the sum over its forms, which bounds the work), and the number of FAQs.
 */
export interface Frequencies {
  df: number[]
  formDf: number[][]
  wordDf: number[][][]
  total: number
}

export interface Analysis {
  /** The terms with their corrections and completions added as forms. */
  terms: Term[]
  /** Misspelled word -> the vocabulary word suggested instead ("did you mean"). */
  fixes: Map<string, string>
  frequencies: Frequencies
}

const MIN_CORRECTION_SIMILARITY = 0.45
const COMPLETIONS = 8
const CORRECTIONS = 3

interface AnalysisRow {
  total: number
  df: number[] | null
  checks: Array<{ found: boolean; words: string[] | null; df: number[] | null }> | null
}

/**
 * Everything a query needs to know from the vocabulary, in one call of the database function
 * `search_query_analysis` (migration 2026-12-02T0700; on a server each round trip costs more than
 * the lookups themselves): the document frequency of every word of every form, and, when
 * `correct`, for each single word that might be misspelled whether any indexed text contains it
 * and, if not, its closest vocabulary words; for the last typed word (a prefix), the words it
 * begins.
 *
 * "Contains" is checked on the small vocabulary table (some word starts with the typed word's
 * stem), not on the documents: the planner guesses a rare word's frequency badly and would scan
 * every document. A prefix is stemmed as if it were a word ("cittadinanz" stays whole while
 * "cittadinanza" stems to "cittadin"), so the last word also matches the whole words it begins.
 *
 * A function rather than a statement sent each time: its plan, the same whatever the words, is
 * made once per connection instead of once per search, where planning cost more than running.
 */
export async function analyseQuery(db: Kysely<Database>, terms: Term[], { correct }: { correct: boolean }): Promise<Analysis> {
  const list: Array<{ word: string; prefix: boolean }> = []
  for (const t of terms) for (const form of t.forms) for (const w of form.words) list.push({ word: w.replace(/:\*$/, ''), prefix: w.endsWith(':*') })
  const checkable = correct ? terms.filter((t) => t.word !== undefined) : []
  const { rows } = await prepared(sql<{ analysis: AnalysisRow }>`
    select search_query_analysis(
      ${list.map((x) => x.word)}::text[], ${list.map((x) => x.prefix)}::boolean[],
      ${checkable.map((t) => t.word!)}::text[], ${checkable.map((t) => stem(t.word!))}::text[], ${checkable.map((t) => t.prefix === true)}::boolean[],
      ${COMPLETIONS}::int, ${CORRECTIONS}::int, ${MIN_CORRECTION_SIMILARITY}::real
    ) as analysis
  `).execute(db)
  const row = rows[0]!.analysis
  const wordDfs = (row.df ?? []).map(Number)
  const fixes = new Map<string, string>()
  const added = new Map<Term, Array<{ word: string; df: number }>>()
  checkable.forEach((term, i) => {
    const check = row.checks?.[i]
    const words = check?.words ?? []
    if (words.length === 0) return
    added.set(term, words.map((word, n) => ({ word, df: Number(check?.df?.[n] ?? 0) })))
    if (!check?.found) fixes.set(term.word!, words[0]!)
  })
  let next = 0
  const corrected: Term[] = []
  const wordDf: number[][][] = []
  for (const t of terms) {
    const own = t.forms.map((form) => form.words.map(() => wordDfs[next++] ?? 0))
    const extra = added.get(t) ?? []
    corrected.push(extra.length === 0 ? t : { forms: [...t.forms, ...extra.map(({ word }) => ({ expr: word, words: [word] }))], typed: t.typed })
    wordDf.push([...own, ...extra.map(({ df }) => [df])])
  }
  const total = Number(row.total)
  const formDf = wordDf.map((forms) => forms.map((words) => Math.min(...words)))
  const df = formDf.map((forms) => Math.min(total, forms.reduce((a, b) => a + b, 0)))
  return { terms: corrected, fixes, frequencies: { df, formDf, wordDf, total } }
}
