import { formatDate, formatDateTime, formatNumber, formatTime } from '../i18n/format.js'
import { reportTexts as T } from '../i18n/reports.js'
import { REGION_TILES } from './regions.js'
import type { EditionReport, ForumDayReport, KnowledgeBaseReport } from './schemas.js'
import { isSuppressed, SUPPRESSED } from './suppression.js'

/**
 * One view of each report, in Italian, that the page and the CSV export both render: the same
 * rows, the same suppressed cells. Values stay raw here (numbers, "< 5", ISO instants); the page
 * and the CSV each format them for their reader.
 */

export type Value = number | string | null
export type Kind = 'text' | 'count' | 'minutes' | 'percent' | 'datetime' | 'date'

export interface Column {
  label: string
  kind: Kind
}

export interface Table {
  columns: Column[]
  rows: Value[][]
}

/** A chart drawn from the section's table: labels from one column, one series per value column. */
export interface ChartSpec {
  type: 'bar' | 'line'
  horizontal?: boolean
  labelColumn: number
  valueColumns: number[]
}

export interface RegionTile {
  region: string
  abbr: string
  col: number
  row: number
  share: number | null
  eligible: Value
  reached: Value
}

export interface Section {
  id: string
  title: string
  description?: string
  table: Table
  chart?: ChartSpec
  regionMap?: RegionTile[]
}

export interface Fact {
  label: string
  value: Value
  kind: Kind
}

export interface ReportView {
  title: string
  subtitle: string
  generatedAt: string
  facts: Fact[]
  sections: Section[]
  /** Where the same report is, as CSV and as JSON. */
  csvPath: string
  jsonPath: string
  /** Follows the event stream and refreshes itself while true (an open forum day). */
  live: boolean
  /** The forum day whose events it follows (a forum day's report). */
  forumDayId?: string
  /** What is suppressed in this report, in words. */
  suppressionNote: string
}

const count = (label: string): Column => ({ label, kind: 'count' })
const text = (label: string): Column => ({ label, kind: 'text' })

/** The hour "10:00–11:00" a Rome hour key ("2026-03-02T10") stands for. */
function hourLabel(key: string): string {
  const hour = Number(key.slice(11, 13))
  return `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`
}

