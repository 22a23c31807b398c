'use strict';
// The same customer hammered: `n` concurrent Creates of one merchant_customer_id, spread over the
// given instances, all sent at once on pre-opened keep-alive connections. Exactly one must reach
// the processor; the others wait — on the leader's promise in its own process, or by polling the
// pending row from another process.
const { Pool } = require('undici');
const { createHeaders, restBody } = require('./workload');
const { latencySummary } = require('./util');

async function hammer({ instances, n, fake, delayMs = 0, id }) {
  const pools = instances.map((instance) => new Pool(instance.origin, { connections: n, pipelining: 1 }));
  // Open every connection first, so the burst measures waiting, not TCP handshakes.
  await Promise.all(pools.flatMap((pool) => Array.from({ length: Math.ceil(n / pools.length) }, () => pool.request({ method: 'GET', path: '/health' }).then((r) => r.body.dump()))));
  const headers = createHeaders(fake.origin, delayMs ? `/d${delayMs}` : '');
  const body = restBody(id);
  const callsBefore = await fake.stats();
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, (_, k) => {
      const pool = pools[k % pools.length];
      const t0 = performance.now();
      return pool.request({ method: 'POST', path: '/v1/customers', headers, body }).then(
        async (response) => {
          const text = await response.body.text();
          return { status: response.statusCode, dt: performance.now() - t0, instance: k % pools.length, customer: response.statusCode < 300 ? JSON.parse(text).connector_customer_id : undefined, text };
        },
        (error) => ({ status: 0, dt: performance.now() - t0, instance: k % pools.length, text: error.message }),
      );
    }),
  );
  const wallMs = performance.now() - started;
  const processorCalls = (await fake.stats()) - callsBefore;
  await Promise.all(pools.map((pool) => pool.close()));
  const ok = results.filter((r) => r.status === 200 || r.status === 201);
  const customers = new Set(ok.map((r) => r.customer));
  const byInstance = instances.map((_, k) => latencySummary(results.filter((r) => r.instance === k && r.status > 0 && r.status < 300).map((r) => r.dt)));
  return {
    n,
    instances: instances.length,
    delayMs,
    processorCalls,
    created: results.filter((r) => r.status === 201).length,
    replayed: results.filter((r) => r.status === 200).length,
    failed: results.filter((r) => r.status >= 300 || r.status === 0).length,
    firstFailure: results.find((r) => r.status >= 300 || r.status === 0)?.text?.slice(0, 200),
    distinctCustomers: customers.size,
    wallMs,
    ...latencySummary(ok.map((r) => r.dt)),
    byInstance,
  };
}

module.exports = { hammer };
