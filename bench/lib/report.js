'use strict';
// results.json → bench/results.md
const fs = require('node:fs');
const path = require('node:path');
const { BENCH } = require('./util');

const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en') : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
const signed = (x) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(2)}` : '–');
const DB_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
const mark = (ok) => (ok ? '**met**' : '**not met**');

function peak(db, id, section = 'closed') {
  let best;
  for (const [c, set] of Object.entries(db[section])) {
    const r = set[id];
    if (r && (!best || r.rps > best.rps)) best = { ...r, c: Number(c) };
  }
  return best;
}

function goals(results) {
  const rows = [];
  const dbs = Object.keys(results.databases);
  const cell = (fn) => dbs.map((name) => fn(results.databases[name])).join(' | ');
  const rowsRaw = [];
  const add = (goal, fn) => rowsRaw.push(`| ${goal} | ${cell(fn)} |`);

  const createRatio = (transport) => (db) => {
    const bare = peak(db, 'bare-http-create');
    const svc = peak(db, `svc-${transport}-create`);
    const r = svc.rps / bare.rps;
    const bareG = peak(db, 'bare-grpc-create');
    const extra = transport === 'grpc' ? `; vs bare gRPC ${ratio(svc.rps / bareG.rps)}` : '';
    return `${ratio(r)} (${f0(svc.rps)} vs ${f0(bare.rps)} req/s${extra}) ${mark(r >= 0.5)}`;
  };
  const replayRatio = (transport) => (db) => {
    const bare = peak(db, 'bare-http-create');
    const svc = peak(db, `svc-${transport}-replay`, 'replay');
    const bareReplay = peak(db, 'bare-http-replay', 'replay');
    const r = svc.rps / bare.rps;
    return `${ratio(r)} (${f0(svc.rps)} req/s; vs bare replay ${ratio(svc.rps / bareReplay.rps)}) ${mark(r >= 0.8)}`;
  };
  const added = (id) => (db) => {
    const svc = db.open[id];
    const limit = db.open.limit;
    const a = svc.p99 - limit.p99;
    const overloaded = svc.skipped > 0 || svc.rps < 0.95 * svc.param;
    return `${signed(a)} ms (p99 ${f2(svc.p99)} vs limit ${f2(limit.p99)}${overloaded ? `; overloaded: ${f0(svc.rps)} of ${svc.param} req/s answered` : ''}) ${mark(a <= 3 && svc.errors === 0 && !overloaded)}`;
  };
  const adminGoal = (db) => {
    const r = db.admin[1]?.['admin:merchant_customer_id'];
    if (!r) return '–';
    const worst = Object.values(db.admin[1]).reduce((a, b) => (b.p99 > a.p99 ? b : a));
    return `p99 ${f2(r.p99)} ms by merchant_customer_id; slowest of the ${Object.keys(db.admin[1]).length} lookups and listings: ${f2(worst.p99)} ms (${worst.label}) ${mark(worst.p99 <= 5)}`;
  };
  const rss = (db) => {
    const steady = db.memory.serviceBeforeFixedRate?.hwmMb ?? db.memory.service.hwmMb;
    const worst = Math.max(steady, db.memory.serviceAdmin?.hwmMb ?? 0);
    return `${f0(worst)} MB (Create/replay at c ≤ ${Math.max(...results.cfg.concurrencies)}: ${f0(steady)}; admin at ${results.cfg.rows.toLocaleString('en')} rows: ${f0(db.memory.serviceAdmin?.hwmMb)}; overloaded at ${results.cfg.rate} req/s: ${f0(db.memory.service.hwmMb)}) ${mark(worst <= 200)}`;
  };
  const addedLow = (id) => (db) => {
    const svc = db.openLow?.[id];
    if (!svc) return '–';
    return `${signed(svc.p99 - db.openLow.limit.p99)} ms (p99 ${f2(svc.p99)}; p50 ${f2(svc.p50)} vs limit ${f2(db.openLow.limit.p50)})`;
  };
  add('Create ≥ 0.5× bare passthrough, HTTP', createRatio('http'));
  add('Create ≥ 0.5× bare passthrough, gRPC', createRatio('grpc'));
  add('replay ≥ 0.8× bare passthrough, HTTP', replayRatio('http'));
  add('replay ≥ 0.8× bare passthrough, gRPC', replayRatio('grpc'));
  add(`added p99 ≤ 3 ms at ${results.cfg.rate} req/s, HTTP Create`, added('svc-http-create'));
  add(`added p99 ≤ 3 ms at ${results.cfg.rate} req/s, gRPC Create`, added('svc-grpc-create'));
  add(`added p99 ≤ 3 ms at ${results.cfg.rate} req/s, HTTP replay`, added('svc-http-replay'));
  add(`added p99 ≤ 3 ms at ${results.cfg.rate} req/s, gRPC replay`, added('svc-grpc-replay'));
  add(`(not a goal) added p99 at ${results.cfg.lowRate} req/s, HTTP Create`, addedLow('svc-http-create'));
  add(`(not a goal) added p99 at ${results.cfg.lowRate} req/s, gRPC Create`, addedLow('svc-grpc-create'));
  add(`admin lookup p99 ≤ 5 ms at ${results.cfg.rows.toLocaleString('en')} rows (c=1)`, adminGoal);
  add('peak RSS (VmHWM) ≤ 200 MB', rss);
  rows.push(`| goal | ${dbs.map((d) => DB_NAME[d]).join(' | ')} |`, `|---|${dbs.map(() => '---').join('|')}|`, ...rowsRaw);
  return rows.join('\n');
}

function closedTable(db, section, bareId = 'bare-http-create') {
  const lines = ['| scenario | c | req/s | × bare HTTP | p50 ms | p99 ms | added p50 / p99 vs limit, ms | server CPU µs/req | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [c, set] of Object.entries(db[section])) {
    const bare = db.closed[c]?.[bareId];
    const limit = db.closed[c]?.limit;
    for (const r of Object.values(set)) {
      const addedCol = r.id === 'limit' ? '–' : limit ? `${signed(r.p50 - limit.p50)} / ${signed(r.p99 - limit.p99)}` : '–';
      lines.push(`| ${r.label} | ${c} | ${f0(r.rps)} | ${bare ? ratio(r.rps / bare.rps) : '–'} | ${f2(r.p50)} | ${f2(r.p99)} | ${addedCol} | ${f0(r.cpuUsPerReq)} | ${r.errors || ''}${r.errors ? ` (${r.firstError})` : ''} |`);
    }
  }
  return lines.join('\n');
}

function openTable(db, section = 'open') {
  const lines = ['| scenario | offered req/s | achieved req/s | p50 ms | p99 ms | max ms | added p99 vs limit, ms | server CPU µs/req | skipped (overload) | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  const limit = db[section].limit;
  for (const r of Object.values(db[section])) {
    lines.push(`| ${r.label} | ${r.param} | ${f0(r.rps)} | ${f2(r.p50)} | ${f2(r.p99)} | ${f2(r.max)} | ${r.id === 'limit' ? '–' : signed(r.p99 - limit.p99)} | ${f0(r.cpuUsPerReq)} | ${r.skipped || ''} | ${r.errors || ''} |`);
  }
  return lines.join('\n');
}

function simpleTable(set, { bare } = {}) {
  const lines = [`| scenario | c | req/s |${bare ? ' × bare HTTP |' : ''} p50 ms | p99 ms | server CPU µs/req | errors |`, `|---|---:|---:|${bare ? '---:|' : ''}---:|---:|---:|---:|`];
  for (const r of Array.isArray(set) ? set : Object.values(set)) lines.push(`| ${r.label} | ${r.param} | ${f0(r.rps)} |${bare ? ` ${ratio(r.rps / bare.rps)} |` : ''} ${f2(r.p50)} | ${f2(r.p99)} | ${f0(r.cpuUsPerReq)} | ${r.errors || ''}${r.errors ? ` (${r.firstError})` : ''} |`);
  return lines.join('\n');
}

function logTable(db) {
  const lines = ['| transport | c | info req/s | warn req/s | warn ÷ info | info CPU µs/req | warn CPU µs/req | info p99 ms | warn p99 ms |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [c, set] of Object.entries(db.closed)) {
    for (const t of ['http', 'grpc']) {
      const info = set[`svc-${t}-create`];
      const warn = set[`svc-${t}-create-warn`];
      if (!info || !warn) continue;
      lines.push(`| ${t === 'http' ? 'HTTP' : 'gRPC'} | ${c} | ${f0(info.rps)} | ${f0(warn.rps)} | ${ratio(warn.rps / info.rps)} | ${f0(info.cpuUsPerReq)} | ${f0(warn.cpuUsPerReq)} | ${f2(info.p99)} | ${f2(warn.p99)} |`);
    }
  }
  return lines.join('\n');
}

function hammerTable(rows, dbLabel) {
  const lines = [
    '| database | instances | processor latency | concurrent Creates | processor calls per round | 201 Created per round | failures | distinct cus_ ids | p50 ms | max ms | per instance p50 / max ms | burst wall ms |',
    '|---|---:|---:|---:|---|---|---|---|---:|---:|---|---:|',
  ];
  for (const h of rows) {
    lines.push(
      `| ${dbLabel} | ${h.instances} | ${h.delayMs} ms | ${h.n} | ${h.processorCalls.join(', ')} | ${h.created.join(', ')} | ${h.failed.join(', ')}${h.firstFailure ? ` (${h.firstFailure})` : ''} | ${h.distinctCustomers.join(', ')} | ${f1(h.p50)} | ${f1(h.max)} | ${h.byInstance.map((x) => `${f1(x.p50)} / ${f1(x.max)}`).join('; ')} | ${f1(h.wallMs)} |`,
    );
  }
  return lines.join('\n');
}

function sharesTable(shares) {
  const names = Object.keys(Object.values(shares)[0].shares);
  const lines = [`| run | req/s | ${names.join(' | ')} | total |`, `|---|---:|${names.map(() => '---:').join('|')}|---:|`];
  const label = { create1: 'Create, 1 instance', create2: 'Create, 2 instances', replay1: 'replay, 1 instance', replay2: 'replay, 2 instances' };
  for (const [key, s] of Object.entries(shares)) {
    const total = Object.values(s.shares).reduce((a, b) => a + b, 0);
    lines.push(`| ${label[key]} | ${f0(s.rps)} | ${names.map((n) => `${f0(s.shares[n])} %`).join(' | ')} | ${f0(total)} % |`);
  }
  return lines.join('\n');
}

function writeReport(results) {
  const { cfg, env } = results;
  const out = [];
  out.push('# connector-service benchmark results', '');
  out.push(
    `Generated by \`npm run bench\`${cfg.quick ? ' (**quick mode**: one short round — indicative only)' : ''} on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
      `in ${Math.round(results.durationS)} s (plus the build). Machine: ${env.cpus} × ${env.model}, ${env.memGb} GiB, Node ${env.node}; load average at start ${env.load}; CPU pressure (PSI some avg60: share of time a runnable task waited for a core) ${f1(env.pressureStart)} % before the run (other tenants), ${f1(env.pressureEnd)} % at its end. ` +
      `Service: \`dist/\` of ${env.commit}.`,
    '',
    `Method: every server is its own process; the load comes from the bench process (autocannon for HTTP at fixed concurrency, a grpc-js driver keeping N unary calls in flight on one channel, evenly paced open-loop drivers at fixed rate). ` +
      `Every server, once started, gets ${cfg.instanceWarmMs} ms of Creates per scenario at c=16, discarded (V8 optimizes the service's long code path late). Each configuration: a warm-up per scenario (${cfg.warmMs} ms and at least 3 answers per connection), then ${cfg.rounds} round(s) of ${cfg.roundMs} ms or 5 × the warm-up's p50, whichever is longer, up to ${cfg.maxRoundMs} ms (a server holding c requests needs c × its service time to answer any; ${cfg.rateMs} ms at fixed rate), the scenarios compared with each other interleaved round by round (each round starting one scenario later); the median round is reported (by req/s; by p99 at fixed rate). At a fixed rate a server more than 64 requests behind is overloaded: requests due meanwhile are skipped and counted, and the achieved rate falls short. ` +
      'Latencies are client-side, float ms. "server CPU µs/req" is the CPU time (user+sys) of the server process under test divided by its answered requests — less sensitive to the noisy shared machine than req/s. ' +
      'The machine has 2 cores shared by the load generator, the fake processor, the server under test and PostgreSQL, so absolute req/s are low and every ratio below compares figures of the same run.',
    '',
  );
  out.push('## Goals (issue #6)', '');
  out.push(goals(results), '');
  out.push(
    'Throughput ratios: the service\'s best req/s over the concurrency levels divided by the bare HTTP passthrough\'s best (same database, same run); replay ratios use the same denominator, as the issue states it (the bare *replay* — one indexed SELECT, no processor call — is shown as well). ' +
      `Added p99: service p99 minus the limit's p99 (load → fake processor) at ${cfg.rate} req/s offered, in the same interleaved window. Admin lookup: closed loop, one request at a time, random seeded customers.`,
    '',
  );
  for (const [name, db] of Object.entries(results.databases)) {
    const label = DB_NAME[name];
    out.push(`## ${label}`, '');
    out.push(`### Create of new customers, fixed concurrency (${label})`, '', closedTable(db, 'closed'), '');
    out.push(`### Replays of existing customers (${label})`, '', closedTable(db, 'replay'), '');
    out.push(`### Fixed rate: ${cfg.rate} req/s offered (${label})`, '', openTable(db), '');
    if (db.openLow) out.push(`### Fixed rate: ${cfg.lowRate} req/s offered, below the service's capacity (${label})`, '', openTable(db, 'openLow'), '');
    out.push(`### Log level (${label})`, '', 'The same Create load on a second instance started with LOG_LEVEL=warn, interleaved with the LOG_LEVEL=info instance in the rounds above:', '', logTable(db), '');
    out.push(`### Admin lookup with ${cfg.rows.toLocaleString('en')} mappings (${label})`, '');
    out.push(`Seeded in ${f1(db.seedMs / 1000)} s (one set-based INSERT in one transaction).`, '');
    out.push(simpleTable(Object.values(db.admin).flatMap((set) => Object.values(set))), '');
    out.push(simpleTable(db.at1M, { bare: peak(db, 'bare-http-create') }), '');
    out.push(`### Memory (${label})`, '', '| process | peak RSS (VmHWM) MB | RSS at end MB |', '|---|---:|---:|');
    const mem = {
      'service, LOG_LEVEL=info, after the fixed-concurrency Create and replay runs': db.memory.serviceBeforeFixedRate,
      'service, LOG_LEVEL=info, at the end (after the fixed-rate runs, which overload it)': db.memory.service, 'service, LOG_LEVEL=warn': db.memory.serviceWarn, 'service on the seeded database (admin runs)': db.memory.serviceAdmin, 'bare passthrough': db.memory.bare };
    for (const [k, m] of Object.entries(mem)) if (m) out.push(`| ${k} | ${f0(m.hwmMb)} | ${f0(m.rssMb)} |`);
    out.push('', `Service start (spawn → /health answers): ${f0(db.startMs)} ms.`, '');
    out.push(
      `Checks: processor calls during the Create runs ${db.checks.processorCallsDuringCreates} for ${db.checks.successfulCreates} answered Creates (limit + bare + service, warm-ups included; the difference is requests still in flight when a run stopped, at most c per run); ` +
        `processor calls during the replay runs: ${db.checks.processorCallsDuringReplays}; admin lookup returns exactly the seeded mapping: ${db.checks.adminLookupReturnsOne}.`,
      '',
    );
    out.push(`### Same customer hammered, one instance (${label})`, '', hammerTable(db.hammer, label), '');
  }
  if (results.scaling) {
    const s = results.scaling;
    out.push('## Scaling on PostgreSQL: 1 and 2 instances (item 4)', '');
    out.push(`Both instances share one database; the load (c=${cfg.scaleC} in total) goes to one instance, or half to each.`, '');
    out.push(simpleTable({ ...s.closed, ...s.replay }), '');
    out.push(
      `Gain from the second instance: Create ${ratio(s.closed['scale-2-create'].rps / s.closed['scale-1-create'].rps)}, replay ${ratio(s.replay['scale-2-replay'].rps / s.replay['scale-1-replay'].rps)}. ` +
        'With 2 instances the p50/p99 columns show the worse of the two halves.',
      '',
    );
    out.push('Where the CPU goes during one round (100 % = one core; the machine has 2):', '', sharesTable(s.shares), '');
    out.push('### Same customer hammered across instances (PostgreSQL)', '', hammerTable(s.hammer, 'PostgreSQL'), '');
    out.push(`Peak RSS: instance A ${f0(s.memory.a.hwmMb)} MB, instance B ${f0(s.memory.b.hwmMb)} MB.`, '');
  }
  out.push('Raw figures of every round: `bench/results/raw/results.json` (not committed), logs of every process next to it.', '');
  const file = path.join(BENCH, 'results.md');
  fs.writeFileSync(file, out.join('\n'));
  return file;
}

module.exports = { writeReport };