export function forumDayView(r: ForumDayReport): ReportView {
  const t = T.day
  const f = t.facts
  const totals = r.totals
  return {
    title: t.title(r.forumDay.title),
    subtitle: `${r.forumDay.editionName} · ${formatDateTime(r.forumDay.opensAt)} – ${formatTime(r.forumDay.closesAt)}`,
    generatedAt: r.generatedAt,
    live: r.forumDay.state === 'open',
    forumDayId: r.forumDay.id,
    suppressionNote: T.suppressionNote,
    csvPath: `/api/v1/reports/forum-days/${r.forumDay.id}/export.csv`,
    jsonPath: `/api/v1/reports/forum-days/${r.forumDay.id}`,
    facts: [
      { label: f.questions, value: totals.questions, kind: 'count' },
      { label: f.organizations, value: totals.organizations, kind: 'count' },
      { label: f.answered, value: totals.answered, kind: 'count' },
      { label: f.answeredWithinDeadline, value: totals.answeredWithinDeadline, kind: 'count' },
      { label: f.answeredLate, value: totals.answeredLate, kind: 'count' },
      { label: f.waiting, value: totals.waiting, kind: 'count' },
      { label: f.duplicates, value: totals.duplicates, kind: 'count' },
      { label: f.savedExpertHours, value: totals.savedExpertHours, kind: 'count' },
      { label: f.clarificationRequests, value: totals.clarificationRequests, kind: 'count' },
      { label: f.clarificationReplies, value: totals.clarificationReplies, kind: 'count' },
      { label: f.questionsWithClarification, value: totals.questionsWithClarification, kind: 'count' },
      { label: f.withdrawn, value: totals.withdrawn, kind: 'count' },
      { label: f.rejected, value: totals.rejected, kind: 'count' },
      { label: f.faqsPublished, value: totals.faqsPublished, kind: 'count' },
    ],
    sections: [
      {
        id: 'per-ora',
        title: t.perHour,
        table: { columns: [text(t.hour), count(t.questions)], rows: r.perHour.map((h) => [hourLabel(h.hour), h.questions]) },
        chart: { type: 'bar', labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'andamento',
        title: t.backlog,
        description: t.backlogDescription,
        table: {
          columns: [text(t.at), count(t.received), count(t.claimed), count(t.answeredSeries)],
          rows: r.backlog.map((b) => [b.label === 'now' ? t.now : b.label === 'deadline' ? t.deadline : formatTime(b.at), b.received, b.claimed, b.answered]),
        },
        chart: { type: 'line', labelColumn: 0, valueColumns: [1, 2, 3] },
      },
      {
        id: 'tempi',
        title: t.timings,
        table: {
          columns: [text(t.timing), { label: t.median, kind: 'minutes' }, { label: t.p90, kind: 'minutes' }],
          rows: [
            [t.toClaim, r.timings.claimMedian, r.timings.claimP90],
            [t.toAnswer, r.timings.answerMedian, r.timings.answerP90],
          ],
        },
      },
      {
        id: 'temi',
        title: t.byTheme,
        table: { columns: [text(t.theme), count(t.questions)], rows: r.byTheme.map((x) => [x.label, x.questions]) },
        chart: { type: 'bar', horizontal: true, labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'regioni',
        title: t.byRegion,
        table: { columns: [text(t.region), count(t.questions), count(t.organizations)], rows: r.byRegion.map((x) => [x.label, x.questions, x.organizations]) },
        chart: { type: 'bar', horizontal: true, labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'fasce',
        title: t.byBand,
        table: { columns: [text(t.band), count(t.questions), count(t.organizations)], rows: r.byPopulationBand.map((x) => [x.label, x.questions, x.organizations]) },
        chart: { type: 'bar', labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'esperti',
        title: t.experts,
        table: { columns: [text(t.expert), count(t.answers)], rows: r.answersPerExpert.map((x) => [x.expert, x.answers]) },
        chart: { type: 'bar', horizontal: true, labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'faq',
        title: t.faqs,
        table: { columns: [text(t.faq), { label: t.publishedAt, kind: 'date' }], rows: r.faqs.map((x) => [x.title, x.publishedAt]) },
      },
    ],
  }
}

export function editionView(r: EditionReport): ReportView {
  const t = T.edition
  const reach = (label: string) => [text(label), count(t.eligible), count(t.reached), { label: t.share, kind: 'percent' as const }]
  const questions = r.forumDays.reduce((n, d) => n + d.questions, 0)
  return {
    title: t.title(r.edition.name),
    subtitle: `${r.edition.programme} · ${r.reach.definition}`,
    generatedAt: r.generatedAt,
    live: false,
    suppressionNote: T.suppressionNote,
    csvPath: `/api/v1/reports/editions/${r.edition.id}/export.csv`,
    jsonPath: `/api/v1/reports/editions/${r.edition.id}`,
    facts: [
      { label: t.facts.eligible, value: r.reach.eligible, kind: 'count' },
      { label: t.facts.reached, value: r.reach.reached, kind: 'count' },
      { label: t.facts.share, value: r.reach.share, kind: 'percent' },
      { label: t.facts.forumDays, value: r.forumDays.length, kind: 'count' },
      { label: t.facts.questions, value: questions, kind: 'count' },
    ],
    sections: [
      {
        id: 'regioni',
        title: t.byRegion,
        description: t.mapDescription,
        table: { columns: reach(t.region), rows: r.byRegion.map((x) => [x.label, x.eligible, x.reached, x.share]) },
        regionMap: r.byRegion.flatMap((x) => {
          const tile = REGION_TILES[x.key as keyof typeof REGION_TILES]
          return tile ? [{ region: x.key, ...tile, share: x.share, eligible: x.eligible, reached: x.reached }] : []
        }),
      },
      {
        id: 'province',
        title: t.byProvince,
        table: { columns: [text(t.province), text(t.region), ...reach('').slice(1)], rows: r.byProvince.map((x) => [x.label, x.region, x.eligible, x.reached, x.share]) },
      },
      {
        id: 'fasce',
        title: t.byBand,
        table: { columns: reach(t.band), rows: r.byPopulationBand.map((x) => [x.label, x.eligible, x.reached, x.share]) },
        chart: { type: 'bar', labelColumn: 0, valueColumns: [1, 2] },
      },
      {
        id: 'giornate',
        title: t.days,
        table: {
          columns: [text(t.day), { label: t.opensAt, kind: 'datetime' }, text(t.state), count(t.questions), count(t.organizations)],
          rows: r.forumDays.map((d) => [d.rehearsal ? `${d.title} (${T.index.rehearsal})` : d.title, d.opensAt, T.index.states[d.state] ?? d.state, d.questions, d.organizations]),
        },
        chart: { type: 'bar', labelColumn: 0, valueColumns: [3] },
      },
      {
        id: 'temi',
        title: t.themes,
        table: { columns: [text(t.theme), count(t.questions)], rows: r.themes.map((x) => [x.label, x.questions]) },
        chart: { type: 'bar', horizontal: true, labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'banca-dati',
        title: t.kb,
        table: { columns: [text(t.month), count(t.published), count(t.total), count(t.fromEdition)], rows: r.knowledgeBase.map((m) => [monthLabel(m.month), m.published, m.total, m.fromEdition]) },
        chart: { type: 'line', labelColumn: 0, valueColumns: [2, 3] },
      },
    ],
  }
}

const MONTHS = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre']
const monthLabel = (ym: string) => `${MONTHS[Number(ym.slice(5, 7)) - 1] ?? ym.slice(5, 7)} ${ym.slice(0, 4)}`

export function knowledgeBaseView(r: KnowledgeBaseReport): ReportView {
  const t = T.knowledgeBase
  return {
    title: t.title,
    subtitle: t.period(r.period.weeks, formatDate(r.period.fromDay)),
    generatedAt: r.generatedAt,
    live: false,
    suppressionNote: T.suppressionNoteSearches,
    csvPath: `/api/v1/reports/knowledge-base/export.csv?weeks=${r.period.weeks}`,
    jsonPath: `/api/v1/reports/knowledge-base?weeks=${r.period.weeks}`,
    facts: [
      { label: t.facts.publishedFaqs, value: r.publishedFaqs, kind: 'count' },
      { label: t.facts.searches, value: r.searches, kind: 'count' },
      { label: t.facts.zeroResultSearches, value: r.zeroResultSearches, kind: 'count' },
    ],
    sections: [
      {
        id: 'ricerche',
        title: t.topSearches,
        table: { columns: [text(t.query), count(t.searches)], rows: r.topSearches.map((q) => [q.query, q.searches]) },
        chart: { type: 'bar', horizontal: true, labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'senza-risultati',
        title: t.zeroResults,
        table: { columns: [text(t.query), count(t.searches)], rows: r.zeroResults.map((q) => [q.query, q.searches]) },
        chart: { type: 'bar', horizontal: true, labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'piu-lette',
        title: t.mostRead,
        description: t.mostReadDescription,
        table: { columns: [text(t.faq), count(t.views)], rows: r.mostRead.map((x) => [x.title, x.views]) },
        chart: { type: 'bar', horizontal: true, labelColumn: 0, valueColumns: [1] },
      },
      {
        id: 'da-rivedere',
        title: t.flagged,
        table: { columns: [text(t.faq), { label: t.flaggedAt, kind: 'date' }, text(t.reason)], rows: r.flaggedForReview.map((x) => [x.title, x.flaggedAt, x.reason]) },
      },
    ],
  }
}

// ---- formatting for people (pages) ----

/** "1 h 05 min", "35 min", "0,5 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${minutes.toLocaleString('it-IT', { maximumFractionDigits: 1 })} min`
  const whole = Math.round(minutes)
  if (whole < 60) return `${whole} min`
  const hours = Math.floor(whole / 60)
  return `${formatNumber(hours)} h ${String(whole % 60).padStart(2, '0')} min`
}

const percent = new Intl.NumberFormat('it-IT', { maximumFractionDigits: 1 })

export function formatForPage(value: Value, kind: Kind): string {
  if (value === null) return T.notAvailable
  if (isSuppressed(value)) return SUPPRESSED
  if (typeof value === 'string') return kind === 'datetime' ? formatDateTime(value) : kind === 'date' ? formatDate(value) : value
  if (kind === 'minutes') return formatMinutes(value)
  if (kind === 'percent') return `${percent.format(value)}%`
  return formatNumber(value)
}

/** A cell's number for a chart: suppressed and missing values are gaps. */
export const chartNumber = (value: Value): number | null => (typeof value === 'number' ? value : null)
