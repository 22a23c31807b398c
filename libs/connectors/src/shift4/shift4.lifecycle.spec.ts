import { randomUUID } from 'node:crypto';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import { FULL_CUSTOMER } from '@app/testing/connectors/connector-test-fixture';
import type { DeleteCustomerCall, ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestsSent, SPEC_REFERENCE, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { Shift4Connector, SHIFT4_ASSUMED_REPLAY_WINDOW_HOURS } from './shift4.connector';

const API_KEY = 'sk_test_Shift4SpecKey';
const BASE = 'https://api.shift4.com/';
const AUTH = { authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`, accept: 'application/json' };
const ID = 'cust_3oyk4dQTdGTvzDo9DBcUb3Rf';

/** The customer object of Shift4's API reference, with the billing block of shift4-java `response/Customer.java`. */
const CUSTOMER = {
  id: ID,
  created: 1415810511,
  deleted: false,
  email: 'ada@example.com',
  description: 'Ada Lovelace',
  phoneNumber: '+442071234567',
  metadata: { merchant_customer_id: 'mcid-42', tier: 'gold' },
  billing: { name: 'Ada Lovelace', email: 'billing@example.com', phone: '2079460000', vat: 'GB1', address: { line1: '12 Analytical Street', line2: null, zip: 'N1 9GU', city: 'London', state: null, country: 'GB' } },
  cards: [],
};
const ok = (body: unknown): InboundResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const shift4Error = (status: number, type: string, message: string): InboundResponse => ({ status, headers: {}, body: JSON.stringify({ error: { type, message } }) });
const NOT_FOUND = shift4Error(404, 'invalid_request', `Customer '${ID}' does not exist`);

const existing = (overrides: Partial<ExistingCustomerCall> = {}): ExistingCustomerCall => ({
  credentials: { api_key: API_KEY },
  baseUrl: BASE,
  testMode: true,
  connectorCustomerId: ID,
  merchantCustomerId: 'mcid-42',
  reference: SPEC_REFERENCE,
  ...overrides,
});
const change = (customer: Partial<CustomerProfile>): UpdateCustomerCall => ({
  ...existing(),
  idempotencyKey: 'update-key-1',
  customer: { merchantCustomerId: 'mcid-42', metadata: {}, featureData: {}, ...customer },
});
const deletion = (overrides: Partial<DeleteCustomerCall> = {}): DeleteCustomerCall => ({ ...existing(), idempotencyKey: 'delete-key-1', ...overrides });
const minimal: CustomerProfile = { merchantCustomerId: 'mcid-42', email: 'ada@example.com', metadata: {}, featureData: {} };
const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: BASE });

describe(`${Shift4Connector.name} lifecycle`, () => {
  const sut = driving(new Shift4Connector());

  describe('lost answers (issue 13 items 3 and 6)', () => {
    it('declares the replay window it assumes, a lookup, and that finding nothing proves nothing', () => {
      expect(sut.descriptor.capabilities).toMatchObject({ replaysSafely: true, replayWindowHours: 1, lookupIsConclusive: false });
      expect(SHIFT4_ASSUMED_REPLAY_WINDOW_HOURS).toBe(1);
      expect(sut.connector.flows.findCreated).toMatchObject({ shape: 'conversation' });
      const windowClaim = sut.descriptor.capabilities.claims?.find(({ claim }) => claim.startsWith('How long a key is kept is not documented'));
      expect(windowClaim).toEqual({ claim: expect.stringContaining('1 h is assumed') });
    });

    it('reads Shift4’s refusal of a key reused with other parameters as a conflict whose outcome is unknown', async () => {
      const { http } = answering(shift4Error(400, 'invalid_request', 'Idempotent key used for request with different parameters.'));

      const error = await errorOf(sut.createCustomer(callFor(minimal), http));

      expect(error.reason).toBe(ErrorReason.ConnectorConflict);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'shift4', code: 'invalid_request', httpStatus: 400 } });
    });

    describe('against the Shift4 simulator', () => {
      const { sandbox, http } = useSandbox();
      const simulatorCall = (customer: CustomerProfile, idempotencyKey = 'mapping-key-1') => callFor(customer, { baseUrl: sandbox.baseUrl('shift4'), idempotencyKey });

      it('keeps one customer when a retry of the mapping carries other details: Shift4 refuses, the outcome stays unknown', async () => {
        await sut.createCustomer(simulatorCall(minimal), http);

        const error = await errorOf(sut.createCustomer(simulatorCall({ ...minimal, email: 'changed@example.com', name: 'Someone Else' }), http));

        expect(error).toMatchObject({ reason: ErrorReason.ConnectorConflict, details: { outcomeUnknown: true } });
        expect(sandbox.simulators.shift4.customerCount()).toBe(1);
      });

      it('finds the customer an unanswered create made, by its email and our back-reference', async () => {
        sandbox.injectFault('shift4', { dropAfterProcessing: true });
        await sut.createCustomer(simulatorCall(minimal), http).catch(() => undefined);
        await sut.createCustomer(simulatorCall({ ...minimal, merchantCustomerId: 'someone-else' }, 'other-key'), http);

        const found = await sut.findCreatedCustomer(simulatorCall(minimal), http);

        expect(found?.connectorCustomerId).toMatch(/^cust_/);
        const got = await sut.getCustomer(existing({ baseUrl: sandbox.baseUrl('shift4'), connectorCustomerId: found!.connectorCustomerId }), http);
        expect(got.record.metadata).toEqual({ merchant_customer_id: 'mcid-42' });
      });

      it('finds nothing when no customer carries the back-reference', async () => {
        await sut.createCustomer(simulatorCall({ ...minimal, merchantCustomerId: 'someone-else' }), http);

        await expect(sut.findCreatedCustomer(simulatorCall(minimal), http)).resolves.toBeUndefined();
      });

      it('gets, updates (merging metadata) and deletes a customer', async () => {
        const baseUrl = sandbox.baseUrl('shift4');
        const { connectorCustomerId } = await sut.createCustomer(simulatorCall({ ...minimal, metadata: { tier: 'gold' } }), http);
        const at = existing({ baseUrl, connectorCustomerId });

        const updated = await sut.updateCustomer({ ...change({ metadata: { plan: 'pro' }, name: 'Ada King' }), ...at, idempotencyKey: randomUUID() }, http);
        const deleted = await sut.deleteCustomer({ ...deletion(), ...at }, http);
        const again = await sut.deleteCustomer({ ...deletion(), ...at, idempotencyKey: randomUUID() }, http);

        expect(updated.record).toEqual({ name: 'Ada King', email: 'ada@example.com', metadata: { tier: 'gold', plan: 'pro', merchant_customer_id: 'mcid-42' } });
        expect(deleted.alreadyDeleted).toBe(false);
        expect(again.alreadyDeleted).toBe(true);
        await expect(sut.getCustomer(at, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { code: 'customer_deleted' } } });
      });

      it('creates the full customer with its phone and billing, gets them back, and updates billing keeping what the change does not name', async () => {
        const baseUrl = sandbox.baseUrl('shift4');
        const { connectorCustomerId } = await sut.createCustomer(callFor(FULL_CUSTOMER, { baseUrl }), http);
        const at = existing({ baseUrl, connectorCustomerId, merchantCustomerId: FULL_CUSTOMER.merchantCustomerId });

        const got = await sut.getCustomer(at, http);
        const updated = await sut.updateCustomer(
          { ...at, idempotencyKey: randomUUID(), customer: { merchantCustomerId: FULL_CUSTOMER.merchantCustomerId, phone: FULL_CUSTOMER.phone, billingAddress: { city: 'Oakland', zipCode: '94607' }, metadata: {}, featureData: {} } },
          http,
        );
        const refused = await errorOf(sut.updateCustomer({ ...at, idempotencyKey: randomUUID(), customer: { merchantCustomerId: FULL_CUSTOMER.merchantCustomerId, phone: '+14155550999', metadata: {}, featureData: {} } }, http));

        const billing = { line1: '1 Main Street', line2: 'Floor 2 Suite 9', city: 'San Francisco', state: 'CA', zipCode: '94107', country: 'US', email: 'billing@example.com', phoneNumber: '+14155550199' };
        expect(got.record).toEqual({ name: 'Ann Lee', email: 'ann.lee@example.com', phone: '+14155550123', billingAddress: billing, metadata: { plan: 'gold', source: 'web', merchant_customer_id: 'merchant-customer-0042' } });
        expect(updated.record).toMatchObject({ phone: '+14155550123', billingAddress: { ...billing, city: 'Oakland', zipCode: '94607' } });
        expect(refused).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'phone_number' }] } });
        await expect(sut.getCustomer(at, http)).resolves.toMatchObject({ record: { phone: '+14155550123', billingAddress: { city: 'Oakland' } } });
      });
    });
  });

  describe('get', () => {
    it('GETs {base}customers/{id} with the key, and reads what Shift4 holds', async () => {
      const { http, send } = answering(ok(CUSTOMER));

      const got = await sut.getCustomer(existing(), http);

      expect(requestsSent(send)).toEqual([{ method: 'GET', url: `https://api.shift4.com/customers/${ID}`, headers: AUTH, body: undefined }]);
      expect(got).toEqual({
        connectorCustomerId: ID,
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json' },
        record: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          phone: '+442071234567',
          billingAddress: { line1: '12 Analytical Street', zipCode: 'N1 9GU', city: 'London', country: 'GB', email: 'billing@example.com', phoneNumber: '2079460000' },
          metadata: { merchant_customer_id: 'mcid-42', tier: 'gold' },
        },
      });
    });

    it('escapes the id into one path segment', async () => {
      const { http, send } = answering(ok(CUSTOMER));

      await sut.getCustomer(existing({ connectorCustomerId: '../charges?x=1' }), http);

      expect(send.mock.calls[0][1].url).toBe('https://api.shift4.com/customers/..%2Fcharges%3Fx%3D1');
    });

    it('reads a minimal customer without inventing fields', async () => {
      const { http } = answering(ok({ id: ID, deleted: false, email: 'a@b.co', description: null, metadata: {} }));

      await expect(sut.getCustomer(existing(), http)).resolves.toMatchObject({ record: { email: 'a@b.co', metadata: {} } });
    });

    it.each<[string, InboundResponse, string]>([
      ['an unknown id (404)', NOT_FOUND, 'invalid_request'],
      ['a deleted customer (deleted: true)', ok({ ...CUSTOMER, deleted: true }), 'customer_deleted'],
    ])('answers %s as not found, keeping the code', async (_case, response, code) => {
      const error = await errorOf(sut.getCustomer(existing(), answering(response).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { outcomeUnknown: false, connector: { connector: 'shift4', code } } });
    });

    it('refuses a success without a customer id', async () => {
      const error = await errorOf(sut.getCustomer(existing(), answering(ok({ email: 'x@y.z' })).http));

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
    });
  });

  describe('update', () => {
    it('POSTs only what changes to {base}customers/{id} with the step’s idempotency key', async () => {
      const { http, send } = answering(ok({ ...CUSTOMER, email: 'new@example.com' }));

      const updated = await sut.updateCustomer(change({ email: 'new@example.com' }), http);

      expect(requestsSent(send)).toEqual([
        {
          method: 'POST',
          url: `https://api.shift4.com/customers/${ID}`,
          headers: { ...AUTH, 'content-type': 'application/json', 'idempotency-key': 'update-key-1' },
          body: { email: 'new@example.com' },
        },
      ]);
      expect(updated).toMatchObject({ connectorCustomerId: ID, httpStatus: 200, record: { email: 'new@example.com', name: 'Ada Lovelace' } });
    });

    it('reads the customer first when metadata changes, and sends the merged map with the back-reference', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok(CUSTOMER));

      await sut.updateCustomer(change({ metadata: { plan: 'pro', tier: 'platinum' } }), http);

      expect(requestsSent(send).map(({ method, url, body }) => ({ method, url, body }))).toEqual([
        { method: 'GET', url: `https://api.shift4.com/customers/${ID}`, body: undefined },
        { method: 'POST', url: `https://api.shift4.com/customers/${ID}`, body: { metadata: { merchant_customer_id: 'mcid-42', tier: 'platinum', plan: 'pro' } } },
      ]);
    });

    it('reads the customer first when the billing address changes, and sends the held block with the change over it', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok(CUSTOMER));

      await sut.updateCustomer(change({ billingAddress: { line1: '1 New Road', city: 'Oxford', zipCode: 'OX1 1AA', phoneNumber: '1865000000', phoneCountryCode: '44' } }), http);

      expect(requestsSent(send).map(({ method, url, body }) => ({ method, url, body }))).toEqual([
        { method: 'GET', url: `https://api.shift4.com/customers/${ID}`, body: undefined },
        {
          method: 'POST',
          url: `https://api.shift4.com/customers/${ID}`,
          body: {
            billing: {
              name: 'Ada Lovelace',
              vat: 'GB1',
              email: 'billing@example.com',
              phone: '+441865000000',
              address: { line1: '1 New Road', zip: 'OX1 1AA', city: 'Oxford', country: 'GB' },
            },
          },
        },
      ]);
    });

    it('sends a whole billing block when Shift4 holds none, its name from the billing names', async () => {
      const { http, send } = answering(ok({ ...CUSTOMER, billing: null }), ok(CUSTOMER));

      await sut.updateCustomer(change({ name: 'Ada King', billingAddress: { firstName: 'Augusta', lastName: 'King', country: 'GB' } }), http);

      expect(requestsSent(send)[1].body).toEqual({ description: 'Ada King', billing: { name: 'Augusta King', address: { country: 'GB' } } });
    });

    it('sends metadata and billing merged in one POST, and no phone when it is the one Shift4 holds', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok(CUSTOMER));

      await sut.updateCustomer(change({ email: 'new@example.com', phone: '+442071234567', billingAddress: { state: 'Greater London' }, metadata: { plan: 'pro' } }), http);

      expect(requestsSent(send).map(({ method, body }) => ({ method, body }))).toEqual([
        { method: 'GET', body: undefined },
        {
          method: 'POST',
          body: {
            email: 'new@example.com',
            billing: {
              name: 'Ada Lovelace',
              vat: 'GB1',
              email: 'billing@example.com',
              phone: '2079460000',
              address: { line1: '12 Analytical Street', zip: 'N1 9GU', city: 'London', state: 'Greater London', country: 'GB' },
            },
            metadata: { merchant_customer_id: 'mcid-42', tier: 'gold', plan: 'pro' },
          },
        },
      ]);
    });

    it('refuses another phone on phone_number without POSTing: Shift4’s update takes no phoneNumber', async () => {
      const { http, send } = answering(ok(CUSTOMER));

      const error = await errorOf(sut.updateCustomer(change({ phone: '+442070000000', email: 'new@example.com' }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'phone_number', description: expect.stringContaining('CustomerUpdateRequest') }] } });
      expect(requestsSent(send).map(({ method }) => method)).toEqual(['GET']);
    });

    it('sends the name as the description', async () => {
      const { http, send } = answering(ok(CUSTOMER));

      await sut.updateCustomer(change({ name: 'Ada King' }), http);

      expect(requestsSent(send)[0].body).toEqual({ description: 'Ada King' });
    });

    it.each<[string, InboundResponse[]]>([
      ['a customer answered deleted', [ok({ ...CUSTOMER, deleted: true })]],
      ['an unknown customer', [NOT_FOUND]],
    ])('answers %s as not found', async (_case, responses) => {
      await expect(sut.updateCustomer(change({ email: 'new@example.com' }), answering(...responses).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
    });

    it('does not POST when the read before a metadata change finds the customer deleted', async () => {
      const { http, send } = answering(ok({ ...CUSTOMER, deleted: true }));

      await expect(sut.updateCustomer(change({ metadata: { plan: 'pro' } }), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('reads a reused update key with other parameters as a conflict, outcome unknown', async () => {
      const error = await errorOf(sut.updateCustomer(change({ email: 'n@example.com' }), answering(shift4Error(400, 'invalid_request', 'Idempotent key used for request with different parameters.')).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorConflict, details: { outcomeUnknown: true } });
    });

    it('requires no email on an update, but keeps the back-reference key reserved', () => {
      const validate = sut.validateChange;

      expect(validate({ merchantCustomerId: 'mcid-42', name: 'Ada', metadata: {}, featureData: {} })).toEqual([]);
      expect(validate({ merchantCustomerId: 'mcid-42', metadata: { merchant_customer_id: 'other' }, featureData: {} })).toEqual([{ field: 'metadata.merchant_customer_id', description: expect.any(String) }]);
    });
  });

  describe('delete', () => {
    it('reads the customer, then DELETEs {base}customers/{id}', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok({ id: ID }));

      const deleted = await sut.deleteCustomer(deletion(), http);

      expect(requestsSent(send).map(({ method, url, headers }) => ({ method, url, headers }))).toEqual([
        { method: 'GET', url: `https://api.shift4.com/customers/${ID}`, headers: AUTH },
        { method: 'DELETE', url: `https://api.shift4.com/customers/${ID}`, headers: AUTH },
      ]);
      expect(deleted).toEqual({ httpStatus: 200, responseHeaders: { 'content-type': 'application/json' }, alreadyDeleted: false });
    });

    it.each<[string, InboundResponse[], number]>([
      ['a customer already flagged deleted', [ok({ ...CUSTOMER, deleted: true })], 1],
      ['an id Shift4 does not know', [NOT_FOUND], 1],
      ['a customer gone between the read and the DELETE', [ok(CUSTOMER), NOT_FOUND], 2],
    ])('reports %s as already deleted', async (_case, responses, calls) => {
      const { http, send } = answering(...responses);

      await expect(sut.deleteCustomer(deletion(), http)).resolves.toMatchObject({ alreadyDeleted: true });
      expect(send).toHaveBeenCalledTimes(calls);
    });

    it.each<[string, InboundResponse, ErrorReason]>([
      ['a proxy’s 404 page', { status: 404, headers: {}, body: '<html>Not Found</html>' }, ErrorReason.ConnectorNotFound],
      ['a bad key', shift4Error(401, 'invalid_request', 'Provided API key is invalid'), ErrorReason.ConnectorAuthenticationFailed],
    ])('does not take %s for a deleted customer', async (_case, response, reason) => {
      const error = await errorOf(sut.deleteCustomer(deletion(), answering(response).http));

      expect(error.reason).toBe(reason);
      expect(error.details.connector?.code).not.toBe('customer_deleted');
    });
  });

  describe('findCreated', () => {
    const match = (id: string, created: number, extra: object = {}) => ({ ...CUSTOMER, id, created, ...extra });

    it('lists customers by email and keeps the oldest carrying our back-reference', async () => {
      const list = {
        list: [
          match('cust_newest', 3),
          match('cust_other', 2, { metadata: { merchant_customer_id: 'someone-else' } }),
          match('cust_deleted', 1, { deleted: true }),
          match('cust_oldest', 1),
        ],
        hasMore: false,
      };
      const { http, send } = answering(ok(list));

      const found = await sut.findCreatedCustomer(callFor({ ...minimal, merchantCustomerId: 'mcid-42' }), http);

      expect(requestsSent(send)).toEqual([{ method: 'GET', url: 'https://api.shift4.com/customers?email=ada%40example.com&limit=100', headers: AUTH, body: undefined }]);
      expect(found).toEqual({ connectorCustomerId: 'cust_oldest', httpStatus: 200, responseHeaders: { 'content-type': 'application/json' } });
    });

    it('reads further pages while Shift4 says there are more', async () => {
      const { http, send } = answering(ok({ list: [match('cust_a', 5, { metadata: {} })], hasMore: true }), ok({ list: [match('cust_b', 4)], hasMore: false }));

      const found = await sut.findCreatedCustomer(callFor(minimal), http);

      expect(send.mock.calls[1][1].url).toBe('https://api.shift4.com/customers?email=ada%40example.com&limit=100&startingAfterId=cust_a');
      expect(found?.connectorCustomerId).toBe('cust_b');
    });

    it('finds nothing in an empty list', async () => {
      await expect(sut.findCreatedCustomer(callFor(minimal), answering(ok({ list: [], hasMore: false })).http)).resolves.toBeUndefined();
    });

    it('gives up with the outcome unknown rather than decide on part of a very long list', async () => {
      const page = ok({ list: [match('cust_x', 1, { metadata: {} })], hasMore: true });
      const error = await errorOf(sut.findCreatedCustomer(callFor(minimal), answering(...Array.from({ length: 10 }, () => page)).http));

      expect(error).toMatchObject({ reason: ErrorReason.CreateOutcomeUnknown, details: { outcomeUnknown: true, connector: { code: 'lookup_incomplete' } } });
    });

    it('refuses a list answer without `list`', async () => {
      await expect(sut.findCreatedCustomer(callFor(minimal), answering(ok({ data: [] })).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
    });
  });
});
