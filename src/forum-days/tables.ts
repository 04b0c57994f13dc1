import type { ColumnType, Generated, JSONColumnType } from 'kysely'

type DateColumn = ColumnType<string, string, string>

export interface EditionTheme {
  code: string
  label: string
}

/**
 * Who may ask in an edition's forum days. Constraints left out do not apply.
 * `enrollment`: `not_needed` (the rule decides), `admits` (enrolled organizations are eligible
 * whatever the rule says), `required` (only enrolled organizations that also pass the rule).
 */
export interface EligibilityRule {
  kinds: Array<'comune' | 'unione'>
  populationMin?: number | null
  populationMax?: number | null
  /** Kinds the population range applies to (seed 002: comuni up to 5,000, Unioni of any size). */
  populationAppliesTo: Array<'comune' | 'unione'>
  regions?: string[] | null
  enrollment: 'not_needed' | 'admits' | 'required'
}

export interface ProgrammeEditionsTable {
  id: Generated<string>
  programme: string
  name: string
  themes: JSONColumnType<EditionTheme[]>
  eligibility: JSONColumnType<EligibilityRule>
  registryDate: DateColumn
  version: Generated<number>
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
}

export interface EditionEnrollmentsTable {
  editionId: string
  organizationId: string
  enrolledAt: Date
  enrolledBy: string | null
}

export interface EligibilityDecisionsTable {
  editionId: string
  organizationId: string
  eligible: boolean
  reason: string
  detail: string
  registryDate: DateColumn
  decidedAt: Date
}

export interface ForumDaysTable {
  id: Generated<string>
  editionId: string
  title: string
  themes: string[]
  opensAt: Date
  closesAt: Date
  answerDeadline: Date
  maxOpenQuestionsPerOrganization: number | null
  rehearsal: Generated<boolean>
  cancelledAt: Date | null
  cancelReason: string | null
  openedAnnouncedAt: Date | null
  closedAnnouncedAt: Date | null
  version: Generated<number>
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
}
