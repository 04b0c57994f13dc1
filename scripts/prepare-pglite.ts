/**
 * Run by npm after installing (postinstall): makes the pristine embedded cluster that fresh data
 * folders are copied from (src/db/pglite-template.ts), so that no start runs PGlite's initdb.
 * Never fails the install: without the cluster, the first embedded start makes it instead.
 */
import { keepPristineCluster, pristineClusterDir } from '../src/db/pglite-template.js'

try {
  const started = performance.now()
  if ((await keepPristineCluster()) === 'made') {
    process.stdout.write(`forum-telematico: embedded database template made in ${((performance.now() - started) / 1000).toFixed(1)} s (${await pristineClusterDir()})\n`)
  }
} catch (err) {
  process.stdout.write(`forum-telematico: embedded database template not made (the first start will make it): ${err instanceof Error ? err.message : String(err)}\n`)
}
// PGlite's runtime may set a non-zero exit code as it unloads; an install must not fail here.
process.exitCode = 0
