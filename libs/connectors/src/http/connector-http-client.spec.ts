import type { AppConfig } from '@app/common/config/app-config';
import { ErrorReason } from '@app/common/errors/error-reason';
import { createAppLogger } from '@app/common/logging/logger';
import { captureLog, type CapturedLog } from '@app/testing/capturing-log';
import { closedPort, startLocalHttpServer, type LocalHttpServer } from '@app/testing/local-http-server';
import { ConnectorHttpClient, type OutboundRequest } from './connector-http-client';

const ONE_MIB = 1024 * 1024;

function post(url: string, headers: Record<string, string> = {}): OutboundRequest {
  return { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'email=a%40b.co' };
}

describe(ConnectorHttpClient.name, () => {
  let server: LocalHttpServer;
  let log: CapturedLog;
  let sut: ConnectorHttpClient;
  let targetHits = 0;

  beforeAll(async () => {
    server = await startLocalHttpServer((request, response, raw) => {
      switch (request.path) {
        case '/echo':
          response.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
          response.end(JSON.stringify({ method: request.method, headers: request.headers, body: request.body }));
          return;
        case '/hang':
          return;
        case '/reset':
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          response.write('{"id":"cus_', () => raw.socket.destroy());
          return;
        case '/slow-body':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('{"id":');
          return;
        case '/redirect':
          response.writeHead(302, { location: '/target' });
          response.end();
          return;
        case '/target':
          targetHits++;
          response.end('{}');
          return;
        case '/too-large-streamed':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('x'.repeat(ONE_MIB + 1));
          return;
        case '/too-large-declared':
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(ONE_MIB + 1) });
          response.end('x'.repeat(ONE_MIB + 1));
          return;
        case '/exactly-one-mib':
          response.end('x'.repeat(ONE_MIB));
          return;
        case '/headers':
          response.setHeader('set-cookie', ['session=abc; HttpOnly', 'tracker=1']);
          response.setHeader('request-id', 'req_123');
          response.setHeader('x-latin1', 'caf\u00e9');
          response.setHeader('x-multi', ['a', 'b']);
          response.end('{}');
          return;
        default:
          response.writeHead(404);
          response.end();
      }
    });
  });

  beforeEach(() => {
    log = captureLog();
    sut = new ConnectorHttpClient({ connectorTimeoutMs: 2000 } as AppConfig, createAppLogger({ level: 'info', destination: log.stream }));
  });

  afterEach(async () => {
    await sut.onModuleDestroy();
  });

  afterAll(async () => {
    await server.close();
  });

  it('sends the method, headers and body and returns status, headers and body', async () => {
    const response = await sut.send('stripe', post(`${server.baseUrl}echo`, { 'idempotency-key': 'idem-1' }));

    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'x-echo': 'yes' });
    expect(JSON.parse(response.body)).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'idem-1' },
      body: 'email=a%40b.co',
    });
  });

  it('logs one line per call with connector, status, duration and the URL without its query', async () => {
    await sut.send('stripe', post(`${server.baseUrl}echo?token=secret-in-query`));

    expect(log.records()).toEqual([
      expect.objectContaining({
        msg: 'processor call',
        connector: 'stripe',
        method: 'POST',
        url: `${server.baseUrl}echo`,
        status: 201,
        duration_ms: expect.any(Number),
      }),
    ]);
    expect(log.lines.join('')).not.toContain('secret-in-query');
  });

  it.each([
    ['the processor never answers', 'hang'],
    ['the body never ends', 'slow-body'],
  ])('gives up at the deadline with CONNECTOR_TIMEOUT, outcome unknown, when %s', async (_case, path) => {
    const fast = new ConnectorHttpClient({ connectorTimeoutMs: 200 } as AppConfig, createAppLogger({ level: 'info', destination: log.stream }));
    try {
      await expect(fast.send('stripe', post(`${server.baseUrl}${path}`))).rejects.toMatchObject({
        reason: ErrorReason.ConnectorTimeout,
        message: 'stripe did not answer within 200 ms',
        details: { outcomeUnknown: true },
      });
    } finally {
      await fast.onModuleDestroy();
    }
    expect(log.records()).toEqual([
      expect.objectContaining({ msg: 'processor call failed', connector: 'stripe', error: ErrorReason.ConnectorTimeout, duration_ms: expect.any(Number) }),
    ]);
  });

  it('reports a refused connection as CONNECTOR_UNAVAILABLE, outcome known (nothing was sent)', async () => {
    const port = await closedPort();

    await expect(sut.send('stripe', post(`http://127.0.0.1:${port}/v1/customers`))).rejects.toMatchObject({
      reason: ErrorReason.ConnectorUnavailable,
      message: 'stripe could not be reached (ECONNREFUSED)',
      details: { outcomeUnknown: false },
    });
  });

  it('reports a connection reset mid-response as CONNECTOR_UNAVAILABLE, outcome unknown', async () => {
    await expect(sut.send('stripe', post(`${server.baseUrl}reset`))).rejects.toMatchObject({
      reason: ErrorReason.ConnectorUnavailable,
      details: { outcomeUnknown: true },
    });
  });

  it('does not follow a redirect', async () => {
    const response = await sut.send('stripe', post(`${server.baseUrl}redirect`));

    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/target');
    expect(targetHits).toBe(0);
  });

  it.each(['too-large-streamed', 'too-large-declared'])('refuses a response over 1 MiB (%s) as CONNECTOR_INVALID_RESPONSE', async (path) => {
    await expect(sut.send('stripe', post(`${server.baseUrl}${path}`))).rejects.toMatchObject({
      reason: ErrorReason.ConnectorInvalidResponse,
      details: { outcomeUnknown: true },
    });
  });

  it('accepts a response of exactly 1 MiB', async () => {
    const response = await sut.send('stripe', post(`${server.baseUrl}exactly-one-mib`));

    expect(response.body).toHaveLength(ONE_MIB);
  });

  it('drops set-cookie and non-ASCII values from the returned headers, joining repeated ones', async () => {
    const { headers } = await sut.send('stripe', post(`${server.baseUrl}headers`));

    expect(headers).toMatchObject({ 'request-id': 'req_123', 'x-multi': 'a, b' });
    expect(headers).not.toHaveProperty('set-cookie');
    expect(headers).not.toHaveProperty('x-latin1');
    expect(headers).not.toHaveProperty('connection');
  });
});
