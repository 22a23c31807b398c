import { ErrorReason } from '@app/common/errors/error-reason';
import { createCustomer, useE2eEnvironment } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { startTestApp, stripeConfigHeader } from '../support/test-app';
import { sample, scrape } from '../support/prometheus';
import { createTestDatabase, testDatabaseProviders } from '../support/test-databases';

describe.each(testDatabaseProviders())('GET /metrics (METRICS_PORT) on %s', (provider) => {
  const env = useE2eEnvironment(provider);
  const merchant = 'metrics-merchant-7f3a';
  const stripe = () => ({ 'x-connector-config': stripeConfigHeader(env.sandbox), 'x-merchant-id': merchant });

  it('serves the Prometheus text format with prefixed process metrics', async () => {
    const { status, contentType, text } = await scrape(env.app.metricsUrl);

    expect(status).toBe(200);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sample(text, 'connector_service_process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'connector_service_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^connector_service_/);
  });

  it('counts requests by transport, connector and outcome, creates vs replays, and processor latency by status', async () => {
    // The first Create with a key also asks Stripe whose key it is (GET /v1/account): done before counting.
    await createCustomer(env.app, 'rest', { merchant_customer_id: uniqueCustomerId('metrics-warm-up') }, stripe());
    const before = (await scrape(env.app.metricsUrl)).text;
    const id = uniqueCustomerId('metrics-customer');

    await createCustomer(env.app, 'rest', { merchant_customer_id: id }, stripe());
    await createCustomer(env.app, 'grpc', { merchant_customer_id: id }, stripe());
    await createCustomer(env.app, 'rest', { merchant_customer_id: 'has space' }, stripe());
    env.sandbox.injectFault('stripe', { status: 402, body: JSON.stringify({ error: { type: 'card_error', code: 'card_declined', message: 'declined' } }) });
    await createCustomer(env.app, 'grpc', { merchant_customer_id: uniqueCustomerId('declined') }, stripe());
    const { text } = await scrape(env.app.metricsUrl);

    const delta = (name: string, labels: Record<string, string>) => (sample(text, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('connector_service_requests_total', { transport: 'http', operation: 'POST /v1/customers', connector: 'stripe', outcome: 'created' })).toBe(1);
    expect(delta('connector_service_requests_total', { transport: 'grpc', operation: 'types.CustomerService/Create', connector: 'stripe', outcome: 'replayed' })).toBe(1);
    expect(delta('connector_service_requests_total', { transport: 'http', operation: 'POST /v1/customers', connector: 'none', outcome: ErrorReason.ValidationFailed })).toBe(1);
    expect(delta('connector_service_requests_total', { transport: 'grpc', operation: 'types.CustomerService/Create', connector: 'stripe', outcome: ErrorReason.ConnectorDeclined })).toBe(1);
    expect(delta('connector_service_customer_creates_total', { connector: 'stripe', result: 'created' })).toBe(1);
    expect(delta('connector_service_customer_creates_total', { connector: 'stripe', result: 'replayed' })).toBe(1);
    expect(delta('connector_service_processor_request_duration_seconds_count', { connector: 'stripe', status: '200' })).toBe(1);
    expect(delta('connector_service_processor_request_duration_seconds_count', { connector: 'stripe', status: '402' })).toBe(1);
    expect(delta('connector_service_request_duration_seconds_count', { transport: 'grpc', operation: 'types.CustomerService/Create' })).toBe(2);
  });

  it('never labels a sample with a merchant, customer or request id', async () => {
    const id = uniqueCustomerId('never-in-metrics');
    const outcome = await createCustomer(env.app, 'rest', { merchant_customer_id: id }, stripe());

    const { text } = await scrape(env.app.metricsUrl);

    for (const value of [merchant, id, outcome.response!.connector_customer_id!, outcome.requestId!]) expect(text).not.toContain(value);
  });

  it('reads pending reservations from the database at scrape time', async () => {
    const held = env.sandbox.holdNextResponse('stripe');
    const create = createCustomer(env.app, 'rest', { merchant_customer_id: uniqueCustomerId('pending') }, stripe());
    await held.reached;

    const during = (await scrape(env.app.metricsUrl)).text;
    held.release();
    await create;
    const after = (await scrape(env.app.metricsUrl)).text;

    expect(sample(during, 'connector_service_pending_reservations', { connector: 'stripe' })).toBe(1);
    expect(sample(after, 'connector_service_pending_reservations', { connector: 'stripe' })).toBe(0);
    expect(sample(after, 'connector_service_pending_reservations', { connector: 'adyen' })).toBe(0);
  });

  it('shows the circuit breakers of each connector called, by state, never naming their origin', async () => {
    const origin = new URL(env.sandbox.baseUrl('stripe')).origin;

    const { text } = await scrape(env.app.metricsUrl);

    expect(sample(text, 'connector_service_circuit_breaker_state', { connector: 'stripe', state: 'closed' })).toBe(1);
    expect(sample(text, 'connector_service_circuit_breaker_state', { connector: 'stripe', state: 'open' })).toBe(0);
    expect(text).not.toContain(origin);
    expect(text).not.toContain(new URL(origin).host);
  });

  it('is served on its own listener only: the API port answers /metrics with 404', async () => {
    const onApi = await fetch(`${env.app.httpUrl}/metrics`);
    const elsewhere = await fetch(`${env.app.metricsUrl}/admin`);

    expect(onApi.status).toBe(404);
    expect(elsewhere.status).toBe(404);
    expect(new URL(env.app.metricsUrl).hostname).toBe('127.0.0.1');
    expect(env.app.metricsUrl).not.toBe(env.app.httpUrl);
  });

  it(`reports the database pool ${provider === 'postgres' ? 'of PostgreSQL' : 'only on PostgreSQL'}`, async () => {
    const { text } = await scrape(env.app.metricsUrl);

    if (provider === 'postgres') {
      expect(sample(text, 'connector_service_db_pool_total_connections')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'connector_service_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'connector_service_db_pool_waiting_clients')).toBe(0);
    } else {
      expect(text).not.toContain('connector_service_db_pool_');
    }
  });

  it('keeps each instance’s metrics apart (two apps in one process)', async () => {
    const db = await createTestDatabase(provider);
    const other = await startTestApp(db.url, env.sandbox);
    try {
      const { text } = await scrape(other.metricsUrl);

      expect(sample(text, 'connector_service_customer_creates_total', { connector: 'stripe', result: 'created' })).toBeUndefined();
      expect(sample(text, 'connector_service_pending_reservations', { connector: 'stripe' })).toBe(0);
    } finally {
      await other.close();
      await db.drop();
    }
  });
});
