import { ErrorReason } from '@app/common/errors/error-reason';
import { createCustomer, useE2eEnvironment, type TransportName } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { getJson, startTestApp, stripeConfigHeader, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders } from '../support/test-databases';

const API_KEY = 'sk_test_51RequestLogsKey0001';
const EMAIL = 'ada.logs@example.com';

const requestLines = (app: TestApp, requestId: string) => app.logs.parsed().filter((line) => line.request_id === requestId && line.msg === 'request completed');

describe.each(testDatabaseProviders())('The per-request log line on %s', (provider) => {
  const env = useE2eEnvironment(provider);
  const headers = (requestId: string) => ({ 'x-connector-config': stripeConfigHeader(env.sandbox, API_KEY), 'x-merchant-id': 'acme', 'x-tenant-id': 'eu', 'x-request-id': requestId });

  it.each<[TransportName, string]>([
    ['rest', 'POST /v1/customers'],
    ['grpc', 'types.CustomerService/Create'],
  ])('is written once per %s request, with ids, scope, connector, outcome and both durations', async (transport, operation) => {
    const id = uniqueCustomerId(`log-${transport}`);

    await createCustomer(env.app, transport, { merchant_customer_id: id, email: { value: EMAIL } }, headers(`${id}-1`));
    await createCustomer(env.app, transport, { merchant_customer_id: id, email: { value: EMAIL } }, headers(`${id}-2`));

    const [created] = requestLines(env.app, `${id}-1`);
    const [replayed] = requestLines(env.app, `${id}-2`);
    expect(requestLines(env.app, `${id}-1`)).toHaveLength(1);
    expect(created).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'connector-service',
      msg: 'request completed',
      request_id: `${id}-1`,
      transport: transport === 'rest' ? 'http' : 'grpc',
      operation,
      status: transport === 'rest' ? 201 : 0,
      tenant_id: 'eu',
      merchant_id: 'acme',
      connector: 'stripe',
      outcome: 'created',
      duration_ms: expect.any(Number),
      processor_ms: expect.any(Number),
    });
    expect(created.processor_ms).toBeGreaterThan(0);
    expect(created.duration_ms).toBeGreaterThanOrEqual(created.processor_ms as number);
    expect(replayed).toMatchObject({ outcome: 'replayed', processor_ms: 0 });
    // Lines written inside the handler carry the request's context too.
    // The create's call (the first request with a key also asks Stripe whose key it is: GET /v1/account).
    expect(env.app.logs.parsed().filter((line) => line.msg === 'processor call' && line.request_id === `${id}-1` && String(line.url).endsWith('/v1/customers'))).toEqual([
      expect.objectContaining({ tenant_id: 'eu', merchant_id: 'acme', connector: 'stripe', transport: transport === 'rest' ? 'http' : 'grpc' }),
    ]);
  });

  it.each<[TransportName]>([['rest'], ['grpc']])('names the error reason as the outcome (%s)', async (transport) => {
    const requestId = uniqueCustomerId(`log-refused-${transport}`);

    await createCustomer(env.app, transport, { merchant_customer_id: 'has space' }, headers(requestId));

    expect(requestLines(env.app, requestId)).toEqual([expect.objectContaining({ outcome: ErrorReason.ValidationFailed, status: transport === 'rest' ? 400 : 3 })]);
  });

  it.each<[string, string, (requestId: string) => Promise<unknown>, Record<string, unknown>]>([
    ['an unknown route', 'log-404', (id) => fetch(`${env.app.httpUrl}/v2/nothing`, { headers: { 'x-request-id': id } }), { operation: 'unmatched', status: 404, outcome: ErrorReason.RouteNotFound }],
    [
      'a body that is not JSON (refused before any handler)',
      'log-bad-json',
      (id) => fetch(`${env.app.httpUrl}/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: '{"merchant' }),
      { status: 400, outcome: ErrorReason.InvalidDataFormat },
    ],
    [
      'a wrong admin token (refused by the guard)',
      'log-401',
      (id) => getJson(`${env.app.httpUrl}/v1/admin/customer-mappings`, { authorization: 'Bearer wrong-token-0000000', 'x-request-id': id }),
      { operation: 'GET /v1/admin/customer-mappings', status: 401, outcome: ErrorReason.AdminUnauthenticated },
    ],
  ])('is written for %s too', async (_case, requestId, send, expected) => {
    await send(requestId);

    expect(requestLines(env.app, requestId)).toEqual([expect.objectContaining({ transport: 'http', ...expected })]);
  });

  it('holds no header, query string, credential or personal data', async () => {
    const id = uniqueCustomerId('log-private');
    await createCustomer(env.app, 'rest', { merchant_customer_id: id, email: EMAIL, customer_name: 'Ada Lovelace' }, headers(`${id}-r`));
    await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?merchant_id=acme&merchant_customer_id=${id}`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-request-id': `${id}-admin` });

    const lines = [...requestLines(env.app, `${id}-r`), ...requestLines(env.app, `${id}-admin`)].map((line) => JSON.stringify(line));

    expect(lines).toHaveLength(2);
    for (const secret of [API_KEY, EMAIL, 'Ada Lovelace', TEST_ADMIN_TOKEN, 'x-connector-config', 'authorization', `merchant_customer_id=${id}`]) {
      for (const line of lines) expect(line).not.toContain(secret);
    }
    expect(env.app.logs.text).not.toContain(API_KEY);
  });

  it('logs health probes and metrics scrapes at debug only', async () => {
    await fetch(`${env.app.httpUrl}/health`, { headers: { 'x-request-id': 'log-probe' } });
    await fetch(`${env.app.metricsUrl}/metrics`, { headers: { 'x-request-id': 'log-scrape' } });

    expect([...requestLines(env.app, 'log-probe'), ...requestLines(env.app, 'log-scrape')]).toEqual([]);
  });
});

describe('LOG_LEVEL', () => {
  const provider = testDatabaseProviders()[0];

  it.each<[string, number, number]>([
    ['warn', 0, 0],
    ['debug', 1, 1],
  ])('%s: request lines %i, probe lines %i', async (level, requestLinesExpected, probeLinesExpected) => {
    const env = { db: await createTestDatabase(provider) };
    const { ProcessorSandbox } = await import('@app/testing/sandbox/processor-sandbox');
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const app = await startTestApp(env.db.url, sandbox, { LOG_LEVEL: level });
    try {
      await createCustomer(app, 'rest', { merchant_customer_id: uniqueCustomerId('level') }, { 'x-connector-config': stripeConfigHeader(sandbox), 'x-request-id': 'level-create' });
      await fetch(`${app.httpUrl}/health/live`, { headers: { 'x-request-id': 'level-probe' } });

      expect(requestLines(app, 'level-create')).toHaveLength(requestLinesExpected);
      expect(requestLines(app, 'level-probe')).toHaveLength(probeLinesExpected);
      if (level === 'warn') expect(app.logs.parsed().every((line) => line.level === 'warn' || line.level === 'error' || line.level === 'fatal')).toBe(true);
    } finally {
      await app.close();
      await sandbox.close();
      await env.db.drop();
    }
  });
});
