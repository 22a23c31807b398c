import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { registerSensitiveValues, runWithRequestContext, setRequestConnector, type RequestContext } from '../context/request-context';
import { captureLog, type CapturedLog } from '@app/testing/capturing-log';
import { createAppLogger, drainDestination, type AppLogger } from './logger';

const SECRET = 'secret-value-123';

function requestContext(overrides: Partial<RequestContext> = {}): RequestContext {
  return { requestId: 'req-0001', transport: 'grpc', tenantId: 'public', merchantId: 'merchant-1', sensitiveValues: new Set(), ...overrides };
}

describe(createAppLogger.name, () => {
  let capture: CapturedLog;
  let sut: AppLogger;

  beforeEach(() => {
    capture = captureLog();
    sut = createAppLogger({ level: 'info', destination: capture.stream });
  });

  it('writes one JSON line with the level label, service and ISO time', () => {
    sut.info({ port: 3000 }, 'listening');

    expect(capture.records()).toEqual([
      expect.objectContaining({ level: 'info', service: 'connector-service', port: 3000, msg: 'listening', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }),
    ]);
  });

  it('carries the request context on every line logged inside it', () => {
    runWithRequestContext(requestContext(), () => {
      setRequestConnector('stripe');
      sut.info('first');
      sut.warn({ status: 402 }, 'second');
    });

    expect(capture.records()).toEqual([
      expect.objectContaining({ msg: 'first', request_id: 'req-0001', transport: 'grpc', tenant_id: 'public', merchant_id: 'merchant-1', connector: 'stripe' }),
      expect.objectContaining({ msg: 'second', request_id: 'req-0001', status: 402 }),
    ]);
  });

  it('names the connector account a request selected', () => {
    runWithRequestContext(requestContext(), () => {
      setRequestConnector('stripe', 'stripe-eu');
      sut.info('call');
    });

    expect(capture.records()[0]).toMatchObject({ connector: 'stripe', connector_account: 'stripe-eu' });
  });

  it('writes human-readable lines when asked (a terminal), still scrubbed', () => {
    const pretty = createAppLogger({ level: 'info', destination: capture.stream, pretty: true });

    runWithRequestContext(requestContext(), () => {
      registerSensitiveValues(SECRET);
      pretty.info({ note: SECRET }, 'processor call');
    });

    const line = capture.lines.join('');
    expect(() => JSON.parse(line)).toThrow();
    expect(line).toMatch(/INFO.*processor call/);
    expect(line).toContain('req-0001');
    expect(line).not.toContain(SECRET);
  });

  it('adds no request fields outside a request', () => {
    sut.info('boot');

    expect(capture.records()[0]).not.toHaveProperty('request_id');
  });

  it.each<[string, (logger: AppLogger) => void]>([
    ['message text', (logger) => logger.info(`calling processor with ${SECRET}`)],
    ['a top-level field', (logger) => logger.info({ token: SECRET }, 'call')],
    ['a nested field', (logger) => logger.info({ outbound: { headers: { 'x-custom': `v=${SECRET}` } } }, 'call')],
    ['an array element', (logger) => logger.info({ values: ['a', SECRET] }, 'call')],
    ['an error message', (logger) => logger.error({ err: new Error(`refused ${SECRET}`) }, 'failed')],
    ['a format argument', (logger) => logger.info('key %s', SECRET)],
  ])('never writes a registered value logged as %s, and keeps the request id', (_case, log) => {
    runWithRequestContext(requestContext(), () => {
      registerSensitiveValues(SECRET);
      log(sut);
    });

    expect(capture.lines).toHaveLength(1);
    expect(capture.lines[0]).not.toContain(SECRET);
    expect(capture.lines[0]).toContain('[REDACTED]');
    expect(capture.records()[0]).toMatchObject({ request_id: 'req-0001' });
  });

  it('scrubs a registered value containing characters JSON escapes', () => {
    const value = 'pa"ss\\word-42';

    runWithRequestContext(requestContext(), () => {
      registerSensitiveValues(value);
      sut.info({ nested: { value } }, 'call');
    });

    expect(capture.records()[0]).toMatchObject({ nested: { value: '[REDACTED]' } });
  });

  it('does not scrub one request’s values from another request’s lines', () => {
    runWithRequestContext(requestContext({ requestId: 'req-a' }), () => registerSensitiveValues(SECRET));
    runWithRequestContext(requestContext({ requestId: 'req-b' }), () => sut.info({ note: SECRET }, 'unrelated'));

    expect(capture.records()[0]).toMatchObject({ request_id: 'req-b', note: SECRET });
  });

  it.each(['authorization', 'api_key', 'password', 'email', 'phone', 'name'])('censors a field named %s by path', (field) => {
    sut.info({ customer: { [field]: 'plain-looking-value' } }, 'call');

    expect(capture.records()[0]).toMatchObject({ customer: { [field]: '[REDACTED]' } });
  });

  it('censors a copy, leaving the logged object as the caller holds it', () => {
    const customer = { name: 'plain-looking-value', id: 'c1' };
    sut.info({ customer, count: 2 }, 'call');

    expect(capture.records()[0]).toMatchObject({ customer: { name: '[REDACTED]', id: 'c1' }, count: 2 });
    expect(customer).toEqual({ name: 'plain-looking-value', id: 'c1' });
  });

  it('scrubs credential and PII patterns even outside a request', () => {
    sut.info('key sk_live_AbCdEf123 for ada@example.com, +44 20 7123 4567');

    expect(capture.records()[0]).toMatchObject({ msg: 'key [REDACTED] for [REDACTED], [REDACTED]' });
  });
});

describe(drainDestination.name, () => {
  it('has every line written when it resolves, from an asynchronous destination', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'drain-')), 'log');
    const destination = pino.destination({ dest: file, sync: false, mkdir: true });
    await new Promise((resolve) => destination.once('ready', resolve));
    for (let i = 0; i < 5_000; i += 1) destination.write(`{"line":${i}}\n`);

    await drainDestination(destination);

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(5_000);
    expect(lines.at(-1)).toBe('{"line":4999}');
    destination.end();
  });
});
