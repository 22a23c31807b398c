import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { applyMigrations } from '@app/database/database-backends';
import { loadMigrations } from '@app/database/migrations';
import { sqliteFilePath } from '@app/database/sqlite/sqlite.migrator';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from './support/test-databases';

/** The SQL Prisma generates for the current schema, from nothing. */
function schemaSql(provider: 'sqlite' | 'postgres'): string {
  return execFileSync('node', ['node_modules/prisma/build/index.js', 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', `prisma/${provider}`, '--script'], {
    cwd: `${__dirname}/..`,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

async function describeSchema(db: TestDatabase): Promise<unknown> {
  if (db.provider === 'sqlite') {
    const sqlite = new Database(sqliteFilePath(db.url));
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
      return tables.map(({ name }) => ({
        name,
        columns: sqlite.prepare(`PRAGMA table_info("${name}")`).all(),
        indexes: (sqlite.prepare(`PRAGMA index_list("${name}")`).all() as { name: string; unique: number }[])
          .map((index) => ({ name: index.name, unique: index.unique, columns: sqlite.prepare(`PRAGMA index_info("${index.name}")`).all() }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      }));
    } finally {
      sqlite.close();
    }
  }
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const columns = await client.query(
      "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, column_name",
    );
    const indexes = await client.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY indexname");
    return { columns: columns.rows, indexes: indexes.rows };
  } finally {
    await client.end();
  }
}

async function runScript(db: TestDatabase, sql: string): Promise<void> {
  if (db.provider === 'sqlite') {
    const sqlite = new Database(sqliteFilePath(db.url));
    sqlite.exec(sql);
    sqlite.close();
    return;
  }
  const client = new Client({ connectionString: db.url });
  await client.connect();
  await client.query(sql);
  await client.end();
}

describe.each(testDatabaseProviders())('Migrations on %s', (provider) => {
  const dbs: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase(provider);
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('produce exactly the schema of prisma/models (no drift)', async () => {
    const migrated = await fresh();
    const fromSchema = await fresh();

    await applyMigrations(provider, migrated.url);
    await runScript(fromSchema, schemaSql(provider));

    expect(await describeSchema(migrated)).toEqual(await describeSchema(fromSchema));
  });

  it('apply once, and every later start finds them applied (many instances may start at once)', async () => {
    const db = await fresh();
    const all = loadMigrations(provider).map((m) => m.name);

    const concurrent = await Promise.all([applyMigrations(provider, db.url), applyMigrations(provider, db.url)]);
    const later = await applyMigrations(provider, db.url);

    expect(concurrent.flatMap((report) => report.applied).sort()).toEqual(all);
    expect(later).toEqual({ applied: [], alreadyApplied: all });
  });

  if (provider === 'postgres') {
    it('accept the admin listing indexes built beforehand with CREATE INDEX CONCURRENTLY (no write lock on a large table)', async () => {
      const db = await fresh();
      const reference = await fresh();
      await applyMigrations(provider, reference.url);
      const listingMigration = loadMigrations(provider).find((m) => m.name.endsWith('_admin_listing_indexes'))!;
      await applyMigrations(provider, db.url);
      await runScript(db, `DROP INDEX customer_mappings_tenant_listing_idx, customer_mappings_tenant_connector_customer_idx, customer_mappings_connector_listing_idx; DELETE FROM schema_migrations WHERE name = '${listingMigration.name}'`);
      // CONCURRENTLY cannot run inside a transaction: one statement per query.
      await runScript(db, 'CREATE INDEX CONCURRENTLY customer_mappings_tenant_listing_idx ON customer_mappings (tenant_id, id)');
      await runScript(db, 'CREATE INDEX CONCURRENTLY customer_mappings_connector_listing_idx ON customer_mappings (tenant_id, connector, id)');

      await expect(applyMigrations(provider, db.url)).resolves.toMatchObject({ applied: [listingMigration.name] });
      expect(await describeSchema(db)).toEqual(await describeSchema(reference));
    });
  }

  it('refuse to run when an applied migration was edited', async () => {
    const db = await fresh();
    await applyMigrations(provider, db.url);
    await runScript(db, "UPDATE schema_migrations SET checksum = 'edited'");

    await expect(applyMigrations(provider, db.url)).rejects.toThrow(/was edited after it was applied/);
  });
});
