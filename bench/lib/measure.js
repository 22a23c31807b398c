'use strict';
// Rounds, interleaving and CPU accounting. Each scenario is measured in the same time window as
// the ones it is compared with: warm-up of each, then round 1 of every scenario, round 2 of every
// scenario, … The reported figure is the median round (by throughput; by p99 at a fixed rate).
const { median, cpuMsOf, log } = require('./util');

function medianRound(rounds, key) {
  const sorted = [...rounds].sort((a, b) => a[key] - b[key]);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * scenarios: [{ id, label, pids: [..], closed(c, ms), open(rate, ms) }]
 * mode: 'closed' (param = concurrency) or 'open' (param = req/s)
 */
async function measureSet(scenarios, { mode, param, rounds, roundMs, warmMs, maxRoundMs = Number(process.env.BENCH_MAX_ROUND_MS ?? 4000) }) {
  const all = new Map(scenarios.map((s) => [s.id, []]));
  const totalOk = new Map(scenarios.map((s) => [s.id, 0]));
  const roundMsOf = new Map(scenarios.map((s) => [s.id, roundMs]));
  const run = async (scenario, ms, amount) => {
    const cpu0 = scenario.pids.map(cpuMsOf);
    const result = mode === 'closed' ? await scenario.closed(param, ms, amount) : await scenario.open(param, ms);
    const cpuMs = scenario.pids.map((pid, k) => cpuMsOf(pid) - cpu0[k]).reduce((a, b) => a + b, 0);
    totalOk.set(scenario.id, totalOk.get(scenario.id) + result.count);
    return { ...result, cpuUsPerReq: result.count ? (cpuMs * 1000) / result.count : NaN };
  };
  // Warm-up: at least warmMs and, in a closed loop, 3 answers per connection. A round then lasts
  // ≥ 5 × the warm-up's p50 (up to maxRoundMs): with c requests in flight a slow server needs
  // c × its service time to answer anything, and a round shorter than that measures nothing.
  for (const scenario of scenarios) {
    if (warmMs <= 0) continue;
    let warm = await run(scenario, warmMs);
    if (mode === 'closed' && warm.count < 3 * param) warm = await run(scenario, undefined, 3 * param);
    if (mode === 'closed' && Number.isFinite(warm.p50)) roundMsOf.set(scenario.id, Math.min(maxRoundMs, Math.max(roundMs, Math.ceil(5 * warm.p50))));
  }
  for (let r = 0; r < rounds; r += 1) {
    // Each round starts one scenario later, so no scenario always follows the same neighbour.
    for (const scenario of scenarios.map((_, k) => scenarios[(k + r) % scenarios.length])) {
      const result = await run(scenario, roundMsOf.get(scenario.id));
      all.get(scenario.id).push(result);
      if (result.errors) log(`  ${scenario.id} ${mode} ${param}: ${result.errors} errors, first: ${result.firstError}`);
    }
  }
  const out = {};
  for (const scenario of scenarios) {
    const rs = all.get(scenario.id);
    const chosen = medianRound(rs, mode === 'closed' ? 'rps' : 'p99');
    out[scenario.id] = {
      id: scenario.id,
      label: scenario.label,
      mode,
      param,
      rps: chosen.rps,
      p50: chosen.p50,
      p99: chosen.p99,
      max: chosen.max,
      cpuUsPerReq: median(rs.map((x) => x.cpuUsPerReq)),
      errors: rs.reduce((a, x) => a + x.errors, 0),
      skipped: rs.reduce((a, x) => a + (x.skipped ?? 0), 0),
      firstError: rs.find((x) => x.firstError)?.firstError,
      requests: rs.reduce((a, x) => a + x.count, 0),
      totalOk: totalOk.get(scenario.id),
      roundsRps: rs.map((x) => Math.round(x.rps)),
      roundMs: roundMsOf.get(scenario.id),
    };
    const o = out[scenario.id];
    log(`  ${scenario.id.padEnd(24)} ${mode === 'closed' ? 'c' : 'rate'}=${param}: ${o.rps.toFixed(0)} req/s (rounds ${o.roundsRps.join(' ')}) p50 ${o.p50.toFixed(2)} p99 ${o.p99.toFixed(2)} ms, cpu ${o.cpuUsPerReq.toFixed(0)} µs/req${o.errors ? `, ${o.errors} errors` : ''}`);
  }
  return out;
}

module.exports = { measureSet };
