'use strict';
// CPU per processor call spent in the circuit breaker: `node bench/micro/circuit-breaker.js <dist> [<dist> …]`
// (each a built dist/ copy). The action resolves at once, so what is measured is the breaker alone.
require('reflect-metadata');
const path = require('node:path');
const N = Number(process.env.N ?? 200_000);
const answer = { status: 201, headers: {}, body: '{}' };
const action = async () => answer;

async function measure(dir) {
  const { CircuitBreakers } = require(path.resolve(dir, 'libs/connectors/src/execution/circuit-breakers.js'));
  const sut = new CircuitBreakers();
  for (let i = 0; i < 20_000; i += 1) await sut.run('stripe', 'http://127.0.0.1:1', action);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i += 1) await sut.run('stripe', 'http://127.0.0.1:1', action);
  const cpu = process.cpuUsage(cpu0);
  sut.shutdown();
  return ((cpu.user + cpu.system) / N).toFixed(2);
}

(async () => {
  for (const dir of process.argv.slice(2)) for (let r = 0; r < 3; r += 1) console.log(`${dir}: ${await measure(dir)} µs CPU per call`);
})();
