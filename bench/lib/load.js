'use strict';
// Load drivers, run in the bench process (never in the process under test).
// Closed loop (fixed concurrency): autocannon for HTTP, N in-flight unary calls on one grpc-js
// channel for gRPC. Open loop (fixed rate, evenly paced — autocannon's overallRate sends each
// second's quota as a burst, which measures its own queueing): undici / grpc-js.
// Latencies are kept as float milliseconds (autocannon's own histogram rounds to whole ms).
const autocannon = require('autocannon');
const { Pool } = require('undici');
const { loadProtos, grpc } = require('./proto');
const { latencySummary } = require('./util');

/** What one run of a driver saw: successes with their latencies, failures with the first one's reason. */
class Tally {
  samples = [];
  statuses = {};
  count = 0;
  errors = 0;
  firstError = undefined;

  status(code) {
    this.statuses[code] = (this.statuses[code] ?? 0) + 1;
  }

  success(latencyMs) {
    this.count += 1;
    this.samples.push(latencyMs);
  }

  failure(reason) {
    this.errors += 1;
    this.firstError ??= reason;
  }

  summary(elapsedMs, skipped = 0) {
    const { count, errors, statuses, firstError } = this;
    return { count, errors, skipped, rps: (count / elapsedMs) * 1000, ...latencySummary(this.samples), statuses, firstError };
  }
}

/**
 * HTTP, fixed concurrency, autocannon. `request(i)` → { method, path, headers?, body? } for the
 * i-th request of this run; `ok(status)` says which answers count as successes.
 */
function httpClosed({ origin, connections, durationMs, amount, request, ok = (s) => s >= 200 && s < 300, headers = {} }) {
  return new Promise((resolve, reject) => {
    let i = 0;
    const tally = new Tally();
    const started = performance.now();
    const instance = autocannon(
      {
        url: origin,
        connections,
        pipelining: 1,
        ...(amount ? { amount } : { duration: durationMs / 1000 }),
        timeout: 30,
        headers,
        requests: [{ setupRequest: (req) => ({ ...req, ...request(i++) }) }],
        skipAggregateResult: true,
      },
      (error) => {
        if (error) return reject(error);
        resolve(tally.summary(performance.now() - started));
      },
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      tally.status(status);
      if (ok(status)) tally.success(responseTime);
      else tally.failure(`HTTP ${status}`);
    });
    instance.on('reqError', (error) => tally.failure(error.message));
  });
}

/**
 * Calls `fire(i, done)` `rate` times a second, evenly, for `durationMs`; waits for stragglers.
 * A server that falls behind by more than `maxInFlight` requests is overloaded: the requests due
 * meanwhile are skipped (counted), so an overload shows as a shortfall of the achieved rate
 * instead of a backlog that takes minutes to drain.
 */
function paced(rate, durationMs, fire, maxInFlight = 64) {
  return new Promise((resolve) => {
    const started = performance.now();
    let due = 0;
    let sent = 0;
    let finished = 0;
    let skipped = 0;
    let stopped = false;
    let endedAt;
    const finish = () => resolve({ elapsedMs: endedAt, skipped });
    const done = () => {
      finished += 1;
      if (stopped && finished === sent) finish();
    };
    const tick = () => {
      const elapsed = performance.now() - started;
      if (elapsed >= durationMs) {
        stopped = true;
        endedAt = elapsed;
        if (finished === sent) finish();
        return;
      }
      const target = Math.floor((elapsed * rate) / 1000);
      while (due < target) {
        due += 1;
        if (sent - finished >= maxInFlight) skipped += 1;
        else fire(sent++, done);
      }
      setTimeout(tick, 1);
    };
    tick();
  });
}

/** HTTP at a fixed rate (open loop) over a keep-alive undici pool. */
async function httpOpen({ origin, rate, durationMs, request, ok = (s) => s >= 200 && s < 300, headers = {} }) {
  const pool = new Pool(origin, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
  const tally = new Tally();
  const { elapsedMs, skipped } = await paced(rate, durationMs, (i, done) => {
    const r = request(i);
    const t0 = performance.now();
    pool.request({ method: r.method, path: r.path, headers: { ...headers, ...r.headers }, body: r.body }).then(
      async (response) => {
        await response.body.dump();
        const dt = performance.now() - t0;
        tally.status(response.statusCode);
        if (ok(response.statusCode)) tally.success(dt);
        else tally.failure(`HTTP ${response.statusCode}`);
        done();
      },
      (error) => {
        tally.failure(error.message);
        done();
      },
    );
  });
  await pool.close();
  return tally.summary(elapsedMs, skipped);
}

let protos;
function grpcClient(address) {
  protos ??= loadProtos();
  return new protos.types.CustomerService(address, grpc.credentials.createInsecure());
}

function metadataOf(headers) {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return metadata;
}

/** A Create answered with the customer it was asked for. */
const createAnswered = (message, response) => response.merchant_customer_id === message.merchant_customer_id && !!response.connector_customer_id;

/** One unary call (Create unless `method` names another); resolves { ok, dt, error } and never rejects. */
function unary(client, message, headers, deadlineMs = Number(process.env.BENCH_GRPC_DEADLINE_MS ?? 0), method = 'Create', answered = createAnswered) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    client[method](message, metadataOf(headers), (deadlineMs ? { deadline: Date.now() + deadlineMs } : {}), (error, response) => {
      const dt = performance.now() - t0;
      if (error) resolve({ ok: false, dt, error: `${grpc.status[error.code] ?? error.code}: ${error.details}` });
      else {
        const ok = answered(message, response);
        resolve({ ok, dt, ...(ok ? {} : { error: 'unexpected response' }) });
      }
    });
  });
}

/** gRPC, fixed concurrency: `concurrency` calls in flight on one channel. */
async function grpcClosed({ address, concurrency, durationMs, amount = Infinity, message, headers, client: shared, method, answered }) {
  const client = shared ?? grpcClient(address);
  const tally = new Tally();
  let i = 0;
  const started = performance.now();
  const endAt = started + (durationMs ?? Infinity);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < endAt && i < amount) {
        const result = await unary(client, message(i++), headers, undefined, method, answered);
        if (result.ok) tally.success(result.dt);
        else tally.failure(result.error);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  if (!shared) client.close();
  return tally.summary(elapsedMs);
}

/** gRPC at a fixed rate (open loop). */
async function grpcOpen({ address, rate, durationMs, message, headers, client: shared }) {
  const client = shared ?? grpcClient(address);
  const tally = new Tally();
  const { elapsedMs, skipped } = await paced(rate, durationMs, (i, done) => {
    unary(client, message(i), headers).then((result) => {
      if (result.ok) tally.success(result.dt);
      else tally.failure(result.error);
      done();
    });
  });
  if (!shared) client.close();
  return tally.summary(elapsedMs, skipped);
}

module.exports = { httpClosed, httpOpen, grpcClosed, grpcOpen, grpcClient, unary };
