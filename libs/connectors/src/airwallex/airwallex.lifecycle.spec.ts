import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { ExistingCustomerCall } from '../connector';
import { AccessTokenCache } from '../execution/access-token-cache';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, errorOf, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { AirwallexConnector } from './airwallex.connector';

const CREDENTIALS = { client_id: 'SpecAirwallexClientId', api_key: 'spec-airwallex-api-key-3f9a61' };
const BASE = 'https://api-demo.airwallex.com/api/v1';
const JSON_HEADERS = { 'content-type': 'application/json' };
const ok = (body: unknown, status = 200): InboundResponse => ({ status, headers: JSON_HEADERS, body: JSON.stringify(body) });
const LOGIN = ok({ token: 'tok_1', expires_at: '2099-01-01T00:00:00+0000' }, 201);
const airwallexError = (status: number, code: string, message: string) => ok({ code, message }, status);
const stored = (extra: Record<string, unknown> = {}) => ({
  id: 'cus_hkdmr8x7lh9eac5zv1z',
  request_id: 'req-create',
  merchant_customer_id: 'mcid-1',
  first_name: 'Ann',
  last_name: 'Lee',
  email: 'ann@example.com',
  phone_number: '+14155550123',
  address: { street: '1 Main Street, Floor 2', city: 'San Francisco', state: 'CA', postcode: '94107', country_code: 'US' },
  metadata: { plan: 'gold' },
  created_at: '2026-11-26T12:00:01+0000',
  ...extra,
});
const existing: ExistingCustomerCall = {
  connectorCustomerId: 'cus_hkdmr8x7lh9eac5zv1z',
  merchantCustomerId: 'mcid-1',
  reference: 'stablereference0000000000a',
  credentials: CREDENTIALS,
  baseUrl: BASE,
  testMode: true,
};
const change = (fields: Partial<CustomerProfile>): CustomerProfile => ({ merchantCustomerId: 'mcid-1', metadata: {}, featureData: {}, ...fields });

