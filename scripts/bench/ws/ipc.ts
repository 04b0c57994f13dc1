/**
 * Request/answer over the IPC channel of a forked child: the parent `call`s a named command, the
 * child's handler answers it. Children are tracked so that none outlives the benchmark, whatever
 * way it ends (error, Ctrl-C, a crash of the parent: children exit when their channel closes).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Commands } from './protocol.js'

interface Request {
  id: number
  command: string
  args: unknown
}

type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string }

/** The first message of every child: its handlers are installed (earlier messages could be lost). */
const READY = 'ready'

// ---------------------------------------------------------------------------------------------
// Child side

export type Handlers<C extends Commands<C>> = { [K in keyof C]: (args: C[K]['args']) => Promise<C[K]['result']> }

/** Answers the parent's commands until `stop`, which is answered and then ends the process. */
export function serve<C extends Commands<C>>(handlers: Handlers<C>): void {
  const send = process.send?.bind(process)
  if (!send) throw new Error('this is a child of bench/ws.ts: run `npm run bench -- ws`')
  // No parent left to answer to: do not linger with thousands of sockets open.
  process.on('disconnect', () => process.exit(0))
  const table = handlers as Record<string, ((args: unknown) => Promise<unknown>) | undefined>
  process.on('message', (message: Request) => {
    const handler = table[message.command]
    const answer = handler ? Promise.resolve().then(() => handler(message.args)) : Promise.reject(new Error(`unknown command ${message.command}`))
    answer.then(
      (result) =>
        send({ id: message.id, ok: true, result } satisfies Answer, undefined, undefined, () => {
          if (message.command === 'stop') process.exit(0)
        }),
      (err: unknown) => send({ id: message.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Answer),
    )
  })
  send(READY)
}

// ---------------------------------------------------------------------------------------------
// Parent side

export interface Child<C extends Commands<C>> {
  readonly name: string
  call<K extends keyof C & string>(command: K, args: C[K]['args'], timeoutMs?: number): Promise<C[K]['result']>
  /** Asks the child to stop, then kills it if it has not exited within a few seconds. */
  stop(): Promise<void>
}

const children = new Set<ChildProcess>()
let guarded = false

/** Once, in the parent: 'exit' handlers run on normal ends and process.exit(); signals are turned into exits. */
function killChildrenOnExit(): void {
  if (guarded) return
  guarded = true
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL')
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the benchmark's child processes`)
      process.exit(130)
    })
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once('exit', () => resolve())
  })

const DEFAULT_TIMEOUT_MS = 60_000

/** Forks `file` (TypeScript, through tsx) and resolves once it is ready for commands. */
export async function spawnChild<C extends Commands<C>>(name: string, file: URL, options: { env?: NodeJS.ProcessEnv; exposeGc?: boolean } = {}): Promise<Child<C>> {
  killChildrenOnExit()
  const child = fork(fileURLToPath(file), [], {
    execArgv: ['--import', 'tsx', ...(options.exposeGc ? ['--expose-gc'] : [])],
    env: options.env ?? process.env,
    // Structured clone instead of JSON: the clients child sends back every delivery's latency.
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.add(child)
  let nextId = 0
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>()

  child.on('message', (message: Answer | typeof READY) => {
    if (message === READY) return
    const waiter = pending.get(message.id)
    pending.delete(message.id)
    if (message.ok) waiter?.resolve(message.result)
    else waiter?.reject(new Error(`${name}: ${message.error}`))
  })
  child.once('exit', (code, signal) => {
    children.delete(child)
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? `code ${code}`})`))
    pending.clear()
  })

  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message !== READY) return
      child.off('exit', onExit)
      resolve()
    }
    const onExit = (code: number | null) => reject(new Error(`${name} exited before it was ready (code ${code})`))
    child.on('message', onMessage)
    child.once('exit', onExit)
  })

  function request(command: string, args: unknown, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = ++nextId
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`${name}: no answer to ${command} within ${timeoutMs} ms`))
      }, timeoutMs)
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value)
        },
        reject: (err) => {
          clearTimeout(timer)
          reject(err)
        },
      })
      child.send({ id, command, args } satisfies Request)
    })
  }

  return {
    name,
    // The child's answer is trusted to match its command table (both sides import protocol.ts).
    call: (command, args, timeoutMs = DEFAULT_TIMEOUT_MS) => request(command, args, timeoutMs),
    async stop() {
      if (!children.has(child)) return
      await Promise.race([request('stop', {}, 15_000).catch(() => undefined), exited(child)])
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited(child)
      clearTimeout(killed)
    },
  }
}
