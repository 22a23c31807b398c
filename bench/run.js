'use strict';
// `npm run bench`: the service against the physical limit, in one run on one machine.
// See bench/README.md for what is measured and how; results go to bench/results.md.
//   BENCH_QUICK=1           one short round, c=16 only, 100k seeded rows (a smoke run, ~2 min)
//   BENCH_DATABASES=sqlite  only some databases (sqlite,postgres)
//   BENCH_ROWS=1000000      mappings seeded for the admin lookup
//   BENCH_PROFILE=1         also run bench/profile.js afterwards (CPU profiles and bench/profiles/summary.md)
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, RAW, log, median, memoryOf, machinePressure } = require('./lib/util');
const P = require('./lib/processes');
const L = require('./lib/load');
const W = require('./lib/workload');
const { measureSet } = require('./lib/measure');
const { seed } = require('./lib/seed');
const { hammer } = require('./lib/hammer');
const { cpuShares } = require('./lib/cpu');
const { writeReport } = require('./lib/report');
const { startOthersSampler } = require('./lib/others');

const QUICK = process.env.BENCH_QUICK === '1';
const list = (value, fallback) => (value ? value.split(',').map((v) => v.trim()).filter(Boolean) : fallback);
const CFG = {
  quick: QUICK,
  concurrencies: list(process.env.BENCH_CONCURRENCY, QUICK ? ['16'] : ['1', '16', '64']).map(Number),
  rounds: Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3)),
  roundMs: Number(process.env.BENCH_ROUND_MS ?? 1000),
  warmMs: Number(process.env.BENCH_WARM_MS ?? (QUICK ? 500 : 700)),
  rate: Number(process.env.BENCH_RATE ?? 500),
  lowRate: Number(process.env.BENCH_LOW_RATE ?? 50),
  rateMs: Number(process.env.BENCH_RATE_MS ?? 1200),
  rows: Number(process.env.BENCH_ROWS ?? (QUICK ? 100_000 : 1_000_000)),
  databases: list(process.env.BENCH_DATABASES, ['sqlite', 'postgres']),
  replaySet: QUICK ? 300 : 500,
  hammerN: 64,
  maxRoundMs: Number(process.env.BENCH_MAX_ROUND_MS ?? 4000),
  // Fan-outs run one at a time and last ~100 ms: rounds long enough for ~30 of them.
  fanOutRoundMs: Number(process.env.BENCH_FANOUT_ROUND_MS ?? 3000),
  hammerRounds: QUICK ? 1 : 3,
  slowProcessorMs: 100,
  // Load every server gets right after it starts, results discarded: V8 optimizes the service's far
  // longer code path much later than the bare passthrough's (a LOG_LEVEL=warn instance measured
  // after only the per-scenario warm-up ran its third round at twice its first).
  instanceWarmMs: Number(process.env.BENCH_INSTANCE_WARM_MS ?? (QUICK ? 1000 : 4000)),
  // The machine is shared: its load is read from the limit scenario (load → fake processor, no
  // work at all) at c=16, against what it does on a quiet machine. Below `minLimitShare` of that,
  // the run writes its figures but no goal verdicts (see bench/README.md).
  quietLimitRps: Number(process.env.BENCH_QUIET_LIMIT_RPS ?? 29500),
  minLimitShare: Number(process.env.BENCH_MIN_LIMIT_SHARE ?? 0.7),
  // …and from what the other tenants' processes took of the machine's CPU during the phase (all
  // cores; the bench's own processes excluded): above this share, no verdicts either.
  maxOthersShare: Number(process.env.BENCH_MAX_OTHERS_SHARE ?? 0.25),
};
let others;
const MAX_C = Math.max(...CFG.concurrencies);
const LOG_C = CFG.concurrencies.includes(16) ? 16 : MAX_C;
// Two instances need no more than 16 in flight each to be saturated on this 2-core machine.
const SCALE_C = Number(process.env.BENCH_SCALE_CONCURRENCY ?? Math.min(32, MAX_C));
CFG.scaleC = SCALE_C;

