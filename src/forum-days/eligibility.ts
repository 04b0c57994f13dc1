import type { EligibilityRule } from './tables.js'

/** What eligibility needs to know about an organization (the comuni service's OrganizationDto fits). */
export interface OrganizationProfile {
  id: string
  kind: 'comune' | 'unione'
  name: string
  region: string | null
  population: number | null
}

/** Stable reason codes; the ineligible ones are also the 403 codes of a refused submission. */
export const ELIGIBILITY_REASONS = {
  ELIGIBLE_BY_RULE: 'the organization meets the edition rule',
  ELIGIBLE_ENROLLED: 'the organization is enrolled in the edition',
  NOT_ENROLLED: 'the edition admits enrolled organizations only',
  NOT_ELIGIBLE_KIND: 'the edition is not open to this kind of organization',
  NOT_ELIGIBLE_REGION: "the edition does not cover the organization's region",
  NOT_ELIGIBLE_POPULATION: "the organization's population is outside the edition's range",
  POPULATION_UNKNOWN: "the organization's population is not in the registry",
} as const
export type EligibilityReason = keyof typeof ELIGIBILITY_REASONS

export interface EligibilityVerdict {
  eligible: boolean
  reason: EligibilityReason
  detail: string
}

const fmt = (n: number) => n.toLocaleString('it-IT')

function byRule(rule: EligibilityRule, org: OrganizationProfile): EligibilityVerdict {
  const no = (reason: EligibilityReason, detail: string): EligibilityVerdict => ({ eligible: false, reason, detail })
  if (!rule.kinds.includes(org.kind)) return no('NOT_ELIGIBLE_KIND', `${org.name}: ${org.kind} not in ${rule.kinds.join(', ')}`)
  if (rule.regions && rule.regions.length > 0 && (org.region === null || !rule.regions.includes(org.region))) {
    return no('NOT_ELIGIBLE_REGION', `${org.name}: region ${org.region ?? 'unknown'} not in ${rule.regions.join(', ')}`)
  }
  const hasRange = (rule.populationMin ?? null) !== null || (rule.populationMax ?? null) !== null
  if (hasRange && rule.populationAppliesTo.includes(org.kind)) {
    if (org.population === null) return no('POPULATION_UNKNOWN', `${org.name}: population unknown`)
    const min = rule.populationMin ?? 0
    const max = rule.populationMax ?? Number.POSITIVE_INFINITY
    if (org.population < min || org.population > max) {
      const range = `${fmt(min)}-${Number.isFinite(max) ? fmt(max) : '∞'}`
      return no('NOT_ELIGIBLE_POPULATION', `${org.name}: ${fmt(org.population)} inhabitants, outside ${range}`)
    }
  }
  return { eligible: true, reason: 'ELIGIBLE_BY_RULE', detail: `${org.name}: ${ELIGIBILITY_REASONS.ELIGIBLE_BY_RULE}` }
}

/** Judges an organization against an edition's rule and enrollment list. Pure: the caller stores it. */
export function judgeEligibility(rule: EligibilityRule, org: OrganizationProfile, enrolled: boolean): EligibilityVerdict {
  if (rule.enrollment === 'admits' && enrolled) {
    return { eligible: true, reason: 'ELIGIBLE_ENROLLED', detail: `${org.name}: ${ELIGIBILITY_REASONS.ELIGIBLE_ENROLLED}` }
  }
  if (rule.enrollment === 'required' && !enrolled) {
    return { eligible: false, reason: 'NOT_ENROLLED', detail: `${org.name}: ${ELIGIBILITY_REASONS.NOT_ENROLLED}` }
  }
  return byRule(rule, org)
}
