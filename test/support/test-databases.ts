import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { recordObserved } from './leak-audit';

export type TestDatabaseProvider = 'sqlite' | 'postgres';

export interface TestDatabase {
  provider: TestDatabaseProvider;
  url: string;
  drop(): Promise<void>;
}

const SQLITE_DIR = path.join(os.tmpdir(), 'connector-service-tests');

/**
 * The providers the suite runs on: both, unless TEST_DATABASES narrows it. PostgreSQL comes
 * from TEST_POSTGRES_URL, which `npm test` sets after starting a throwaway server.
 */
export function testDatabaseProviders(): TestDatabaseProvider[] {
  const wanted = (process.env.TEST_DATABASES ?? 'sqlite,postgres').split(',').map((p) => p.trim()) as TestDatabaseProvider[];
  if (wanted.includes('postgres') && !process.env.TEST_POSTGRES_URL) {
    throw new Error('TEST_POSTGRES_URL is not set: run the suite with `npm test` (it starts PostgreSQL), or set TEST_DATABASES=sqlite');
  }
  return wanted;
}

/** A fresh, empty database of the given kind; `drop()` removes it. */
export async function createTestDatabase(provider: TestDatabaseProvider): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  if (provider === 'sqlite') {
    mkdirSync(SQLITE_DIR, { recursive: true });
    const file = path.join(SQLITE_DIR, `${name}.db`);
    return {
      provider,
      url: `file:${file}`,
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) {
          // The raw file bytes, as they would sit on a disk: what the audit greps for secrets.
          if (existsSync(`${file}${suffix}`)) recordObserved('database file', readFileSync(`${file}${suffix}`).toString('latin1'));
          rmSync(`${file}${suffix}`, { force: true });
        }
      },
    };
  }
  const adminUrl = process.env.TEST_POSTGRES_URL!;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    provider,
    url: url.toString(),
    drop: async () => {
      await dumpForAudit(url.toString());
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Every row of every table, as text, for the secret audit (a database a test dropped already is skipped). */
async function dumpForAudit(url: string): Promise<void> {
  if (!process.env.RELIABILITY_REPORT_DIR) return;
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const tables = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    for (const { tablename } of tables.rows) {
      const rows = await client.query(`SELECT row_to_json(t)::text AS row FROM "${tablename}" t`);
      recordObserved('database rows', rows.rows.map((r: { row: string }) => r.row).join('\n'));
    }
  } catch {
    // Already gone (a test dropped it to simulate loss).
  } finally {
    await client.end().catch(() => undefined);
  }
}
