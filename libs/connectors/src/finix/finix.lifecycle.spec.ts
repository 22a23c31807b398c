import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestsSent, SPEC_REFERENCE, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { FinixConnector } from './finix.connector';

const CREDENTIALS = {
  finix_user_name: 'USsRhsHYZGBPnQw8CByJyEQW',
  finix_password: '8a14c2f9-d94b-4c72-8f5c-a62908e5b30e',
  merchant_id: 'MUeDVrf2ahuKc9Eg5TeZugvs',
  merchant_identity_id: 'IDuqZpDw28f2KK6YuDk4jNLg',
};
const BASE = 'https://finix.sandbox-payments-api.com/';
const AUTH = {
  authorization: `Basic ${Buffer.from('USsRhsHYZGBPnQw8CByJyEQW:8a14c2f9-d94b-4c72-8f5c-a62908e5b30e').toString('base64')}`,
  accept: 'application/hal+json',
  'finix-version': '2022-02-01',
};
const ID = 'IDgWxBhfGYLLdkhxx2ddYf9K';

/** A buyer Identity as the API reference's `Identity` example shapes it. */
const IDENTITY = {
  id: ID,
  created_at: '2022-08-16T18:44:27.46Z',
  updated_at: '2022-08-16T18:44:27.46Z',
  application: 'APgPDQrLD52TYvqazjHJJchM',
  entity: {
    first_name: 'John',
    last_name: 'Smith',
    email: 'user@example.org',
    phone: '7145677613',
    personal_address: { line1: '741 Douglass St', line2: 'Apartment 7', city: 'San Mateo', region: 'CA', postal_code: '94114', country: 'USA' },
    business_type: null,
    business_name: null,
  },
  identity_roles: ['BUYER'],
  tags: { merchant_customer_id: 'mcid-42', plan: 'gold' },
  _links: { self: { href: `https://finix.sandbox-payments-api.com/identities/${ID}` } },
};
const hal = (body: unknown, status = 200): InboundResponse => ({ status, headers: { 'content-type': 'application/hal+json' }, body: JSON.stringify(body) });
const NOT_FOUND = hal({ total: 1, _embedded: { errors: [{ code: 'NOT_FOUND', message: `Identity ${ID} not found`, logref: '94e5f4a2c1a3b2d1', _links: { source: { href: `${BASE}identities/${ID}` } } }] } }, 404);

