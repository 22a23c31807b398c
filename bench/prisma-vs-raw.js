'use strict';
// The cost of one mapping-store statement through Prisma 6.19 (the service's client, from dist/,
// better-sqlite3 driver adapter) and through a cached better-sqlite3 prepared statement, in one
// process, sequentially: `node bench/prisma-vs-raw.js` (after `npm run build`). Evidence for
// bench/PROFILE.md; not part of `npm run bench`.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const Database = require('better-sqlite3');
const { PrismaBetterSQLite3 } = require('@prisma/adapter-better-sqlite3');
const { ROOT } = require('./lib/util');

const N = Number(process.env.N ?? 2000);

async function measure(label, fn) {
  for (let i = 0; i < 200; i += 1) await fn(i); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i += 1) await fn(i);
  const wall = (performance.now() - t0) / N;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / N;
  console.log(`${label.padEnd(48)} ${(wall * 1000).toFixed(0).padStart(6)} µs wall  ${cpuUs.toFixed(0).padStart(6)} µs CPU per call`);
  return cpuUs;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prisma-'));
  const file = path.join(dir, 'db.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const migrations = path.join(ROOT, 'prisma/sqlite/migrations');
  for (const m of fs.readdirSync(migrations).filter((d) => fs.statSync(path.join(migrations, d)).isDirectory()).sort()) {
    db.exec(fs.readFileSync(path.join(migrations, m, 'migration.sql'), 'utf8'));
  }
  const key = { tenantId: 'public', merchantId: 'm', connector: 'stripe', connectorAccount: 'acct', merchantCustomerId: 'c-0' };
  const now = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO customer_mappings (id, tenant_id, merchant_id, merchant_customer_id, connector, connector_account, status, idempotency_key, test_mode, attempts, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, 1, 1, ?, ?)`,
  );
  insert.run(randomUUID(), key.tenantId, key.merchantId, key.merchantCustomerId, key.connector, key.connectorAccount, randomUUID(), now, now);

  const { PrismaClient } = require(path.join(ROOT, 'dist/libs/database/src/generated/sqlite/client'));
  const prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
  await prisma.$connect();
  const mappings = prisma.customerMapping;
  const where = { tenantId_merchantId_connector_connectorAccount_merchantCustomerId: key };

  const select = db.prepare('SELECT * FROM customer_mappings WHERE tenant_id = ? AND merchant_id = ? AND connector = ? AND connector_account = ? AND merchant_customer_id = ?');
  const activate = db.prepare("UPDATE customer_mappings SET status = 'active', connector_customer_id = ?, lease_token = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'pending' AND lease_token = ?");

  console.log(`${N} sequential calls each, one process (${os.cpus()[0].model}, Node ${process.version})`);
  const a = await measure('Prisma findUnique (replay lookup)', () => mappings.findUnique({ where }));
  const b = await measure('prepared SELECT (same row)', () => select.get(key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId));
  const c = await measure('Prisma create (reserve)', (i) =>
    mappings.create({ data: { ...key, merchantCustomerId: `p-${i}-${randomUUID()}`, id: randomUUID(), status: 'pending', idempotencyKey: randomUUID(), testMode: true, leaseToken: 't', leaseExpiresAt: new Date(), attempts: 1 } }),
  );
  const d = await measure('prepared INSERT (reserve)', (i) => insert.run(randomUUID(), key.tenantId, key.merchantId, `r-${i}-${randomUUID()}`, key.connector, key.connectorAccount, randomUUID(), now, now));
  const e = await measure('Prisma updateMany (activate, no match)', () =>
    mappings.updateMany({ where: { id: 'none', status: 'pending', leaseToken: 't' }, data: { status: 'active', connectorCustomerId: 'cus_x', leaseToken: null, leaseExpiresAt: null } }),
  );
  const f = await measure('prepared UPDATE (activate, no match)', () => activate.run('cus_x', now, 'none', 't'));
  console.log(`Prisma ÷ prepared statement, CPU: lookup ${(a / b).toFixed(0)}×, insert ${(c / d).toFixed(0)}×, update ${(e / f).toFixed(0)}×`);
  await prisma.$disconnect();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
