import { readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';
import { connect as netConnect, type Socket } from 'node:net';
import { credentials } from '@grpc/grpc-js';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp, type AppProcess } from '../support/app-process';
import { GrpcTestClient } from '../support/grpc-test-client';
import { recordFigure } from '../support/reliability-report';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

/** Each bound set low, so a test sees it act within seconds. */
const BOUNDS = {
  HTTP_MAX_CONNECTIONS: '50',
  GRPC_MAX_CONNECTIONS: '50',
  HTTP_HEADERS_TIMEOUT_MS: '1500',
  REQUEST_RECEIVE_TIMEOUT_MS: '2500',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
  GRPC_MAX_CONNECTION_IDLE_MS: '1500',
  GRPC_MAX_CONNECTION_AGE_MS: '3000',
  GRPC_MAX_CONNECTION_AGE_GRACE_MS: '1000',
};
const HOSTILE = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Hostile {
  socket: Socket;
  openedAt: number;
  closedAfterMs?: number;
}

/** `count` TCP connections that send `first` (or nothing) and then keep quiet, or trickle `trickle` one byte every `everyMs`. */
async function openHostile(port: number, count: number, first = '', trickle?: { bytes: string; everyMs: number }): Promise<Hostile[]> {
  const all: Hostile[] = [];
  for (let i = 0; i < count; i += 1) {
    const socket = netConnect(port, '127.0.0.1');
    const entry: Hostile = { socket, openedAt: performance.now() };
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.once('close', () => (entry.closedAfterMs = performance.now() - entry.openedAt));
    socket.once('connect', () => {
      if (first) socket.write(first);
      if (trickle) {
        let at = 0;
        const timer = setInterval(() => {
          if (socket.destroyed || at >= trickle.bytes.length) return clearInterval(timer);
          socket.write(trickle.bytes[at++]);
        }, trickle.everyMs);
        socket.once('close', () => clearInterval(timer));
      }
    });
    all.push(entry);
  }
  await sleep(200);
  return all;
}

const closeAll = (hostile: Hostile[]) => hostile.forEach((entry) => entry.socket.destroy());
const openFiles = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Waits until every hostile connection is closed by the server (bounded); the slowest close, in ms. */
async function closedByServer(hostile: Hostile[], withinMs: number): Promise<number> {
  const started = performance.now();
  while (hostile.some((entry) => entry.closedAfterMs === undefined) && performance.now() - started < withinMs) await sleep(50);
  const open = hostile.filter((entry) => entry.closedAfterMs === undefined).length;
  if (open > 0) throw new Error(`${open} of ${hostile.length} hostile connections still open after ${withinMs} ms`);
  return Math.round(Math.max(...hostile.map((entry) => entry.closedAfterMs!)));
}

/** A legitimate caller on a new connection each attempt: ms until it got its answer. */
async function legitimateHttp(url: string, limitMs = 10_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const request = httpRequest(`${url}/health/live`, { agent: false, timeout: 1_000 }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(0));
      request.end();
    });
    if (status === 200) return Math.round(performance.now() - started);
    if (performance.now() - started > limitMs) throw new Error(`no answer within ${limitMs} ms`);
    await sleep(25);
  }
}

async function legitimateGrpc(address: string, limitMs = 10_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const client = new GrpcTestClient(address, credentials.createInsecure());
    try {
      const result = await client.call('grpc.health.v1.Health', 'Check', {});
      if (!result.error) return Math.round(performance.now() - started);
      expect(result.error.code).toBe(GrpcStatus.UNAVAILABLE);
    } finally {
      client.close();
    }
    if (performance.now() - started > limitMs) throw new Error(`no answer within ${limitMs} ms`);
    await sleep(25);
  }
}

function http2Session(address: string): Promise<{ session: ClientHttp2Session; closedAfter: Promise<number> }> {
  const opened = performance.now();
  const session = http2Connect(`http://${address}`);
  session.on('error', () => undefined);
  const closedAfter = new Promise<number>((resolve) => session.once('close', () => resolve(performance.now() - opened)));
  return new Promise((resolve) => session.once('connect', () => resolve({ session, closedAfter })));
}