let runSeq = 0;
const uniqueIds = (tag) => {
  const prefix = `${tag}-${process.pid.toString(36)}-${(runSeq++).toString(36)}`;
  return (i) => `${prefix}-${i}`;
};

/** Scenario helpers: each one knows how to load one target, closed or open loop. */
function httpScenario(id, label, server, makeRequest, { ok, pids } = {}) {
  return {
    id,
    label,
    pids: pids ?? [server.pid],
    closed: (c, ms, amount) => L.httpClosed({ origin: server.origin, connections: c, durationMs: ms, amount, request: makeRequest(), ok }),
    open: (rate, ms) => L.httpOpen({ origin: server.origin, rate, durationMs: ms, request: makeRequest(), ok }),
  };
}

/** `method`/`answered`: another unary RPC of types.CustomerService than Create, and how its answer is checked. */
function grpcScenario(id, label, server, makeMessage, headers, { method, answered } = {}) {
  let client;
  const shared = () => (client ??= L.grpcClient(server.grpcAddress));
  return {
    id,
    label,
    pids: [server.pid],
    closed: (c, ms, amount) => L.grpcClosed({ client: shared(), concurrency: c, durationMs: ms, amount, message: makeMessage(), headers, method, answered }),
    open: (rate, ms) => L.grpcOpen({ client: shared(), rate, durationMs: ms, message: makeMessage(), headers }),
    close: () => client?.close(),
  };
}

const is201 = (s) => s === 201;
const is200 = (s) => s === 200;

/** Creates `ids` through a target before a replay phase (not measured). */
async function precreate(origin, ids, headers) {
  const { Pool } = require('undici');
  const pool = new Pool(origin, { connections: 16 });
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const response = await pool.request({ method: 'POST', path: '/v1/customers', headers, body: W.restBody(id) });
        await response.body.dump();
        if (response.statusCode !== 201) failed += 1;
      }
    }),
  );
  await pool.close();
  if (failed) throw new Error(`precreate: ${failed} of ${ids.length} Creates failed on ${origin}`);
}

/** Load on freshly started servers, measured by nobody: see CFG.instanceWarmMs. */
async function warmUp(scenarios) {
  await measureSet(scenarios, { mode: 'closed', param: LOG_C, rounds: 1, roundMs: CFG.instanceWarmMs, warmMs: 0 });
}

