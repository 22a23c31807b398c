import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp } from '../support/app-process';
import { createCustomer } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { recordFigure } from '../support/reliability-report';
import { stripeConfigHeader } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders } from '../support/test-databases';

/**
 * The process dies between the processor's answer and our commit. After a restart on the same
 * database, the retry must end with exactly one processor customer and the same id.
 */
describe.each(testDatabaseProviders())('Crash between the processor’s answer and our commit, on %s', (provider) => {
  it('SIGKILL while Stripe holds its answer → restart → retry: one Stripe customer, the id Stripe created', async () => {
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const db = await createTestDatabase(provider);
    // A short deadline keeps the crashed request's lease (deadline + 5 s) short for the test.
    const env = { DATABASE_URL: db.url, CONNECTOR_BASE_URL_ALLOWLIST: sandbox.url, CONNECTOR_TIMEOUT_MS: '1000' };
    const headers = { 'x-connector-config': stripeConfigHeader(sandbox) };
    const id = uniqueCustomerId('crash');
    try {
      const first = await spawnApp(env);
      const held = sandbox.holdNextResponse('stripe');
      const doomed = createCustomer(first, 'rest', { merchant_customer_id: id }, headers).catch((error: Error) => error);
      await held.reached;
      await expect(first.kill('SIGKILL')).resolves.toBe('SIGKILL');
      await doomed;
      held.release();
      const [createdByStripe] = sandbox.simulators.stripe.customersFor(id);

      const second = await spawnApp(env);
      const retry = await createCustomer(second, 'grpc', { merchant_customer_id: id }, headers);
      const again = await createCustomer(second, 'rest', { merchant_customer_id: id }, headers);
      await second.kill('SIGTERM');

      expect(retry.error).toBeUndefined();
      expect(retry.response!.connector_customer_id).toBe(createdByStripe);
      expect(again.response!.connector_customer_id).toBe(createdByStripe);
      expect(sandbox.simulators.stripe.customerCount()).toBe(1);
      const keys = sandbox.requestsTo('stripe').map((request) => request.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      recordFigure('crash', { scenario: `SIGKILL with the answer in flight, restart (${provider})`, processorCustomers: 1, duplicates: sandbox.simulators.stripe.customerCount() - 1, sameId: true });
    } finally {
      await sandbox.close();
      await db.drop();
    }
  });
});
