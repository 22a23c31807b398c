import { ErrorReason } from '@app/common/errors/error-reason';
import { fixture as braintreeFixture } from '@app/connectors/braintree/braintree.fixture';
import { createCustomer, useE2eEnvironment } from './support/e2e-environment';
import { expectRefused, uniqueCustomerId } from './support/expectations';
import { getJson, postJson, stripeConfigHeader, TEST_ADMIN_TOKEN } from './support/test-app';
import { testDatabaseProviders } from './support/test-databases';

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

/**
 * When a processor that can neither replay a request nor be searched leaves an attempt
 * unanswered, we cannot know whether it created the customer: the mapping stays pending and the
 * service refuses to create blind until an operator resolves it.
 */
describe.each(testDatabaseProviders())('Unanswered attempts at a processor without any safety net, on %s', (provider) => {
  const env = useE2eEnvironment(provider, { CONNECTOR_TIMEOUT_MS: '800' });
  // Braintree: no idempotency key, no merchant-chosen id, no search (Stax and Finix gained lookups).
  const braintreeHeaders = () => ({
    'x-connector-config': JSON.stringify({ config: { Braintree: { ...braintreeFixture.credentials, base_url: env.sandbox.baseUrl('braintree') } } }),
  });
  const mappingOf = async (id: string) =>
    (await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?merchant_customer_id=${id}`, auth)).body.mappings[0] as { id: string; status: string; connector_customer_id: string };
  const loseNextAnswer = async (id: string, headers: Record<string, string>) => {
    const held = env.sandbox.holdNextResponse(headers['x-connector-config'].includes('"Braintree"') ? 'braintree' : 'stripe');
    const outcome = createCustomer(env.app, 'rest', { merchant_customer_id: id, customer_name: 'Ann Lee', email: { value: 'ann@example.com' } }, headers);
    await held.reached;
    expectRefused(await outcome, 'rest', ErrorReason.ConnectorTimeout);
    held.release();
  };

  beforeEach(() => env.sandbox.reset());

  it('refuses to create again, then takes the operator’s answer: the customer Braintree did create', async () => {
    const id = uniqueCustomerId('braintree');
    await loseNextAnswer(id, braintreeHeaders());
    const pending = await mappingOf(id);
    const retry = await createCustomer(env.app, 'grpc', { merchant_customer_id: id, customer_name: 'Ann Lee', email: { value: 'ann@example.com' } }, braintreeHeaders());

    expectRefused(retry, 'grpc', ErrorReason.CreateOutcomeUnknown);
    expect(retry.error!.message).toContain(`/v1/admin/customer-mappings/${pending.id}/resolve`);
    expect(env.sandbox.simulators.braintree.customerCount()).toBe(1);

    const createdAtBraintree = (JSON.parse(env.sandbox.requestsTo('braintree')[0].response!.body) as { data: { createCustomer: { customer: { id: string } } } }).data.createCustomer.customer.id;
    const resolved = await postJson(`${env.app.httpUrl}/v1/admin/customer-mappings/${pending.id}/resolve`, { connector_customer_id: createdAtBraintree }, auth);
    const afterwards = await createCustomer(env.app, 'rest', { merchant_customer_id: id }, braintreeHeaders());

    expect(resolved).toMatchObject({ status: 200, body: { status: 'active', connector_customer_id: createdAtBraintree } });
    expect(afterwards.response).toMatchObject({ connector_customer_id: createdAtBraintree });
    expect(env.sandbox.simulators.braintree.customerCount()).toBe(1);
  });

  it('creates afresh after the operator releases the reservation', async () => {
    const id = uniqueCustomerId('braintree');
    await loseNextAnswer(id, braintreeHeaders());
    const pending = await mappingOf(id);

    const released = await postJson(`${env.app.httpUrl}/v1/admin/customer-mappings/${pending.id}/release`, {}, auth);
    const retry = await createCustomer(env.app, 'rest', { merchant_customer_id: id, customer_name: 'Ann Lee' }, braintreeHeaders());

    expect(released).toMatchObject({ status: 200, body: { id: pending.id, status: 'pending' } });
    expect(retry.ok).toBe(true);
    await expect(mappingOf(id)).resolves.toMatchObject({ status: 'active', connector_customer_id: retry.response!.connector_customer_id });
  });

  it('refuses to resolve or release an active mapping, over REST and gRPC', async () => {
    const id = uniqueCustomerId('active');
    await createCustomer(env.app, 'rest', { merchant_customer_id: id }, { 'x-connector-config': stripeConfigHeader(env.sandbox) });
    const active = await mappingOf(id);

    const rest = await postJson(`${env.app.httpUrl}/v1/admin/customer-mappings/${active.id}/resolve`, { connector_customer_id: 'cus_other' }, auth);
    const grpc = await env.app.grpc.call('connector_service.admin.v1.CustomerMappingAdminService', 'ReleaseCustomerMapping', { id: active.id }, auth);

    expect(rest).toMatchObject({ status: 409, body: { error: { reason: ErrorReason.MappingNotPending } } });
    expect(grpc.error?.code).toBe(9);
    await expect(mappingOf(id)).resolves.toMatchObject({ status: 'active', connector_customer_id: active.connector_customer_id });
  });
});
