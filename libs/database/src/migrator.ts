import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { DatabaseProvider } from '@app/common/config/app-config';
import { projectRoot } from './project-paths';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export function loadMigrations(provider: DatabaseProvider): Migration[] {
  const dir = path.join(projectRoot(), 'prisma', provider, 'migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export function sqliteFilePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '');
}

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "schema_migrations" (
  "name" TEXT NOT NULL PRIMARY KEY,
  "checksum" TEXT NOT NULL,
  "applied_at" TEXT NOT NULL
)`;

function verifyChecksum(migration: Migration, recorded: string | undefined): void {
  if (recorded !== undefined && recorded !== migration.checksum) {
    throw new Error(`migration ${migration.name} was edited after it was applied (checksum differs); add a new migration instead`);
  }
}

/**
 * Applies Prisma-generated migration SQL at start, each migration in its own transaction. Done
 * with the raw drivers because Prisma's driver adapters refuse multi-statement scripts; the
 * history lives in `schema_migrations`. On PostgreSQL an advisory lock lets many instances start
 * at once; SQLite's `BEGIN IMMEDIATE` does the same for processes sharing a file.
 */
export async function applyMigrations(provider: DatabaseProvider, databaseUrl: string): Promise<MigrationReport> {
  const migrations = loadMigrations(provider);
  return provider === 'sqlite' ? applySqlite(databaseUrl, migrations) : applyPostgres(databaseUrl, migrations);
}

function applySqlite(databaseUrl: string, migrations: Migration[]): MigrationReport {
  const file = sqliteFilePath(databaseUrl);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  try {
    // WAL is a property of the file: set once here, every later connection uses it.
    db.pragma('journal_mode = WAL');
    db.exec(HISTORY_TABLE);
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const row = db.prepare('SELECT checksum FROM schema_migrations WHERE name = ?').get(migration.name) as { checksum: string } | undefined;
        verifyChecksum(migration, row?.checksum);
        if (row) {
          report.alreadyApplied.push(migration.name);
        } else {
          db.exec(migration.sql);
          db.prepare('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)').run(migration.name, migration.checksum, new Date().toISOString());
          report.applied.push(migration.name);
        }
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    }
    return report;
  } finally {
    db.close();
  }
}

/** Any constant works; it only has to be the same for every instance of this service. */
const MIGRATION_LOCK_KEY = 7_312_004_615;

async function applyPostgres(databaseUrl: string, migrations: Migration[]): Promise<MigrationReport> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(HISTORY_TABLE);
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      verifyChecksum(migration, recorded.get(migration.name));
      if (recorded.has(migration.name)) {
        report.alreadyApplied.push(migration.name);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ($1, $2, $3)', [
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
        report.applied.push(migration.name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return report;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
