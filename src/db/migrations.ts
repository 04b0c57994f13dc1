import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, type Kysely, type MigrationResultSet } from 'kysely'

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see createMigrator
export async function migrateToLatest(db: Kysely<any>, migrationFolder?: string): Promise<string[]> {
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