const existing = (overrides: Partial<ExistingCustomerCall> = {}): ExistingCustomerCall => ({
  credentials: CREDENTIALS,
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
const minimal: CustomerProfile = { merchantCustomerId: 'mcid-42', email: 'user@example.org', metadata: {}, featureData: {} };
const callFor = callBuilder({ credentials: CREDENTIALS, baseUrl: BASE });
/** The PUT body of an update that changes nothing we manage: the Identity as held. */
const HELD = {
  entity: {
    first_name: 'John',
    last_name: 'Smith',
    email: 'user@example.org',
    phone: '7145677613',
    personal_address: { line1: '741 Douglass St', line2: 'Apartment 7', city: 'San Mateo', region: 'CA', postal_code: '94114', country: 'USA' },
  },
  tags: { merchant_customer_id: 'mcid-42', plan: 'gold' },
};

describe(`${FinixConnector.name} lifecycle`, () => {
  const sut = driving(new FinixConnector());

  describe('account identity', () => {
    it('scopes mappings by the merchant the credentials name, which a new API user (a rotated key) keeps', () => {
      const rotated = { ...CREDENTIALS, finix_user_name: 'USnewUser00000000000001', finix_password: 'another-password' };

      expect(sut.descriptor.accountIdOf?.(CREDENTIALS)).toBe('MUeDVrf2ahuKc9Eg5TeZugvs');
      expect(sut.descriptor.accountIdOf?.(rotated)).toBe(sut.descriptor.accountIdOf?.(CREDENTIALS));
      expect(sut.descriptor.accountIdentity(CREDENTIALS)).toBe('USsRhsHYZGBPnQw8CByJyEQW');
    });
  });

  describe('claims (issue 13 item 8)', () => {
    it('marks the `type: PERSONAL` claim inferred and says why it cannot duplicate', () => {
      const claim = sut.descriptor.capabilities.claims?.find((c) => c.claim.includes('`type: PERSONAL`'));

      expect(claim).toEqual({ claim: expect.stringContaining('nothing is created, never a duplicate') });
    });

    it('sources the claim that Identities cannot be deleted', () => {
      const claim = sut.descriptor.capabilities.claims?.find((c) => c.claim.startsWith('Identities cannot be deleted'));

      expect(claim?.source).toContain('finix-nodejs openapi/finix-api.yaml');
    });
  });

  describe('get', () => {
    it('GETs {base}identities/{id} with the API user and the pinned version, and reads the buyer', async () => {
      const { http, send } = answering(hal(IDENTITY));

      const got = await sut.getCustomer(existing(), http);

      expect(requestsSent(send)).toEqual([{ method: 'GET', url: `https://finix.sandbox-payments-api.com/identities/${ID}`, headers: AUTH, body: undefined }]);
      expect(got).toEqual({
        connectorCustomerId: ID,
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/hal+json' },
        record: {
          name: 'John Smith',
          email: 'user@example.org',
          phone: '7145677613',
          billingAddress: { line1: '741 Douglass St', line2: 'Apartment 7', city: 'San Mateo', state: 'CA', zipCode: '94114', country: 'US' },
          metadata: { merchant_customer_id: 'mcid-42', plan: 'gold' },
        },
      });
    });

    it('reads an Identity with an empty entity', async () => {
      const got = await sut.getCustomer(existing(), answering(hal({ id: ID, entity: { first_name: null, personal_address: null }, tags: {} })).http);

      expect(got.record).toEqual({ metadata: {} });
    });

    it('answers 404 NOT_FOUND as not found, keeping Finix’s code', async () => {
      const error = await errorOf(sut.getCustomer(existing(), answering(NOT_FOUND).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { outcomeUnknown: false, connector: { connector: 'finix', code: 'NOT_FOUND', httpStatus: 404 } } });
    });
  });

  describe('update', () => {
    it('reads the Identity, then PUTs every buyer field we manage and every tag with the change merged in', async () => {
      const { http, send } = answering(hal(IDENTITY), hal({ ...IDENTITY, entity: { ...IDENTITY.entity, email: 'new@example.com' } }));

      const updated = await sut.updateCustomer(change({ email: 'new@example.com', metadata: { source: 'web' } }), http);

      expect(requestsSent(send)).toEqual([
        { method: 'GET', url: `https://finix.sandbox-payments-api.com/identities/${ID}`, headers: AUTH, body: undefined },
        {
          method: 'PUT',
          url: `https://finix.sandbox-payments-api.com/identities/${ID}`,
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: { entity: { ...HELD.entity, email: 'new@example.com' }, tags: { merchant_customer_id: 'mcid-42', plan: 'gold', source: 'web' } },
        },
      ]);
      expect(updated).toMatchObject({ connectorCustomerId: ID, httpStatus: 200, record: { email: 'new@example.com', name: 'John Smith' } });
    });

    it('maps a change the way create does: split name, address merged field by field, alpha-3 country', async () => {
      const { http, send } = answering(hal(IDENTITY), hal(IDENTITY));

      await sut.updateCustomer(change({ name: 'Ada King Lovelace', billingAddress: { line1: '1 Main Street', zipCode: '94107', country: 'GB' } }), http);

      expect(requestsSent(send)[1].body).toEqual({
        entity: { ...HELD.entity, first_name: 'Ada King', last_name: 'Lovelace', personal_address: { ...HELD.entity.personal_address, line1: '1 Main Street', postal_code: '94107', country: 'GBR' } },
        tags: HELD.tags,
      });
    });

    it('adds our back-reference tag to an Identity that lost it', async () => {
      const { http, send } = answering(hal({ ...IDENTITY, tags: null }), hal(IDENTITY));

      await sut.updateCustomer(change({ phone: '+14155550123' }), http);

      expect(requestsSent(send)[1].body.tags).toEqual({ merchant_customer_id: 'mcid-42' });
    });

    it('refuses metadata that, merged, would be over 50 tags, before writing', async () => {
      const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
      const { http, send } = answering(hal({ ...IDENTITY, tags: { ...tags, merchant_customer_id: 'mcid-42' } }));

      await expect(sut.updateCustomer(change({ metadata: { one: 'more' } }), http)).rejects.toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'metadata' }] } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('answers an unknown Identity as not found without writing', async () => {
      const { http, send } = answering(NOT_FOUND);

      await expect(sut.updateCustomer(change({ email: 'new@example.com' }), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('maps Finix’s INVALID_FIELD answer to the PUT with the field', async () => {
      const invalid = hal({ total: 1, _embedded: { errors: [{ code: 'INVALID_FIELD', message: 'Postal code can not be more than 7 characters', field: 'entity.personal_address.postal_code' }] } }, 422);

      const error = await errorOf(sut.updateCustomer(change({ email: 'new@example.com' }), answering(hal(IDENTITY), invalid).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, details: { connector: { code: 'INVALID_FIELD', param: 'entity.personal_address.postal_code' } } });
    });

    it('checks create’s limits on a change', () => {
      const validate = sut.validateChange;

      expect(validate({ merchantCustomerId: 'mcid-42', phone: '+14155550123', metadata: {}, featureData: {} })).toEqual([]);
      expect(validate({ merchantCustomerId: 'mcid-42', billingAddress: { city: 'San Francisco Bay Area' }, metadata: {}, featureData: {} })).toEqual([
        { field: 'address.billing_address.city', description: expect.any(String) },
      ]);
    });
  });

  describe('delete', () => {
    it('is declared unsupported, naming the source, and refused before any call', async () => {
      const { http, send } = answering();

      expect(sut.connector.flows.delete).toEqual({ shape: 'unsupported', why: expect.stringContaining('/identities/{id}') });
      await expect(sut.deleteCustomer({ ...existing(), idempotencyKey: 'k' }, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotImplemented });
      expect(send).not.toHaveBeenCalled();
    });
  });

  describe('findCreated', () => {
    const list = (identities: object[], nextCursor: string | null = null) => hal({ _embedded: { identities }, page: { limit: 100, next_cursor: nextCursor } });

    it('lists Identities by email and keeps the oldest carrying our back-reference tag', async () => {
      const { http, send } = answering(
        list([
          { ...IDENTITY, id: 'IDnewest', created_at: '2024-02-01T10:00:00.5Z' },
          { ...IDENTITY, id: 'IDoldest', created_at: '2024-01-01T10:00:00.46Z' },
          { ...IDENTITY, id: 'IDsomeoneElse', created_at: '2023-01-01T10:00:00Z', tags: { merchant_customer_id: 'mcid-4' } },
          { ...IDENTITY, id: 'IDuntagged', created_at: '2022-01-01T10:00:00Z', tags: null },
        ]),
      );

      const found = await sut.findCreatedCustomer(callFor(minimal), http);

      expect(requestsSent(send)).toEqual([{ method: 'GET', url: 'https://finix.sandbox-payments-api.com/identities?email=user%40example.org&limit=100', headers: AUTH, body: undefined }]);
      expect(found).toEqual({ connectorCustomerId: 'IDoldest', httpStatus: 200, responseHeaders: { 'content-type': 'application/hal+json' } });
    });

    it('follows the cursor', async () => {
      const { http, send } = answering(list([{ ...IDENTITY, id: 'IDa', tags: {} }], 'IDa'), list([{ ...IDENTITY, id: 'IDb' }]));

      const found = await sut.findCreatedCustomer(callFor(minimal), http);

      expect(send.mock.calls[1][1].url).toBe('https://finix.sandbox-payments-api.com/identities?email=user%40example.org&limit=100&after_cursor=IDa');
      expect(found?.connectorCustomerId).toBe('IDb');
    });

    it.each<[string, InboundResponse]>([
      ['an empty page', list([])],
      ['a page without _embedded', hal({ page: { limit: 100, next_cursor: null } })],
    ])('finds nothing in %s', async (_case, response) => {
      await expect(sut.findCreatedCustomer(callFor(minimal), answering(response).http)).resolves.toBeUndefined();
    });

    it('finds nothing, without a call, for a customer without an email (nothing to search by)', async () => {
      const { http, send } = answering();

      await expect(sut.findCreatedCustomer(callFor({ ...minimal, email: undefined, name: 'Ann Lee' }), http)).resolves.toBeUndefined();
      expect(send).not.toHaveBeenCalled();
    });

    it('gives up with the outcome unknown rather than decide on part of a very long list', async () => {
      const pages = Array.from({ length: 10 }, (_, i) => list([{ ...IDENTITY, id: `ID${i}`, tags: {} }], `ID${i}`));

      await expect(sut.findCreatedCustomer(callFor(minimal), answering(...pages).http)).rejects.toMatchObject({ reason: ErrorReason.CreateOutcomeUnknown, details: { outcomeUnknown: true } });
    });

    it('refuses an answer that is not a list', async () => {
      await expect(sut.findCreatedCustomer(callFor(minimal), answering(hal({ id: ID })).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
    });
  });

  describe('against the Finix simulator', () => {
    const { sandbox, http } = useSandbox();
    const at = () => ({ baseUrl: sandbox.baseUrl('finix') });

    it('finds the Identity an unanswered create made', async () => {
      sandbox.injectFault('finix', { dropAfterProcessing: true });
      await sut.createCustomer(callFor(minimal, at()), http).catch(() => undefined);
      await sut.createCustomer(callFor({ ...minimal, merchantCustomerId: 'someone-else' }, at()), http);

      const found = await sut.findCreatedCustomer(callFor(minimal, at()), http);

      const got = await sut.getCustomer(existing({ ...at(), connectorCustomerId: found!.connectorCustomerId }), http);
      expect(got.record.metadata).toEqual({ merchant_customer_id: 'mcid-42' });
    });

    it('updates an Identity, keeping what the change does not name even where PUT replaces', async () => {
      const { connectorCustomerId } = await sut.createCustomer(callFor({ ...minimal, name: 'Ann Lee', metadata: { plan: 'gold' } }, at()), http);
      const identity = existing({ ...at(), connectorCustomerId });

      await sut.updateCustomer({ ...change({ email: 'new@example.com', metadata: { source: 'web' } }), ...identity }, http);

      await expect(sut.getCustomer(identity, http)).resolves.toMatchObject({
        record: { name: 'Ann Lee', email: 'new@example.com', metadata: { merchant_customer_id: 'mcid-42', plan: 'gold', source: 'web' } },
      });
    });
  });
});
