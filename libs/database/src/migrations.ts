import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
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

/** The migrations shipped for one database, oldest first (`prisma/<provider>/migrations`). */
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

/** Where applied migrations are recorded, on both databases. */
export const MIGRATION_HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "schema_migrations" (
  "name" TEXT NOT NULL PRIMARY KEY,
  "checksum" TEXT NOT NULL,
  "applied_at" TEXT NOT NULL
)`;

export function verifyChecksum(migration: Migration, recorded: string | undefined): void {
  if (recorded !== undefined && recorded !== migration.checksum) {
    throw new Error(`migration ${migration.name} was edited after it was applied (checksum differs); add a new migration instead`);
  }
}
