import { formatDateTime } from '../i18n/format.js'
import { reportTexts as T } from '../i18n/reports.js'
import { csvDocument, csvText } from '../shared/csv.js'
import type { Kind, ReportView, Value } from './presenter.js'
import { isSuppressed, SUPPRESSED } from './suppression.js'

const decimal = new Intl.NumberFormat('it-IT', { useGrouping: false, maximumFractionDigits: 1 })
const romeDay = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric' })
const romeMinute = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

/**
 * A cell as an Italian spreadsheet reads it: numbers without thousands separators and with a
 * decimal comma, dates as dd/mm/yyyy (hh:mm) in Rome's time, "< 5" where a count is suppressed.
 */
function csvValue(value: Value, kind: Kind): string {
  if (value === null) return ''
  if (isSuppressed(value)) return SUPPRESSED
  if (typeof value === 'number') return decimal.format(value)
  if (kind === 'datetime') return romeMinute.format(new Date(value)).replace(',', '')
  if (kind === 'date') return romeDay.format(new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00Z` : value))
  return csvText(value)
}

/**
 * The report as one CSV file (UTF-8 with BOM, ";" between fields): a heading, the key figures,
 * then each table under its title, separated by an empty line, as a reader scrolls the page.
 */
export function reportCsv(view: ReportView): string {
  const lines: string[][] = [[view.title], [view.subtitle], [T.generatedAt(formatDateTime(view.generatedAt))], [view.suppressionNote], []]
  lines.push([T.keyFigures])
  for (const fact of view.facts) lines.push([fact.label, csvValue(fact.value, fact.kind)])
  for (const section of view.sections) {
    lines.push([], [section.title], section.table.columns.map((c) => c.label))
    for (const row of section.table.rows) lines.push(row.map((cell, i) => csvValue(cell, section.table.columns[i]?.kind ?? 'text')))
  }
  return csvDocument(lines)
}
