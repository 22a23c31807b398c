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

/**
 * Whether this run may judge the goals: the limit scenario (load → fake processor, no work) ran at
 * c=16 at ≥ `minLimitShare` of its quiet-machine rate in every database phase. Figures are written
 * either way; CPU per request, the figure the other tenants disturb least, comes first.
 */
function calmness(results) {
  const { quietLimitRps, minLimitShare, maxOthersShare = Infinity } = results.cfg;
  const phases = Object.entries(results.databases).map(([name, db]) => ({ name: DB_NAME[name], ...db.pressure, rps: db.pressure?.limitRps, load: db.pressure?.end?.load }));
  if (results.scaling?.pressure) phases.push({ name: 'scaling', ...results.scaling.pressure });
  const calmPhase = (p) => (p.limitShare === undefined || (Number.isFinite(p.limitShare) && p.limitShare >= minLimitShare)) && !(p.othersShare > maxOthersShare);
  const calm = phases.every(calmPhase);
  const says = phases
    .map((p) => {
      const parts = [];
      if (p.rps !== undefined) parts.push(`limit ${f0(p.rps)} req/s = ${f0(p.limitShare * 100)} % of its quiet ${f0(quietLimitRps)}`);
      if (Number.isFinite(p.othersShare)) parts.push(`other tenants ${f0(p.othersShare * 100)} % of the machine's CPU (the bench ${f0(p.oursShare * 100)} %)`);
      if (p.load) parts.push(`load average ${p.load.map((l) => l.toFixed(1)).join(' ')} at the phase's end`);
      return `${p.name}: ${parts.join(', ')}`;
    })
    .join('; ');
  const rule = `a verdict needs the limit at ≥ ${f0(minLimitShare * 100)} % of its quiet figure${Number.isFinite(maxOthersShare) ? ` and the other tenants at ≤ ${f0(maxOthersShare * 100)} % of the machine` : ''} in every phase`;
  return { calm, says, rule };
}

/** The CPU a scenario's server spent per answered request, at the reference concurrency. */
function cpuAt(db, id, section = 'closed', c = 16) {
  const set = db[section][c] ?? Object.values(db[section])[0];
  return set?.[id]?.cpuUsPerReq;
}

