// The autodiagnosi result: draws the bar chart of scores against targets from the numbers the page
// carries (data-chart on the canvas; the same numbers are in the table beside it), and shows the
// print button. Without JavaScript the table and the browser's own print remain.

const canvas = document.querySelector('canvas[data-chart]')
const data = canvas ? JSON.parse(canvas.dataset.chart) : null

if (canvas && data && typeof globalThis.Chart === 'function') {
  const datasets = [
    { label: data.text.score, data: data.score, backgroundColor: '#0066cc' },
    { label: data.text.target, data: data.target, backgroundColor: '#f0b400' },
  ]
  if (data.previous) datasets.push({ label: data.text.previous, data: data.previous, backgroundColor: '#8c9aa8' })
  canvas.dataset.chartReady = 'false'
  new globalThis.Chart(canvas, {
    type: 'bar',
    data: { labels: data.labels, datasets },
    options: {
      // Drawn at once: printing or a screenshot never catches it halfway.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      // Horizontal bars: the areas' names are long and read better as rows.
      indexAxis: 'y',
      scales: { x: { min: data.min, max: data.max, ticks: { stepSize: 1 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  })
  canvas.dataset.chartReady = 'true'
}

const print = document.querySelector('[data-print]')
if (print) {
  print.hidden = false
  print.addEventListener('click', () => globalThis.print())
}
