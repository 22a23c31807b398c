import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, createThroughRealClient, errorOf } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { CheckoutConnector } from './checkout.connector';
import { splitPhone } from './checkout.transformers';

const API_KEY = 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e';
const CUSTOMER_ID = 'cus_y3oqhf46pyzuxjbcn2giaqnb44';
const BASE = 'https://api.sandbox.checkout.com/';

const NOT_FOUND: InboundResponse = { status: 404, headers: { 'cko-request-id': 'req_lookup' }, body: '' };
const CREATED: InboundResponse = { status: 201, headers: { 'content-type': 'application/json', 'cko-request-id': 'req_create' }, body: JSON.stringify({ id: CUSTOMER_ID }) };

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', email: 'min@example.com', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7123 4567',
  billingAddress: {
    firstName: 'Augusta',
    lastName: 'King',
    line1: '12 Analytical Street',
    city: 'London',
    zipCode: 'N1 9GU',
    country: 'GB',
    email: 'billing@example.com',
    phoneNumber: '2079460000',
    phoneCountryCode: '+44',
  },
  shippingAddress: { firstName: 'Charles', lastName: 'Babbage', line1: '1 Engine Road', city: 'Berlin', country: 'DE' },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: BASE, idempotencyKey: 'unused-by-checkout' });

async function sentRequests(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { http, send } = answering(NOT_FOUND, CREATED);
  await driving(new CheckoutConnector()).createCustomer(callFor(customer, overrides), http);
  expect(send).toHaveBeenCalledTimes(2);
  expect(send.mock.calls.map(([connector]) => connector)).toEqual(['checkout', 'checkout']);
  const [[, lookup], [, create]] = send.mock.calls;
  return { lookup, create, body: JSON.parse(create.body ?? '') as Record<string, unknown> };
}

const errorFrom = (...responses: InboundResponse[]) => errorOf(driving(new CheckoutConnector()).createCustomer(callFor(minimalCustomer), answering(...responses).http));

