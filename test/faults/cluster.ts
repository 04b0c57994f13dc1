import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The newest PostgreSQL server binaries installed the Debian way, if any. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin')
}

/** Printed when a fault test cannot run here. */
export const NO_INITDB = postgresBin() === undefined ? 'needs initdb and pg_ctl (/usr/lib/postgresql/*/bin) to run a throwaway cluster' : false

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** A PostgreSQL cluster of the test's own, which it may stop and start at will (never the shared one). */
export interface Cluster {
  url: string
  start(): Promise<void>
  stop(mode: 'fast' | 'immediate'): Promise<void>
  destroy(): Promise<void>
}

export async function createCluster(): Promise<Cluster> {
  const bin = postgresBin()
  if (!bin) throw new Error('no initdb')
  const dir = mkdtempSync(join(tmpdir(), 'ft-fault-pg-'))
  const data = join(dir, 'data')
  // initdb refuses to run as root: the cluster then belongs to the postgres account.
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()))
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args)

  const port = await freePort()
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'])
  // fsync=off only skips flushes to the disk: a stopped or killed server loses nothing the kernel
  // holds. Commits stay synchronous: an acknowledged write must survive `-m immediate`.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`
  let running = false
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start'])
      running = true
    },
    async stop(mode) {
      await pg('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop'])
      running = false
    },
    async destroy() {
      if (running) await cluster.stop('immediate').catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return cluster
}
