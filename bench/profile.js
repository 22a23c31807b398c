'use strict';
// CPU profiles of the service under load: `node bench/profile.js` (after `npm run build`), or
// `BENCH_PROFILE=1 npm run bench`. One service process per workload, started with
// `node --cpu-prof`; only the samples of the measured window count (start-up and warm-up are
// cut out by timestamp). Writes bench/profiles/*.cpuprofile (open them in Chrome DevTools or
// speedscope) and bench/profiles/summary.md, the figures bench/PROFILE.md quotes.
//   BENCH_PROFILE_MS=8000  measured window per workload
const fs = require('node:fs');
const path = require('node:path');
const { BENCH, RAW, log } = require('./lib/util');
const P = require('./lib/processes');
const L = require('./lib/load');
const W = require('./lib/workload');
const { analyze, toMarkdown, WATCH, groupedTable } = require('./lib/cpuprofile');

const PROFILES = path.join(BENCH, 'profiles');
const WINDOW_MS = Number(process.env.BENCH_PROFILE_MS ?? 8000);
const WARM_MS = 3000;
const C = 16;

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function profileOne({ name, databaseUrl, fake, logLevel = 'info', drive }) {
  fs.rmSync(path.join(PROFILES, `${name}.cpuprofile`), { force: true });
  const service = await P.startService({
    name: `profile-${name}`,
    databaseUrl,
    fakeOrigin: fake.origin,
    logLevel,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`, `--cpu-prof-name=${name}.cpuprofile`, '--cpu-prof-interval=250'],
  });
  await drive(service, WARM_MS, 'warm');
  const from = nowUs();
  const result = await drive(service, WINDOW_MS, 'measure');
  const to = nowUs();
  const killed = await P.stop(service, { graceMs: 30_000, settleMs: 3000 });
  const file = path.join(PROFILES, `${name}.cpuprofile`);
  if (killed || !fs.existsSync(file)) {
    log(`profile ${name}: no profile written (the service had to be killed)`);
    return undefined;
  }
  const analysis = analyze(file, { fromUs: from, toUs: to, watch: WATCH });
  log(`profile ${name}: ${result.count} requests, ${Math.round(result.rps)} req/s, ${Math.round(analysis.busyUs / result.count)} µs CPU/req`);
  return { name, result, analysis, file, window: { fromUs: from, toUs: to } };
}

async function main({ reuseSnapshot = false } = {}) {
  fs.mkdirSync(PROFILES, { recursive: true });
  fs.mkdirSync(RAW, { recursive: true });
  if (!reuseSnapshot || !fs.existsSync(P.SERVICE_MAIN)) P.snapshotDist();
  const fake = await P.startFake();
  const gh = W.grpcHeaders(fake.origin);
  const stamp = Date.now().toString(36);
  const sqlite = (n) => `file:${path.join(RAW, `profile-${stamp}-${n}.db`)}`;
  let seq = 0;
  const ids = (tag) => {
    const prefix = `${tag}-${stamp}-${seq++}`;
    return (i) => `${prefix}-${i}`;
  };
  const replayIds = Array.from({ length: 2000 }, (_, k) => `prp-${k}`);
  const replayId = (i) => replayIds[i % replayIds.length];
  const httpCreate = (s, ms) => L.httpClosed({ origin: s.origin, connections: C, durationMs: ms, request: W.restCreate(fake.origin, ids('ph')), ok: (x) => x === 201 });
  const grpcCreate = async (s, ms) => {
    const client = L.grpcClient(s.grpcAddress);
    const mk = ids('pg');
    try {
      return await L.grpcClosed({ client, concurrency: C, durationMs: ms, message: (i) => W.grpcMessage(mk(i)), headers: gh });
    } finally {
      client.close();
    }
  };
  const grpcReplay = async (s, ms) => {
    const client = L.grpcClient(s.grpcAddress);
    try {
      return await L.grpcClosed({ client, concurrency: C, durationMs: ms, message: (i) => W.grpcMessage(replayId(i)), headers: gh });
    } finally {
      client.close();
    }
  };

  const runs = [];
  let pg;
  try {
    runs.push(await profileOne({ name: 'sqlite-http-create', databaseUrl: sqlite('hc'), fake, drive: httpCreate }));
    runs.push(await profileOne({ name: 'sqlite-grpc-create', databaseUrl: sqlite('gc'), fake, drive: grpcCreate }));
    // Replays: the first pass of the warm-up creates the customers, the window only replays.
    const replayDb = sqlite('rp');
    runs.push(
      await profileOne({
        name: 'sqlite-http-replay',
        databaseUrl: replayDb,
        fake,
        drive: async (s, ms, phase) => {
          if (phase === 'warm') await seedReplays(s, fake, replayIds);
          return L.httpClosed({ origin: s.origin, connections: C, durationMs: ms, request: W.restCreate(fake.origin, replayId), ok: (x) => x === 200 });
        },
      }),
    );
    runs.push(await profileOne({ name: 'sqlite-grpc-replay', databaseUrl: replayDb, fake, drive: async (s, ms, phase) => (phase === 'warm' ? (await seedReplays(s, fake, replayIds), grpcReplay(s, ms)) : grpcReplay(s, ms)) }));
    runs.push(await profileOne({ name: 'sqlite-http-create-warn', databaseUrl: sqlite('hw'), fake, logLevel: 'warn', drive: httpCreate }));
    if (process.env.BENCH_DATABASES === undefined || process.env.BENCH_DATABASES.includes('postgres')) {
      pg = await P.startPostgres();
      runs.push(await profileOne({ name: 'postgres-http-create', databaseUrl: await pg.createDatabase(`prof_${stamp}`), fake, drive: httpCreate }));
    }
  } finally {
    await P.stop(fake);
    pg?.stop();
    P.stopAllSync();
  }

  writeSummary(runs.filter(Boolean).map((r) => ({ name: r.name, window: r.window, rps: r.result.rps, count: r.result.count, errors: r.result.errors, file: r.file, analysis: r.analysis })));
}

/** summary.md / summary.json from analysed runs; `node bench/profile.js --analyze` redoes it from the saved profiles. */
function writeSummary(runs) {
  const md = [
    '# CPU profiles of the service under load (generated by bench/profile.js)',
    '',
    `Each workload: its own service process (\`node --cpu-prof --cpu-prof-interval=250\`), ${WARM_MS} ms warm-up, then ${WINDOW_MS} ms measured at c=${C}; only samples inside the measured window are counted. Main thread only (better-sqlite3 runs on it; pg and the fs writes of pino do not).`,
    '',
  ];
  const flat = runs.map((r) => ({ name: r.name, rps: r.rps, count: r.count, busyUs: r.analysis.busyUs, selfByCategory: r.analysis.selfByCategory }));
  md.push('## Per request, by layer', '', groupedTable(flat), '');
  for (const run of runs) md.push(toMarkdown(`${run.name} — ${Math.round(run.rps)} req/s, ${run.errors} errors (${path.relative(BENCH, run.file)})`, run.analysis, run.count));
  const out = path.join(PROFILES, 'summary.md');
  fs.writeFileSync(out, md.join('\n'));
  fs.writeFileSync(
    path.join(PROFILES, 'summary.json'),
    JSON.stringify(
      runs.map((r) => ({ name: r.name, file: r.file, window: r.window, rps: r.rps, count: r.count, errors: r.errors, busyUs: r.analysis.busyUs, inclByWatch: r.analysis.inclByWatch, selfByCategory: r.analysis.selfByCategory, inclByCategory: r.analysis.inclByCategory, selfByFunction: r.analysis.selfByFunction.slice(0, 60), inclByFunction: r.analysis.inclByFunction.slice(0, 80) })),
      null,
      2,
    ),
  );
  log(`profiles in ${path.relative(BENCH, PROFILES)}/, summary in ${path.relative(BENCH, out)}`);
}

function reanalyze() {
  const saved = JSON.parse(fs.readFileSync(path.join(PROFILES, 'summary.json'), 'utf8'));
  writeSummary(saved.map((r) => ({ ...r, file: r.file ?? path.join(PROFILES, `${r.name}.cpuprofile`), errors: r.errors ?? 0, analysis: analyze(r.file ?? path.join(PROFILES, `${r.name}.cpuprofile`), { ...r.window, watch: WATCH }) })));
}

/** Creates the replay set once per database (idempotent: a second pass only replays). */
async function seedReplays(service, fake, ids) {
  const { Pool } = require('undici');
  const pool = new Pool(service.origin, { connections: 16 });
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < ids.length) {
        const response = await pool.request({ method: 'POST', path: '/v1/customers', headers: W.createHeaders(fake.origin), body: W.restBody(ids[next++]) });
        await response.body.dump();
      }
    }),
  );
  await pool.close();
}

module.exports = { main };
if (require.main === module) {
  (process.argv.includes('--analyze') ? Promise.resolve().then(reanalyze) : main()).catch((error) => {
    console.error(error);
    P.stopAllSync();
    process.exit(1);
  });
}