function goals(results) {
  const { calm } = calmness(results);
  const verdict = (ok) => (calm ? mark(ok) : '*(no verdict: machine under pressure)*');
  const dbs = Object.keys(results.databases);
  const rowsRaw = [];
  const add = (goal, fn) => rowsRaw.push(`| ${goal} | ${dbs.map((name) => fn(results.databases[name], name)).join(' | ')} |`);
  const C = results.cfg.concurrencies.includes(16) ? 16 : Math.max(...results.cfg.concurrencies);
  const cpuRatio = (svc, bare) => `**${f0(svc)} µs** vs ${f0(bare)} µs = **${ratio(svc / bare)}**`;

  const createCpu = (transport) => (db, name) => {
    const svc = cpuAt(db, `svc-${transport}-create`, 'closed', C);
    const bare = cpuAt(db, `bare-${transport}-create`, 'closed', C);
    const bareHttp = cpuAt(db, 'bare-http-create', 'closed', C);
    const extra = transport === 'grpc' ? ` (vs the bare HTTP passthrough: ${ratio(svc / bareHttp)})` : '';
    return `${cpuRatio(svc, bare)}${extra}${name === 'sqlite' ? ` ${verdict(svc <= 2 * bare)}` : ' (goal on SQLite)'}`;
  };
  const replayCpu = (transport) => (db) => {
    const svc = cpuAt(db, `svc-${transport}-replay`, 'replay', C);
    const bare = cpuAt(db, 'bare-http-replay', 'replay', C);
    return `${cpuRatio(svc, bare)} ${verdict(svc <= 4 * bare)}`;
  };
  const createRatio = (transport) => (db, name) => {
    const bare = peak(db, 'bare-http-create');
    const svc = peak(db, `svc-${transport}-create`);
    const r = svc.rps / bare.rps;
    const goal = name === 'sqlite' ? 0.6 : 0.5;
    const bareG = peak(db, 'bare-grpc-create');
    const extra = transport === 'grpc' ? `; vs bare gRPC ${ratio(svc.rps / bareG.rps)}` : '';
    return `CPU ${ratio(cpuAt(db, `svc-${transport}-create`, 'closed', C) / cpuAt(db, 'bare-http-create', 'closed', C))} · ${ratio(r)} req/s (${f0(svc.rps)} vs ${f0(bare.rps)}${extra}) ${verdict(r >= goal)}`;
  };
  const replayRatio = (transport) => (db, name) => {
    const bare = peak(db, 'bare-http-create');
    const svc = peak(db, `svc-${transport}-replay`, 'replay');
    const bareReplay = peak(db, 'bare-http-replay', 'replay');
    const r = svc.rps / bare.rps;
    const goal = name === 'sqlite' ? 1.0 : 0.9;
    return `CPU ${ratio(cpuAt(db, `svc-${transport}-replay`, 'replay', C) / cpuAt(db, 'bare-http-create', 'closed', C))} of a bare Create · ${ratio(r)} req/s (${f0(svc.rps)} req/s; vs bare replay ${ratio(svc.rps / bareReplay.rps)}) ${verdict(r >= goal)}`;
  };
  const added = (id, isGoal) => (db) => {
    const svc = db.open[id];
    const limit = db.open.limit;
    const a = svc.p99 - limit.p99;
    const overloaded = svc.skipped > 0 || svc.rps < 0.95 * svc.param;
    return `CPU ${f0(svc.cpuUsPerReq)} µs/req · ${signed(a)} ms (p99 ${f2(svc.p99)} vs limit ${f2(limit.p99)}${overloaded ? `; overloaded: ${f0(svc.rps)} of ${svc.param} req/s answered` : ''})${isGoal ? ` ${verdict(a <= 2 && svc.errors === 0 && !overloaded)}` : ''}`;
  };
  const adminGoal = (db, name) => {
    if (!db.admin[1]) return '–';
    const worst = Object.values(db.admin[1]).reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const cpu = Object.values(db.admin[1]).map((r) => r.cpuUsPerReq);
    return `CPU ${f0(Math.min(...cpu))}–${f0(Math.max(...cpu))} µs/req · slowest p99 of the ${Object.keys(db.admin[1]).length} lookups and listings: ${f2(worst.p99)} ms (${worst.label.replace('admin lookup by ', '')})${name === 'postgres' ? ` ${verdict(worst.p99 <= 5)}` : ' (goal on PostgreSQL)'}`;
  };
  const rss = (db) => {
    const steady = db.memory.serviceBeforeFixedRate?.hwmMb ?? db.memory.service.hwmMb;
    const worst = Math.max(steady, db.memory.serviceAdmin?.hwmMb ?? 0, db.memory.service?.hwmMb ?? 0);
    return `${f0(worst)} MB (after Create/replay at c ≤ ${Math.max(...results.cfg.concurrencies)}: ${f0(steady)}; after ${results.cfg.rate} req/s: ${f0(db.memory.service.hwmMb)}; admin at ${results.cfg.rows.toLocaleString('en')} rows: ${f0(db.memory.serviceAdmin?.hwmMb)}) ${verdict(worst <= 150)}`;
  };
  add(`server CPU per Create ≤ 2× the bare passthrough's, HTTP (c=${C})`, createCpu('http'));
  add(`server CPU per Create ≤ 2× the bare passthrough's, gRPC (c=${C}; the bare gRPC passthrough)`, createCpu('grpc'));
  add(`server CPU per replay ≤ 4× the bare replay's, HTTP (c=${C})`, replayCpu('http'));
  add(`server CPU per replay ≤ 4× the bare replay's, gRPC (c=${C}; the bare replay is HTTP)`, replayCpu('grpc'));
  add('Create throughput ≥ 0.6× (SQLite) / 0.5× (PostgreSQL) the bare passthrough, HTTP', createRatio('http'));
  add('Create throughput ≥ 0.6× / 0.5×, gRPC', createRatio('grpc'));
  add('replay throughput ≥ 1.0× (SQLite) / 0.9× (PostgreSQL) the bare passthrough\'s Create, HTTP', replayRatio('http'));
  add('replay throughput ≥ 1.0× / 0.9×, gRPC', replayRatio('grpc'));
  add(`added p99 ≤ 2 ms at ${results.cfg.rate} req/s, HTTP Create`, added('svc-http-create', true));
  add(`added p99 ≤ 2 ms at ${results.cfg.rate} req/s, gRPC Create`, added('svc-grpc-create', true));
  add(`(not a goal) added p99 at ${results.cfg.rate} req/s, HTTP replay`, added('svc-http-replay', false));
  add(`(not a goal) added p99 at ${results.cfg.rate} req/s, gRPC replay`, added('svc-grpc-replay', false));
  add(`admin lookups and listings p99 ≤ 5 ms at ${results.cfg.rows.toLocaleString('en')} rows (c=1)`, adminGoal);
  add('peak RSS (VmHWM) ≤ 150 MB', rss);
  const lifecycleCpu = (transport) => (db) => {
    if (!db.lifecycle) return '–';
    const cpu = (flow) => db.lifecycle[`svc-${transport}-${flow}`]?.cpuUsPerReq;
    const create = cpu('create');
    const [get, update] = [cpu('get'), cpu('update')];
    return `Get **${f0(get)} µs** = **${ratio(get / create)}**, Update **${f0(update)} µs** = **${ratio(update / create)}** of Create's ${f0(create)} µs ${verdict(get <= 1.2 * create && update <= 1.2 * create)}`;
  };
  add(`server CPU per Get and per Update at one processor ≤ 1.2× Create's, HTTP (c=${C}, issue #15)`, lifecycleCpu('http'));
  add(`server CPU per Get and per Update at one processor ≤ 1.2× Create's, gRPC (c=${C}, issue #15)`, lifecycleCpu('grpc'));
  const fanOut = (db) => {
    if (!db.fanOut) return '–';
    const { rounds, delays } = db.fanOut;
    const slowest = Math.max(...delays);
    const [create, update, single] = [rounds['fanout-create'], rounds['fanout-update'], rounds['fanout-baseline']];
    return `create p50 **${f1(create.p50)} ms** (p99 ${f1(create.p99)}), update p50 **${f1(update.p50)} ms** (p99 ${f1(update.p99)}) vs 2 × ${slowest} ms; a single Create at the slowest: p50 ${f1(single.p50)} ms ${verdict(create.p50 < 2 * slowest && update.p50 < 2 * slowest && !create.errors && !update.errors)}`;
  };
  add('a fan-out across 5 accounts under 2× the slowest processor’s latency (c=1, issue #15)', fanOut);
  if (results.scaling) {
    const s = results.scaling;
    const gain = s.closed['scale-2-create'].rps / s.closed['scale-1-create'].rps;
    const cell = `${ratio(gain)} (replay ${ratio(s.replay['scale-2-replay'].rps / s.replay['scale-1-replay'].rps)}; what limits it: the CPU shares below) ${verdict(gain >= 1.7)}`;
    rowsRaw.push(`| 2 instances on PostgreSQL ≥ 1.7× 1 instance (Create) | ${dbs.map((d) => (d === 'postgres' ? cell : '–')).join(' | ')} |`);
  }
  const rows = [`| goal | ${dbs.map((d) => DB_NAME[d]).join(' | ')} |`, `|---|${dbs.map(() => '---').join('|')}|`, ...rowsRaw];
  return rows.join('\n');
}

