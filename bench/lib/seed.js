'use strict';
// Seeds N active mappings straight into `customer_mappings`, set-based, in one transaction, in
// key order (every index of the table then grows at its right edge): 1,000 customers per
// merchant, tenant `public`, connector `stripe`; seeded ids sort below the service's UUIDv7 ids.
// The schema must exist (run the service against the database once) and no process may have
// the database open: SQLite is loaded without a journal, PostgreSQL with its secondary indexes
// dropped and rebuilt (sorted builds).
//   seed-m<kkkk>  merchant     seed-c<iiiiiiiii>  merchant customer     cus_seed<iiiiiiiii>  processor customer
const PER_MERCHANT = 1000;
const ACCOUNT = 'seed0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';

const pad = (n, width) => String(n).padStart(width, '0');
const customerId = (i) => `seed-c${pad(i, 9)}`;
const merchantId = (i) => `seed-m${pad(Math.floor(i / PER_MERCHANT), 4)}`;
const connectorCustomerId = (i) => `cus_seed${pad(i, 9)}`;
const mappingId = (i) => `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;

function seedSqlite(file, rows) {
  const Database = require('better-sqlite3');
  const db = new Database(file, { timeout: 30_000 });
  try {
    // No journal while loading (the file is thrown away if this fails), WAL again afterwards.
    db.pragma('journal_mode = DELETE');
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1000000');
    const stamp = '2026-01-01T00:00:00.000+00:00';
    db.exec('BEGIN');
    db.prepare(
      `INSERT INTO customer_mappings (id, tenant_id, merchant_id, merchant_customer_id, connector, connector_account,
         connector_customer_id, status, idempotency_key, test_mode, attempts, created_at, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       SELECT printf('00000000-0000-7000-8000-%012x', i), 'public', printf('seed-m%04d', i / ${PER_MERCHANT}), printf('seed-c%09d', i), 'stripe',
              '${ACCOUNT}', printf('cus_seed%09d', i), 'active', printf('00000000-0000-4000-8000-%012x', i), 1, 1, '${stamp}', '${stamp}'
       FROM n`,
    ).run(rows);
    db.exec('COMMIT');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
}

async function seedPostgres(url, rows) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET maintenance_work_mem = '1GB'");
    const { rows: indexes } = await client.query(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'customer_mappings' AND indexname <> 'customer_mappings_pkey'",
    );
    await client.query('BEGIN');
    for (const { indexname } of indexes) await client.query(`DROP INDEX "${indexname}"`);
    await client.query(
      `INSERT INTO customer_mappings (id, tenant_id, merchant_id, merchant_customer_id, connector, connector_account,
         connector_customer_id, status, idempotency_key, test_mode, attempts, created_at, updated_at)
       SELECT '00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), 'public', 'seed-m' || lpad((i / ${PER_MERCHANT})::text, 4, '0'),
              'seed-c' || lpad(i::text, 9, '0'), 'stripe', '${ACCOUNT}', 'cus_seed' || lpad(i::text, 9, '0'), 'active',
              '00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'), true, 1, '2026-01-01', '2026-01-01'
       FROM generate_series(1, $1::int) AS i`,
      [rows],
    );
    for (const { indexdef } of indexes) await client.query(indexdef);
    await client.query('COMMIT');
    // What autovacuum does soon after a bulk load, done now rather than at some point of the phases
    // that follow (a suspect, cleared, when PostgreSQL took 1.4 cores in the scaling phase: that was
    // its own CPU per Create, bench/PROFILE.md).
    await client.query('VACUUM (FREEZE, ANALYZE) customer_mappings');
  } finally {
    await client.end();
  }
}

async function seed(databaseUrl, rows) {
  const started = performance.now();
  if (databaseUrl.startsWith('file:')) seedSqlite(databaseUrl.slice('file:'.length), rows);
  else await seedPostgres(databaseUrl, rows);
  return performance.now() - started;
}

module.exports = { seed, customerId, merchantId, connectorCustomerId, mappingId };
