import Database from 'better-sqlite3';
import { Client } from 'pg';
import { sqliteFilePath } from '@app/database/sqlite/sqlite.migrator';
import type { TestDatabase } from './test-databases';

/** Runs SQL straight on a test database (`?` placeholders become `$n` on PostgreSQL). */
export async function execute(db: TestDatabase, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (db.provider === 'sqlite') {
    const sqlite = new Database(sqliteFilePath(db.url));
    try {
      const statement = sqlite.prepare(sql);
      return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
    } finally {
      sqlite.close();
    }
  }
  let index = 0;
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql.replace(/\?/g, () => `$${++index}`), params)).rows;
  } finally {
    await client.end();
  }
}

/** Pretends a mapping was reserved `hours` ago. */
export async function ageMapping(db: TestDatabase, merchantCustomerId: string, hours: number): Promise<void> {
  const createdAt = new Date(Date.now() - hours * 3_600_000);
  // Prisma stores SQLite DateTime as ISO-8601 text and PostgreSQL as timestamp(3).
  await execute(db, 'UPDATE customer_mappings SET created_at = ? WHERE merchant_customer_id = ?', [db.provider === 'sqlite' ? createdAt.toISOString() : createdAt, merchantCustomerId]);
}
