'use strict';
// CPU per log line of the service's logger (scrub hook, mixin, censoring), written to a file
// synchronously (a write(2) per line) or asynchronously (sonic-boom: lines queued while a write is in
// flight): `node bench/micro/logging.js <dist>`. Three lines per request, as a Create logs at info.
require('reflect-metadata');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const pino = require('pino');
const N = Number(process.env.N ?? 30_000);

async function measure(dir, sync, minLength = 0) {
  const { createAppLogger, drainDestination } = require(path.resolve(dir, 'libs/common/src/logging/logger.js'));
  const { runWithRequestContext } = require(path.resolve(dir, 'libs/common/src/context/request-context.js'));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-log-')), 'out.log');
  const destination = pino.destination({ dest: file, sync, minLength, ...(minLength && { periodicFlush: 100 }) });
  await new Promise((resolve) => destination.once('ready', resolve));
  const logger = createAppLogger({ level: 'info', destination });
  const context = { requestId: 'req-1', transport: 'http', tenantId: 'public', merchantId: 'bench-merchant', connector: 'stripe', sensitiveValues: new Set(['sk_test_bench123', 'Ann Lee', 'ann@example.com', '+4930123456']) };
  const request = (i) =>
    runWithRequestContext(context, () => {
      logger.info({ connector: 'stripe', method: 'POST', url: 'http://127.0.0.1:1/stripe/v1/customers', status: 200, duration_ms: 1 }, 'processor call');
      logger.info({ mapping_id: `m-${i}`, connector_customer_id: `cus_${i}` }, 'customer created');
      logger.info({ request_id: 'req-1', transport: 'http', operation: 'POST /v1/customers', status: 201, outcome: 'created', duration_ms: 2, processor_ms: 1 }, 'request completed');
    });
  for (let i = 0; i < 3000; i += 1) request(i);
  const cpu0 = process.cpuUsage();
  // In batches with a turn of the event loop between them, as requests arrive.
  for (let i = 0; i < N; i += 16) {
    for (let k = 0; k < 16; k += 1) request(i + k);
    await new Promise(setImmediate);
  }
  const cpu = process.cpuUsage(cpu0);
  if (!sync) await drainDestination(destination);
  destination.end();
  return ((cpu.user + cpu.system) / N).toFixed(1);
}

(async () => {
  const variants = [['sync', true, 0], ['async', false, 0], ['async, minLength 4096', false, 4096]];
  for (const dir of process.argv.slice(2)) for (const [name, sync, minLength] of variants) for (let r = 0; r < 3; r += 1) console.log(`${dir} ${name}: ${await measure(dir, sync, minLength)} µs CPU per request (3 lines)`);
})();
