/**
 * npm run create-admin -- <email> [--reset]: a one-time link for the first administrator of the
 * configured database (DATABASE_URL, or the embedded one in DATA_DIR), which it migrates first.
 * Safe to run again: a new link replaces the pending one; an existing admin is left alone unless
 * --reset asks for a password-reset link. Exit status 1 when no link could be issued.
 */
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { inviteAdmin } from '../src/accounts/first-admin.js'
import { loadConfig } from '../src/config.js'
import { openDatabase } from '../src/db/connect.js'
import { migrateToLatest } from '../src/db/migrations.js'
import { systemClock } from '../src/shared/clock.js'

const usage = 'usage: npm run create-admin -- <email> [--reset]\n'
const { values, positionals } = parseArgs({ options: { reset: { type: 'boolean', default: false } }, allowPositionals: true, strict: false })
const email = z.email().safeParse(positionals[0])
if (positionals.length !== 1 || !email.success) {
  process.stderr.write(`${usage}${positionals[0] ? `not an email address: ${positionals[0]}\n` : ''}`)
  process.exit(2)
}

const config = loadConfig()
const database = await openDatabase(config.database)
try {
  await migrateToLatest(database.db)
  const outcome = await inviteAdmin(
    {
      db: database.db,
      clock: systemClock,
      publicOrigin: config.http.publicOrigin,
      invitationTtlHours: config.accounts.invitationTtlHours,
      passwordResetTtlMinutes: config.accounts.passwordResetTtlMinutes,
    },
    email.data,
    { reset: values.reset === true },
  )
  switch (outcome.kind) {
    case 'invited':
      process.stdout.write(`Admin invitation for ${email.data}, valid until ${outcome.expiresAt.toISOString()}.\nOpen this link once to choose a password:\n${outcome.url}\n`)
      break
    case 'reset':
      process.stdout.write(`Password reset for the admin ${email.data}, valid until ${outcome.expiresAt.toISOString()}:\n${outcome.url}\n`)
      break
    case 'already-admin':
      process.stdout.write(`${email.data} is already an active admin: nothing changed (add --reset for a password-reset link).\n`)
      break
    case 'refused':
      process.stderr.write(`${outcome.reason}\n`)
      process.exitCode = 1
  }
} catch (err) {
  process.stderr.write(`create-admin failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 1
} finally {
  await database.close()
}
