import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall, Credentials } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestSentBy, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { FinixConnector } from './finix.connector';

/** Finix's published sandbox API user (https://docs.finix.com/api). */
const CREDENTIALS: Credentials = {
  finix_user_name: 'USsRhsHYZGBPnQw8CByJyEQW',
  finix_password: '8a14c2f9-d94b-4c72-8f5c-a62908e5b30e',
  merchant_id: 'MUmfEGv5bMpSJ9k5TFRUjkmm',
  merchant_identity_id: 'IDpYDM7J9n57q849o9E9yNrG',
};
const FINIX_SANDBOX = 'https://finix.sandbox-payments-api.com/';

/** The buyer Identity answer of Finix's API reference (https://finix.com/docs/apis/identities/create-an-identity-for-a-buyer/). */
const IDENTITY_BODY = {
  id: 'IDmkYECDu5toxsXxmnbQvNdi',
  created_at: '2022-10-07T20:41:38.25Z',
  updated_at: '2022-10-07T20:41:38.25Z',
  application: 'APgPDQrLD52TYvqazjHJJchM',
  entity: {
    email: 'finix_example@finix.com',
    first_name: 'John',
    last_name: 'Smith',
    personal_address: { line1: '741 Douglass St', line2: 'Apartment 7', city: 'San Mateo', region: 'CA', postal_code: '94114', country: 'USA' },
    phone: '7145677613',
  },
  tags: { key: 'value' },
};
const SUCCESS: InboundResponse = { status: 201, headers: { 'content-type': 'application/hal+json' }, body: JSON.stringify(IDENTITY_BODY) };

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'John Smith',
  email: 'finix_example@finix.com',
  phone: '+17145677613',
  billingAddress: {
    firstName: 'John',
    lastName: 'Smith',
    line1: '741 Douglass St',
    line2: 'Apartment 7',
    line3: 'Rear',
    city: 'San Mateo',
    state: 'CA',
    zipCode: '94114',
    country: 'US',
    email: 'billing@example.com',
    phoneNumber: '4155550199',
    phoneCountryCode: '+1',
  },
  shippingAddress: { firstName: 'Jane', lastName: 'Smith', line1: '9 Market Street', city: 'Oakland', country: 'US' },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: CREDENTIALS, baseUrl: FINIX_SANDBOX, idempotencyKey: 'unused-by-finix' });

async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new FinixConnector(), callFor(customer, overrides), SUCCESS);
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as unknown };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new FinixConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

const finixError = (errors: Record<string, string>[]) => JSON.stringify({ total: errors.length, _embedded: { errors } });

