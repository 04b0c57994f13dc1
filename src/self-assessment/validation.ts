import { DomainError } from '../shared/errors.js'
import type { AnswerMap, QuestionDef, QuestionnaireContent } from './schemas.js'
import { SIZE_CLASSES } from './schemas.js'

/** One thing wrong in a questionnaire or an answer, with where it is. */
export interface Problem {
  path: string
  message: string
}

/**
 * The rules a questionnaire must meet before it is stored: every question has at least two levels
 * with distinct scores inside the scale, targets inside the scale, codes unique. All problems are
 * listed at once, so a moderator fixing an imported file sees them together.
 */
export function questionnaireProblems(content: QuestionnaireContent): Problem[] {
  const problems: Problem[] = []
  const { min, max } = content.scale
  if (min >= max) problems.push({ path: 'scale', message: `the scale's minimum (${min}) must be below its maximum (${max})` })
  if (content.areas.length === 0) problems.push({ path: 'areas', message: 'at least one area' })
  const areaCodes = new Set<string>()
  const questionCodes = new Set<string>()
  content.areas.forEach((area, a) => {
    const at = `areas[${a}]`
    if (areaCodes.has(area.code)) problems.push({ path: `${at}.code`, message: `area code "${area.code}" used twice` })
    areaCodes.add(area.code)
    for (const size of SIZE_CLASSES) {
      const target = area.targets[size]
      if (target < min || target > max) problems.push({ path: `${at}.targets.${size}`, message: `target ${target} is outside the scale ${min}-${max}` })
    }
    if (area.questions.length === 0) problems.push({ path: `${at}.questions`, message: 'at least one question per area' })
    area.questions.forEach((q, i) => {
      const qat = `${at}.questions[${i}]`
      if (questionCodes.has(q.code)) problems.push({ path: `${qat}.code`, message: `question code "${q.code}" used twice` })
      questionCodes.add(q.code)
      if (q.levels.length < 2) problems.push({ path: `${qat}.levels`, message: 'at least two levels' })
      const scores = new Set<number>()
      q.levels.forEach((level, l) => {
        if (level.score < min || level.score > max) problems.push({ path: `${qat}.levels[${l}].score`, message: `score ${level.score} is outside the scale ${min}-${max}` })
        if (scores.has(level.score)) problems.push({ path: `${qat}.levels[${l}].score`, message: `score ${level.score} used by two levels` })
        scores.add(level.score)
      })
    })
  })
  return problems
}

export function assertValidQuestionnaire(content: QuestionnaireContent): void {
  const problems = questionnaireProblems(content)
  if (problems.length > 0) {
    throw new DomainError('QUESTIONNAIRE_INVALID', 422, `The questionnaire has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems })
  }
}

export const questionsOf = (content: QuestionnaireContent): QuestionDef[] => content.areas.flatMap((a) => a.questions)

/** Answers must name questions of this version, with one of their levels (or "non applicabile" where allowed). */
export function answerProblems(content: QuestionnaireContent, answers: Record<string, AnswerMap[string] | null>): Problem[] {
  const byCode = new Map(questionsOf(content).map((q) => [q.code, q]))
  const problems: Problem[] = []
  for (const [code, answer] of Object.entries(answers)) {
    const q = byCode.get(code)
    if (!q) {
      problems.push({ path: `answers.${code}`, message: 'no such question in this version of the questionnaire' })
    } else if (answer === null) {
      continue
    } else if ('notApplicable' in answer) {
      if (!q.notApplicable) problems.push({ path: `answers.${code}`, message: '"non applicabile" is not an answer to this question' })
    } else if (!q.levels.some((l) => l.score === answer.score)) {
      problems.push({ path: `answers.${code}`, message: `no level with score ${answer.score}` })
    }
  }
  return problems
}

/** Codes of the questions still without an answer, in questionnaire order. */
export const unanswered = (content: QuestionnaireContent, answers: AnswerMap): string[] => questionsOf(content).filter((q) => !(q.code in answers)).map((q) => q.code)
