/**
 * Benchmark dispatcher: `npm run bench -- <scenario> [args]`. A scenario is a module in this
 * folder exporting `run(args)`; add one to SCENARIOS to make it available.
 */
const SCENARIOS: Record<string, { description: string; load: () => Promise<{ run(args: string[]): Promise<void> }> }> = {
  search: { description: 'PostgreSQL search engine: indexing throughput and query latency over 100,000 FAQs', load: () => import('./search.js') },
  pages: { description: 'Public pages at 100,000 FAQs: FAQ and search pages (HTML) next to the JSON API, same run', load: () => import('./pages.js') },
  peak: { description: 'Forum-day peak: submission, claim-next, search and forum-day list over HTTP, each next to its anchor', load: () => import('./peak.js') },
  reports: { description: 'Secretariat reports at 10,000 organizations, 50,000 questions, 1,000,000 events: each report page, JSON and CSV', load: () => import('./reports.js') },
  ws: { description: 'WebSocket fan-out: delivery latency to 5,000 clients and memory per connection, app vs bare ws', load: () => import('./ws.js') },
}

const [name, ...args] = process.argv.slice(2)
const scenario = name ? SCENARIOS[name] : undefined
if (!scenario) {
  console.log('usage: npm run bench -- <scenario> [args]\n\nscenarios:')
  for (const [key, { description }] of Object.entries(SCENARIOS)) console.log(`  ${key.padEnd(12)} ${description}`)
  process.exitCode = name ? 1 : 0
} else {
  await (await scenario.load()).run(args)
}
