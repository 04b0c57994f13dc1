import { sql } from 'kysely'
import t from 'tap'
import { openDatabase, type DatabaseHandle } from '../../src/db/connect.js'
import { freshDatabase, NEEDS_SERVER } from '../helper.js'

// Searches rely on these: with the default random_page_cost the planner scans and decompresses
// every FAQ's text instead of reading a few hundred rows from the full-text index, and JIT
// compiling a search took longer than running it.
const show = async (handle: DatabaseHandle, name: string) => {
  const { rows } = await sql<{ value: string }>`select current_setting(${name}) as value`.execute(handle.db)
  return rows[0]?.value
}

t.test('pooled server connections start with the planner settings searches rely on', { skip: NEEDS_SERVER }, async (t) => {
  const handle = await openDatabase(await freshDatabase(t, { migrated: false }))
  t.teardown(() => handle.close())
  t.equal(await show(handle, 'random_page_cost'), '1.1')
  t.equal(await show(handle, 'jit'), 'off')
})

t.test('the embedded database starts with the same planner costs', async (t) => {
  const handle = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  t.teardown(() => handle.close())
  t.equal(await show(handle, 'random_page_cost'), '1.1')
})

t.test('the embedded database keeps a small buffer pool, and a caller can still set another', async (t) => {
  const small = await openDatabase({ kind: 'pglite', dataDir: 'memory://' })
  t.teardown(() => small.close())
  t.equal(await show(small, 'shared_buffers'), '32MB', 'not the 128 MB that every cold start cleared')
  const large = await openDatabase({ kind: 'pglite', dataDir: 'memory://', settings: { shared_buffers: '64MB' } })
  t.teardown(() => large.close())
  t.equal(await show(large, 'shared_buffers'), '64MB')
})
