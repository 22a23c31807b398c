'use strict';
// CPU per request spent in the validation pipe on the bench's Create body (REST JSON and a decoded
// gRPC message): `node bench/micro/validation.js <dist> [<dist> …]` (each a built dist/ copy).
require('reflect-metadata');
const path = require('node:path');
const W = require('../lib/workload');
const N = Number(process.env.N ?? 50_000);

async function measure(dir, kind) {
  const { RequestValidationPipe } = require(path.resolve(dir, 'libs/common/src/validation/validation.js'));
  const { CreateCustomerRequestDto } = require(path.resolve(dir, 'libs/customer/src/dto/create-customer-request.dto.js'));
  const pipe = new RequestValidationPipe();
  const metadata = kind === 'rest' ? { type: 'body', metatype: CreateCustomerRequestDto } : { type: 3, metatype: CreateCustomerRequestDto };
  const body = (i) => (kind === 'rest' ? JSON.parse(W.restBody(`c-${i}`)) : W.grpcMessage(`c-${i}`));
  for (let i = 0; i < 5000; i += 1) await pipe.transform(body(i), metadata);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i += 1) await pipe.transform(body(i), metadata);
  const cpu = process.cpuUsage(cpu0);
  return ((cpu.user + cpu.system) / N).toFixed(1);
}

(async () => {
  for (const dir of process.argv.slice(2)) for (const kind of ['rest', 'grpc']) for (let r = 0; r < 3; r += 1) console.log(`${dir} ${kind}: ${await measure(dir, kind)} µs CPU per request (body parsing/building included)`);
})();