function closedTable(db, section, bareId = 'bare-http-create') {
  const lines = ['| scenario | c | server CPU µs/req | CPU × bare HTTP | req/s | × bare HTTP | p50 ms | p99 ms | added p50 / p99 vs limit, ms | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [c, set] of Object.entries(db[section])) {
    const bare = db.closed[c]?.[bareId];
    const limit = db.closed[c]?.limit;
    for (const r of Object.values(set)) {
      const addedCol = r.id === 'limit' ? '–' : limit ? `${signed(r.p50 - limit.p50)} / ${signed(r.p99 - limit.p99)}` : '–';
      lines.push(`| ${r.label} | ${c} | ${f0(r.cpuUsPerReq)} | ${bare ? ratio(r.cpuUsPerReq / bare.cpuUsPerReq) : '–'} | ${f0(r.rps)} | ${bare ? ratio(r.rps / bare.rps) : '–'} | ${f2(r.p50)} | ${f2(r.p99)} | ${addedCol} | ${r.errors || ''}${r.errors ? ` (${r.firstError})` : ''} |`);
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

/** Get and Update beside Create on the same instance, interleaved round by round. */
function lifecycleTable(set) {
  const lines = ['| scenario | c | req/s | p50 ms | p99 ms | server CPU µs/req | CPU × Create (same transport) | errors |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const r of Object.values(set)) {
    const create = set[r.id.replace(/-(get|update|create)$/, '-create')];
    lines.push(`| ${r.label} | ${r.param} | ${f0(r.rps)} | ${f2(r.p50)} | ${f2(r.p99)} | ${f0(r.cpuUsPerReq)} | ${create ? ratio(r.cpuUsPerReq / create.cpuUsPerReq) : '–'} | ${r.errors || ''}${r.errors ? ` (${r.firstError})` : ''} |`);
  }
  return lines.join('\n');
}

const loadOf = (p) => (p?.load ? p.load.map((l) => l.toFixed(2)).join(' ') : '–');

function writeReport(results) {
  const { cfg, env } = results;
  const out = [];
  out.push('# connector-service benchmark results', '');
  out.push(
    `Generated by \`npm run bench\`${cfg.quick ? ' (**quick mode**: one short round — indicative only)' : ''} on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
      `in ${Math.round(results.durationS)} s (plus the build). Machine: ${env.cpus} × ${env.model}, ${env.memGb} GiB, Node ${env.node} (every server runs on the bench's Node; the service with npm start's flags: \`${env.serviceNodeFlags || 'none'}\`). ` +
      `Pressure from other tenants: load average ${loadOf(env.pressureStart)} at the start, ${loadOf(env.pressureEnd)} at the end; CPU pressure (PSI some avg60: share of time a runnable task waited for a core) ${f1(env.pressureStart?.psi60)} % at the start, ${f1(env.pressureEnd?.psi60)} % at the end. ` +
      `Service: \`dist/\` of ${env.commit}.`,
    '',
    `Method: every server is its own process; the load comes from the bench process (autocannon for HTTP at fixed concurrency, a grpc-js driver keeping N unary calls in flight on one channel, evenly paced open-loop drivers at fixed rate). ` +
      `Every server, once started, gets ${cfg.instanceWarmMs} ms of Creates per scenario at c=16, discarded (V8 optimizes the service's long code path late). Each configuration: a warm-up per scenario (${cfg.warmMs} ms and at least 3 answers per connection), then ${cfg.rounds} round(s) of ${cfg.roundMs} ms or 5 × the warm-up's p50, whichever is longer, up to ${cfg.maxRoundMs} ms (a server holding c requests needs c × its service time to answer any; ${cfg.rateMs} ms at fixed rate), the scenarios compared with each other interleaved round by round (each round starting one scenario later); the median round is reported (by req/s; by p99 at fixed rate). At a fixed rate a server more than 64 requests behind is overloaded: requests due meanwhile are skipped and counted, and the achieved rate falls short. ` +
      'Latencies are client-side, float ms. "server CPU µs/req" is the CPU time (user+sys) of the server process under test divided by its answered requests — less sensitive to the noisy shared machine than req/s. ' +
      'The machine has 2 cores shared by the load generator, the fake processor, the server under test and PostgreSQL, so absolute req/s are low and every ratio below compares figures of the same run.',
    '',
  );
  const { calm, says, rule } = calmness(results);
  out.push('## Goals (issues #14 and #15)', '');
  out.push(
    calm
      ? `The machine was calm enough to judge — ${says} (${rule}).`
      : `**No verdicts: the machine was under pressure** — ${says}; ${rule} (\`BENCH_QUIET_LIMIT_RPS\`, \`BENCH_MIN_LIMIT_SHARE\`, \`BENCH_MAX_OTHERS_SHARE\`). The figures stand; server CPU per request is the one the other tenants disturb least, ratios of throughput the most.`,
    '',
  );
  out.push(goals(results), '');
  out.push(
    'CPU per request (the first figure of each row): CPU time of the server process per answered request at c=16, service against the bare passthrough in the same run — the gRPC Create against the bare gRPC passthrough (grpc-js is in both), replays against the bare replay (one indexed SELECT over node:http). ' +
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
    if (db.lifecycle) {
      const k = db.checks.lifecycle;
      out.push(`### Get and Update at one processor, beside Create (${label})`, '');
      out.push(`On the replay set's customers, c=${Object.values(db.lifecycle)[0].param}, the six scenarios interleaved round by round on the same instance. Get reads the customer at the processor (the mapping gives its id); each Update sends an email no earlier request sent, so every one reaches the processor.`, '');
      out.push(lifecycleTable(db.lifecycle), '');
      out.push(`Checks: processor retrieve/update calls during these runs ${k.processorCalls} for ${k.answered} answered Gets and Updates (warm-ups included; the difference is requests in flight when a run stopped).`, '');
    }
    if (db.fanOut) {
      const { rounds, delays, checks, accounts } = db.fanOut;
      out.push(`### One customer at ${accounts} accounts at once (${label})`, '');
      out.push(`${accounts} named Stripe accounts (CONNECTOR_ACCOUNTS_FILE, each its own API key and so its own account) whose processor answers after ${delays.join(', ')} ms; one request at a time, ${cfg.fanOutRoundMs} ms rounds, the three scenarios interleaved. A fan-out answers 200 once every step has settled.`, '');
      out.push(simpleTable(rounds), '');
      out.push(`Checks: processor creates during these runs ${checks.processorCreates} for ${checks.answeredCreates} answered steps and single Creates; processor updates ${checks.processorUpdates} for ${checks.answeredUpdates} answered steps (warm-ups included; the difference is the fan-out still in flight when a run stopped, up to ${accounts} steps per run).`, '');
    }
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
