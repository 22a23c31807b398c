'use strict';
// Two builds (or two ways of starting one) of the service side by side, in the same time window:
// each round loads A, then B, then the other way round, and the servers' CPU per answered request
// is compared. On a shared machine that is the steady figure; req/s is shown too.
//   node bench/ab.js <A> <B>          each side: a dist/ directory copy (its apps/connector-service/src/main.js)
//   BENCH_AB_A_ARGS / BENCH_AB_B_ARGS  node flags of each side ("--max-old-space-size=64 …"; none by default, not even npm start's)
//   BENCH_AB_A_ENV / BENCH_AB_B_ENV    extra environment, as JSON
//   BENCH_AB_A_NODE / BENCH_AB_B_NODE  another node binary for a side (default: this one)
//   BENCH_AB_DB=sqlite|postgres  BENCH_AB_ROUNDS=4  BENCH_AB_MS=2500  BENCH_AB_C=16
//   BENCH_AB_WORK=http-create,grpc-create,http-replay,grpc-replay
const fs = require('node:fs');
const path = require('node:path');
const { RAW, log, median, memoryOf, cpuMsOf, machinePressure } = require('./lib/util');
const P = require('./lib/processes');
const L = require('./lib/load');
const W = require('./lib/workload');

const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 4);
const MS = Number(process.env.BENCH_AB_MS ?? 2500);
const C = Number(process.env.BENCH_AB_C ?? 16);
const DB = process.env.BENCH_AB_DB ?? 'sqlite';
const WORK = (process.env.BENCH_AB_WORK ?? 'http-create,grpc-create,http-replay,grpc-replay').split(',');

function side(label, dir) {
  const main = path.resolve(dir, 'apps/connector-service/src/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing`);
  const args = (process.env[`BENCH_AB_${label}_ARGS`] ?? '').split(' ').filter(Boolean);
  const env = JSON.parse(process.env[`BENCH_AB_${label}_ENV`] ?? '{}');
  const execPath = process.env[`BENCH_AB_${label}_NODE`] ?? process.execPath;
  return { label, dir, main, args, env, execPath };
}

async function main() {
  const [a, b] = [side('A', process.argv[2]), side('B', process.argv[3])];
  fs.mkdirSync(RAW, { recursive: true });
  const fake = await P.startFake();
  const gh = W.grpcHeaders(fake.origin);
  const stamp = Date.now().toString(36);
  let pg;
  if (DB === 'postgres') pg = await P.startPostgres();
  const url = async (n) => (pg ? pg.createDatabase(`ab_${stamp}_${n}`) : `file:${path.join(RAW, `ab-${stamp}-${n}.db`)}`);
  const pressure0 = machinePressure();
  const servers = [];
  try {
    for (const s of [a, b]) {
      s.server = await P.startService({ name: `ab-${s.label}`, databaseUrl: await url(s.label.toLowerCase()), fakeOrigin: fake.origin, nodeFlags: [], nodeArgs: s.args, env: s.env, main: s.main, execPath: s.execPath });
      s.grpc = L.grpcClient(s.server.grpcAddress);
      servers.push(s.server);
    }
    let seq = 0;
    const ids = (tag) => {
      const prefix = `${tag}-${stamp}-${seq++}`;
      return (i) => `${prefix}-${i}`;
    };
    const replayIds = Array.from({ length: 500 }, (_, k) => `abr-${k}`);
    const replayId = (i) => replayIds[i % replayIds.length];
    const drive = {
      'http-create': (s, ms) => L.httpClosed({ origin: s.server.origin, connections: C, durationMs: ms, request: W.restCreate(fake.origin, ids('h')), ok: (x) => x === 201 }),
      'grpc-create': (s, ms) => {
        const mk = ids('g');
        return L.grpcClosed({ client: s.grpc, concurrency: C, durationMs: ms, message: (i) => W.grpcMessage(mk(i)), headers: gh });
      },
      'http-replay': (s, ms) => L.httpClosed({ origin: s.server.origin, connections: C, durationMs: ms, request: W.restCreate(fake.origin, replayId), ok: (x) => x === 200 }),
      'grpc-replay': (s, ms) => L.grpcClosed({ client: s.grpc, concurrency: C, durationMs: ms, message: (i) => W.grpcMessage(replayId(i)), headers: gh }),
    };
    // Warm-up: the replay set is created, every path runs long enough for V8 to optimize it.
    for (const s of [a, b]) {
      await L.httpClosed({ origin: s.server.origin, connections: 16, amount: replayIds.length, request: W.restCreate(fake.origin, replayId), ok: (x) => x === 201 });
      for (const w of WORK) await drive[w](s, 2000);
    }
    const rows = {};
    for (const w of WORK) rows[w] = { A: [], B: [] };
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const w of WORK) {
        for (const s of r % 2 ? [b, a] : [a, b]) {
          const cpu0 = cpuMsOf(s.server.pid);
          const result = await drive[w](s, MS);
          const cpuUs = ((cpuMsOf(s.server.pid) - cpu0) * 1000) / result.count;
          rows[w][s.label].push({ cpuUs, rps: result.rps, p99: result.p99, errors: result.errors, firstError: result.firstError });
        }
      }
    }
    const pressure1 = machinePressure();
    const out = [`A/B, ${DB}, c=${C}, ${ROUNDS} rounds of ${MS} ms, Node ${process.version}; load average ${pressure0.load.map((l) => l.toFixed(1)).join(' ')} → ${pressure1.load.map((l) => l.toFixed(1)).join(' ')}, CPU pressure ${pressure0.psi60} → ${pressure1.psi60} %`];
    out.push(`A: ${a.dir} ${a.args.join(' ')} ${JSON.stringify(a.env)} ${a.execPath}`, `B: ${b.dir} ${b.args.join(' ')} ${JSON.stringify(b.env)} ${b.execPath}`, '');
    out.push('| workload | A CPU µs/req | B CPU µs/req | B ÷ A | A req/s | B req/s | errors A / B |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const w of WORK) {
      const m = (label, key) => median(rows[w][label].map((x) => x[key]));
      const errors = (label) => rows[w][label].reduce((n, x) => n + x.errors, 0);
      out.push(`| ${w} | ${m('A', 'cpuUs').toFixed(0)} | ${m('B', 'cpuUs').toFixed(0)} | ${(m('B', 'cpuUs') / m('A', 'cpuUs')).toFixed(2)}× | ${m('A', 'rps').toFixed(0)} | ${m('B', 'rps').toFixed(0)} | ${errors('A')} / ${errors('B')}${errors('A') + errors('B') ? ` (${rows[w].A.concat(rows[w].B).find((x) => x.firstError)?.firstError})` : ''} |`);
    }
    out.push('', `Peak RSS (VmHWM): A ${memoryOf(a.server.pid).hwmMb.toFixed(0)} MB, B ${memoryOf(b.server.pid).hwmMb.toFixed(0)} MB`);
    process.stdout.write(`${out.join('\n')}\n`);
    fs.writeFileSync(path.join(RAW, `ab-${stamp}.json`), JSON.stringify(rows, null, 2));
  } finally {
    for (const s of [a, b]) s.grpc?.close();
    await Promise.all(servers.map((s) => P.stop(s)));
    await P.stop(fake);
    pg?.stop();
    P.stopAllSync();
  }
}

main().catch((error) => {
  console.error(error);
  P.stopAllSync();
  process.exit(1);
});
