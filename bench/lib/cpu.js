'use strict';
// Where the machine's CPU goes during one run: each process's share of the wall time
// (100 % = one core; the machine has os.cpus().length cores).
const { cpuMsOf } = require('./util');

async function cpuShares({ a, b, fake, pgPids }, run) {
  const groups = {
    'service A': () => [a.pid],
    'service B': () => (b ? [b.pid] : []),
    'fake processor': () => [fake.pid],
    PostgreSQL: pgPids ?? (() => []),
  };
  const before = {};
  for (const [name, pids] of Object.entries(groups)) before[name] = new Map(pids().map((pid) => [pid, cpuMsOf(pid)]));
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await run();
  const wallMs = performance.now() - t0;
  const self = process.cpuUsage(self0);
  const shares = {};
  for (const [name, pids] of Object.entries(groups)) {
    let ms = 0;
    for (const pid of pids()) {
      const now = cpuMsOf(pid);
      if (Number.isFinite(now)) ms += now - (before[name].get(pid) ?? 0);
    }
    shares[name] = (ms / wallMs) * 100;
  }
  shares['load generator'] = ((self.user + self.system) / 1000 / wallMs) * 100;
  return { rps: result.rps, shares };
}

module.exports = { cpuShares };
