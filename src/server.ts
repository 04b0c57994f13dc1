import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { DatabaseWaitError } from './db/wait.js'

/** The only entry point: read config, build, listen, shut down gracefully. */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`forum-telematico cannot start.\n${err.message}\n`)
      process.exit(1)
    }
    throw err
  }

  let app
  try {
    app = await buildApp(config)
  } catch (err) {
    // Waiting longer is the operator's call (DATABASE_STARTUP_WAIT_SECONDS); say so, without a stack.
    if (err instanceof DatabaseWaitError) {
      process.stderr.write(`forum-telematico cannot start: ${err.message}.\n`)
      process.exit(1)
    }
    throw err
  }
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    // Stops accepting, lets in-flight requests finish, closes sockets and the database.
    await app.close()
  })
  await app.listen({ host: config.http.host, port: config.http.port })
  app.log.info({ docs: `${config.http.publicOrigin}/docs`, database: config.database.kind }, 'forum-telematico ready')
}

await main()
