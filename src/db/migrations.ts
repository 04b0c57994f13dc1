import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely'

/** Top-level `migrations/`, found relative to this file both from `src/` and from the compiled `dist/src/`. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url))

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export function createMigrator(db: Kysely<any>, migrationFolder = MIGRATIONS_FOLDER): Migrator {
  // Kysely runs each migration batch in one transaction on PostgreSQL and PGlite: a failure
  // rolls the whole batch back and leaves the database as it was.
  return new Migrator({
    db: db.withoutPlugins(),
    provider: new FileMigrationProvider({ fs, path, migrationFolder }),
  })
}

export class MigrationError extends Error {
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    super(`migration ${migrationName ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'MigrationError'
  }
}

/** Throws a MigrationError naming the migration that failed; returns the names that ran. */
export function unwrapMigrationResult({ error, results }: MigrationResultSet): string[] {
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new MigrationError(failed?.migrationName, error)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/**
 * The migration files of a folder with the names Kysely's FileMigrationProvider gives them (it
 * skips declaration files and anything else, such as source maps), in name order.
 */
export async function migrationFiles(migrationFolder: string): Promise<{ name: string; file: string }[]> {
  const files = await fs.readdir(migrationFolder)
  return files
    .filter((f) => /\.(m?[jt]s)$/.test(f) && !/\.d\.m?ts$/.test(f))
    .map((file) => ({ name: file.slice(0, file.lastIndexOf('.')), file }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/**
 * True when exactly the migrations of the folder are recorded as applied. Two small queries and a
 * readdir, where the Migrator imports every migration file first (seconds at start through tsx).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see createMigrator
export async function isUpToDate(db: Kysely<any>, migrationFolder = MIGRATIONS_FOLDER): Promise<boolean> {
  const raw = db.withoutPlugins()
  // Asked first: reading a table that does not exist would fail (and abort a transaction).
  const { rows } = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(raw)
  if (!rows[0]?.present) return false
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(raw)
  const names = new Set((await migrationFiles(migrationFolder)).map((m) => m.name))
  return applied.rows.length === names.size && applied.rows.every((r) => names.has(r.name))
}

/** Applies the pending migrations; returns their names (none, without loading any, when up to date). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see createMigrator
export async function migrateToLatest(db: Kysely<any>, migrationFolder?: string): Promise<string[]> {
  if (await isUpToDate(db, migrationFolder)) return []
  return unwrapMigrationResult(await createMigrator(db, migrationFolder).migrateToLatest())
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see createMigrator
export async function migrateDown(db: Kysely<any>, migrationFolder?: string): Promise<string[]> {
  const { error, results } = await createMigrator(db, migrationFolder).migrateDown()
  unwrapMigrationResult({ error, results })
  return (results ?? []).map((r) => r.migrationName)
}

export interface MigrationState {
  name: string
  executedAt: Date | null
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see createMigrator
export async function migrationStatus(db: Kysely<any>, migrationFolder?: string): Promise<MigrationState[]> {
  const migrations = await createMigrator(db, migrationFolder).getMigrations()
  return migrations.map((m) => ({ name: m.name, executedAt: m.executedAt ?? null }))
}

/** The line `npm start`'s launcher (scripts/start.mjs) puts first in each migration it compiles. */
const COMPILED_DIGEST = /^\/\/ migration source sha256:([0-9a-f]{64})\n/

/**
 * One hash of the migrations' names and contents, the one rule that names what was migrated
 * ahead (the kept PGlite cluster, the tests' template database and snapshot): an edited
 * migration never reuses a stale one. A migration compiled by `npm start`'s launcher counts as
 * its TypeScript source (the digest it carries), so compiled and source migrations agree.
 */
export async function migrationsDigest(migrationFolder = MIGRATIONS_FOLDER): Promise<string> {
  const hash = createHash('sha256')
  for (const { name, file } of await migrationFiles(migrationFolder)) {
    const content = await fs.readFile(path.join(migrationFolder, file), 'utf8')
    hash.update(`${name}\0${COMPILED_DIGEST.exec(content)?.[1] ?? createHash('sha256').update(content).digest('hex')}\0`)
  }
  return hash.digest('hex')
}
