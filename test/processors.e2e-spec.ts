import { registeredConnectors } from '@app/testing/connectors/registered-connectors';
import type { ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';
import { createCustomer, TRANSPORTS, useE2eEnvironment } from './support/e2e-environment';
import { uniqueCustomerId } from './support/expectations';
import { lifecycle } from './support/lifecycle-client';
import { testDatabaseProviders } from './support/test-databases';

const connectors = registeredConnectors().map((connector) => {
  const { name } = connector.descriptor;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fixture } = require(`../libs/connectors/src/${name}/${name}.fixture`) as { fixture: ConnectorTestFixture };
  return [connector.descriptor.displayName, connector, fixture] as const;
});

/** The README's customer, in test mode. */
const customerBody = (merchantCustomerId: string) => ({
  merchant_customer_id: merchantCustomerId,
  customer_name: 'Ann Lee',
  email: { value: `${merchantCustomerId}@example.com` },
  phone_number: '+14155550123',
  address: { billing_address: { first_name: { value: 'Ann' }, last_name: { value: 'Lee' }, line1: { value: '1 Main St' }, city: { value: 'Austin' }, zip_code: { value: '78701' }, country_alpha2_code: 'US' } },
  test_mode: true,
});

/** One customer per processor, through the real app, over both transports, through the sandbox. */
describe.each(testDatabaseProviders())('Every processor end to end on %s', (provider) => {
  const env = useE2eEnvironment(provider);

  describe.each(connectors)('%s', (_, connector, fixture) => {
    const headers = () => {
      const baseUrl = fixture.baseUrl?.(env.sandbox) ?? (fixture.simulator ? env.sandbox.baseUrl(fixture.simulator) : undefined);
      const config = { ...fixture.credentials, ...(baseUrl && { base_url: baseUrl }) };
      return { 'x-connector-config': JSON.stringify({ config: { [connector.descriptor.configVariant]: config } }) };
    };

    it.each(TRANSPORTS)('creates a customer over %s, then returns the same one without another call', async (transport) => {
      const merchantCustomerId = uniqueCustomerId(connector.descriptor.name);
      const body = customerBody(merchantCustomerId);
      const requestsBefore = env.sandbox.requests.length;

      const created = await createCustomer(env.app, transport, body, headers());
      const requestsAfterCreate = env.sandbox.requests.length;
      const replayed = await createCustomer(env.app, transport, body, headers());

      expect(created.error).toBeUndefined();
      expect(created.response).toMatchObject({ merchant_customer_id: merchantCustomerId, connector_customer_id: expect.stringMatching(fixture.idPattern), status_code: 200 });
      expect(replayed.response!.connector_customer_id).toBe(created.response!.connector_customer_id);
      expect(replayed.replayed).toBe('true');
      expect(env.sandbox.requests.length).toBe(requestsAfterCreate);
      if (fixture.simulator) expect(requestsAfterCreate).toBeGreaterThan(requestsBefore);
    });

    // Prism's Get carries no test_mode: a customer created in test mode is found by the merchant's
    // id alone, also where the credentials do not tell test from live.
    it.each(TRANSPORTS)('gets a customer created in test mode by the merchant id alone over %s', async (transport) => {
      const merchantCustomerId = uniqueCustomerId(`${connector.descriptor.name}-get`);
      const created = await createCustomer(env.app, transport, customerBody(merchantCustomerId), headers());

      const got = await lifecycle(env.app, transport, 'get', { merchant_customer_id: merchantCustomerId, connector_customer_id: '' }, headers());

      expect(created.error).toBeUndefined();
      expect(got.ok).toBe(true);
      expect(got.body).toMatchObject({ merchant_customer_id: merchantCustomerId, customer: { connector_customer_id: created.response!.connector_customer_id } });
    });
  });
});
