import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { DeleteCustomerCall, ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestsSent, SPEC_REFERENCE, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { StaxConnector } from './stax.connector';

const jwt = (payload: object) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.U3BlY1NpZ25hdHVyZQ`;
const API_KEY = jwt({ merchant: 'spec' });
const BASE = 'https://apiprod.fattlabs.com/';
const AUTH = { authorization: `Bearer ${API_KEY}`, accept: 'application/json' };
const ID = 'd45ee88c-8b27-4be8-8d81-77dda1b81826';

/** The customer of Stax's API reference (Get a Customer's Information), with our metadata in the notes. */
const CUSTOMER = {
  id: ID,
  firstname: 'John',
  lastname: 'Smith',
  company: 'ABC INC',
  email: 'contact@example.com',
  cc_emails: ['demo@abc.com'],
  phone: '1234567898',
  address_1: '123 Rite Way',
  address_2: 'Unit 12',
  address_city: 'Orlando',
  address_state: 'FL',
  address_zip: '32801',
  address_country: 'USA',
  notes: '{"plan":"gold"}',
  reference: 'mcid-42',
  options: null,
  created_at: '2017-05-08 19:22:51',
  updated_at: '2017-05-08 19:22:51',
  deleted_at: null,
  gravatar: '//www.gravatar.com/avatar/45357c125af15b6df8864a71a653bea2',
  has_address: true,
  missing_address_components: [],
};
const ok = (body: unknown): InboundResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const answer = (status: number, body: unknown): InboundResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const NOT_FOUND = answer(404, { id: 'customer not found' });

const existing = (overrides: Partial<ExistingCustomerCall> = {}): ExistingCustomerCall => ({
  credentials: { api_key: API_KEY },
  baseUrl: BASE,
  testMode: true,
  connectorCustomerId: ID,
  merchantCustomerId: 'mcid-42',
  reference: SPEC_REFERENCE,
  ...overrides,
});
const change = (customer: Partial<CustomerProfile>, overrides: Partial<UpdateCustomerCall> = {}): UpdateCustomerCall => ({
  ...existing(),
  idempotencyKey: 'update-key-1',
  customer: { merchantCustomerId: 'mcid-42', metadata: {}, featureData: {}, ...customer },
  ...overrides,
});
const deletion = (overrides: Partial<DeleteCustomerCall> = {}): DeleteCustomerCall => ({ ...existing(), idempotencyKey: 'delete-key-1', ...overrides });
const minimal: CustomerProfile = { merchantCustomerId: 'mcid-42', email: 'min@example.com', metadata: {}, featureData: {} };
const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: BASE });
/** What the update sends when it changes nothing we manage: the customer as held. */
const HELD_BODY = {
  company: 'ABC INC',
  reference: 'mcid-42',
  firstname: 'John',
  lastname: 'Smith',
  email: 'contact@example.com',
  phone: '1234567898',
  address_1: '123 Rite Way',
  address_2: 'Unit 12',
  address_city: 'Orlando',
  address_state: 'FL',
  address_zip: '32801',
  address_country: 'USA',
  notes: '{"plan":"gold"}',
};

describe(`${StaxConnector.name} lifecycle`, () => {
  const sut = driving(new StaxConnector());

  describe('claims (issue 13 item 8)', () => {
    const claims = () => sut.descriptor.capabilities.claims ?? [];

    it('sources the limits in Stax’s API reference, and marks its reading of the phone pattern inferred', () => {
      const limits = claims().find(({ claim }) => claim.startsWith('Limits of a customer'));
      const phone = claims().find(({ claim }) => claim.startsWith('A phone must match'));

      expect(limits?.source).toContain('reference/create-customer');
      expect(phone?.claim).toContain('(inferred)');
    });

    it('marks the reference lookup inferred and says nothing found goes to an operator', () => {
      const lookup = claims().find(({ claim }) => claim.includes('filters by `reference`'));

      expect(lookup).toEqual({ claim: expect.stringContaining('hands the mapping to an operator') });
      expect(sut.descriptor.capabilities.lookupIsConclusive).toBe(false);
    });
  });

  describe('get', () => {
    it('GETs {base}customer/{id} with the key, and reads what Stax holds', async () => {
      const { http, send } = answering(ok(CUSTOMER));

      const got = await sut.getCustomer(existing(), http);

      expect(requestsSent(send)).toEqual([{ method: 'GET', url: `https://apiprod.fattlabs.com/customer/${ID}`, headers: AUTH, body: undefined }]);
      expect(got).toEqual({
        connectorCustomerId: ID,
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json' },
        record: {
          name: 'John Smith',
          email: 'contact@example.com',
          phone: '1234567898',
          billingAddress: { line1: '123 Rite Way', line2: 'Unit 12', city: 'Orlando', state: 'FL', zipCode: '32801', country: 'US' },
          metadata: { plan: 'gold' },
        },
      });
    });

    it.each<[string, string | null, Record<string, string> | undefined]>([
      ['no notes', null, {}],
      ['notes the merchant wrote', 'Prefers phone calls', undefined],
      ['notes that are JSON but not metadata', '{"n":1}', undefined],
    ])('reads a customer with %s', async (_case, notes, metadata) => {
      const got = await sut.getCustomer(existing(), answering(ok({ ...CUSTOMER, notes })).http);

      expect(got.record.metadata).toEqual(metadata);
    });

    it.each<[string, InboundResponse, string]>([
      ['an unknown id (404 customer not found)', NOT_FOUND, '404'],
      ['a soft-deleted customer (deleted_at set)', ok({ ...CUSTOMER, deleted_at: '2020-03-29 15:46:00' }), 'customer_deleted'],
    ])('answers %s as not found, keeping the code', async (_case, response, code) => {
      const error = await errorOf(sut.getCustomer(existing(), answering(response).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { outcomeUnknown: false, connector: { connector: 'stax', code } } });
    });

    it('keeps the field Stax’s not-found answer names', async () => {
      const error = await errorOf(sut.getCustomer(existing(), answering(NOT_FOUND).http));

      expect(error.details.connector).toEqual({ connector: 'stax', httpStatus: 404, code: '404', message: 'customer not found', param: 'id' });
    });
  });

  describe('update', () => {
    it('reads the customer, then PUTs every field we manage with the change merged in', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok({ ...CUSTOMER, email: 'new@example.com' }));

      const updated = await sut.updateCustomer(change({ email: 'new@example.com' }), http);

      expect(requestsSent(send)).toEqual([
        { method: 'GET', url: `https://apiprod.fattlabs.com/customer/${ID}`, headers: AUTH, body: undefined },
        { method: 'PUT', url: `https://apiprod.fattlabs.com/customer/${ID}`, headers: { ...AUTH, 'content-type': 'application/json' }, body: { ...HELD_BODY, email: 'new@example.com' } },
      ]);
      expect(updated).toMatchObject({ connectorCustomerId: ID, httpStatus: 200, record: { email: 'new@example.com', name: 'John Smith' } });
    });

    it('maps a change the way create does: split name, digits-only phone, alpha-3 country, line3 joined', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok(CUSTOMER));

      await sut.updateCustomer(
        change({ name: 'Ada King Lovelace', phone: '+1 (407) 555-0123', billingAddress: { line1: '1 Main Street', line2: 'Floor 2', line3: 'Suite 9', country: 'GB' } }),
        http,
      );

      expect(requestsSent(send)[1].body).toEqual({
        ...HELD_BODY,
        firstname: 'Ada King',
        lastname: 'Lovelace',
        phone: '14075550123',
        address_1: '1 Main Street',
        address_2: 'Floor 2 Suite 9',
        address_country: 'GBR',
      });
    });

    it('merges metadata into the notes JSON', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok(CUSTOMER));

      await sut.updateCustomer(change({ metadata: { source: 'web', plan: 'pro' } }), http);

      expect(JSON.parse(requestsSent(send)[1].body.notes)).toEqual({ plan: 'pro', source: 'web' });
    });

    it('never overwrites notes the merchant wrote: a metadata change is refused before any write', async () => {
      const { http, send } = answering(ok({ ...CUSTOMER, notes: 'Prefers phone calls' }));

      const error = await errorOf(sut.updateCustomer(change({ metadata: { plan: 'pro' } }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'metadata' }] } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('sends the merchant’s notes back untouched when metadata does not change', async () => {
      const { http, send } = answering(ok({ ...CUSTOMER, notes: 'Prefers phone calls' }), ok(CUSTOMER));

      await sut.updateCustomer(change({ email: 'new@example.com' }), http);

      expect(requestsSent(send)[1].body.notes).toBe('Prefers phone calls');
    });

    it('refuses metadata that, merged, would be over the notes limit', async () => {
      const { http, send } = answering(ok({ ...CUSTOMER, notes: JSON.stringify({ big: 'x'.repeat(21800) }) }));

      await expect(sut.updateCustomer(change({ metadata: { more: 'y'.repeat(100) } }), http)).rejects.toMatchObject({ reason: ErrorReason.ValidationFailed });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it.each<[string, InboundResponse]>([
      ['an unknown customer', NOT_FOUND],
      ['a soft-deleted customer', ok({ ...CUSTOMER, deleted_at: '2020-03-29 15:46:00' })],
    ])('answers %s as not found without writing', async (_case, response) => {
      const { http, send } = answering(response);

      await expect(sut.updateCustomer(change({ email: 'new@example.com' }), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('maps Stax’s validation answer to the PUT', async () => {
      const error = await errorOf(sut.updateCustomer(change({ email: 'new@example.com' }), answering(ok(CUSTOMER), answer(422, { email: ['The email must be a valid email address.'] })).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, details: { connector: { code: '422', param: 'email' } } });
    });

    it('checks create’s limits on a change, but requires nothing', () => {
      const validate = sut.validateChange;

      expect(validate({ merchantCustomerId: 'mcid-42', phone: '+14155550123', metadata: {}, featureData: {} })).toEqual([]);
      expect(validate({ merchantCustomerId: 'mcid-42', billingAddress: { state: 'California' }, metadata: {}, featureData: {} })).toEqual([
        { field: 'address.billing_address.state', description: expect.any(String) },
      ]);
    });
  });

  describe('delete', () => {
    it('reads the customer, then DELETEs {base}customer/{id}', async () => {
      const { http, send } = answering(ok(CUSTOMER), ok({ ...CUSTOMER, deleted_at: '2020-03-29 15:46:00' }));

      const deleted = await sut.deleteCustomer(deletion(), http);

      expect(requestsSent(send).map(({ method, url, headers }) => ({ method, url, headers }))).toEqual([
        { method: 'GET', url: `https://apiprod.fattlabs.com/customer/${ID}`, headers: AUTH },
        { method: 'DELETE', url: `https://apiprod.fattlabs.com/customer/${ID}`, headers: AUTH },
      ]);
      expect(deleted).toEqual({ httpStatus: 200, responseHeaders: { 'content-type': 'application/json' }, alreadyDeleted: false });
    });

    it.each<[string, InboundResponse[], number]>([
      ['a customer already soft-deleted', [ok({ ...CUSTOMER, deleted_at: '2020-03-29 15:46:00' })], 1],
      ['an id Stax does not know', [NOT_FOUND], 1],
      ['a customer gone between the read and the DELETE (the reference’s 422)', [ok(CUSTOMER), answer(422, { id: 'customer not found' })], 2],
      ['a customer gone between the read and the DELETE (404)', [ok(CUSTOMER), NOT_FOUND], 2],
    ])('reports %s as already deleted', async (_case, responses, calls) => {
      const { http, send } = answering(...responses);

      await expect(sut.deleteCustomer(deletion(), http)).resolves.toMatchObject({ alreadyDeleted: true });
      expect(send).toHaveBeenCalledTimes(calls);
    });

    it.each<[string, InboundResponse[], ErrorReason]>([
      ['a route’s 404 (a wrong base URL)', [answer(404, { error: 'Not Found' })], ErrorReason.ConnectorNotFound],
      ['a 422 about another field', [ok(CUSTOMER), answer(422, { email: ['The email field is not found.'] })], ErrorReason.ConnectorInvalidRequest],
      ['a bad key', [answer(401, { error: 'Unauthorized' })], ErrorReason.ConnectorAuthenticationFailed],
    ])('does not take %s for a deleted customer', async (_case, responses, reason) => {
      const error = await errorOf(sut.deleteCustomer(deletion(), answering(...responses).http));

      expect(error.reason).toBe(reason);
    });
  });

  describe('identifyAccount', () => {
    it('GETs {base}self and answers the merchant id', async () => {
      const { http, send } = answering(ok({ user: { id: '376b05dd-9d67-4f33-85f9-993fcda7d1fc', is_api_key: true }, merchant: { id: 'f322eec8-5ac6-4fae-8c27-00f52e1b7bd3', mid: '520000830070' } }));

      const account = await sut.identifyAccount({ credentials: { api_key: API_KEY }, baseUrl: BASE, testMode: true }, http);

      expect(requestsSent(send)).toEqual([{ method: 'GET', url: 'https://apiprod.fattlabs.com/self', headers: AUTH, body: undefined }]);
      expect(account).toEqual({ accountId: 'f322eec8-5ac6-4fae-8c27-00f52e1b7bd3' });
    });

    it.each([
      ['no merchant', { user: { id: 'u' } }],
      ['an empty merchant id', { merchant: { id: '' } }],
    ])('refuses an answer with %s', async (_case, body) => {
      await expect(sut.identifyAccount({ credentials: { api_key: API_KEY }, baseUrl: BASE, testMode: true }, answering(ok(body)).http)).rejects.toMatchObject({
        reason: ErrorReason.ConnectorInvalidResponse,
      });
    });
  });

  describe('findCreated', () => {
    const page = (data: object[], current = 1, last = 1) => ok({ total: data.length, per_page: 50, current_page: current, last_page: last, next_page_url: null, data });

    it('lists customers by reference and keeps the oldest that is ours and not deleted', async () => {
      const { http, send } = answering(
        page([
          { ...CUSTOMER, id: 'newest', created_at: '2024-02-01 10:00:00' },
          { ...CUSTOMER, id: 'oldest', created_at: '2024-01-01 10:00:00' },
          { ...CUSTOMER, id: 'deleted', created_at: '2023-01-01 10:00:00', deleted_at: '2023-06-01 00:00:00' },
          { ...CUSTOMER, id: 'someone-else', created_at: '2022-01-01 10:00:00', reference: 'mcid-4' },
        ]),
      );

      const found = await sut.findCreatedCustomer(callFor({ ...minimal, merchantCustomerId: 'mcid-42' }), http);

      expect(requestsSent(send)).toEqual([{ method: 'GET', url: 'https://apiprod.fattlabs.com/customer?reference=mcid-42&page=1', headers: AUTH, body: undefined }]);
      expect(found).toEqual({ connectorCustomerId: 'oldest', httpStatus: 200, responseHeaders: { 'content-type': 'application/json' } });
    });

    it('reads the following pages up to the last', async () => {
      const { http, send } = answering(page([{ ...CUSTOMER, id: 'a', reference: 'x' }], 1, 2), page([{ ...CUSTOMER, id: 'b' }], 2, 2));

      const found = await sut.findCreatedCustomer(callFor(minimal), http);

      expect(send.mock.calls[1][1].url).toBe('https://apiprod.fattlabs.com/customer?reference=mcid-42&page=2');
      expect(found?.connectorCustomerId).toBe('b');
    });

    it('finds nothing in an empty page', async () => {
      await expect(sut.findCreatedCustomer(callFor(minimal), answering(page([])).http)).resolves.toBeUndefined();
    });

    it('gives up with the outcome unknown rather than decide on part of a long list', async () => {
      const pages = Array.from({ length: 10 }, (_, i) => page([{ ...CUSTOMER, reference: 'x' }], i + 1, 20));

      await expect(sut.findCreatedCustomer(callFor(minimal), answering(...pages).http)).rejects.toMatchObject({ reason: ErrorReason.CreateOutcomeUnknown, details: { outcomeUnknown: true } });
    });

    it('refuses a list without `data`', async () => {
      await expect(sut.findCreatedCustomer(callFor(minimal), answering(ok({ customers: [] })).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
    });
  });

  describe('against the Stax simulator', () => {
    const { sandbox, http } = useSandbox();
    const at = () => ({ baseUrl: sandbox.baseUrl('stax') });

    it('finds the customer an unanswered create made, by its reference', async () => {
      sandbox.injectFault('stax', { dropAfterProcessing: true });
      await sut.createCustomer(callFor(minimal, at()), http).catch(() => undefined);
      await sut.createCustomer(callFor({ ...minimal, merchantCustomerId: 'someone-else' }, at()), http);

      const found = await sut.findCreatedCustomer(callFor(minimal, at()), http);

      const got = await sut.getCustomer(existing({ ...at(), connectorCustomerId: found!.connectorCustomerId }), http);
      expect(got.record.email).toBe('min@example.com');
      expect(sandbox.simulators.stax.customerCount()).toBe(2);
    });

    it('names the same merchant for a rotated key, so mappings survive the rotation', async () => {
      const call = (apiKey: string) => ({ credentials: { api_key: apiKey }, testMode: true, ...at() });

      const before = await sut.identifyAccount(call(jwt({ merchant: 'm-1', sub: 'old' })), http);
      const after = await sut.identifyAccount(call(jwt({ merchant: 'm-1', sub: 'new' })), http);

      expect(after.accountId).toBe(before.accountId);
    });

    it('gets, updates (keeping what the change does not name) and deletes a customer', async () => {
      const { connectorCustomerId } = await sut.createCustomer(callFor({ ...minimal, name: 'Ann Lee', metadata: { plan: 'gold' } }, at()), http);
      const customer = existing({ ...at(), connectorCustomerId });

      const updated = await sut.updateCustomer({ ...change({ email: 'new@example.com', metadata: { source: 'web' } }), ...customer }, http);
      const deleted = await sut.deleteCustomer({ ...deletion(), ...customer }, http);
      const again = await sut.deleteCustomer({ ...deletion(), ...customer }, http);

      expect(updated.record).toEqual({ name: 'Ann Lee', email: 'new@example.com', metadata: { plan: 'gold', source: 'web' } });
      expect([deleted.alreadyDeleted, again.alreadyDeleted]).toEqual([false, true]);
      await expect(sut.getCustomer(customer, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
    });
  });
});
