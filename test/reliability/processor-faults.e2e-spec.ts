import { ErrorReason } from '@app/common/errors/error-reason';
import type { InjectedFault } from '@app/testing/sandbox/simulators';
import { createCustomer, TRANSPORTS, useE2eEnvironment } from '../support/e2e-environment';
import { expectRefused, uniqueCustomerId } from '../support/expectations';
import { recordFigure } from '../support/reliability-report';
import { getJson, startTestApp, stripeConfigHeader, TEST_ADMIN_TOKEN } from '../support/test-app';
import { testDatabaseProviders } from '../support/test-databases';

const stripeError = (type: string, message: string) => JSON.stringify({ error: { type, message } });

/** Faults of the processor, each giving its error, never an active mapping behind. */
describe.each(testDatabaseProviders())('Processor faults on %s', (provider) => {
  const env = useE2eEnvironment(provider, { CONNECTOR_TIMEOUT_MS: '700', CONNECTOR_MAX_ATTEMPTS: '1' });
  const headers = () => ({ 'x-connector-config': stripeConfigHeader(env.sandbox) });
  const mappingsOf = async (id: string) =>
    (await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?merchant_customer_id=${id}`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).body.mappings as { status: string }[];

  beforeEach(() => env.sandbox.reset());

  const faults: [string, InjectedFault, ErrorReason, 'kept' | 'freed'][] = [
    ['a timeout (no answer)', { delayMs: 2_000, status: 200, body: '{}' }, ErrorReason.ConnectorTimeout, 'kept'],
    ['a connection reset before the processor acted', { dropConnection: true }, ErrorReason.ConnectorUnavailable, 'kept'],
    ['a connection reset after the processor acted', { dropAfterProcessing: true }, ErrorReason.ConnectorUnavailable, 'kept'],
    ['a 500', { status: 500, body: stripeError('api_error', 'Something went wrong') }, ErrorReason.ConnectorInternalError, 'kept'],
    ['a 503 HTML page from a proxy', { status: 503, headers: { 'content-type': 'text/html' }, body: '<html>Service Unavailable</html>' }, ErrorReason.ConnectorUnavailable, 'kept'],
    ['a 429 with Retry-After', { status: 429, headers: { 'retry-after': '30' }, body: stripeError('invalid_request_error', 'Too many requests') }, ErrorReason.ConnectorRateLimited, 'freed'],
    ['a malformed success body', { status: 200, body: '{"id": cus_broken' }, ErrorReason.ConnectorInvalidResponse, 'kept'],
    ['a slow-loris body', { status: 200, body: JSON.stringify({ id: 'cus_slow', object: 'customer' }), trickleBodyMs: 100 }, ErrorReason.ConnectorTimeout, 'kept'],
  ];

  describe.each(TRANSPORTS)('over %s', (transport) => {
    // Fresh circuit breakers: eight faults stay under the volume that would open them.
    beforeAll(() => env.restartApp());

    it.each(faults)('%s → its error, and no active mapping left', async (name, fault, reason, reservation) => {
      const id = uniqueCustomerId('fault');
      env.sandbox.injectFault('stripe', fault);

      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: id }, headers());

      expectRefused(outcome, transport, reason);
      const mappings = await mappingsOf(id);
      expect(mappings.filter((m) => m.status === 'active')).toEqual([]);
      // An unknown outcome keeps the reservation (and its key) for the retry; a refusal frees it.
      expect(mappings).toHaveLength(reservation === 'kept' ? 1 : 0);
      recordFigure('faults', { fault: name, transport, provider, reason, activeMappingsLeft: 0 });
    });
  });

  it('retries a transient failure with the same idempotency key when that is safe, creating one customer', async () => {
    const app = await startTestApp(env.db.url, env.sandbox, { CONNECTOR_TIMEOUT_MS: '2000', CONNECTOR_MAX_ATTEMPTS: '3' });
    try {
      env.sandbox.injectFault('stripe', { status: 503, body: stripeError('api_error', 'busy'), times: 2 });
      const outcome = await createCustomer(app, 'rest', { merchant_customer_id: uniqueCustomerId('retry') }, headers());

      expect(outcome.ok).toBe(true);
      const keys = env.sandbox.requestsTo('stripe').map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(1);
      expect(env.sandbox.simulators.stripe.customerCount()).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('opens the circuit for a processor that keeps failing, and says so without calling it', async () => {
    const app = await startTestApp(env.db.url, env.sandbox, { CONNECTOR_MAX_ATTEMPTS: '1', CIRCUIT_BREAKER_RESET_MS: '60000' });
    try {
      env.sandbox.injectFault('stripe', { status: 503, body: stripeError('api_error', 'down'), times: 50 });
      for (let i = 0; i < 12; i += 1) await createCustomer(app, 'grpc', { merchant_customer_id: uniqueCustomerId('down') }, headers());
      const callsBefore = env.sandbox.requestsTo('stripe').length;

      const shed = await createCustomer(app, 'rest', { merchant_customer_id: uniqueCustomerId('shed') }, headers());

      expectRefused(shed, 'rest', ErrorReason.ConnectorUnavailable);
      expect(shed.error!.message).toMatch(/circuit open/);
      expect(shed.error!.connector).toMatchObject({ code: 'circuit_open' });
      expect(env.sandbox.requestsTo('stripe')).toHaveLength(callsBefore);
      recordFigure('faults', { fault: 'processor down: circuit breaker opens', transport: 'rest+grpc', provider, reason: ErrorReason.ConnectorUnavailable, activeMappingsLeft: 0 });
    } finally {
      await app.close();
    }
  });

  it('never follows a redirect from an allowed origin', async () => {
    await env.restartApp();
    env.sandbox.injectFault('stripe', { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' }, body: '' });

    const outcome = await createCustomer(env.app, 'rest', { merchant_customer_id: uniqueCustomerId('redirect') }, headers());

    expect(outcome.ok).toBe(false);
    expect(outcome.error!.reason).toBe(ErrorReason.ConnectorInvalidResponse);
    expect(env.sandbox.requests).toHaveLength(1);
  });
});
