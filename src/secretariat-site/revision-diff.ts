import { diffWordsWithSpace } from 'diff'

/** The fields of a revision snapshot the history compares, in the order it shows them. */
export const COMPARED_FIELDS = ['title', 'question', 'answer', 'theme', 'tags', 'visibility', 'scopeRegion', 'state'] as const

export interface FieldChange {
  field: string
  parts: Array<{ value: string; added?: boolean; removed?: boolean }>
}

const asText = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : value == null ? '' : JSON.stringify(value))

/** What changed from one snapshot to the next, word by word; fields that did not change are left out. */
export function revisionChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  return COMPARED_FIELDS.flatMap((field) => {
    const a = asText(before[field])
    const b = asText(after[field])
    if (a === b) return []
    return [{ field, parts: diffWordsWithSpace(a, b).map(({ value, added, removed }) => ({ value, added, removed })) }]
  })
}
