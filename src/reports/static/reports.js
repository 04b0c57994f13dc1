// The report pages' charts: each [data-chart] holds its labels and series (drawn by chart.js,
// which the page loads just before this script); the table beside it stays the accessible
// version and what works without JavaScript.
//
// On an open forum day the page follows the event stream (live.js): the day's question events
// (channel `queue`, filtered by forum day), its counters and state (`forum-day:{id}`) and FAQ
// publications (`faqs`). On such an event it fetches itself and swaps the report body, so the
// server stays the only place where figures are computed, formatted and suppressed. A burst of
// events (a question is one event per channel) makes one fetch at once and at most one more per
// QUIET_MS. Only while the socket is down does it poll, every FALLBACK_MS.

const COLORS = ['#0066cc', '#d1344c', '#008758', '#995c00']
const QUIET_MS = 2_500
const FALLBACK_MS = 60_000
const italian = new Intl.NumberFormat('it-IT')
let charts = []

function draw(root) {
  for (const chart of charts) chart.destroy()
  charts = []
  if (!globalThis.Chart) return
  for (const box of root.querySelectorAll('[data-chart]')) {
    let spec
    try {
      spec = JSON.parse(box.dataset.chart)
    } catch {
      continue
    }
    box.hidden = false
    const canvas = box.querySelector('canvas')
    const line = spec.type === 'line'
    // Horizontal bars get the height their rows need (set through the CSSOM, which the CSP allows).
    if (spec.horizontal) box.style.height = `${Math.max(140, 36 * spec.labels.length + 60)}px`
    // Long labels (themes, FAQ titles) are shortened in the chart; the table beside it has them whole.
    const labels = spec.labels.map((l) => (l.length > 42 ? `${l.slice(0, 40)}…` : l))
    charts.push(
      new globalThis.Chart(canvas, {
        type: spec.type,
        data: {
          labels,
          datasets: spec.series.map((s, i) => ({
            label: s.label,
            data: s.values,
            backgroundColor: COLORS[i % COLORS.length],
            borderColor: COLORS[i % COLORS.length],
            fill: false,
            tension: 0,
            spanGaps: line,
          })),
        },
        options: {
          locale: 'it-IT',
          animation: false,
          indexAxis: spec.horizontal ? 'y' : 'x',
          maintainAspectRatio: !spec.horizontal,
          aspectRatio: 1.8,
          plugins: {
            legend: { display: spec.series.length > 1 },
            tooltip: {
              callbacks: {
                // A suppressed value is a gap in the chart; the tooltip says why.
                label: (item) => `${item.dataset.label}: ${item.raw === null ? '< 5' : italian.format(item.raw)}`,
              },
            },
          },
          scales: { [spec.horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      }),
    )
  }
}

let loading = Promise.resolve()
let lastLoad = 0
let pending
let stale = false

/** Fetches the page again and swaps the report body; one fetch at a time, in order. */
function refresh() {
  const current = document.querySelector('[data-report-body]')
  if (!current || current.dataset.live !== 'true') return
  // A hidden tab is brought up to date when it is shown again.
  if (document.hidden) {
    stale = true
    return
  }
  stale = false
  lastLoad = Date.now()
  loading = loading.then(async () => {
    try {
      const response = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      if (!response.ok) return
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('[data-report-body]')
      const shown = document.querySelector('[data-report-body]')
      if (!fresh || !shown) return
      shown.replaceWith(fresh)
      draw(fresh)
    } catch {
      // Offline for a moment: the next event, or the fallback round, tries again.
    }
  })
}

/** At once after a quiet spell, else once at the end of QUIET_MS (every event in between included). */
function refreshSoon() {
  if (pending !== undefined) return
  const wait = lastLoad + QUIET_MS - Date.now()
  if (wait <= 0) return refresh()
  pending = setTimeout(() => {
    pending = undefined
    refresh()
  }, wait)
}

draw(document)
const live = document.querySelector('[data-report-body][data-live="true"]')
const dayId = live?.dataset.forumDay
if (live && dayId) {
  let fallback
  globalThis.ftLive.follow({
    id: 'report',
    channels: ['queue', `forum-day:${dayId}`, 'faqs'],
    onEvent: (frame) => {
      if (frame.payload?.forumDayId === dayId || frame.event?.startsWith('faq.')) refreshSoon()
    },
    onStatus: (kind) => {
      if (kind === 'live') {
        globalThis.clearInterval(fallback)
        fallback = undefined
      } else if (fallback === undefined) {
        fallback = setInterval(refresh, FALLBACK_MS)
      }
    },
  })
  // Back on the tab after a while: the figures are brought up to date at once, if events came meanwhile or the socket was down.
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && (stale || fallback !== undefined)) refresh()
  })
}
