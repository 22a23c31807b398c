import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATION_HISTORY_TABLE, verifyChecksum, type Migration, type MigrationReport } from '../migrations';

export function sqliteFilePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '');
}

/**
 * Applies Prisma-generated migration SQL at start, each migration in its own transaction, with the
 * raw driver (Prisma's driver adapters refuse multi-statement scripts). `BEGIN IMMEDIATE` lets
 * processes sharing a file start at once.
 */
export function applySqliteMigrations(databaseUrl: string, migrations: Migration[]): MigrationReport {
  const file = sqliteFilePath(databaseUrl);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  try {
    // WAL is a property of the file: set once here, every later connection uses it.
    db.pragma('journal_mode = WAL');
    db.exec(MIGRATION_HISTORY_TABLE);
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
