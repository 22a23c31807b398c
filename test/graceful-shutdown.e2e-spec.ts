import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { createCustomer, TRANSPORTS } from './support/e2e-environment';
import { uniqueCustomerId } from './support/expectations';
import { startTestApp, stripeConfigHeader } from './support/test-app';
import { createTestDatabase } from './support/test-databases';

describe.each(TRANSPORTS)('Shutdown with a Create in flight over %s', (transport) => {
  it('stops accepting, lets the in-flight Create finish and store its mapping, then closes', async () => {
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const db = await createTestDatabase('sqlite');
    const app = await startTestApp(db.url, sandbox);
    try {
      const held = sandbox.holdNextResponse('stripe');
      const inFlight = createCustomer(app, transport, { merchant_customer_id: uniqueCustomerId() }, { 'x-connector-config': stripeConfigHeader(sandbox) });
      await held.reached;

      const closed = app.service.close();
      await expect(fetch(`${app.httpUrl}/health`)).rejects.toThrow();
      held.release();

      await expect(inFlight).resolves.toMatchObject({ ok: true, response: { connector_customer_id: expect.stringMatching(/^cus_/) } });
      await expect(closed).resolves.toBeUndefined();
    } finally {
      await app.close();
      await sandbox.close();
      await db.drop();
    }
  });
});
