'use strict';
// The best a Node process can do for this job: node:http (and a raw grpc-js server) that forwards
// each Create to the processor with undici (keep-alive pool) and inserts the mapping row — same
// table, same indexes as the service — with better-sqlite3 (WAL, synchronous=NORMAL) or pg.
// No framework, no validation, no lookup first. `POST /v1/replay` is the bare replay: one
// indexed SELECT of the mapping, no processor call.
//   env: DATABASE_URL (file:… | postgresql://…), FAKE_ORIGIN, HTTP_PORT, GRPC_PORT
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { Agent, request } = require('undici');
const { loadProtos, grpc } = require('./proto');
const { ROOT } = require('./util');

const databaseUrl = process.env.DATABASE_URL;
const fakeUrl = `${process.env.FAKE_ORIGIN}/stripe/v1/customers`;
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
const ACCOUNT = 'bare0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab';
const isSqlite = databaseUrl.startsWith('file:');

function migrationSql(provider) {
  const dir = path.join(ROOT, 'prisma', provider, 'migrations');
  return fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory()).sort()
    .map((d) => fs.readFileSync(path.join(dir, d, 'migration.sql'), 'utf8')).join('\n');
}

const INSERT_COLUMNS = '(id, tenant_id, merchant_id, merchant_customer_id, connector, connector_account, connector_customer_id, status, idempotency_key, test_mode, attempts, created_at, updated_at)';
const SELECT_SQL = 'SELECT connector_customer_id FROM customer_mappings WHERE tenant_id = $1 AND merchant_id = $2 AND connector = $3 AND connector_account = $4 AND merchant_customer_id = $5';

let insertRow;
let findRow;
let ready;
if (isSqlite) {
  const Database = require('better-sqlite3');
  const db = new Database(databaseUrl.slice('file:'.length));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(migrationSql('sqlite'));
  const insert = db.prepare(`INSERT INTO customer_mappings ${INSERT_COLUMNS} VALUES (?, 'public', ?, ?, 'stripe', ?, ?, 'active', ?, 1, 1, ?, ?)`);
  const select = db.prepare(SELECT_SQL.replace(/\$\d/g, '?'));
  insertRow = async (merchantId, merchantCustomerId, connectorCustomerId) => {
    const now = Date.now();
    insert.run(randomUUID(), merchantId, merchantCustomerId, ACCOUNT, connectorCustomerId, randomUUID(), now, now);
  };
  findRow = async (merchantId, merchantCustomerId) => select.get('public', merchantId, 'stripe', ACCOUNT, merchantCustomerId)?.connector_customer_id;
  ready = Promise.resolve();
} else {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  ready = pool.query(migrationSql('postgres'));
  const text = `INSERT INTO customer_mappings ${INSERT_COLUMNS} VALUES ($1, 'public', $2, $3, 'stripe', $4, $5, 'active', $6, true, 1, now(), now())`;
  insertRow = async (merchantId, merchantCustomerId, connectorCustomerId) => {
    await pool.query({ name: 'insert_mapping', text, values: [randomUUID(), merchantId, merchantCustomerId, ACCOUNT, connectorCustomerId, randomUUID()] });
  };
  findRow = async (merchantId, merchantCustomerId) =>
    (await pool.query({ name: 'find_mapping', text: SELECT_SQL, values: ['public', merchantId, 'stripe', ACCOUNT, merchantCustomerId] })).rows[0]?.connector_customer_id;
}

const form = (value) => encodeURIComponent(value);

/** Forward to the processor, store the mapping. */
async function create(merchantId, merchantCustomerId, name, email) {
  const body = `name=${form(name ?? '')}&email=${form(email ?? '')}&metadata%5Bmerchant_customer_id%5D=${form(merchantCustomerId)}`;
  const response = await request(fakeUrl, {
    method: 'POST',
    dispatcher: agent,
    headers: { authorization: 'Bearer sk_test_bench123', 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': randomUUID() },
    body,
  });
  const customer = await response.body.json();
  await insertRow(merchantId, merchantCustomerId, customer.id);
  return customer.id;
}

function reply(res, status, payload) {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const merchantId = req.headers['x-merchant-id'] ?? 'DefaultMerchantId';
      if (req.url === '/health') return reply(res, 200, { status: 'healthy' });
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (req.url === '/v1/customers') {
        const id = await create(merchantId, input.merchant_customer_id, input.customer_name, input.email);
        return reply(res, 201, { merchant_customer_id: input.merchant_customer_id, connector_customer_id: id, status_code: 200 });
      }
      if (req.url === '/v1/replay') {
        const id = await findRow(merchantId, input.merchant_customer_id);
        return id ? reply(res, 200, { merchant_customer_id: input.merchant_customer_id, connector_customer_id: id, status_code: 200 }) : reply(res, 404, {});
      }
      reply(res, 404, {});
    } catch (error) {
      reply(res, 500, { error: String(error && error.message) });
    }
  });
});
server.keepAliveTimeout = 65_000;

const grpcServer = new grpc.Server();
const root = loadProtos();
grpcServer.addService(root.types.CustomerService.service, {
  Create(call, callback) {
    const input = call.request;
    const merchantId = call.metadata.get('x-merchant-id')[0] ?? 'DefaultMerchantId';
    create(merchantId, input.merchant_customer_id, input.customer_name, input.email?.value).then(
      (id) => callback(null, { merchant_customer_id: input.merchant_customer_id, connector_customer_id: id, status_code: 200 }),
      (error) => callback({ code: grpc.status.INTERNAL, message: String(error && error.message) }),
    );
  },
});

ready.then(() => {
  grpcServer.bindAsync(`127.0.0.1:${process.env.GRPC_PORT}`, grpc.ServerCredentials.createInsecure(), (error) => {
    if (error) throw error;
    server.listen(Number(process.env.HTTP_PORT), '127.0.0.1', () => process.stdout.write('{"ready":true}\n'));
  });
});
process.on('SIGTERM', () => process.exit(0));