describe(`${AirwallexConnector.name} lifecycle`, () => {
  let sut = driving(new AirwallexConnector(new AccessTokenCache()));
  beforeEach(() => {
    sut = driving(new AirwallexConnector(new AccessTokenCache()));
  });

  describe('declarations (issue 13 items 4 and 8)', () => {
    it('names the account by its client id, which survives API-key rotation', () => {
      expect(sut.descriptor.accountIdOf?.({ client_id: 'client-a', api_key: 'key-1' })).toBe('client-a');
      expect(sut.descriptor.accountIdOf?.({ client_id: 'client-a', api_key: 'key-2' })).toBe('client-a');
    });

    it('marks duplicate_request documented and the merchant_customer_id filter inferred; its lookup is not conclusive', () => {
      const { claims, lookupIsConclusive } = sut.descriptor.capabilities;
      expect(lookupIsConclusive).toBe(false);
      expect(claims?.find((c) => c.claim.includes('duplicate_request'))?.source).toMatch(/^https:\/\/www\.airwallex\.com\/docs\//);
      expect(claims?.find((c) => c.claim.includes('filters by `merchant_customer_id`'))).toEqual({ claim: expect.any(String) });
    });
  });

  describe('get', () => {
    it('GETs {base}/pa/customers/{id} with the Bearer token and reads the record', async () => {
      const { http, send } = answering(LOGIN, ok(stored()));

      await expect(sut.getCustomer(existing, http)).resolves.toEqual({
        connectorCustomerId: 'cus_hkdmr8x7lh9eac5zv1z',
        httpStatus: 200,
        responseHeaders: JSON_HEADERS,
        record: {
          name: 'Ann Lee',
          email: 'ann@example.com',
          phone: '+14155550123',
          billingAddress: { firstName: 'Ann', lastName: 'Lee', line1: '1 Main Street, Floor 2', city: 'San Francisco', state: 'CA', zipCode: '94107', country: 'US' },
          metadata: { plan: 'gold' },
        },
      });
      expect(send.mock.calls[1][1]).toMatchObject({ method: 'GET', url: `${BASE}/pa/customers/cus_hkdmr8x7lh9eac5zv1z`, headers: { authorization: 'Bearer tok_1' } });
    });

    it('reads a customer without name, address or metadata', async () => {
      const body = { id: 'cus_x', merchant_customer_id: 'mcid-1' };

      await expect(sut.getCustomer(existing, answering(LOGIN, ok(body)).http)).resolves.toMatchObject({ record: { name: undefined, email: undefined, billingAddress: undefined, metadata: undefined } });
    });

    it.each([
      ['404 resource_not_found', airwallexError(404, 'resource_not_found', 'The resource with ID cus_x cannot be found.')],
      ['400 resource_not_found', airwallexError(400, 'resource_not_found', 'The resource with ID cus_x cannot be found.')],
    ])('answers %s as ConnectorNotFound, keeping the code', async (_case, response) => {
      const error = await errorOf(sut.getCustomer(existing, answering(LOGIN, response).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { connector: 'airwallex', code: 'resource_not_found' } } });
    });
  });

  describe('update', () => {
    it('POSTs {base}/pa/customers/{id}/update with the step’s key as request_id and only the changed fields', async () => {
      const { http, send } = answering(LOGIN, ok(stored({ email: 'new@example.com' })));

      const updated = await sut.updateCustomer({ ...existing, customer: change({ email: 'new@example.com' }), idempotencyKey: 'update-key-1' }, http);

      expect(updated).toMatchObject({ connectorCustomerId: 'cus_hkdmr8x7lh9eac5zv1z', record: { email: 'new@example.com' } });
      const [, [, post]] = send.mock.calls;
      expect(post).toMatchObject({ method: 'POST', url: `${BASE}/pa/customers/cus_hkdmr8x7lh9eac5zv1z/update`, headers: { authorization: 'Bearer tok_1', 'content-type': 'application/json' } });
      expect(JSON.parse(post.body ?? '')).toEqual({ request_id: 'update-key-1', email: 'new@example.com' });
    });

    it('reads the customer first when metadata changes, and sends the merged map', async () => {
      const { http, send } = answering(LOGIN, ok(stored()), ok(stored()));

      await sut.updateCustomer({ ...existing, customer: change({ name: 'Ann Marie Lee', metadata: { source: 'web' } }), idempotencyKey: 'k' }, http);

      expect(send.mock.calls.slice(1).map(([, outbound]) => outbound.method)).toEqual(['GET', 'POST']);
      expect(JSON.parse(send.mock.calls[2][1].body ?? '')).toEqual({ request_id: 'k', first_name: 'Ann Marie', last_name: 'Lee', metadata: { plan: 'gold', source: 'web' } });
    });

    it('reads the customer back when the request_id was used already (a retry after a lost answer)', async () => {
      const { http, send } = answering(LOGIN, airwallexError(400, 'duplicate_request', 'The request ID k has been used previously.'), ok(stored({ email: 'new@example.com' })));

      await expect(sut.updateCustomer({ ...existing, customer: change({ email: 'new@example.com' }), idempotencyKey: 'k' }, http)).resolves.toMatchObject({ record: { email: 'new@example.com' } });
      expect(send.mock.calls[2][1]).toMatchObject({ method: 'GET', url: `${BASE}/pa/customers/cus_hkdmr8x7lh9eac5zv1z` });
    });

    it('keeps other 400s errors (validation_error)', async () => {
      const error = await errorOf(sut.updateCustomer({ ...existing, customer: change({ email: 'x' }), idempotencyKey: 'k' }, answering(LOGIN, airwallexError(400, 'validation_error', 'email is not a valid email address')).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, details: { connector: { code: 'validation_error' } } });
    });
  });

  describe('delete', () => {
    it('is declared unsupported, naming the Customers API reference, and sends nothing', async () => {
      expect(sut.connector.flows.delete).toMatchObject({ shape: 'unsupported', why: expect.stringContaining('airwallex.com/docs/api/payments/customers') });
      const { http, send } = answering();

      await expect(sut.deleteCustomer({ ...existing, idempotencyKey: 'k' }, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotImplemented });
      expect(send).not.toHaveBeenCalled();
    });
  });

  describe('against the sandbox', () => {
    const { sandbox, http } = useSandbox();
    const baseUrl = () => `${sandbox.baseUrl('airwallex')}api/v1`;

    it('keeps metadata keys the change does not name although the simulator replaces metadata whole', async () => {
      const created = await sut.createCustomer(
        { customer: change({ email: 'ann@example.com', metadata: { plan: 'gold' } }), credentials: CREDENTIALS, baseUrl: baseUrl(), idempotencyKey: 'create-1', reference: 'r', testMode: true },
        http,
      );
      const call = { ...existing, connectorCustomerId: created.connectorCustomerId, baseUrl: baseUrl() };

      await sut.updateCustomer({ ...call, customer: change({ metadata: { source: 'web' } }), idempotencyKey: 'update-1' }, http);

      await expect(sut.getCustomer(call, http)).resolves.toMatchObject({ record: { email: 'ann@example.com', metadata: { plan: 'gold', source: 'web' } } });
    });
  });
});