describe(FinixConnector.name, () => {
  const sut = driving(new FinixConnector());

  describe('outbound request', () => {
    it('POSTs a buyer Identity to {base}identities with Basic user:password and the pinned Finix-Version', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('finix');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://finix.sandbox-payments-api.com/identities',
        headers: {
          authorization: `Basic ${Buffer.from('USsRhsHYZGBPnQw8CByJyEQW:8a14c2f9-d94b-4c72-8f5c-a62908e5b30e').toString('base64')}`,
          'content-type': 'application/json',
          accept: 'application/hal+json',
          'finix-version': '2022-02-01',
        },
        body: expect.any(String),
      });
      expect(body).toEqual({
        entity: {
          first_name: 'John',
          last_name: 'Smith',
          email: 'finix_example@finix.com',
          phone: '+17145677613',
          personal_address: { line1: '741 Douglass St', line2: 'Apartment 7 Rear', city: 'San Mateo', region: 'CA', postal_code: '94114', country: 'USA' },
        },
        identity_roles: ['BUYER'],
        tags: { tier: 'gold', signup_source: 'web', merchant_customer_id: 'mcid-42' },
        type: 'PERSONAL',
      });
    });

    it('sends a minimal customer as an empty entity and the back-reference tag', async () => {
      const { body } = await sentRequest(minimalCustomer);

      expect(body).toEqual({ entity: {}, identity_roles: ['BUYER'], tags: { merchant_customer_id: 'mcid-1' }, type: 'PERSONAL' });
    });

    it.each([
      ['https://finix.live-payments-api.com/', 'https://finix.live-payments-api.com/identities'],
      ['https://finix.sandbox-payments-api.com', 'https://finix.sandbox-payments-api.com/identities'],
      ['http://127.0.0.1:12111/finix/', 'http://127.0.0.1:12111/finix/identities'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });

    it.each<[string, CustomerProfile, unknown]>([
      ['a customer name split at its last space', { ...minimalCustomer, name: 'Mary Ann Evans' }, { first_name: 'Mary Ann', last_name: 'Evans' }],
      ['a one-word customer name', { ...minimalCustomer, name: 'Cher' }, { first_name: 'Cher' }],
      [
        'a customer known only by its billing address: names, email and phone from it',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '2025550143', phoneCountryCode: '1', country: 'CA' } },
        { first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', phone: '+12025550143', personal_address: { country: 'CAN' } },
      ],
      ['billing names only: no empty personal address', { ...minimalCustomer, billingAddress: { firstName: 'Grace' } }, { first_name: 'Grace' }],
      ['a shipping address, which a buyer Identity cannot hold', { ...minimalCustomer, shippingAddress: { line1: '9 Market Street', country: 'US' } }, {}],
    ])('maps %s', async (_case, customer, entity) => {
      const { body } = await sentRequest(customer);

      expect(body).toMatchObject({ entity });
      expect((body as { entity: object }).entity).toEqual(entity);
    });
  });

  describe('response parsing', () => {
    it('returns the Identity id, the 201 and the headers', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'IDmkYECDu5toxsXxmnbQvNdi',
        httpStatus: 201,
        responseHeaders: { 'content-type': 'application/hal+json' },
      });
    });

    it.each<[string, number, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean]>([
      [
        'an invalid field, naming it',
        422,
        finixError([{ code: 'INVALID_FIELD', field: 'entity.personal_address.postal_code', message: 'Postal code can not be more than 7 characters', logref: 'a1b2' }]),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'INVALID_FIELD', message: 'Postal code can not be more than 7 characters', param: 'entity.personal_address.postal_code' },
        false,
      ],
      [
        'several errors, keeping the first',
        422,
        finixError([
          { code: 'INVALID_FIELD', field: 'entity.first_name', message: 'first_name must be at most 20 characters' },
          { code: 'INVALID_FIELD', field: 'entity.last_name', message: 'last_name must be at most 20 characters' },
        ]),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'INVALID_FIELD', message: 'first_name must be at most 20 characters', param: 'entity.first_name' },
        false,
      ],
      ['an unreadable request', 400, finixError([{ code: 'BAD_REQUEST', message: 'Request body is not valid JSON' }]), ErrorReason.ConnectorInvalidRequest, { code: 'BAD_REQUEST', message: 'Request body is not valid JSON' }, false],
      ['a bad user or password', 401, finixError([{ code: 'UNKNOWN', message: 'Unauthorized' }]), ErrorReason.ConnectorAuthenticationFailed, { code: 'UNKNOWN', message: 'Unauthorized' }, false],
      ['missing permissions', 403, finixError([{ code: 'FORBIDDEN', message: 'Forbidden' }]), ErrorReason.ConnectorPermissionDenied, { code: 'FORBIDDEN', message: 'Forbidden' }, false],
      ['a conflict', 409, finixError([{ code: 'CONFLICT', message: 'Conflict' }]), ErrorReason.ConnectorConflict, { code: 'CONFLICT', message: 'Conflict' }, true],
      ['rate limiting', 429, finixError([{ code: 'TOO_MANY_REQUESTS', message: 'Too many requests' }]), ErrorReason.ConnectorRateLimited, { code: 'TOO_MANY_REQUESTS', message: 'Too many requests' }, false],
      ['a server error', 500, finixError([{ code: 'SERVER_ERROR', message: 'We had a problem with our server' }]), ErrorReason.ConnectorInternalError, { code: 'SERVER_ERROR', message: 'We had a problem with our server' }, true],
      ['an error without code or message', 400, finixError([{ logref: 'a1b2' }]), ErrorReason.ConnectorInvalidRequest, { code: 'UNKNOWN', message: 'no message' }, false],
    ])('maps %s (HTTP %i) keeping Finix’s code, message and field', async (_case, status, body, reason, details, outcomeUnknown) => {
      const error = await errorFrom({ status, headers: {}, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Finix returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'finix', httpStatus: status, param: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
    });

    it.each<[string, InboundResponse]>([
      ['a body that is not JSON', { status: 201, headers: {}, body: '<html>ok</html>' }],
      ['no Identity id', { status: 201, headers: {}, body: '{"entity":{}}' }],
      ['an empty id', { status: 201, headers: {}, body: '{"id":""}' }],
    ])('refuses a success with %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'finix', code: 'invalid_response', httpStatus: 201 } });
    });

    it.each([
      ['a proxy’s HTML 503', { status: 503, headers: {}, body: '<html>Service Unavailable</html>' }, ErrorReason.ConnectorUnavailable],
      ['an empty error list', { status: 422, headers: {}, body: '{"total":0,"_embedded":{"errors":[]}}' }, ErrorReason.ConnectorInvalidRequest],
      ['a body without `_embedded`', { status: 400, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ connector: { connector: 'finix', code: `http_${response.status}` } });
    });
  });

  describe('validateCustomer', () => {
    const manyKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`key_${i}`, 'v']));

    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a customer with nothing but its id', minimalCustomer],
      ['names of exactly 20 characters', { ...minimalCustomer, name: `${'f'.repeat(20)} ${'l'.repeat(20)}` }],
      ['a postal code of 7 characters', { ...minimalCustomer, billingAddress: { zipCode: 'SW1A1AA' } }],
      ['49 metadata keys (the 50th tag is ours)', { ...minimalCustomer, metadata: manyKeys(49) }],
      ['a tag key of 40 and a value of 500 characters', { ...minimalCustomer, metadata: { ['k'.repeat(40)]: 'v'.repeat(500) } }],
      ['the reserved tag holding the request’s own id', { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a first name over 20 characters', 'customer_name', { ...minimalCustomer, name: `${'f'.repeat(21)} Lee` }],
      ['a last name over 20 characters', 'customer_name', { ...minimalCustomer, name: `Ann ${'l'.repeat(21)}` }],
      ['both halves over 20 characters, reported once', 'customer_name', { ...minimalCustomer, name: `${'f'.repeat(21)} ${'l'.repeat(21)}` }],
      ['a billing first name over 20 characters', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(21) } }],
      ['a billing last name over 20 characters', 'address.billing_address.last_name', { ...minimalCustomer, billingAddress: { lastName: 'l'.repeat(21) } }],
      ['an email over 100 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(89)}@example.com` }],
      ['a billing email over 100 characters', 'address.billing_address.email', { ...minimalCustomer, billingAddress: { email: `${'e'.repeat(89)}@example.com` } }],
      ['a line1 over 35 characters', 'address.billing_address.line1', { ...minimalCustomer, billingAddress: { line1: 'l'.repeat(36) } }],
      ['line2 and line3 over 35 characters together', 'address.billing_address.line2', { ...minimalCustomer, billingAddress: { line2: 'Apartment 7', line3: 'Building C, rear entrance 2' } }],
      ['a line3 over 35 characters', 'address.billing_address.line3', { ...minimalCustomer, billingAddress: { line3: 'l'.repeat(36) } }],
      ['a city over 20 characters', 'address.billing_address.city', { ...minimalCustomer, billingAddress: { city: 'c'.repeat(21) } }],
      ['a postal code over 7 characters', 'address.billing_address.zip_code', { ...minimalCustomer, billingAddress: { zipCode: '94114-1234' } }],
      ['a region that is not a two-letter code', 'address.billing_address.state', { ...minimalCustomer, billingAddress: { state: 'Ontario' } }],
      ['50 metadata keys', 'metadata', { ...minimalCustomer, metadata: manyKeys(50) }],
      ['a tag key over 40 characters', `metadata.${'k'.repeat(41)}`, { ...minimalCustomer, metadata: { ['k'.repeat(41)]: 'v' } }],
      ['a tag value over 500 characters', 'metadata.note', { ...minimalCustomer, metadata: { note: 'v'.repeat(501) } }],
      ['the reserved tag with another id', 'metadata.merchant_customer_id', { ...minimalCustomer, metadata: { merchant_customer_id: 'someone-else' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, email: `${'e'.repeat(89)}@example.com`, billingAddress: { zipCode: '94114-1234', state: 'Ontario' }, metadata: { note: 'v'.repeat(501) } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['email', 'address.billing_address.zip_code', 'address.billing_address.state', 'metadata.note']);
    });
  });

  describe('credentials', () => {
    it('cannot tell test from live by the credentials', () => {
      expect(sut.testModeOf(CREDENTIALS)).toBeUndefined();
    });

    it('identifies the account by its API user', () => {
      expect(sut.accountIdentity(CREDENTIALS)).toBe('USsRhsHYZGBPnQw8CByJyEQW');
    });

    it('declares the password secret, so it is scrubbed from logs', () => {
      expect(sut.descriptor.credentialFields.filter((field) => field.secret).map((field) => field.name)).toEqual(['finix_password']);
    });
  });

  describe('against the Finix simulator', () => {
    const { sandbox, http } = useSandbox();

    const simulatorCall = (overrides: Partial<CreateCustomerCall> = {}) => callFor(fullCustomer, { baseUrl: sandbox.baseUrl('finix'), ...overrides });

    it('creates a second Identity when a call is repeated: nothing at Finix deduplicates Identities', async () => {
      const first = await sut.createCustomer(simulatorCall(), http);
      const second = await sut.createCustomer(simulatorCall(), http);

      expect(first.httpStatus).toBe(201);
      expect(second.connectorCustomerId).not.toBe(first.connectorCustomerId);
      expect(sandbox.simulators.finix.customerCount()).toBe(2);
    });

    it('answers a wrong password with Finix’s 401 UNKNOWN', async () => {
      const error = await errorOf(sut.createCustomer(simulatorCall({ credentials: { ...CREDENTIALS, finix_user_name: 'not-a-user' } }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { connector: { code: 'UNKNOWN', httpStatus: 401 } } });
    });

    it('names the field of an INVALID_FIELD answer', async () => {
      const error = await errorOf(sut.createCustomer(simulatorCall({ customer: { ...minimalCustomer, email: 'not-an-email' } }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, details: { connector: { code: 'INVALID_FIELD', param: 'entity.email', httpStatus: 422 } } });
      expect(sandbox.simulators.finix.customerCount()).toBe(0);
    });
  });
});