describe('Listener bounds under hostile load', () => {
  const provider = testDatabaseProviders()[0];
  let sandbox: ProcessorSandbox;
  let db: TestDatabase;
  let app: AppProcess;
  let httpPort: number;
  let grpcPort: number;

  beforeAll(async () => {
    sandbox = new ProcessorSandbox();
    await sandbox.start();
    db = await createTestDatabase(provider);
    app = await spawnApp({ DATABASE_URL: db.url, CONNECTOR_BASE_URL_ALLOWLIST: sandbox.url, ...BOUNDS });
    httpPort = Number(new URL(app.httpUrl).port);
    grpcPort = Number(app.grpcAddress.split(':')[1]);
  });
  afterAll(async () => {
    await app?.kill('SIGTERM');
    await sandbox?.close();
    await db?.drop();
  });

  it(`REST: ${HOSTILE} idle connections against HTTP_MAX_CONNECTIONS=50 hold at most 50 files; each is closed after HTTP_HEADERS_TIMEOUT_MS; a new caller is answered meanwhile`, async () => {
    const baseline = openFiles(app.child.pid!);
    const hostile = await openHostile(httpPort, HOSTILE);
    const peak = openFiles(app.child.pid!);
    const legitimateMs = await legitimateHttp(app.httpUrl);
    const closedAfterMs = await closedByServer(hostile, 6_000);

    expect(peak - baseline).toBeLessThanOrEqual(50 + 5);
    expect(legitimateMs).toBeLessThan(1_500 + 1_000 + 1_000);
    expect(closedAfterMs).toBeLessThan(1_500 + 1_500);
    recordFigure('bounds', { bound: 'HTTP_MAX_CONNECTIONS, HTTP_HEADERS_TIMEOUT_MS', configured: '50, 1500 ms', opened: `${HOSTILE} idle TCP`, openFilesPeak: `${peak} (${baseline} before)`, heldOpenAfterMs: closedAfterMs, legitimateMs });
  });

  it('REST: slow headers (a byte every 500 ms) are cut at HTTP_HEADERS_TIMEOUT_MS; a new caller is answered at once', async () => {
    const hostile = await openHostile(httpPort, 30, 'POST /v1/customers HTTP/1.1\r\nHost: x\r\n', { bytes: 'x-slow-header: '.padEnd(200, 'a'), everyMs: 500 });
    const legitimateMs = await legitimateHttp(app.httpUrl);
    const closedAfterMs = await closedByServer(hostile, 6_000);

    expect(legitimateMs).toBeLessThan(500);
    expect(closedAfterMs).toBeLessThan(1_500 + 1_500);
    recordFigure('bounds', { bound: 'HTTP_HEADERS_TIMEOUT_MS', configured: '1500 ms', opened: '30 slow-header requests (1 byte / 500 ms)', openFilesPeak: '', heldOpenAfterMs: closedAfterMs, legitimateMs });
  });

  it('REST: slow bodies (a byte every 500 ms) are cut at REQUEST_RECEIVE_TIMEOUT_MS with 408; a new caller is answered at once', async () => {
    const head = 'POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const hostile = await openHostile(httpPort, 30, head, { bytes: '{"merchant_customer_id":"'.padEnd(1000, 'a'), everyMs: 500 });
    const answers: string[] = [];
    for (const entry of hostile) entry.socket.on('data', (chunk: Buffer) => answers.push(chunk.toString('latin1').split('\r\n')[0]));
    const legitimateMs = await legitimateHttp(app.httpUrl);
    const closedAfterMs = await closedByServer(hostile, 6_000);

    expect(legitimateMs).toBeLessThan(500);
    expect(closedAfterMs).toBeLessThan(2_500 + 1_500);
    expect(closedAfterMs).toBeGreaterThanOrEqual(2_000);
    expect(new Set(answers)).toEqual(new Set(['HTTP/1.1 408 Request Timeout']));
    recordFigure('bounds', { bound: 'REQUEST_RECEIVE_TIMEOUT_MS (REST body)', configured: '2500 ms', opened: '30 slow-body requests (1 byte / 500 ms)', openFilesPeak: '', heldOpenAfterMs: closedAfterMs, legitimateMs });
  });

  it('REST: an idle kept-alive connection is closed after HTTP_KEEP_ALIVE_TIMEOUT_MS (plus Node’s keepAliveTimeoutBuffer, 1 s)', async () => {
    const [entry] = await openHostile(httpPort, 1, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    const closedAfterMs = await closedByServer([entry], 4_000);

    expect(closedAfterMs).toBeLessThan(1_000 + 1_000 + 500);
    recordFigure('bounds', { bound: 'HTTP_KEEP_ALIVE_TIMEOUT_MS', configured: '1000 ms', opened: '1 kept-alive connection after a request', openFilesPeak: '', heldOpenAfterMs: closedAfterMs, legitimateMs: '' });
  });

  it(`gRPC: ${HOSTILE} idle connections against GRPC_MAX_CONNECTIONS=50 hold at most 50 files; each is closed after GRPC_MAX_CONNECTION_IDLE_MS; a new caller is answered meanwhile`, async () => {
    const baseline = openFiles(app.child.pid!);
    const hostile = await openHostile(grpcPort, HOSTILE);
    const peak = openFiles(app.child.pid!);
    const legitimateMs = await legitimateGrpc(app.grpcAddress);
    const closedAfterMs = await closedByServer(hostile, 8_000);

    expect(peak - baseline).toBeLessThanOrEqual(50 + 5);
    expect(legitimateMs).toBeLessThan(1_500 + 2_000);
    recordFigure('bounds', { bound: 'GRPC_MAX_CONNECTIONS, GRPC_MAX_CONNECTION_IDLE_MS', configured: '50, 1500 ms', opened: `${HOSTILE} idle TCP`, openFilesPeak: `${peak} (${baseline} before)`, heldOpenAfterMs: closedAfterMs, legitimateMs });
  });

  it('gRPC: idle HTTP/2 channels get GOAWAY within twice GRPC_MAX_CONNECTION_IDLE_MS (grpc-js checks once per period)', async () => {
    const sessions = await Promise.all(Array.from({ length: 30 }, () => http2Session(app.grpcAddress)));
    const legitimateMs = await legitimateGrpc(app.grpcAddress);
    const closedAfterMs = Math.round(Math.max(...(await Promise.all(sessions.map((s) => s.closedAfter)))));

    expect(legitimateMs).toBeLessThan(500);
    expect(closedAfterMs).toBeLessThan(2 * 1_500 + 500);
    recordFigure('bounds', { bound: 'GRPC_MAX_CONNECTION_IDLE_MS', configured: '1500 ms', opened: '30 idle HTTP/2 channels', openFilesPeak: '', heldOpenAfterMs: closedAfterMs, legitimateMs });
  });

  it('gRPC: a connection kept busy (an open Watch call) gets GOAWAY at GRPC_MAX_CONNECTION_AGE_MS and is closed after the grace', async () => {
    const { session, closedAfter } = await http2Session(app.grpcAddress);
    let goawayAfterMs: number | undefined;
    const opened = performance.now();
    session.once('goaway', () => (goawayAfterMs = performance.now() - opened));
    // A server-streaming call that never ends: the connection is never idle, only its age can close it.
    const watch = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Watch', 'content-type': 'application/grpc', te: 'trailers' });
    watch.on('error', () => undefined);
    watch.on('data', () => undefined);
    watch.end(Buffer.from([0, 0, 0, 0, 0]));

    const closedAfterMs = Math.round(await closedAfter);
    const legitimateMs = await legitimateGrpc(app.grpcAddress);

    expect(goawayAfterMs).toBeGreaterThanOrEqual(3_000 * 0.9 - 50);
    expect(goawayAfterMs).toBeLessThan(3_000 * 1.1 + 500);
    expect(closedAfterMs).toBeLessThan(3_000 * 1.1 + 1_000 + 1_000);
    expect(legitimateMs).toBeLessThan(500);
    recordFigure('bounds', { bound: 'GRPC_MAX_CONNECTION_AGE_MS (+ GRACE)', configured: '3000 ms (+ 1000 ms)', opened: '1 HTTP/2 channel with a call open', openFilesPeak: '', heldOpenAfterMs: closedAfterMs, legitimateMs });
  });

  it('gRPC: a call whose message trickles in (a byte every 500 ms) is cancelled at REQUEST_RECEIVE_TIMEOUT_MS; a new caller is answered at once', async () => {
    const { session } = await http2Session(app.grpcAddress);
    const streams = Array.from({ length: 20 }, () => {
      const opened = performance.now();
      const stream = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers' });
      stream.on('error', () => undefined);
      stream.on('data', () => undefined);
      const frame = Buffer.from([0, 0, 0, 0, 100, ...Buffer.alloc(100, 0x0a)]);
      let at = 0;
      const timer = setInterval(() => (stream.destroyed || at >= frame.length ? clearInterval(timer) : stream.write(frame.subarray(at, ++at))), 500);
      return new Promise<number>((resolve) => stream.once('close', () => (clearInterval(timer), resolve(performance.now() - opened))));
    });
    try {
      const legitimateMs = await legitimateGrpc(app.grpcAddress);
      const cancelledAfterMs = Math.round(Math.max(...(await Promise.all(streams))));

      expect(legitimateMs).toBeLessThan(500);
      expect(cancelledAfterMs).toBeGreaterThanOrEqual(2_000);
      expect(cancelledAfterMs).toBeLessThan(2_500 + 1_000);
      recordFigure('bounds', { bound: 'REQUEST_RECEIVE_TIMEOUT_MS (gRPC message)', configured: '2500 ms', opened: '20 slow-message calls (1 byte / 500 ms)', openFilesPeak: '', heldOpenAfterMs: cancelledAfterMs, legitimateMs });
    } finally {
      session.destroy();
    }
  });
});