async function databasePhase(db, fake, pg) {
  const results = { db, closed: {}, replay: {}, open: {}, log: {}, admin: {}, at1M: {}, hammer: [], memory: {}, checks: {}, pressure: { start: machinePressure() } };
  const othersAtStart = others.mark();
  const tag = `${db}-${Date.now().toString(36)}`;
  const urlFor = async (name) => {
    if (db === 'sqlite') {
      const file = path.join(RAW, `${tag}-${name}.db`);
      return `file:${file}`;
    }
    return pg.createDatabase(`${name}_${tag.replace(/[^a-z0-9]/g, '')}`);
  };

  log(`[${db}] starting bare passthrough and the service (LOG_LEVEL=info and warn)`);
  const bare = await P.startBare({ name: `${db}-bare`, databaseUrl: await urlFor('bare'), fakeOrigin: fake.origin });
  const svc = await P.startService({ name: `${db}-service-info`, databaseUrl: await urlFor('svc'), fakeOrigin: fake.origin, logLevel: 'info' });
  const svcWarn = await P.startService({ name: `${db}-service-warn`, databaseUrl: await urlFor('svcwarn'), fakeOrigin: fake.origin, logLevel: 'warn' });
  results.startMs = svc.startMs;
  const gh = W.grpcHeaders(fake.origin);

  // --- Create of new customers, fixed concurrency -------------------------------------------
  const limit = httpScenario('limit', 'limit: load → fake processor', fake, () => W.fakeCreate(), { ok: is200 });
  const bareHttp = httpScenario('bare-http-create', 'bare passthrough HTTP (undici + insert)', bare, () => W.restCreate(fake.origin, uniqueIds('bh')), { ok: is201 });
  const bareGrpc = grpcScenario('bare-grpc-create', 'bare passthrough gRPC (grpc-js + undici + insert)', bare, () => { const ids = uniqueIds('bg'); return (i) => W.grpcMessage(ids(i)); }, gh);
  const svcHttp = httpScenario('svc-http-create', 'service HTTP Create (new customer)', svc, () => W.restCreate(fake.origin, uniqueIds('sh')), { ok: is201 });
  const svcGrpc = grpcScenario('svc-grpc-create', 'service gRPC Create (new customer)', svc, () => { const ids = uniqueIds('sg'); return (i) => W.grpcMessage(ids(i)); }, gh);

  // The LOG_LEVEL=warn instance gets the same load in the same rounds, so both are equally warm.
  const warnHttp = httpScenario('svc-http-create-warn', 'service HTTP Create, LOG_LEVEL=warn', svcWarn, () => W.restCreate(fake.origin, uniqueIds('wh')), { ok: is201 });
  const warnGrpc = grpcScenario('svc-grpc-create-warn', 'service gRPC Create, LOG_LEVEL=warn', svcWarn, () => { const ids = uniqueIds('wg'); return (i) => W.grpcMessage(ids(i)); }, gh);
  log(`[${db}] warming every server up: ${CFG.instanceWarmMs} ms of Creates per scenario at c=${LOG_C}, discarded`);
  await warmUp([bareHttp, bareGrpc, svcHttp, svcGrpc, warnHttp, warnGrpc]);
  const callsBeforeCreates = await fake.stats();
  for (const c of CFG.concurrencies) {
    log(`[${db}] Create, c=${c}`);
    // To save time: no bare gRPC at c=1 (latency), the LOG_LEVEL comparison at one level only.
    const scenarios = [limit, bareHttp, svcHttp, svcGrpc];
    if (c > 1 || CFG.concurrencies.length === 1) scenarios.splice(2, 0, bareGrpc);
    if (c === LOG_C) scenarios.push(warnHttp, warnGrpc);
    const set = await measureSet(scenarios, { mode: 'closed', param: c, rounds: CFG.rounds, roundMs: CFG.roundMs, warmMs: CFG.warmMs });
    results.closed[c] = set;
  }
  results.checks.processorCallsDuringCreates = (await fake.stats()) - callsBeforeCreates;
  results.checks.successfulCreates = Object.values(results.closed).flatMap((set) => Object.values(set)).reduce((a, r) => a + r.totalOk, 0);

  // --- Replays of existing customers ----------------------------------------------------------
  log(`[${db}] replays: creating ${CFG.replaySet} customers in each target first`);
  const replayIds = Array.from({ length: CFG.replaySet }, (_, k) => `rp-${k}`);
  await precreate(svc.origin, replayIds, W.createHeaders(fake.origin));
  await precreate(bare.origin, replayIds, W.createHeaders(fake.origin));
  const replayId = (i) => replayIds[i % replayIds.length];
  const bareReplay = httpScenario('bare-http-replay', 'bare replay HTTP (one indexed SELECT)', bare, () => W.restCreate(fake.origin, replayId, '/v1/replay'), { ok: is200 });
  const svcHttpReplay = httpScenario('svc-http-replay', 'service HTTP Create (replay)', svc, () => W.restCreate(fake.origin, replayId), { ok: is200 });
  const svcGrpcReplay = grpcScenario('svc-grpc-replay', 'service gRPC Create (replay)', svc, () => (i) => W.grpcMessage(replayId(i)), gh);
  const callsBeforeReplays = await fake.stats();
  for (const c of CFG.concurrencies) {
    log(`[${db}] replay, c=${c}`);
    results.replay[c] = await measureSet([bareReplay, svcHttpReplay, svcGrpcReplay], { mode: 'closed', param: c, rounds: CFG.rounds, roundMs: CFG.roundMs, warmMs: CFG.warmMs });
  }
  results.checks.processorCallsDuringReplays = (await fake.stats()) - callsBeforeReplays;

  // --- Get and Update at one processor, beside Create (issue #15: ≤ 1.2× Create's CPU) ---------
  // On the replay set's customers: each Get reads the customer at the processor, each Update sends
  // an email no earlier request sent (an unchanged profile is not sent, and would measure nothing).
  log(`[${db}] Get and Update beside Create, c=${LOG_C}`);
  const emailsOf = (tag) => { const ids = uniqueIds(tag); return (i) => `${ids(i)}@example.com`; };
  const lifecycleOpts = { method: 'Get', answered: W.customerAnswered };
  const svcHttpGet = httpScenario('svc-http-get', 'service HTTP Get (by merchant id)', svc, () => W.restGet(fake.origin, replayId), { ok: is200 });
  const svcHttpUpdate = httpScenario('svc-http-update', 'service HTTP Update (new email)', svc, () => W.restUpdate(fake.origin, replayId, emailsOf('uh')), { ok: is200 });
  const svcGrpcGet = grpcScenario('svc-grpc-get', 'service gRPC Get (by merchant id)', svc, () => (i) => W.grpcGetMessage(replayId(i)), gh, lifecycleOpts);
  const svcGrpcUpdate = grpcScenario('svc-grpc-update', 'service gRPC Update (new email)', svc, () => { const emails = emailsOf('ug'); return (i) => W.grpcUpdateMessage(replayId(i), emails(i)); }, gh, { ...lifecycleOpts, method: 'Update' });
  const lifecycleCallsBefore = await fake.lifecycleStats();
  results.lifecycle = await measureSet([svcHttp, svcHttpGet, svcHttpUpdate, svcGrpc, svcGrpcGet, svcGrpcUpdate], { mode: 'closed', param: LOG_C, rounds: CFG.rounds, roundMs: CFG.roundMs, warmMs: CFG.warmMs });
  const answered = ['svc-http-get', 'svc-http-update', 'svc-grpc-get', 'svc-grpc-update'].reduce((a, id) => a + results.lifecycle[id].totalOk, 0);
  results.checks.lifecycle = { processorCalls: (await fake.lifecycleStats()) - lifecycleCallsBefore, answered };
  for (const s of [svcGrpcGet, svcGrpcUpdate]) s.close();

  results.fanOut = await fanOutPhase(db, fake, await urlFor('fanout'));

  results.memory.serviceBeforeFixedRate = svc.memory();
  // --- Fixed rate -----------------------------------------------------------------------------
  log(`[${db}] fixed rate ${CFG.rate} req/s`);
  // Every server is warm by now (the closed-loop runs): no warm-up.
  results.open = await measureSet([limit, bareHttp, bareGrpc, svcHttp, svcGrpc, svcHttpReplay, svcGrpcReplay], {
    mode: 'open',
    param: CFG.rate,
    rounds: CFG.rounds,
    roundMs: CFG.rateMs,
    warmMs: 0,
  });

  log(`[${db}] fixed rate ${CFG.lowRate} req/s`);
  results.openLow = await measureSet([limit, bareHttp, svcHttp, svcGrpc], {
    mode: 'open',
    param: CFG.lowRate,
    rounds: CFG.rounds,
    roundMs: CFG.rateMs,
    warmMs: 0,
  });

  // --- Same customer hammered (one instance) --------------------------------------------------
  for (const delayMs of [0, CFG.slowProcessorMs]) {
    const rounds = [];
    for (let r = 0; r < CFG.hammerRounds; r += 1) rounds.push(await hammer({ instances: [svc], n: CFG.hammerN, fake, delayMs, id: `hm-${tag}-${delayMs}-${r}` }));
    results.hammer.push(summarizeHammer(rounds));
  }

  results.memory.bare = memoryOf(bare.pid);
  results.memory.service = svc.memory();
  results.memory.serviceWarn = svcWarn.memory();
  for (const s of [bareGrpc, svcGrpc, svcGrpcReplay, warnGrpc]) s.close();
  await Promise.all([P.stop(bare), P.stop(svcWarn)]);

  // --- Admin lookup at N rows (own database: seeded while no process has it open) --------------
  log(`[${db}] admin lookup: seeding ${CFG.rows.toLocaleString('en')} mappings`);
  const adminUrl = await urlFor('admin');
  await P.stop(await P.startService({ name: `${db}-service-migrate`, databaseUrl: adminUrl, fakeOrigin: fake.origin, logLevel: 'warn' }));
  results.seedMs = await seed(adminUrl, CFG.rows);
  log(`[${db}] seeded in ${(results.seedMs / 1000).toFixed(1)} s`);
  const svcAdmin = await P.startService({ name: `${db}-service-admin`, databaseUrl: adminUrl, fakeOrigin: fake.origin, logLevel: 'info' });
  const sanity = await (await fetch(`${svcAdmin.origin}${W.adminQuery('merchant_customer_id', CFG.rows)().path}`, { headers: W.adminQuery('merchant_customer_id', CFG.rows)().headers })).json();
  results.checks.adminLookupReturnsOne = sanity.mappings?.length === 1;
  const admin = (kind) => httpScenario(`admin:${kind}`, `admin lookup by ${kind}`, svcAdmin, () => W.adminQuery(kind, CFG.rows), { ok: is200 });
  const svcAdminCreate = httpScenario('svc-http-create-1M', `service HTTP Create, ${CFG.rows.toLocaleString('en')} rows in the table`, svcAdmin, () => W.restCreate(fake.origin, uniqueIds('sm')), { ok: is201 });
  await warmUp([admin('merchant_customer_id'), admin('newest page'), svcAdminCreate]);
  const adminC = [...new Set([1, Math.min(16, MAX_C)])];
  for (const c of adminC) {
    const kinds = c === 1
      ? ['merchant_customer_id', 'merchant_id+merchant_customer_id', 'connector_customer_id', 'newest page', 'newest page of a connector', 'page of a merchant and connector', 'page deep in the table (cursor)']
      : ['merchant_id+merchant_customer_id'];
    results.admin[c] = await measureSet(kinds.map(admin), { mode: 'closed', param: c, rounds: CFG.rounds, roundMs: CFG.roundMs, warmMs: CFG.warmMs });
  }
  log(`[${db}] Create with ${CFG.rows.toLocaleString('en')} rows in the table, c=${LOG_C}`);
  // Side by side with the first instance, whose table holds only the bench's own rows.
  results.at1M = await measureSet([svcHttp, svcAdminCreate], {
    mode: 'closed',
    param: LOG_C,
    rounds: CFG.rounds,
    roundMs: CFG.roundMs,
    warmMs: CFG.warmMs,
  });
  results.memory.serviceAdmin = svcAdmin.memory();
  results.memory.service = svc.memory();
  await Promise.all([P.stop(svc), P.stop(svcAdmin)]);
  results.pressure.end = machinePressure();
  const limitRun = results.closed[LOG_C]?.limit;
  results.pressure.limitRps = limitRun?.rps;
  results.pressure.limitShare = limitRun ? limitRun.rps / CFG.quietLimitRps : NaN;
  Object.assign(results.pressure, others.between(othersAtStart, others.mark()));
  log(`[${db}] machine: limit at c=${LOG_C} ran ${Math.round(limitRun?.rps)} req/s, ${Math.round(results.pressure.limitShare * 100)} % of its quiet-machine ${CFG.quietLimitRps}; other tenants took ${Math.round(results.pressure.othersShare * 100)} % of the machine's CPU (the bench ${Math.round(results.pressure.oursShare * 100)} %); load average ${results.pressure.end.load.map((l) => l.toFixed(1)).join(' ')}, CPU pressure ${results.pressure.end.psi60} %`);
  return results;
}

