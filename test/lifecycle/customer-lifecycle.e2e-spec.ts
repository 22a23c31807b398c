import { ErrorReason } from '@app/common/errors/error-reason';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { execute } from '../support/database-access';
import { createCustomer, TRANSPORTS, useE2eEnvironment, type TransportName } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { lifecycle, type LifecycleAnswer } from '../support/lifecycle-client';
import { stripeConfigHeader } from '../support/test-app';
import { testDatabaseProviders } from '../support/test-databases';

/** The answer's status: HTTP on REST, the gRPC code on gRPC. */
function expectStatus(answer: LifecycleAnswer, transport: TransportName, http: number, grpc: GrpcStatus): void {
  if (transport === 'rest') expect(answer.httpStatus).toBe(http);
  else expect(answer.grpcCode).toBe(grpc);
}

const email = (value: string) => ({ value });

/**
 * Prism's Get, Update and Delete over both transports and both databases, against the Stripe
 * simulator: what the processor ends up holding, what the mapping keeps, and what each answer says.
 */
describe.each(testDatabaseProviders())('Get, Update, Delete at one processor, on %s', (provider) => {
  const env = useE2eEnvironment(provider);
  const headers = () => ({ 'x-connector-config': stripeConfigHeader(env.sandbox), 'x-merchant-id': 'lifecycle' });
  // Calls on customers (the service asks GET /v1/account once per key, to scope its mappings).
  const stripeRequests = (method: string) => env.sandbox.requestsTo('stripe').filter((request) => request.method === method && request.path.startsWith('/v1/customers')).length;

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it('gets the customer by the merchant id alone (the mapping gives the processor id), and by the processor id', async () => {
      const id = uniqueCustomerId('get');
      const created = await createCustomer(env.app, transport, { merchant_customer_id: id, customer_name: 'Ann Lee', email: email('ann@example.com') }, headers());
      const cus = created.response!.connector_customer_id!;

      const byMerchantId = await lifecycle(env.app, transport, 'get', { merchant_customer_id: id, connector_customer_id: '' }, headers());
      const byProcessorId = await lifecycle(env.app, transport, 'get', { merchant_customer_id: id, connector_customer_id: cus }, headers());

      expect(byMerchantId.ok).toBe(true);
      expect(byMerchantId.body).toMatchObject({ merchant_customer_id: id, status_code: 200, customer: { id, connector_customer_id: cus, name: 'Ann Lee', email: { value: 'ann@example.com' } } });
      expect(byProcessorId.body).toMatchObject({ customer: { connector_customer_id: cus } });
    });

    it('refuses a processor id that is not the stored customer’s, and an unknown customer, before any processor call', async () => {
      const id = uniqueCustomerId('get-wrong');
      await createCustomer(env.app, transport, { merchant_customer_id: id }, headers());
      const gets = stripeRequests('GET');

      const mismatch = await lifecycle(env.app, transport, 'get', { merchant_customer_id: id, connector_customer_id: 'cus_SomeoneElse' }, headers());
      const unknown = await lifecycle(env.app, transport, 'get', { merchant_customer_id: uniqueCustomerId('nobody') }, headers());

      expectStatus(mismatch, transport, 400, GrpcStatus.INVALID_ARGUMENT);
      expect(mismatch.fieldViolations).toEqual([expect.objectContaining({ field: 'connector_customer_id' })]);
      expectStatus(unknown, transport, 404, GrpcStatus.NOT_FOUND);
      expect(unknown.reason).toBe(ErrorReason.MappingNotFound);
      expect(stripeRequests('GET')).toBe(gets);
    });

    it('updates only what the change names; the same change again is not sent', async () => {
      const id = uniqueCustomerId('update');
      await createCustomer(env.app, transport, { merchant_customer_id: id, customer_name: 'Ann Lee', email: email('ann@example.com') }, headers());

      const updated = await lifecycle(env.app, transport, 'update', { merchant_customer_id: id, connector_customer_id: '', email: email('ann.lee@example.com') }, headers());
      const posts = stripeRequests('POST');
      const again = await lifecycle(env.app, transport, 'update', { merchant_customer_id: id, connector_customer_id: '', email: email('ann.lee@example.com') }, headers());
      const got = await lifecycle(env.app, transport, 'get', { merchant_customer_id: id }, headers());

      expect(updated.ok).toBe(true);
      expect(updated.header('x-profile-unchanged')).toBe('false');
      expect(again.header('x-profile-unchanged')).toBe('true');
      expect(stripeRequests('POST')).toBe(posts);
      expect(got.body).toMatchObject({ customer: { name: 'Ann Lee', email: { value: 'ann.lee@example.com' } } });
    });

    it('refuses an update over the processor’s limits, naming the field, before any call', async () => {
      const id = uniqueCustomerId('update-limit');
      await createCustomer(env.app, transport, { merchant_customer_id: id }, headers());
      const posts = stripeRequests('POST');

      const refused = await lifecycle(env.app, transport, 'update', { merchant_customer_id: id, customer_name: 'x'.repeat(300) }, headers());

      expectStatus(refused, transport, 400, GrpcStatus.INVALID_ARGUMENT);
      expect(refused.fieldViolations).toEqual([expect.objectContaining({ field: 'customer_name' })]);
      expect(stripeRequests('POST')).toBe(posts);
    });

    it('says when a replayed Create carries other details, and still returns the stored customer', async () => {
      const id = uniqueCustomerId('differs');
      const first = await createCustomer(env.app, transport, { merchant_customer_id: id, email: email('ann@example.com') }, headers());
      const same = await lifecycle(env.app, 'rest', 'get', { merchant_customer_id: id }, headers());
      const changed = await createCustomer(env.app, 'rest', { merchant_customer_id: id, email: email('other@example.com') }, headers());

      expect(same.ok).toBe(true);
      expect(changed.response).toMatchObject({ connector_customer_id: first.response!.connector_customer_id, profile_differs: true });
    });

    it('deletes at the processor and erases the mapping: no merchant id kept in clear, and a later Create makes a new customer', async () => {
      const id = uniqueCustomerId('delete');
      const created = await createCustomer(env.app, transport, { merchant_customer_id: id }, headers());
      const cus = created.response!.connector_customer_id!;

      const deleted = await lifecycle(env.app, transport, 'delete', { merchant_customer_id: id, connector_customer_id: '' }, headers());
      const gone = await lifecycle(env.app, transport, 'get', { merchant_customer_id: id }, headers());
      const again = await createCustomer(env.app, 'rest', { merchant_customer_id: id }, headers());

      expect(deleted.ok).toBe(true);
      expect(deleted.body).toMatchObject({ merchant_customer_id: id, status_code: 200 });
      expect(deleted.header('x-already-deleted')).toBe('false');
      expectStatus(gone, transport, 404, GrpcStatus.NOT_FOUND);
      expect(env.sandbox.simulators.stripe.customersFor(id)).toEqual([again.response!.connector_customer_id]);
      expect(again.response!.connector_customer_id).not.toBe(cus);
      expect(again.httpStatus).toBe(201);
      expect(again.response).toMatchObject({ previously_erased_at: expect.any(String) });
      const rows = await execute(env.db, 'SELECT merchant_customer_id, status FROM customer_mappings WHERE connector_customer_id = ?', [cus]);
      expect(rows).toEqual([{ merchant_customer_id: expect.stringMatching(/^erased:/), status: 'erased' }]);
    });

    it('answers a deletion retried after its answer was lost: the customer was already gone', async () => {
      const id = uniqueCustomerId('delete-twice');
      const created = await createCustomer(env.app, transport, { merchant_customer_id: id }, headers());
      const cus = created.response!.connector_customer_id!;
      env.sandbox.injectFault('stripe', { dropAfterProcessing: true });

      const lost = await lifecycle(env.app, transport, 'delete', { merchant_customer_id: id }, headers());
      const retried = await lifecycle(env.app, transport, 'delete', { merchant_customer_id: id, connector_customer_id: cus }, headers());

      // The executor's own retry may have absorbed the lost answer; either way the customer ends deleted once.
      if (lost.ok) expect(lost.header('x-already-deleted')).toBe('true');
      else expect(retried.header('x-already-deleted')).toBe('true');
      expect(env.sandbox.simulators.stripe.customersFor(id)).toEqual([]);
    });

    it('answers a flow the processor lacks with UNIMPLEMENTED naming it, before anything is sent', async () => {
      const id = uniqueCustomerId('no-delete');
      const paystack = { 'x-connector-config': JSON.stringify({ config: { Paystack: { api_key: 'sk_test_4f1c2a9e0b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a', base_url: env.sandbox.baseUrl('paystack') } } }) };
      await createCustomer(env.app, transport, { merchant_customer_id: id, email: email(`${id}@example.com`) }, paystack);
      const before = env.sandbox.requestsTo('paystack').length;

      const refused = await lifecycle(env.app, transport, 'delete', { merchant_customer_id: id }, paystack);

      expectStatus(refused, transport, 501, GrpcStatus.UNIMPLEMENTED);
      expect(refused.message).toContain('Paystack');
      expect(env.sandbox.requestsTo('paystack')).toHaveLength(before);
    });

    it.each([
      ['neither id', {}, 'connector_customer_id'],
      ['a processor id with a space', { connector_customer_id: 'cus x' }, 'connector_customer_id'],
      ['a merchant id with a space', { merchant_customer_id: 'user 42' }, 'merchant_customer_id'],
    ])('refuses a Get with %s, naming the field, before any call', async (_, request: Record<string, string>, field) => {
      const gets = stripeRequests('GET');
      const refused = await lifecycle(env.app, transport, 'get', transport === 'rest' ? { merchant_customer_id: 'x', ...request } : request, headers());

      if (transport === 'rest' && field === 'connector_customer_id' && Object.keys(request).length === 0) {
        // Over REST the path always names the merchant customer: an unknown one is not found.
        expectStatus(refused, transport, 404, GrpcStatus.NOT_FOUND);
      } else {
        expectStatus(refused, transport, 400, GrpcStatus.INVALID_ARGUMENT);
        expect(JSON.stringify(refused.fieldViolations)).toContain(field);
      }
      expect(stripeRequests('GET')).toBe(gets);
    });
  });
});
