import net from 'node:net'

/**
 * A TCP relay in front of the shared PostgreSQL server. `cut()` is what a network failure or a
 * stopped server looks like from the app (open connections reset, new ones refused) without
 * stopping the server other tests use; `restore()` listens again on the same port.
 */
export interface TcpProxy {
  port: number
  cut(): Promise<void>
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  let port = 0

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host)
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => {
            client.destroy()
            upstream.destroy()
          })
        }
        client.pipe(upstream).pipe(client)
      })
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as net.AddressInfo).port
        server = next
        resolve()
      })
    })

  const cut = async () => {
    const closing = server
    server = undefined
    const closed = new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()))
    for (const s of sockets) s.resetAndDestroy()
    await closed
  }

  await listen()
  return {
    get port() {
      return port
    },
    cut,
    restore: listen,
    close: cut,
  }
}
