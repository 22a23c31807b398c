import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestSentBy, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving, type DrivenConnector } from '@app/testing/connectors/connector-driver';
import { StaxConnector } from './stax.connector';

const API_KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJtZXJjaGFudCI6InNwZWMifQ.U3BlY1NpZ25hdHVyZQ';
const STAX_BASE = 'https://apiprod.fattlabs.com/';

/** The create-customer answer of Stax's API reference (https://docs.staxpayments.com/reference/create-customer). */
const CUSTOMER_BODY = {
  id: '59327746-fbca-4fb6-adf0-e88c99245548',
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
  notes: null,
  reference: 'BARTLE',
  options: null,
  created_at: '2017-05-08 19:13:41',
  updated_at: '2017-05-08 19:13:41',
  deleted_at: null,
  gravatar: '//www.gravatar.com/avatar/45357c125af15b6df8864a71a653bea2',
  has_address: true,
  missing_address_components: [],
};
const SUCCESS: InboundResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(CUSTOMER_BODY) };

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', email: 'min@example.com', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'Ada King Lovelace',
  email: 'ada@example.com',
  phone: '+1 (407) 555-0123',
  billingAddress: {
    firstName: 'Augusta',
    lastName: 'King',
    line1: '123 Rite Way',
    line2: 'Unit 12',
    line3: 'Rear',
    city: 'Orlando',
    state: 'FL',
    zipCode: '32801',
    country: 'US',
    email: 'billing@example.com',
    phoneNumber: '4075550199',
    phoneCountryCode: '+1',
  },
  shippingAddress: { firstName: 'Charles', lastName: 'Babbage', line1: '1 Engine Road', city: 'Berlin', country: 'DE' },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: STAX_BASE, idempotencyKey: 'unused-by-stax' });

async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new StaxConnector(), callFor(customer, overrides), SUCCESS);
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as unknown };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new StaxConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