/**
 * One customer at five processor accounts at once (issue #15: under 2× the slowest account's
 * latency, the steps running concurrently). The five accounts are Stripe accounts of their own
 * (own API keys: the fake answers each key as its own account) answering after 20…100 ms; the
 * baseline is a single Create at the slowest, one request at a time, interleaved with the fan-outs.
 */
async function fanOutPhase(db, fake, databaseUrl) {
  const delays = [20, 40, 60, 80, 100];
  const accounts = Object.fromEntries(delays.map((ms) => [`stripe-${ms}ms`, { connector: 'stripe', config: { api_key: `sk_test_bench${ms}ms`, base_url: `${fake.origin}/d${ms}/stripe/` } }]));
  const file = path.join(RAW, `${db}-fanout-accounts.json`);
  fs.writeFileSync(file, JSON.stringify(accounts));
  const names = Object.keys(accounts);
  const slowest = names.at(-1);
  log(`[${db}] fan-out across ${names.length} accounts (${delays.join(', ')} ms), c=1`);
  const svc = await P.startService({ name: `${db}-service-fanout`, databaseUrl, fakeOrigin: fake.origin, logLevel: 'info', env: { CONNECTOR_ACCOUNTS_FILE: file } });
  const existing = Array.from({ length: 200 }, (_, k) => `fo-existing-${k}`);
  const { Pool } = require('undici');
  const pool = new Pool(svc.origin, { connections: 8 });
  for (let k = 0; k < existing.length; k += 8) {
    await Promise.all(existing.slice(k, k + 8).map(async (id, j) => {
      const response = await pool.request(W.restCreateProfiles(() => id, names)(k + j));
      const body = await response.body.json();
      if (response.statusCode !== 200 || body.status !== 'completed') throw new Error(`fan-out precreate of ${id}: ${response.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
    }));
  }
  await pool.close();
  const completed = (status) => status === 200;
  const single = httpScenario('fanout-baseline', `single Create at the slowest account (${delays.at(-1)} ms)`, svc, () => {
    const next = uniqueIds('fb');
    const headers = W.namedAccountHeaders(slowest);
    return (i) => ({ method: 'POST', path: '/v1/customers', headers, body: W.restBody(next(i)) });
  }, { ok: is201 });
  const create = httpScenario('fanout-create', `create at ${names.length} accounts (POST …/profiles)`, svc, () => W.restCreateProfiles(uniqueIds('fo'), names), { ok: completed });
  const update = httpScenario('fanout-update', `update at ${names.length} accounts (PATCH …/profiles, new email)`, svc, () => {
    const emails = uniqueIds('fu');
    return W.restUpdateProfiles((i) => existing[i % existing.length], (i) => `${emails(i)}@example.com`);
  }, { ok: completed });
  const [createsBefore, updatesBefore] = [await fake.stats(), await fake.lifecycleStats()];
  const rounds = await measureSet([single, create, update], { mode: 'closed', param: 1, rounds: CFG.rounds, roundMs: CFG.fanOutRoundMs, warmMs: CFG.warmMs });
  // Every answered fan-out is 200 only once each of its steps has settled: 5 processor calls each.
  const checks = {
    processorCreates: (await fake.stats()) - createsBefore,
    processorUpdates: (await fake.lifecycleStats()) - updatesBefore,
    answeredCreates: rounds['fanout-baseline'].totalOk + names.length * rounds['fanout-create'].totalOk,
    answeredUpdates: names.length * rounds['fanout-update'].totalOk,
  };
  await P.stop(svc);
  return { accounts: names.length, delays, rounds, checks };
}

function summarizeHammer(rounds) {
  const pick = (key) => median(rounds.map((r) => r[key]));
  return {
    instances: rounds[0].instances,
    delayMs: rounds[0].delayMs,
    n: rounds[0].n,
    rounds: rounds.length,
    processorCalls: rounds.map((r) => r.processorCalls),
    created: rounds.map((r) => r.created),
    failed: rounds.map((r) => r.failed),
    firstFailure: rounds.find((r) => r.firstFailure)?.firstFailure,
    distinctCustomers: rounds.map((r) => r.distinctCustomers),
    wallMs: pick('wallMs'),
    p50: pick('p50'),
    p99: pick('p99'),
    max: pick('max'),
    byInstance: rounds[0].byInstance.map((_, k) => ({ p50: median(rounds.map((r) => r.byInstance[k].p50)), max: median(rounds.map((r) => r.byInstance[k].max)) })),
  };
}

/** Item 4: one and two instances on one PostgreSQL database. */
async function scalingPhase(fake, pg) {
  const results = { closed: {}, replay: {}, hammer: [], shares: {}, memory: {} };
  const othersAtStart = others.mark();
  const url = await pg.createDatabase(`scale_${Date.now().toString(36)}`);
  const a = await P.startService({ name: 'postgres-scale-a', databaseUrl: url, fakeOrigin: fake.origin, logLevel: 'info' });
  const b = await P.startService({ name: 'postgres-scale-b', databaseUrl: url, fakeOrigin: fake.origin, logLevel: 'info' });
  const pgPids = () => pg.pids();
  const half = Math.max(1, SCALE_C / 2);

  const combined = (id, label, makeRequest, ok) => ({
    id,
    label,
    pids: [a.pid, b.pid],
    closed: async (_c, ms, amount) => {
      const [ra, rb] = await Promise.all([a, b].map((s) => L.httpClosed({ origin: s.origin, connections: half, durationMs: ms, amount: amount && Math.ceil(amount / 2), request: makeRequest(), ok })));
      return mergeResults(ra, rb);
    },
  });
  const one = (id, label, makeRequest, ok) => ({ ...httpScenario(id, label, a, makeRequest, { ok }) });

  log(`[scaling] Create, c=${SCALE_C}: 1 instance vs 2 instances (${half} each)`);
  const oneCreate = one('scale-1-create', '1 instance, Create', () => W.restCreate(fake.origin, uniqueIds('s1')), is201);
  const twoCreate = combined('scale-2-create', '2 instances, Create', () => W.restCreate(fake.origin, uniqueIds('s2')), is201);
  await warmUp([twoCreate]);
  results.closed = await measureSet([oneCreate, twoCreate], { mode: 'closed', param: SCALE_C, rounds: CFG.rounds, roundMs: CFG.roundMs, warmMs: CFG.warmMs });
  const shareMs = Math.max(CFG.roundMs, 3000);
  results.shares.create1 = await cpuShares({ a, b, fake, pgPids }, () => oneCreate.closed(SCALE_C, shareMs));
  results.shares.create2 = await cpuShares({ a, b, fake, pgPids }, () => twoCreate.closed(SCALE_C, shareMs));

  log(`[scaling] replay, c=${SCALE_C}: 1 instance vs 2 instances`);
  const replayIds = Array.from({ length: CFG.replaySet }, (_, k) => `srp-${k}`);
  await precreate(a.origin, replayIds, W.createHeaders(fake.origin));
  const replayId = (i) => replayIds[i % replayIds.length];
  const oneReplay = one('scale-1-replay', '1 instance, replay', () => W.restCreate(fake.origin, replayId), is200);
  const twoReplay = combined('scale-2-replay', '2 instances, replay', () => W.restCreate(fake.origin, replayId), is200);
  results.replay = await measureSet([oneReplay, twoReplay], { mode: 'closed', param: SCALE_C, rounds: CFG.rounds, roundMs: CFG.roundMs, warmMs: CFG.warmMs });
  results.shares.replay1 = await cpuShares({ a, b, fake, pgPids }, () => oneReplay.closed(SCALE_C, shareMs));
  results.shares.replay2 = await cpuShares({ a, b, fake, pgPids }, () => twoReplay.closed(SCALE_C, shareMs));

  log('[scaling] same customer hammered');
  for (const instances of [[a], [a, b]]) {
    for (const delayMs of [0, CFG.slowProcessorMs]) {
      const rounds = [];
      for (let r = 0; r < CFG.hammerRounds; r += 1) rounds.push(await hammer({ instances, n: CFG.hammerN, fake, delayMs, id: `shm-${instances.length}-${delayMs}-${r}-${Date.now().toString(36)}` }));
      results.hammer.push(summarizeHammer(rounds));
    }
  }
  results.memory.a = a.memory();
  results.memory.b = b.memory();
  await Promise.all([P.stop(a), P.stop(b)]);
  results.pressure = others.between(othersAtStart, others.mark());
  log(`[scaling] machine: other tenants took ${Math.round(results.pressure.othersShare * 100)} % of the machine's CPU (the bench ${Math.round(results.pressure.oursShare * 100)} %)`);
  return results;
}

function mergeResults(x, y) {
  // Both halves ran over the same window: throughputs add; latencies of the combined sample are
  // approximated by the worse half (the samples themselves are not kept across processes).
  return {
    count: x.count + y.count,
    errors: x.errors + y.errors,
    rps: x.rps + y.rps,
    p50: Math.max(x.p50, y.p50),
    p99: Math.max(x.p99, y.p99),
    max: Math.max(x.max, y.max),
    firstError: x.firstError ?? y.firstError,
  };
}

function machine() {
  const cpus = os.cpus();
  let commit = 'unknown';
  let dirty = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs', 'prisma', 'proto'], { cwd: ROOT, encoding: 'utf8' }).trim() ? ' + uncommitted changes in apps/libs' : '';
  } catch {}
  return { cpus: cpus.length, model: cpus[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, serviceNodeFlags: P.SERVICE_NODE_FLAGS.join(' '), commit: commit + dirty, pressureStart: machinePressure() };
}

async function main() {
  const started = Date.now();
  fs.rmSync(RAW, { recursive: true, force: true });
  fs.mkdirSync(RAW, { recursive: true });
  P.snapshotDist();
  log(`config: ${JSON.stringify(CFG)}`);
  const env = machine();
  const fake = await P.startFake();
  let pg;
  const results = { cfg: CFG, env, databases: {}, scaling: undefined, startedAt: new Date(started).toISOString() };
  try {
    if (CFG.databases.includes('postgres')) {
      pg = await P.startPostgres();
      log(`PostgreSQL at ${pg.adminUrl}`);
    }
    others = startOthersSampler({ extraRoots: () => (pg ? pg.pids().slice(0, 1) : []) });
    for (const db of CFG.databases) results.databases[db] = await databasePhase(db, fake, pg);
    if (pg) results.scaling = await scalingPhase(fake, pg);
  } finally {
    others?.stop();
    await P.stop(fake);
    pg?.stop();
    P.stopAllSync();
  }
  results.durationS = (Date.now() - started) / 1000;
  results.env.pressureEnd = machinePressure();
  fs.writeFileSync(path.join(RAW, 'results.json'), JSON.stringify(results, null, 2));
  const file = writeReport(results);
  log(`done in ${results.durationS.toFixed(0)} s → ${path.relative(ROOT, file)}`);
  if (process.env.BENCH_PROFILE === '1') require('./profile').main({ reuseSnapshot: true }).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

process.on('SIGINT', () => {
  P.stopAllSync();
  process.exit(130);
});

main().catch((error) => {
  console.error(error);
  P.stopAllSync();
  process.exit(1);
});
