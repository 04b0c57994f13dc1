import { formatDateTime } from '../i18n/format.js'
import { reportTexts as T } from '../i18n/reports.js'
import { Breadcrumbs, Icon, Time } from '../web/components.js'
import { chartNumber, formatForPage, type ReportView, type RegionTile, type Section } from './presenter.js'
import type { ReportsService } from './service.js'

/**
 * The report pages: key figures, then one section per table; a chart beside each table when the
 * script is there to draw it (chart.js, served by the app), the table always (it is the chart's
 * accessible twin and what works without JavaScript). The map of the regions is plain SVG.
 */

const crumbs = (title?: string) => [
  { label: T.crumbs.secretariat, path: '/segreteria' },
  title ? { label: T.crumbs.reports, path: '/segreteria/rapporti' } : { label: T.crumbs.reports },
  ...(title ? [{ label: title }] : []),
]

function DataTable({ section }: { section: Section }) {
  const { columns, rows } = section.table
  if (rows.length === 0) return <p>{T.nothing}</p>
  return (
    <div class="table-responsive">
      <table class="table table-sm report-table">
        <caption class="visually-hidden">{section.title}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" class={c.kind === 'text' ? undefined : 'text-end'}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {row.map((cell, i) => {
                const column = columns[i]!
                const shown = formatForPage(cell, column.kind)
                return i === 0 ? (
                  <th scope="row" class="fw-normal">
                    {shown}
                  </th>
                ) : (
                  <td class={column.kind === 'text' ? undefined : 'text-end'}>{column.kind === 'datetime' && typeof cell === 'string' ? <Time value={cell}>{shown}</Time> : shown}</td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** What the script needs to draw the chart: labels, series, and "< 5" where a value is suppressed. */
function chartData(section: Section) {
  const spec = section.chart!
  const { columns, rows } = section.table
  return {
    type: spec.type,
    horizontal: spec.horizontal ?? false,
    labels: rows.map((r) => formatForPage(r[spec.labelColumn] ?? null, columns[spec.labelColumn]!.kind)),
    series: spec.valueColumns.map((c) => ({ label: columns[c]!.label, values: rows.map((r) => chartNumber(r[c] ?? null)) })),
  }
}

const SHADES = [
  { from: 80, fill: '#004080', text: '#ffffff' },
  { from: 60, fill: '#0066cc', text: '#ffffff' },
  { from: 40, fill: '#80b3eb', text: '#1a1a1a' },
  { from: 20, fill: '#b3d1f2', text: '#1a1a1a' },
  { from: 0, fill: '#e3eefa', text: '#1a1a1a' },
]
const NO_DATA = { fill: '#f2f2f2', text: '#1a1a1a' }
const shadeOf = (share: number | null) => (share === null ? NO_DATA : (SHADES.find((s) => share >= s.from) ?? NO_DATA))
const TILE = 64
const GAP = 4

/** The regions as tiles placed roughly as on a map of Italy, coloured by the share reached. */
function RegionMap({ tiles, id }: { tiles: RegionTile[]; id: string }) {
  const width = 6 * (TILE + GAP)
  const height = 8 * (TILE + GAP)
  return (
    <figure class="region-map">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`} class="region-map-svg">
        <title id={`${id}-title`}>{T.edition.map}</title>
        <desc id={`${id}-desc`}>{T.edition.mapDescription}</desc>
        {tiles.map((tile) => {
          const shade = shadeOf(tile.share)
          const x = tile.col * (TILE + GAP)
          const y = tile.row * (TILE + GAP)
          return (
            <g>
              <title>{`${tile.region}: ${formatForPage(tile.reached, 'count')} / ${formatForPage(tile.eligible, 'count')}`}</title>
              <rect x={x} y={y} width={TILE} height={TILE} rx={6} fill={shade.fill} stroke="#5c6f82" stroke-width="1" />
              <text x={x + TILE / 2} y={y + 26} text-anchor="middle" font-size="15" font-weight="700" fill={shade.text}>
                {tile.abbr}
              </text>
              <text x={x + TILE / 2} y={y + 46} text-anchor="middle" font-size="13" fill={shade.text}>
                {formatForPage(tile.share, 'percent')}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption>
        <span class="fw-semibold">{T.edition.legend}:</span>
        <ul class="list-inline mb-0">
          {[...SHADES].reverse().map((s, i, all) => (
            <li class="list-inline-item">
              <svg width="14" height="14" aria-hidden="true" focusable="false">
                <rect width="14" height="14" fill={s.fill} stroke="#5c6f82" />
              </svg>{' '}
              {i === all.length - 1 ? `${s.from}% e oltre` : `${s.from}–${all[i + 1]!.from}%`}
            </li>
          ))}
          <li class="list-inline-item">
            <svg width="14" height="14" aria-hidden="true" focusable="false">
              <rect width="14" height="14" fill={NO_DATA.fill} stroke="#5c6f82" />
            </svg>{' '}
            {T.notAvailable} / {'< 5'}
          </li>
        </ul>
      </figcaption>
    </figure>
  )
}

function ReportSection({ section }: { section: Section }) {
  const headingId = `sezione-${section.id}`
  // A chart whose every value is suppressed would be empty: the table says it all.
  const hasData = section.chart !== undefined && section.table.rows.some((row) => section.chart!.valueColumns.some((c) => typeof row[c] === 'number'))
  const visual = section.regionMap ? (
    <RegionMap tiles={section.regionMap} id={`mappa-${section.id}`} />
  ) : hasData ? (
    <div class="report-chart" data-chart={JSON.stringify(chartData(section))} hidden>
      <canvas role="img" aria-label={T.chartOf(section.title)} />
    </div>
  ) : null
  return (
    <section aria-labelledby={headingId} class="mt-5" data-section={section.id}>
      <h2 id={headingId} class="h3">
        {section.title}
      </h2>
      {section.description ? <p>{section.description}</p> : null}
      {visual ? (
        <div class="row g-4">
          <div class="col-lg-7">{visual}</div>
          <div class="col-lg-5">
            <DataTable section={section} />
          </div>
        </div>
      ) : (
        <DataTable section={section} />
      )}
    </section>
  )
}

export function ReportPage({ view }: { view: ReportView }) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={crumbs(view.title)} />
      <h1 class="pt-4">{view.title}</h1>
      <p class="lead">{view.subtitle}</p>
      <div class="d-flex flex-wrap gap-2 align-items-center my-3">
        <span class="fw-semibold">{T.download}:</span>
        <a class="btn btn-outline-primary btn-sm" href={view.csvPath} download>
          <Icon name="it-file-csv" class="icon-sm icon-primary me-1" />
          {T.csv}
        </a>
        <a class="btn btn-outline-primary btn-sm" href={view.jsonPath}>
          <Icon name="it-file-json" class="icon-sm icon-primary me-1" />
          {T.json}
        </a>
      </div>
      <p class="small">{view.suppressionNote}</p>
      {view.live ? <p class="small text-muted" data-live-status data-text-live={T.liveOn} data-text-offline={T.liveOff} aria-live="polite"></p> : null}
      {/* The live script swaps this element for the same one from a fresh copy of the page. */}
      <div data-report-body data-live={view.live ? 'true' : undefined} data-forum-day={view.live ? view.forumDayId : undefined}>
        <p class="small" role={view.live ? 'status' : undefined}>
          {view.live ? `${T.live} ` : ''}
          <Time value={view.generatedAt}>{T.generatedAt(formatDateTime(view.generatedAt))}</Time>
        </p>
        <section aria-labelledby="dati-principali" class="mt-4">
          <h2 id="dati-principali" class="h3">
            {T.keyFigures}
          </h2>
          <dl class="row report-facts">
            {view.facts.map((fact) => (
              <div class="col-6 col-md-4 col-lg-3 mb-3">
                <dt class="small fw-normal">{fact.label}</dt>
                <dd class="h4 mb-0" data-fact={fact.label}>
                  {formatForPage(fact.value, fact.kind)}
                </dd>
              </div>
            ))}
          </dl>
        </section>
        {view.sections.map((section) => (
          <ReportSection section={section} />
        ))}
      </div>
      <p class="mt-5">
        <a href="/segreteria">{T.back}</a>
      </p>
    </div>
  )
}

export function ReportsIndexPage({ editions }: { editions: Awaited<ReturnType<ReportsService['index']>> }) {
  return (
    <div class="container pb-5">
      <Breadcrumbs items={crumbs()} />
      <h1 class="pt-4">{T.index.title}</h1>
      <p class="lead">{T.index.lead}</p>
      <p>
        <a href="/segreteria/rapporti/banca-dati">{T.index.knowledgeBase}</a>
      </p>
      <h2 class="h3 mt-4">{T.index.editions}</h2>
      {editions.length === 0 ? <p>{T.index.noEditions}</p> : null}
      {editions.map((e) => (
        <section class="mt-4" aria-labelledby={`edizione-${e.id}`}>
          <h3 class="h4" id={`edizione-${e.id}`}>
            {e.name}
          </h3>
          <p class="mb-2">
            <a href={`/segreteria/rapporti/edizioni/${e.id}`}>{T.index.edition}</a>
          </p>
          <ul>
            {e.days.map((d) => (
              <li>
                <a href={`/segreteria/rapporti/giornate/${d.id}`}>{d.title}</a> – <Time value={d.opensAt.toISOString()}>{formatDateTime(d.opensAt)}</Time> ({T.index.states[d.state] ?? d.state}
                {d.rehearsal ? `, ${T.index.rehearsal}` : ''})
              </li>
            ))}
          </ul>
        </section>
      ))}
      <p class="mt-5">
        <a href="/segreteria">{T.back}</a>
      </p>
    </div>
  )
}
