import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

/** A real SMTP server in the test process: what the app's mail path talks to in production. */
export class TestSmtpServer {
  readonly received: ParsedMail[] = []
  private server: SMTPServer | undefined
  port = 0

  async start(port = 0): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.received.push(mail)
            callback()
          })
          .catch((err: Error) => callback(err))
      },
    })
    server.listen(port, '127.0.0.1')
    await once(server.server, 'listening')
    this.port = (server.server.address() as AddressInfo).port
    this.server = server
    return this
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`
  }

  /** Stops accepting connections: the relay is down. */
  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  to(address: string): ParsedMail[] {
    return this.received.filter((m) => [m.to].flat().some((t) => t?.value.some((v) => v.address === address)))
  }
}

/** The one-time link of a message (in its text part). */
export const linkIn = (mail: ParsedMail): URL => {
  const match = /https?:\/\/\S+#token=[\w-]+/.exec(mail.text ?? '')
  if (!match) throw new Error(`no link in: ${mail.text}`)
  return new URL(match[0])
}