describe(CheckoutConnector.name, () => {
  const sut = driving(new CheckoutConnector());

  describe('outbound requests', () => {
    it('looks the email up, then POSTs the JSON customer to {base}customers with the secret key as Bearer token', async () => {
      const { lookup, create, body } = await sentRequests(fullCustomer);

      expect(lookup).toEqual({ method: 'GET', url: 'https://api.sandbox.checkout.com/customers/ada@example.com', headers: { authorization: `Bearer ${API_KEY}` } });
      expect(create).toEqual({
        method: 'POST',
        url: 'https://api.sandbox.checkout.com/customers',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: expect.any(String),
      });
      expect(body).toEqual({
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        phone: { country_code: '+44', number: '2071234567' },
        metadata: { tier: 'gold', signup_source: 'web', merchant_customer_id: 'mcid-42' },
      });
    });

    it('sends a minimal customer as its email and the back-reference', async () => {
      const { lookup, body } = await sentRequests(minimalCustomer);

      expect(lookup.url).toBe('https://api.sandbox.checkout.com/customers/min@example.com');
      expect(body).toEqual({ email: 'min@example.com', metadata: { merchant_customer_id: 'mcid-1' } });
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a customer known only by its billing address: name, email and phone come from it',
        { ...minimalCustomer, email: undefined, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '202-555-0143', phoneCountryCode: '1' } },
        { email: 'grace@example.com', name: 'Grace Hopper', phone: { country_code: '+1', number: '2025550143' }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'a national phone number: no calling code to split off, so the number goes alone',
        { ...minimalCustomer, phone: '020 7123 4567' },
        { email: 'min@example.com', phone: { number: '02071234567' }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'a three-digit calling code',
        { ...minimalCustomer, phone: '+353 (1) 234-5678' },
        { email: 'min@example.com', phone: { country_code: '+353', number: '12345678' }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'a billing phone already in international form',
        { ...minimalCustomer, billingAddress: { phoneNumber: '+4930123456', phoneCountryCode: '1' } },
        { email: 'min@example.com', phone: { country_code: '+49', number: '30123456' }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'the reserved metadata key holding the same id',
        { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } },
        { email: 'min@example.com', metadata: { merchant_customer_id: 'mcid-1' } },
      ],
    ])('sends exactly the body of %s', async (_case, customer, expected) => {
      const { body } = await sentRequests(customer);

      expect(body).toEqual(expected);
    });

    it.each([
      ['a plus address', 'a+b@example.com', 'customers/a%2Bb@example.com'],
      ['an address with a slash', 'a/b@example.com', 'customers/a%2Fb@example.com'],
      ['an address with a question mark', 'a?b@example.com', 'customers/a%3Fb@example.com'],
    ])('escapes %s in the lookup path, keeping @', async (_case, email, path) => {
      const { lookup } = await sentRequests({ ...minimalCustomer, email });

      expect(lookup.url).toBe(`${BASE}${path}`);
    });

    it.each([
      ['https://api.sandbox.checkout.com', 'https://api.sandbox.checkout.com/customers'],
      ['https://abc123xyz.api.sandbox.checkout.com/', 'https://abc123xyz.api.sandbox.checkout.com/customers'],
      ['http://127.0.0.1:4010/checkout', 'http://127.0.0.1:4010/checkout/customers'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { create } = await sentRequests(minimalCustomer, { baseUrl });

      expect(create.url).toBe(url);
    });

    it.each([
      ['a previous-platform sandbox key, sent bare', 'sk_test_fde517a8-3f01-41ef-b4bd-4282384b0a64', 'sk_test_fde517a8-3f01-41ef-b4bd-4282384b0a64'],
      ['a previous-platform live key, sent bare', 'sk_fde517a8-3f01-41ef-b4bd-4282384b0a64', 'sk_fde517a8-3f01-41ef-b4bd-4282384b0a64'],
      ['a current-platform live key, as Bearer token', 'sk_m73dzbpy7cf3gfd46xr4yj5xo4e', 'Bearer sk_m73dzbpy7cf3gfd46xr4yj5xo4e'],
    ])('authorizes %s', async (_case, apiKey, header) => {
      const { lookup, create } = await sentRequests(minimalCustomer, { credentials: { api_key: apiKey } });

      expect(lookup.headers.authorization).toBe(header);
      expect(create.headers.authorization).toBe(header);
    });
  });

  describe('recovering a customer created by an earlier attempt', () => {
    const retrieved = (metadata: unknown): InboundResponse => ({
      status: 200,
      headers: { 'content-type': 'application/json', 'cko-request-id': 'req_get' },
      body: JSON.stringify({ id: CUSTOMER_ID, email: 'min@example.com', metadata, instruments: [] }),
    });

    it('returns the customer the email finds when its back-reference is this merchant customer, without creating', async () => {
      const { http, send } = answering(retrieved({ merchant_customer_id: 'mcid-1' }));

      await expect(sut.createCustomer(callFor(minimalCustomer), http)).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json', 'cko-request-id': 'req_get' },
      });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it.each([
      ['another merchant customer', { merchant_customer_id: 'someone-else' }],
      ['no back-reference (created elsewhere)', { plan: 'gold' }],
      ['no metadata at all', null],
    ])('refuses when the email finds a customer of %s, creating nothing (it could hide ours were emails not unique)', async (_case, metadata) => {
      const { http, send } = answering(retrieved(metadata));

      const error = await errorOf(sut.createCustomer(callFor(minimalCustomer), http));

      expect(error).toMatchObject({
        reason: ErrorReason.ConnectorRequestRejected,
        details: { outcomeUnknown: false, connector: { connector: 'checkout', code: 'email_held_by_another_customer', httpStatus: 200 } },
      });
      expect(send.mock.calls.map(([, outbound]) => outbound.method)).toEqual(['GET']);
    });
  });

  describe('response parsing', () => {
    it('returns the id, status and headers of a 201', async () => {
      const { http } = answering(NOT_FOUND, CREATED);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 201,
        responseHeaders: { 'content-type': 'application/json', 'cko-request-id': 'req_create' },
      });
    });

    const validation = (codes: string[], errorType = 'request_invalid') => JSON.stringify({ request_id: '0HL80RJLS76I7', error_type: errorType, error_codes: codes });

    it.each<[string, InboundResponse, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean]>([
      [
        'a missing email (422)',
        { status: 422, headers: {}, body: validation(['email_required']) },
        ErrorReason.ConnectorInvalidRequest,
        { code: 'email_required', message: 'email_required', type: 'request_invalid' },
        false,
      ],
      [
        'several invalid fields (422): the first code leads, all are kept',
        { status: 422, headers: {}, body: validation(['email_invalid', 'phone_number_length_invalid']) },
        ErrorReason.ConnectorInvalidRequest,
        { code: 'email_invalid', message: 'email_invalid, phone_number_length_invalid', type: 'request_invalid' },
        false,
      ],
      [
        'a 422 without codes',
        { status: 422, headers: {}, body: validation([]) },
        ErrorReason.ConnectorInvalidRequest,
        { code: 'request_invalid', message: 'request_invalid', type: 'request_invalid' },
        false,
      ],
      ['a bad key (401, empty body)', { status: 401, headers: {}, body: '' }, ErrorReason.ConnectorAuthenticationFailed, { code: 'http_401', message: 'empty body' }, false],
      ['an internal error (500, empty body)', { status: 500, headers: {}, body: '' }, ErrorReason.ConnectorInternalError, { code: 'http_500', message: 'empty body' }, true],
      ['an unavailable service (503, empty body)', { status: 503, headers: {}, body: '' }, ErrorReason.ConnectorUnavailable, { code: 'http_503', message: 'empty body' }, true],
    ])('maps %s from the create keeping Checkout.com’s details', async (_case, response, reason, details, outcomeUnknown) => {
      const error = await errorFrom(NOT_FOUND, response);

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Checkout.com returned HTTP ${response.status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'checkout', httpStatus: response.status, type: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
    });

    it.each<[string, InboundResponse, ErrorReason, string]>([
      ['a bad key', { status: 401, headers: {}, body: '' }, ErrorReason.ConnectorAuthenticationFailed, 'http_401'],
      ['rate limiting with Retry-After', { status: 429, headers: { 'retry-after': '3' }, body: '' }, ErrorReason.ConnectorRateLimited, 'http_429'],
      ['an internal error', { status: 500, headers: {}, body: '' }, ErrorReason.ConnectorInternalError, 'http_500'],
    ])('stops at the lookup when it answers %s, creating nothing', async (_case, response, reason, code) => {
      const { http, send } = answering(response);

      const error = await errorOf(sut.createCustomer(callFor(minimalCustomer), http));

      expect(error).toMatchObject({ reason, details: { connector: { connector: 'checkout', code, httpStatus: response.status } } });
      expect(send).toHaveBeenCalledTimes(1);
      if (response.status === 429) expect(error.details.retryAfterSeconds).toBe(3);
    });

    it.each<[string, InboundResponse]>([
      ['a 201 that is not JSON', { status: 201, headers: {}, body: '<html>ok</html>' }],
      ['a 201 without id', { status: 201, headers: {}, body: '{}' }],
      ['a 201 with an empty id', { status: 201, headers: {}, body: '{"id":""}' }],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(NOT_FOUND, response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'checkout', code: 'invalid_response', httpStatus: 201 } });
    });

    it('refuses a lookup answering 200 without a customer id', async () => {
      const error = await errorFrom({ status: 200, headers: {}, body: '{"email":"min@example.com"}' });

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse, details: { connector: { code: 'invalid_response', httpStatus: 200 } } });
    });

    it.each([
      ['a 422 body in another shape', { status: 422, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(NOT_FOUND, response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'checkout', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    const pairs = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`key_${i}`, 'v']));

    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['an email of exactly 255 characters', { ...minimalCustomer, email: `${'e'.repeat(243)}@example.com` }],
      ['a name of exactly 255 characters', { ...minimalCustomer, name: 'n'.repeat(255) }],
      ['9 merchant metadata pairs (the 10th is ours)', { ...minimalCustomer, metadata: pairs(9) }],
      ['a metadata key and value of 100 characters', { ...minimalCustomer, metadata: { ['k'.repeat(100)]: 'v'.repeat(100) } }],
      ['a merchant_customer_id of 100 characters', { ...minimalCustomer, merchantCustomerId: 'm'.repeat(100) }],
      ['a phone number of 6 digits after the calling code', { ...minimalCustomer, phone: '+44 123456' }],
      ['a phone number of 25 digits after the calling code', { ...minimalCustomer, phone: `+1${'2'.repeat(25)}` }],
      ['a national phone number', { ...minimalCustomer, phone: '0171 234 5678' }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['no email anywhere', 'email', { ...minimalCustomer, email: undefined }],
      ['an email of 256 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(244)}@example.com` }],
      ['a billing email over 255 characters standing in for the email', 'address.billing_address.email', { ...minimalCustomer, email: undefined, billingAddress: { email: `${'e'.repeat(244)}@example.com` } }],
      ['a name of 256 characters', 'customer_name', { ...minimalCustomer, name: 'n'.repeat(256) }],
      ['a billing name over 255 characters standing in for the name', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(200), lastName: 'l'.repeat(55) } }],
      ['a phone with an unknown calling code', 'phone_number', { ...minimalCustomer, phone: '+999 1234 5678' }],
      ['a phone number of 5 digits after the calling code', 'phone_number', { ...minimalCustomer, phone: '+44 12345' }],
      ['a phone number of 26 digits after the calling code', 'phone_number', { ...minimalCustomer, phone: `+1${'2'.repeat(26)}` }],
      ['a billing phone with an unknown calling code', 'address.billing_address.phone_number', { ...minimalCustomer, billingAddress: { phoneNumber: '12345678', phoneCountryCode: '999' } }],
      ['10 merchant metadata pairs', 'metadata', { ...minimalCustomer, metadata: pairs(10) }],
      ['a metadata key of 101 characters', `metadata.${'k'.repeat(101)}`, { ...minimalCustomer, metadata: { ['k'.repeat(101)]: 'v' } }],
      ['a metadata value of 101 characters', 'metadata.note', { ...minimalCustomer, metadata: { note: 'v'.repeat(101) } }],
      ['the reserved key with another id', 'metadata.merchant_customer_id', { ...minimalCustomer, metadata: { merchant_customer_id: 'someone-else' } }],
      ['a merchant_customer_id of 101 characters', 'merchant_customer_id', { ...minimalCustomer, merchantCustomerId: 'm'.repeat(101) }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, name: 'n'.repeat(256), phone: '+999 1234', metadata: { a: 'v'.repeat(101) } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['customer_name', 'phone_number', 'metadata.a']);
    });
  });

  describe(splitPhone.name, () => {
    it.each([
      ['+1 415 555 0123', { country_code: '+1', number: '4155550123' }],
      ['+7 495 123-45-67', { country_code: '+7', number: '4951234567' }],
      ['+49 30 123456', { country_code: '+49', number: '30123456' }],
      ['+880 1712 345678', { country_code: '+880', number: '1712345678' }],
      ['+800 1234 5678', { country_code: '+800', number: '12345678' }],
    ])('splits %s at its calling code', (phone, expected) => {
      expect(splitPhone(phone)).toEqual({ phone: expected });
    });

    it('refuses a + number whose leading digits are no calling code', () => {
      expect(splitPhone('+999 123')).toEqual({ problem: expect.stringContaining('no known country calling code') });
    });
  });

  describe('test mode and account identity', () => {
    it.each<[string, boolean | undefined]>([
      ['sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e', true],
      ['sk_test_fde517a8-3f01-41ef-b4bd-4282384b0a64', true],
      ['sk_m73dzbpy7cf3gfd46xr4yj5xo4e', false],
      ['sk_fde517a8-3f01-41ef-b4bd-4282384b0a64', false],
      ['pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e', undefined],
      ['sk_live_abc', undefined],
      ['not-a-checkout-key', undefined],
    ])('%s → %p', (apiKey, expected) => {
      expect(sut.testModeOf({ api_key: apiKey })).toBe(expected);
    });

    it('identifies the account by its secret key', () => {
      expect(sut.accountIdentity({ api_key: 'sk_sbox_a' })).toBe('sk_sbox_a');
      expect(sut.accountIdentity({ api_key: 'sk_sbox_a' })).not.toBe(sut.accountIdentity({ api_key: 'sk_sbox_b' }));
    });
  });

  describe('logging through the real HTTP client', () => {
    it('never writes the key or the email, although the lookup puts the email in the URL path', async () => {
      const email = 'o.brien+shop@example.org';

      const { outcome, log, received } = await createThroughRealClient(
        (request, response) => {
          if (request.method === 'GET') {
            response.writeHead(404);
            response.end();
            return;
          }
          response.writeHead(201, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ id: CUSTOMER_ID }));
        },
        [API_KEY],
        (http, baseUrl) => sut.createCustomer(callFor({ ...minimalCustomer, email }, { baseUrl }), http),
      );

      expect(outcome).toMatchObject({ connectorCustomerId: CUSTOMER_ID });
      expect(received.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /customers/o.brien%2Bshop@example.org', 'POST /customers']);
      const text = log.lines.join('\n');
      expect(text).toContain('processor call');
      for (const secret of [API_KEY, email, 'o.brien%2Bshop@example.org', 'example.org']) expect(text).not.toContain(secret);
    });
  });
});