describe(StaxConnector.name, () => {
  const sut: DrivenConnector = driving(new StaxConnector());

  describe('outbound request', () => {
    it('POSTs JSON to {base}customer with the Bearer key and no idempotency header (Stax has none for customers)', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('stax');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://apiprod.fattlabs.com/customer',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', accept: 'application/json' },
        body: expect.any(String),
      });
      expect(body).toEqual({
        firstname: 'Ada King',
        lastname: 'Lovelace',
        email: 'ada@example.com',
        phone: '14075550123',
        address_1: '123 Rite Way',
        address_2: 'Unit 12 Rear',
        address_city: 'Orlando',
        address_state: 'FL',
        address_zip: '32801',
        address_country: 'USA',
        reference: 'mcid-42',
        notes: '{"tier":"gold","signup_source":"web"}',
      });
    });

    it('sends a minimal customer as its email and the reference', async () => {
      const { body } = await sentRequest(minimalCustomer);

      expect(body).toEqual({ email: 'min@example.com', reference: 'mcid-1' });
    });

    it.each([
      ['https://apiprod.fattlabs.com/', 'https://apiprod.fattlabs.com/customer'],
      ['https://apiprod.fattlabs.com', 'https://apiprod.fattlabs.com/customer'],
      ['http://127.0.0.1:12111/stax/', 'http://127.0.0.1:12111/stax/customer'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });

    it.each<[string, Partial<CustomerProfile>, Record<string, unknown>]>([
      ['a two-word name, split in two', { name: 'Grace Hopper' }, { firstname: 'Grace', lastname: 'Hopper' }],
      ['a one-word name, kept as the first name', { name: 'Cher' }, { firstname: 'Cher' }],
      ['billing names that spell the customer name, used as they are', { name: 'Mary Ann Evans', billingAddress: { firstName: 'Mary', lastName: 'Ann Evans' } }, { firstname: 'Mary', lastname: 'Ann Evans' }],
      ['billing names that differ from the customer name, ignored for the name', { name: 'Ada Lovelace', billingAddress: { firstName: 'Augusta', lastName: 'King' } }, { firstname: 'Ada', lastname: 'Lovelace' }],
      ['billing names without a customer name', { billingAddress: { firstName: 'Augusta', lastName: 'King' } }, { firstname: 'Augusta', lastname: 'King' }],
    ])('names: %s', async (_case, changes, names) => {
      const { body } = await sentRequest({ ...minimalCustomer, ...changes });

      expect(body).toEqual({ ...names, email: 'min@example.com', reference: 'mcid-1' });
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a customer known only by its billing address: email and phone from it',
        { merchantCustomerId: 'mcid-1', billingAddress: { email: 'grace@example.com', phoneNumber: '2025550143', phoneCountryCode: '1', country: 'GB' }, metadata: {}, featureData: {} },
        { email: 'grace@example.com', phone: '12025550143', address_country: 'GBR', reference: 'mcid-1' },
      ],
      ['a billing line3 without line2', { ...minimalCustomer, billingAddress: { line1: 'Main St 1', line3: 'Rear building' } }, { email: 'min@example.com', address_1: 'Main St 1', address_2: 'Rear building', reference: 'mcid-1' }],
      ['a shipping address, which Stax cannot hold', { ...minimalCustomer, shippingAddress: { line1: '9 Market Street', country: 'US' } }, { email: 'min@example.com', reference: 'mcid-1' }],
    ])('maps %s', async (_case, customer, expected) => {
      const { body } = await sentRequest(customer);

      expect(body).toEqual(expected);
    });
  });

  describe('response parsing', () => {
    it('returns the customer id, status and headers of a success body', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: '59327746-fbca-4fb6-adf0-e88c99245548',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json' },
      });
    });

    it.each<[string, number, unknown, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean]>([
      [
        'a Laravel validation error, keeping the first field',
        422,
        { firstname: ['The firstname field is required when none of lastname / email / company are present.'], email: ['The email field is required when none of firstname / lastname / company are present.'] },
        ErrorReason.ConnectorInvalidRequest,
        { code: '422', message: 'The firstname field is required when none of lastname / email / company are present.', param: 'firstname' },
        false,
      ],
      ['a `message` with Stax’s own code', 400, { success: false, message: 'Invalid payment method', code: 'invalid_payment_method' }, ErrorReason.ConnectorInvalidRequest, { code: 'invalid_payment_method', message: 'Invalid payment method' }, false],
      ['an `error` string', 401, { error: 'Unauthorized' }, ErrorReason.ConnectorAuthenticationFailed, { code: '401', message: 'Unauthorized' }, false],
      ['an `error` array', 422, { error: ['The selected id is invalid.'] }, ErrorReason.ConnectorInvalidRequest, { code: '422', message: 'The selected id is invalid.' }, false],
      ['a bare array', 401, ['not team admin'], ErrorReason.ConnectorAuthenticationFailed, { code: '401', message: 'not team admin' }, false],
      ['a forbidden key', 403, { message: 'Forbidden' }, ErrorReason.ConnectorPermissionDenied, { code: '403', message: 'Forbidden' }, false],
      ['rate limiting', 429, { message: 'Too Many Attempts.' }, ErrorReason.ConnectorRateLimited, { code: '429', message: 'Too Many Attempts.' }, false],
      ['a server error', 500, { message: 'Server Error' }, ErrorReason.ConnectorInternalError, { code: '500', message: 'Server Error' }, true],
    ])('maps %s (HTTP %i) keeping Stax’s message', async (_case, status, body, reason, details, outcomeUnknown) => {
      const error = await errorFrom({ status, headers: {}, body: JSON.stringify(body) });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Stax returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'stax', httpStatus: status, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
    });

    it('passes Retry-After through', async () => {
      const error = await errorFrom({ status: 429, headers: { 'retry-after': '60' }, body: '{"message":"Too Many Attempts."}' });

      expect(error.details.retryAfterSeconds).toBe(60);
    });

    it.each<[string, InboundResponse]>([
      ['no customer id', { status: 200, headers: {}, body: '{"firstname":"John"}' }],
      ['an empty id', { status: 200, headers: {}, body: '{"id":""}' }],
    ])('refuses a success with %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'stax', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each([
      ['a 422 body without any message', { status: 422, headers: {}, body: '{"total":3}' }, ErrorReason.ConnectorInvalidRequest],
      ['an empty array', { status: 401, headers: {}, body: '[]' }, ErrorReason.ConnectorAuthenticationFailed],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ connector: { connector: 'stax', code: `http_${response.status}` } });
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a customer known by its name only', { merchantCustomerId: 'm', name: 'Ada', metadata: {}, featureData: {} }],
      ['a customer known by a billing last name only', { merchantCustomerId: 'm', billingAddress: { lastName: 'King' }, metadata: {}, featureData: {} }],
      ['a name of 255 characters on each side of the space', { ...minimalCustomer, name: `${'f'.repeat(255)} ${'l'.repeat(255)}` }],
      ['a phone of 15 digits', { ...minimalCustomer, phone: '+123456789012345' }],
      ['a zip of 16 characters', { ...minimalCustomer, billingAddress: { zipCode: '1'.repeat(16) } }],
      ['metadata of exactly 21844 characters as JSON', { ...minimalCustomer, metadata: { note: 'v'.repeat(21833) } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a customer with neither a name nor an email', 'customer_name', { merchantCustomerId: 'm', phone: '+14155550123', metadata: {}, featureData: {} }],
      ['a first name over 255 characters', 'customer_name', { ...minimalCustomer, name: `${'f'.repeat(256)} Lee` }],
      ['both halves of the name over 255 characters, reported once', 'customer_name', { ...minimalCustomer, name: `${'f'.repeat(256)} ${'l'.repeat(256)}` }],
      ['a billing first name over 255 characters', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(256) } }],
      ['a billing last name over 255 characters', 'address.billing_address.last_name', { ...minimalCustomer, billingAddress: { lastName: 'l'.repeat(256) } }],
      ['an email over 255 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(244)}@example.com` }],
      ['a billing email over 255 characters', 'address.billing_address.email', { merchantCustomerId: 'm', billingAddress: { email: `${'e'.repeat(244)}@example.com` }, metadata: {}, featureData: {} }],
      ['a phone of 9 digits', 'phone_number', { ...minimalCustomer, phone: '555-012-345' }],
      ['a phone of 16 digits', 'phone_number', { ...minimalCustomer, phone: '+1234567890123456' }],
      ['a billing phone too short with its code', 'address.billing_address.phone_number', { ...minimalCustomer, billingAddress: { phoneNumber: '5550123', phoneCountryCode: '1' } }],
      ['a line1 over 255 characters', 'address.billing_address.line1', { ...minimalCustomer, billingAddress: { line1: 'l'.repeat(256) } }],
      ['line2 and line3 over 255 characters together', 'address.billing_address.line2', { ...minimalCustomer, billingAddress: { line2: 'a'.repeat(200), line3: 'b'.repeat(60) } }],
      ['a line3 over 255 characters', 'address.billing_address.line3', { ...minimalCustomer, billingAddress: { line3: 'b'.repeat(256) } }],
      ['a city over 255 characters', 'address.billing_address.city', { ...minimalCustomer, billingAddress: { city: 'c'.repeat(256) } }],
      ['a state name instead of its abbreviation', 'address.billing_address.state', { ...minimalCustomer, billingAddress: { state: 'Florida' } }],
      ['a zip code over 16 characters', 'address.billing_address.zip_code', { ...minimalCustomer, billingAddress: { zipCode: '1'.repeat(17) } }],
      ['metadata of 21845 characters as JSON', 'metadata', { ...minimalCustomer, metadata: { note: 'v'.repeat(21834) } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, phone: '123', billingAddress: { state: 'Florida', zipCode: '1'.repeat(17) } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['phone_number', 'address.billing_address.zip_code', 'address.billing_address.state']);
    });
  });

  describe('credentials', () => {
    it('cannot tell test from live by the key', () => {
      expect(sut.testModeOf({ api_key: API_KEY })).toBeUndefined();
    });

    it('identifies the account by its API key', () => {
      expect(sut.accountIdentity({ api_key: API_KEY })).toBe(API_KEY);
    });
  });

  describe('against the Stax simulator', () => {
    const { sandbox, http } = useSandbox();

    const simulatorCall = (overrides: Partial<CreateCustomerCall> = {}) => callFor(fullCustomer, { baseUrl: sandbox.baseUrl('stax'), ...overrides });

    it('creates a second customer when a call is repeated: nothing at Stax deduplicates', async () => {
      const first = await sut.createCustomer(simulatorCall(), http);
      const second = await sut.createCustomer(simulatorCall(), http);

      expect(second.connectorCustomerId).not.toBe(first.connectorCustomerId);
      expect(sandbox.simulators.stax.customerCount()).toBe(2);
    });

    it('maps Stax’s own validation answer with the field it names', async () => {
      const error = await errorOf(sut.createCustomer(simulatorCall({ customer: { ...minimalCustomer, email: 'not-an-email' } }), http));

      expect(error).toMatchObject({
        reason: ErrorReason.ConnectorInvalidRequest,
        details: { connector: { connector: 'stax', code: '422', message: 'The email must be a valid email address.', param: 'email', httpStatus: 422 } },
      });
      expect(sandbox.simulators.stax.customerCount()).toBe(0);
    });

    it('answers a key that is not a JWT with 401', async () => {
      const error = await errorOf(sut.createCustomer(simulatorCall({ credentials: { api_key: 'not-a-jwt' } }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { connector: { code: '401', message: 'Unauthorized' } } });
    });
  });
});
