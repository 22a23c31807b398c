import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import customerFixture from '../../../testing/contracts/stripe/customer.fixture.json';
import lifecycleFixture from '../../../testing/contracts/stripe/lifecycle.fixture.json';
import { checkStripeCreateCustomerBody } from '@app/testing/contracts/stripe-contract';
import type { CreateCustomerCall, ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, answerWith, callBuilder, createThroughRealClient, errorOf, requestSentBy, SPEC_IDEMPOTENCY_KEY as IDEMPOTENCY_KEY, SPEC_REFERENCE } from '@app/testing/connectors/connector-spec-helpers';
import { STRIPE_UPDATE_PARAMETERS } from '@app/testing/sandbox/simulators/stripe.simulator';
import { driving } from '@app/testing/connectors/connector-driver';
import { StripeConnector } from './stripe.connector';

const API_KEY = 'sk_test_51StripeSpecKey';
const STRIPE_BASE = 'https://api.stripe.com/';

const SUCCESS: InboundResponse = {
  status: 200,
  headers: { 'content-type': 'application/json', 'request-id': 'req_fixture' },
  body: JSON.stringify(customerFixture.customer),
};

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+442071234567',
  billingAddress: {
    firstName: 'Augusta',
    lastName: 'King',
    line1: '12 Analytical Street',
    line2: 'Floor 2',
    line3: 'Suite 5',
    city: 'London',
    state: 'Greater London',
    zipCode: 'N1 9GU',
    country: 'GB',
    email: 'billing@example.com',
    phoneNumber: '2079460000',
    phoneCountryCode: '+44',
  },
  shippingAddress: {
    firstName: 'Charles',
    lastName: 'Babbage',
    line1: '1 Engine Road',
    city: 'Berlin',
    zipCode: '10115',
    country: 'DE',
    phoneNumber: '301234567',
    phoneCountryCode: '49',
  },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: STRIPE_BASE });

/**
 * The one request `createCustomer` sends, already checked against Stripe's official contract
 * — so every request any test builds is validated.
 */
async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new StripeConnector(), callFor(customer, overrides), SUCCESS);
  const contract = checkStripeCreateCustomerBody(outbound.body ?? '');
  expect(contract.errors).toEqual([]);
  expect(contract.valid).toBe(true);
  const entries = [...new URLSearchParams(outbound.body)];
  expect(new Set(entries.map(([key]) => key)).size).toBe(entries.length);
  return { connector, outbound, form: Object.fromEntries(entries) };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new StripeConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

describe(StripeConnector.name, () => {
  const sut = driving(new StripeConnector());

  describe('outbound request', () => {
    it('POSTs the form to {base}v1/customers with the key, pinned version and idempotency key', async () => {
      const { connector, outbound } = await sentRequest(fullCustomer);

      expect(connector).toBe('stripe');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://api.stripe.com/v1/customers',
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'content-type': 'application/x-www-form-urlencoded',
          'stripe-version': '2026-07-29.dahlia',
          'idempotency-key': IDEMPOTENCY_KEY,
        },
        body: expect.any(String),
      });
    });

    it.each([
      ['https://api.stripe.com/', 'https://api.stripe.com/v1/customers'],
      ['https://api.stripe.com', 'https://api.stripe.com/v1/customers'],
      ['http://127.0.0.1:12111/', 'http://127.0.0.1:12111/v1/customers'],
      ['http://127.0.0.1:12111', 'http://127.0.0.1:12111/v1/customers'],
      ['https://proxy.example.com/stripe/', 'https://proxy.example.com/stripe/v1/customers'],
      ['https://proxy.example.com/stripe', 'https://proxy.example.com/stripe/v1/customers'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });

    it.each<[string, CustomerProfile, Record<string, string>]>([
      [
        'a full customer: top-level contact, billing as address (line3 after line2), shipping, metadata',
        fullCustomer,
        {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          phone: '+442071234567',
          'address[line1]': '12 Analytical Street',
          'address[line2]': 'Floor 2 Suite 5',
          'address[city]': 'London',
          'address[state]': 'Greater London',
          'address[postal_code]': 'N1 9GU',
          'address[country]': 'GB',
          'shipping[name]': 'Charles Babbage',
          'shipping[phone]': '+49301234567',
          'shipping[address][line1]': '1 Engine Road',
          'shipping[address][city]': 'Berlin',
          'shipping[address][postal_code]': '10115',
          'shipping[address][country]': 'DE',
          'metadata[tier]': 'gold',
          'metadata[signup_source]': 'web',
          'metadata[merchant_customer_id]': 'mcid-42',
        },
      ],
      ['a customer with only its id: just the back-reference', minimalCustomer, { 'metadata[merchant_customer_id]': 'mcid-1' }],
      [
        'a customer known only by its billing address: name, email and phone come from it',
        {
          ...minimalCustomer,
          billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '2025550143', phoneCountryCode: '1', country: 'US' },
        },
        {
          name: 'Grace Hopper',
          email: 'grace@example.com',
          phone: '+12025550143',
          'address[country]': 'US',
          'metadata[merchant_customer_id]': 'mcid-1',
        },
      ],
      [
        'a billing address with names only: no empty address object',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace' } },
        { name: 'Grace', 'metadata[merchant_customer_id]': 'mcid-1' },
      ],
      [
        'a billing line3 without line2',
        { ...minimalCustomer, billingAddress: { line1: 'Main St 1', line3: 'Rear building' } },
        { 'address[line1]': 'Main St 1', 'address[line2]': 'Rear building', 'metadata[merchant_customer_id]': 'mcid-1' },
      ],
      [
        'a shipping address without names: the customer name ships',
        { ...minimalCustomer, name: 'Linus T', shippingAddress: { line1: 'Kernel Way 1', country: 'FI', phoneNumber: '+358401234567' } },
        {
          name: 'Linus T',
          'shipping[name]': 'Linus T',
          'shipping[phone]': '+358401234567',
          'shipping[address][line1]': 'Kernel Way 1',
          'shipping[address][country]': 'FI',
          'metadata[merchant_customer_id]': 'mcid-1',
        },
      ],
      [
        'a shipping address without any postal field: no shipping (Stripe requires its address)',
        { ...minimalCustomer, shippingAddress: { firstName: 'Charles', phoneNumber: '301234567', phoneCountryCode: '49' } },
        { 'metadata[merchant_customer_id]': 'mcid-1' },
      ],
      [
        'characters that need form encoding',
        { ...minimalCustomer, name: 'Zoë & Ångström = 100% +1', metadata: { 'a key=with&odd chars': 'x&y=z' } },
        { name: 'Zoë & Ångström = 100% +1', 'metadata[a key=with&odd chars]': 'x&y=z', 'metadata[merchant_customer_id]': 'mcid-1' },
      ],
      [
        'the reserved metadata key holding the same id',
        { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } },
        { 'metadata[merchant_customer_id]': 'mcid-1' },
      ],
    ])('sends exactly the form keys of %s', async (_case, customer, expected) => {
      const { form } = await sentRequest(customer);

      expect(form).toEqual(expected);
    });

    it('keeps every value within Stripe’s limits valid against the contract', async () => {
      const metadata = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`.padEnd(40, 'x'), 'v'.repeat(500)]));
      const customer: CustomerProfile = { ...minimalCustomer, name: 'n'.repeat(256), email: `${'e'.repeat(500)}@example.com`, phone: '+'.padEnd(20, '1'), metadata };

      expect(sut.validateCustomer(customer)).toEqual([]);
      const { form } = await sentRequest(customer);
      expect(Object.keys(form).filter((key) => key.startsWith('metadata['))).toHaveLength(50);
    });

    it.each([
      ['an unknown top-level parameter', 'email=a%40b.co&unknown_param=1'],
      ['a shipping without name and address', 'shipping[phone]=%2B4930'],
      ['a name over 256 characters', `name=${'n'.repeat(257)}`],
      ['a phone over 20 characters', `phone=${'1'.repeat(21)}`],
      ['nested metadata', 'metadata[a][b]=c'],
    ])('the contract check itself rejects %s', (_case, body) => {
      expect(checkStripeCreateCustomerBody(body).valid).toBe(false);
    });
  });

  describe('response parsing', () => {
    it('returns the customer id, status and headers of a success body', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'cus_QXg1o8vcGmoR32',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json', 'request-id': 'req_fixture' },
      });
    });

    const stripeError = (error: Record<string, string>) => JSON.stringify({ error });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'an invalid email',
        400,
        {},
        stripeError({ type: 'invalid_request_error', code: 'email_invalid', message: 'Invalid email address: ada@example', param: 'email' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'email_invalid', message: 'Invalid email address: ada@example', param: 'email', type: 'invalid_request_error' },
        false,
        undefined,
      ],
      [
        'a bad key (no code: the type stands in)',
        401,
        {},
        stripeError({ type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****Key' }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****Key', type: 'invalid_request_error' },
        false,
        undefined,
      ],
      [
        'a card decline',
        402,
        {},
        stripeError({ type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.', param: 'source' }),
        ErrorReason.ConnectorDeclined,
        { code: 'card_declined', message: 'Your card has insufficient funds.', param: 'source', type: 'card_error', declineCode: 'insufficient_funds' },
        false,
        undefined,
      ],
      [
        'a restricted key without permission',
        403,
        {},
        stripeError({ type: 'invalid_request_error', code: 'secret_key_required', message: 'This API call cannot be made with a publishable API key.' }),
        ErrorReason.ConnectorPermissionDenied,
        { code: 'secret_key_required', message: 'This API call cannot be made with a publishable API key.', type: 'invalid_request_error' },
        false,
        undefined,
      ],
      [
        'a concurrent request holding the idempotency key',
        409,
        {},
        stripeError({ type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'There is currently another in-progress request using this Idempotent Key.' }),
        ErrorReason.ConnectorConflict,
        { code: 'idempotency_key_in_use', message: 'There is currently another in-progress request using this Idempotent Key.', type: 'idempotency_error' },
        true,
        undefined,
      ],
      [
        'a rate limit with Retry-After',
        429,
        { 'retry-after': '7' },
        stripeError({ type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' }),
        ErrorReason.ConnectorRateLimited,
        { code: 'rate_limit', message: 'Too many requests hit the API too quickly.', type: 'invalid_request_error' },
        false,
        7,
      ],
      [
        'a Stripe-side failure',
        500,
        {},
        stripeError({ type: 'api_error', message: "Something went wrong on Stripe's end." }),
        ErrorReason.ConnectorInternalError,
        { code: 'api_error', message: "Something went wrong on Stripe's end.", type: 'api_error' },
        true,
        undefined,
      ],
      [
        'a bad gateway',
        502,
        {},
        stripeError({ type: 'api_error', message: 'Bad gateway' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'api_error', message: 'Bad gateway', type: 'api_error' },
        true,
        undefined,
      ],
      [
        'an unavailable service with Retry-After',
        503,
        { 'retry-after': '30' },
        stripeError({ type: 'api_error', message: 'Service unavailable' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'api_error', message: 'Service unavailable', type: 'api_error' },
        true,
        30,
      ],
      ['an empty error object', 400, {}, '{"error":{}}', ErrorReason.ConnectorInvalidRequest, { code: 'unknown', message: 'no message' }, false, undefined],
    ])('maps %s (HTTP %i) to a domain error keeping Stripe’s details', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Stripe returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'stripe', httpStatus: status, type: undefined, param: undefined, declineCode: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['a success status without a customer id', { status: 200, headers: {}, body: '{"object":"customer"}' }],
      ['a success status with an empty id', { status: 200, headers: {}, body: '{"id":"","object":"customer"}' }],
      ['a success status with a numeric id', { status: 200, headers: {}, body: '{"id":42}' }],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'stripe', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each([
      ['a 400 body that is not JSON', { status: 400, headers: {}, body: 'Bad Request' }, ErrorReason.ConnectorInvalidRequest, false],
      ['a 400 body without `error`', { status: 400, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'stripe', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    const manyKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`key_${i}`, 'v']));

    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a name of exactly 256 characters', { ...minimalCustomer, name: 'n'.repeat(256) }],
      ['49 merchant metadata keys (the 50th is ours)', { ...minimalCustomer, metadata: manyKeys(49) }],
      ['a metadata key of 40 characters', { ...minimalCustomer, metadata: { ['k'.repeat(40)]: 'v' } }],
      ['a metadata value of 500 characters', { ...minimalCustomer, metadata: { note: 'v'.repeat(500) } }],
      ['the reserved key holding the request’s own id', { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } }],
      ['a shipping address named only by customer_name', { ...minimalCustomer, name: 'Ada', shippingAddress: { line1: 'x' } }],
      ['a shipping address named only by last_name', { ...minimalCustomer, shippingAddress: { lastName: 'Babbage', line1: 'x' } }],
      ['a shipping address with a phone but no postal field and no name', { ...minimalCustomer, shippingAddress: { phoneNumber: '301234567' } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a name of 257 characters', 'customer_name', { ...minimalCustomer, name: 'n'.repeat(257) }],
      [
        'a billing name over 256 characters when it stands in for the name',
        'address.billing_address.first_name',
        { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(200), lastName: 'l'.repeat(56) } },
      ],
      ['an email over 512 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(501)}@example.com` }],
      [
        'a billing email over 512 characters when it stands in for the email',
        'address.billing_address.email',
        { ...minimalCustomer, billingAddress: { email: `${'e'.repeat(501)}@example.com` } },
      ],
      ['a phone over 20 characters', 'phone_number', { ...minimalCustomer, phone: '+1 (202) 555-0143 x99' }],
      [
        'a billing phone over 20 characters once its country code is added',
        'address.billing_address.phone_number',
        { ...minimalCustomer, billingAddress: { phoneNumber: '2'.repeat(18), phoneCountryCode: '44' } },
      ],
      ['50 merchant metadata keys', 'metadata', { ...minimalCustomer, metadata: manyKeys(50) }],
      ['a metadata key over 40 characters', `metadata.${'k'.repeat(41)}`, { ...minimalCustomer, metadata: { ['k'.repeat(41)]: 'v' } }],
      ['a metadata key with [', 'metadata.tags[0', { ...minimalCustomer, metadata: { 'tags[0': 'v' } }],
      ['a metadata key with ]', 'metadata.tags]', { ...minimalCustomer, metadata: { 'tags]': 'v' } }],
      ['a metadata value over 500 characters', 'metadata.note', { ...minimalCustomer, metadata: { note: 'v'.repeat(501) } }],
      ['the reserved key with another id', 'metadata.merchant_customer_id', { ...minimalCustomer, metadata: { merchant_customer_id: 'someone-else' } }],
      ['a shipping address without any name', 'address.shipping_address.first_name', { ...minimalCustomer, shippingAddress: { line1: '1 Engine Road', country: 'DE' } }],
      ['a billing line over 5000 characters', 'address.billing_address.line1', { ...minimalCustomer, billingAddress: { line1: 'l'.repeat(5001) } }],
      ['a shipping zip code over 5000 characters', 'address.shipping_address.zip_code', { ...minimalCustomer, name: 'Ada', shippingAddress: { zipCode: '1'.repeat(5001) } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, name: 'n'.repeat(257), metadata: { 'a[': 'v', b: 'v'.repeat(501) } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['customer_name', 'metadata.a[', 'metadata.b']);
    });
  });

  describe('testModeOf', () => {
    it.each<[string, boolean | undefined]>([
      ['sk_test_51Abc', true],
      ['sk_live_51Abc', false],
      ['rk_test_51Abc', true],
      ['rk_live_51Abc', false],
      ['pk_test_51Abc', undefined],
      ['sk_51Abc', undefined],
      ['not-a-stripe-key', undefined],
    ])('%s → %p', (apiKey, expected) => {
      expect(sut.testModeOf({ api_key: apiKey })).toBe(expected);
    });

    it('identifies the account by its key, so test and live keys scope mappings apart', () => {
      expect(sut.accountIdentity({ api_key: 'sk_test_A' })).not.toBe(sut.accountIdentity({ api_key: 'sk_live_A' }));
    });
  });

  describe('idempotency conflicts', () => {
    it('treats a key reused with other parameters as a conflict whose outcome is unknown (the first request may have created the customer)', async () => {
      const error = await errorFrom({
        status: 400,
        headers: {},
        body: JSON.stringify({ error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } }),
      });

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorConflict, details: { outcomeUnknown: true, connector: { code: 'idempotency_error', httpStatus: 400 } } });
    });
  });

  describe('findCreatedCustomer (reconciliation after the replay window)', () => {
    const searchResult = (data: { id: string; created: number }[]): InboundResponse => ({
      status: 200,
      headers: {},
      body: JSON.stringify({ object: 'search_result', url: '/v1/customers/search', has_more: false, data }),
    });

    it('searches the account for our metadata back-reference, quotes escaped', async () => {
      const { http, send } = answering(searchResult([]));

      await sut.findCreatedCustomer(callFor({ ...minimalCustomer, merchantCustomerId: "o'brien\\1" }), http);

      const [connector, outbound] = send.mock.calls[0];
      const url = new URL(outbound.url);
      expect(connector).toBe('stripe');
      expect(outbound).toMatchObject({ method: 'GET', headers: { authorization: `Bearer ${API_KEY}`, 'stripe-version': '2026-07-29.dahlia' } });
      expect(url.pathname).toBe('/v1/customers/search');
      expect(url.searchParams.get('query')).toBe("metadata['merchant_customer_id']:'o\\'brien\\\\1'");
    });

    it.each([
      ['nothing when nobody matches', [], undefined],
      ['the one match', [{ id: 'cus_ONE', created: 10 }], 'cus_ONE'],
      ['the oldest of several (duplicates already exist; keep using the first)', [{ id: 'cus_NEW', created: 20 }, { id: 'cus_OLD', created: 10 }], 'cus_OLD'],
    ])('returns %s', async (_, data, expected) => {
      const { http } = answering(searchResult(data));

      const found = await sut.findCreatedCustomer(callFor(minimalCustomer), http);

      expect(found?.connectorCustomerId).toBe(expected);
    });

    it('fails with Stripe’s error rather than guessing', async () => {
      const { http } = answering({ status: 500, headers: {}, body: JSON.stringify({ error: { type: 'api_error', message: 'search down' } }) });

      await expect(sut.findCreatedCustomer(callFor(minimalCustomer), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInternalError, details: { outcomeUnknown: true } });
    });

    it.each<[string, InboundResponse]>([
      [
        'search not offered to the account (India): a 400',
        { status: 400, headers: {}, body: JSON.stringify({ error: { type: 'invalid_request_error', message: 'search feature unavailable for merchant' } }) },
      ],
      ['a restricted key without search permission: a 403', { status: 403, headers: {}, body: JSON.stringify({ error: { type: 'invalid_request_error', message: 'The provided key does not have access' } }) }],
      ['a search answer without `data`', { status: 200, headers: {}, body: '{"object":"search_result"}' }],
    ])('reports %s as outcome unknown: a refused search never frees the mapping for a blind create', async (_case, response) => {
      const { http } = answering(response);

      const error = await errorOf(sut.findCreatedCustomer(callFor(minimalCustomer), http));

      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'stripe', httpStatus: response.status } });
    });

    it('declares the lookup inconclusive (eventually consistent): finding nothing goes to an operator', () => {
      expect(sut.descriptor.capabilities.lookupIsConclusive).toBe(false);
      expect(sut.descriptor.capabilities.claims?.find((c) => /India/.test(c.claim))?.source).toMatch(/docs\.stripe\.com\/api\/customers\/search/);
    });
  });

  describe('identifyAccount (GET /v1/account)', () => {
    const accountAnswer: InboundResponse = { status: 200, headers: {}, body: JSON.stringify(lifecycleFixture.account) };
    const identify = (apiKey: string, response = accountAnswer, testMode = true) => {
      const { http, send } = answering(response);
      return { send, result: sut.identifyAccount({ credentials: { api_key: apiKey }, baseUrl: STRIPE_BASE, testMode }, http) };
    };

    it('asks Stripe which account the key belongs to', async () => {
      const { send, result } = identify(API_KEY);
      await result;

      expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: 'https://api.stripe.com/v1/account', headers: { authorization: `Bearer ${API_KEY}`, 'stripe-version': '2026-07-29.dahlia' }, body: undefined });
    });

    it.each([
      [API_KEY, true, 'acct_1PgafTB7WZ01zgkW:test'],
      ['sk_live_51StripeSpecKey', true, 'acct_1PgafTB7WZ01zgkW:live'],
      ['rk_test_51StripeSpecKey', false, 'acct_1PgafTB7WZ01zgkW:test'],
      ['an-unprefixed-key', false, 'acct_1PgafTB7WZ01zgkW:live'],
    ])('names the account with the key’s mode (%s): test and live keys of one account stay apart', async (apiKey, testMode, accountId) => {
      await expect(identify(apiKey, accountAnswer, testMode).result).resolves.toEqual({ accountId });
    });

    it('gives the same account for a rolled key, so its mappings stay reachable', async () => {
      const before = await identify('sk_test_51OldRolledKey').result;
      const after = await identify('sk_test_51NewRolledKey').result;

      expect(after).toEqual(before);
    });

    it.each<[string, InboundResponse, ErrorReason]>([
      ['a bad key', { status: 401, headers: {}, body: JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }) }, ErrorReason.ConnectorAuthenticationFailed],
      ['a restricted key without account access', { status: 403, headers: {}, body: JSON.stringify({ error: { type: 'invalid_request_error', code: 'secret_key_required', message: 'no access' } }) }, ErrorReason.ConnectorPermissionDenied],
      ['an answer without an acct_ id', { status: 200, headers: {}, body: '{"object":"account"}' }, ErrorReason.ConnectorInvalidResponse],
    ])('refuses %s', async (_case, response, reason) => {
      await expect(identify(API_KEY, response).result).rejects.toMatchObject({ reason });
    });
  });

  describe('the customer lifecycle', () => {
    const CUSTOMER_ID = 'cus_QXg1o8vcGmoR32';
    const existing: ExistingCustomerCall = { credentials: { api_key: API_KEY }, baseUrl: STRIPE_BASE, testMode: true, connectorCustomerId: CUSTOMER_ID, merchantCustomerId: 'mcid-42', reference: SPEC_REFERENCE };
    const updating = (customer: Partial<CustomerProfile>): UpdateCustomerCall => ({ ...existing, idempotencyKey: IDEMPOTENCY_KEY, customer: { merchantCustomerId: 'mcid-42', metadata: {}, featureData: {}, ...customer } });
    const heldCustomer = {
      ...customerFixture.customer,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+442071234567',
      address: { city: 'London', country: 'GB', line1: '12 Analytical Street', line2: 'Floor 2', postal_code: 'N1 9GU', state: null },
      shipping: { name: 'Charles Babbage', phone: '+49301234567', address: { city: 'Berlin', country: 'DE', line1: '1 Engine Road', line2: null, postal_code: '10115', state: null } },
      metadata: { merchant_customer_id: 'mcid-42', tier: 'gold' },
    };
    const answer = (body: unknown, status = 200): InboundResponse => ({ status, headers: { 'request-id': 'req_1' }, body: JSON.stringify(body) });
    const resourceMissing = answer({ error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such customer: '${CUSTOMER_ID}'`, param: 'id' } }, 404);
    const AUTH = { authorization: `Bearer ${API_KEY}`, 'stripe-version': '2026-07-29.dahlia' };
    const UPDATE_PARAMETERS = [...STRIPE_UPDATE_PARAMETERS];
    /** An update body: its parameters are `CustomerUpdateParams` (as the simulator holds them), each valid against the official schema they share with create. */
    const updateForm = (body: string | undefined) => {
      const contract = checkStripeCreateCustomerBody(body ?? '');
      expect(contract.errors).toEqual([]);
      const form = Object.fromEntries(new URLSearchParams(body));
      for (const key of Object.keys(contract.params)) expect(UPDATE_PARAMETERS).toContain(key);
      return form;
    };

    describe('get', () => {
      it('GETs {base}v1/customers/{id} without a body or an idempotency key', async () => {
        const { http, send } = answering(answer(heldCustomer));

        await sut.getCustomer({ ...existing, connectorCustomerId: 'cus_A/../B' }, http);

        expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: 'https://api.stripe.com/v1/customers/cus_A%2F..%2FB', headers: AUTH, body: undefined });
      });

      it('returns the customer as Stripe holds it', async () => {
        const { http } = answering(answer(heldCustomer));

        await expect(sut.getCustomer(existing, http)).resolves.toEqual({
          connectorCustomerId: CUSTOMER_ID,
          httpStatus: 200,
          responseHeaders: { 'request-id': 'req_1' },
          record: {
            name: 'Ada Lovelace',
            email: 'ada@example.com',
            phone: '+442071234567',
            billingAddress: { line1: '12 Analytical Street', line2: 'Floor 2', city: 'London', zipCode: 'N1 9GU', country: 'GB' },
            shippingAddress: { firstName: 'Charles Babbage', phoneNumber: '+49301234567', line1: '1 Engine Road', city: 'Berlin', zipCode: '10115', country: 'DE' },
            metadata: { merchant_customer_id: 'mcid-42', tier: 'gold' },
          },
        });
      });

      it('reads Stripe’s own empty customer (all nulls) as an empty record', async () => {
        const { http } = answering(answer(customerFixture.customer));

        await expect(sut.getCustomer(existing, http)).resolves.toMatchObject({ record: { metadata: {} } });
      });

      it('answers a deleted customer (`deleted: true`) as not found', async () => {
        const { http } = answering(answer(lifecycleFixture.deleted_customer));

        const error = await errorOf(sut.getCustomer(existing, http));

        expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { outcomeUnknown: false, connector: { connector: 'stripe', code: 'deleted', httpStatus: 200 } } });
      });

      it('answers an unknown customer as not found, keeping Stripe’s code', async () => {
        const { http } = answering(resourceMissing);

        await expect(sut.getCustomer(existing, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { code: 'resource_missing', param: 'id', httpStatus: 404 } } });
      });

      it('refuses a success without a customer id', async () => {
        const { http } = answering(answer({ object: 'customer' }));

        await expect(sut.getCustomer(existing, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
      });
    });

    describe('update', () => {
      it('POSTs only what changes, form-encoded, with the update’s idempotency key', async () => {
        const { http, send } = answering(answer({ ...heldCustomer, email: 'new@example.com' }));

        const updated = await sut.updateCustomer(updating({ email: 'new@example.com' }), http);

        expect(send).toHaveBeenCalledTimes(1);
        const outbound = send.mock.calls[0][1];
        expect(outbound).toEqual({
          method: 'POST',
          url: `https://api.stripe.com/v1/customers/${CUSTOMER_ID}`,
          headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': IDEMPOTENCY_KEY },
          body: 'email=new%40example.com',
        });
        expect(updated).toMatchObject({ connectorCustomerId: CUSTOMER_ID, httpStatus: 200, record: { email: 'new@example.com', name: 'Ada Lovelace' } });
      });

      it('sends the given metadata keys only (Stripe merges them), never our back-reference again', async () => {
        const { http, send } = answering(answer(heldCustomer));

        await sut.updateCustomer(updating({ name: 'Ada King', phone: '+442070000000', metadata: { tier: 'platinum' } }), http);

        expect(updateForm(send.mock.calls[0][1].body)).toEqual({ name: 'Ada King', phone: '+442070000000', 'metadata[tier]': 'platinum' });
      });

      it('reads the customer first when the billing address changes, and sends it merged (Stripe replaces it whole)', async () => {
        const { http, send } = answering(answer(heldCustomer), answer(heldCustomer));

        await sut.updateCustomer(updating({ billingAddress: { city: 'Cambridge', zipCode: 'CB2 1TN' } }), http);

        expect(send.mock.calls.map(([, outbound]) => `${outbound.method} ${outbound.url}`)).toEqual([
          `GET https://api.stripe.com/v1/customers/${CUSTOMER_ID}`,
          `POST https://api.stripe.com/v1/customers/${CUSTOMER_ID}`,
        ]);
        expect(updateForm(send.mock.calls[1][1].body)).toEqual({
          'address[line1]': '12 Analytical Street',
          'address[line2]': 'Floor 2',
          'address[city]': 'Cambridge',
          'address[postal_code]': 'CB2 1TN',
          'address[country]': 'GB',
        });
      });

      it('merges a shipping change over the shipping Stripe holds, keeping its name', async () => {
        const { http, send } = answering(answer(heldCustomer), answer(heldCustomer));

        await sut.updateCustomer(updating({ shippingAddress: { line1: '2 Engine Road' } }), http);

        expect(updateForm(send.mock.calls[1][1].body)).toEqual({
          'shipping[name]': 'Charles Babbage',
          'shipping[phone]': '+49301234567',
          'shipping[address][line1]': '2 Engine Road',
          'shipping[address][city]': 'Berlin',
          'shipping[address][postal_code]': '10115',
          'shipping[address][country]': 'DE',
        });
      });

      it('refuses a shipping address without a name when Stripe holds none, after the read and before any write', async () => {
        const { http, send } = answering(answer({ ...heldCustomer, shipping: null }));

        const error = await errorOf(sut.updateCustomer(updating({ shippingAddress: { line1: '2 Engine Road' } }), http));

        expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'address.shipping_address.first_name' }] } });
        expect(send).toHaveBeenCalledTimes(1);
      });

      it('answers a deleted customer as not found, before any write', async () => {
        const { http, send } = answering(answer(lifecycleFixture.deleted_customer));

        await expect(sut.updateCustomer(updating({ billingAddress: { city: 'Cambridge' } }), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
        expect(send).toHaveBeenCalledTimes(1);
      });

      it.each<[string, InboundResponse, ErrorReason, boolean]>([
        ['an unknown customer', resourceMissing, ErrorReason.ConnectorNotFound, false],
        ['the key reused with other parameters', answer({ error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters' } }, 400), ErrorReason.ConnectorConflict, true],
        ['an invalid email', answer({ error: { type: 'invalid_request_error', code: 'email_invalid', message: 'Invalid email address', param: 'email' } }, 400), ErrorReason.ConnectorInvalidRequest, false],
      ])('maps %s', async (_case, response, reason, outcomeUnknown) => {
        const { http } = answering(response);

        await expect(sut.updateCustomer(updating({ email: 'new@example.com' }), http)).rejects.toMatchObject({ reason, details: { outcomeUnknown } });
      });

      it.each<[string, Partial<CustomerProfile>, string]>([
        ['a name over 256 characters', { name: 'n'.repeat(257) }, 'customer_name'],
        ['the back-reference key holding another id', { metadata: { merchant_customer_id: 'someone-else' } }, 'metadata.merchant_customer_id'],
        ['a metadata key with brackets', { metadata: { 'a[b]': 'v' } }, 'metadata.a[b]'],
      ])('checks create’s limits on the change: %s', (_case, change, field) => {
        expect(sut.connector.flows.update).toHaveProperty('validate');
        const validate = sut.validateChange;
        expect(validate({ merchantCustomerId: 'mcid-42', metadata: {}, featureData: {}, ...change }).map((v) => v.field)).toEqual([field]);
      });

      it('lets a shipping change keep the name Stripe holds (no name required up front)', () => {
        const validate = sut.validateChange;
        expect(validate({ merchantCustomerId: 'mcid-42', metadata: {}, featureData: {}, shippingAddress: { line1: 'x' } })).toEqual([]);
      });
    });

    describe('delete', () => {
      const deleting = { ...existing, idempotencyKey: IDEMPOTENCY_KEY };

      it('DELETEs {base}v1/customers/{id} without an idempotency key (Stripe: DELETE is idempotent by definition)', async () => {
        const { http, send } = answering(answer(lifecycleFixture.deleted_customer));

        await expect(sut.deleteCustomer(deleting, http)).resolves.toEqual({ httpStatus: 200, responseHeaders: { 'request-id': 'req_1' }, alreadyDeleted: false });
        expect(send.mock.calls[0][1]).toEqual({ method: 'DELETE', url: `https://api.stripe.com/v1/customers/${CUSTOMER_ID}`, headers: AUTH, body: undefined });
      });

      it('reads Stripe’s `resource_missing` as already deleted (a retry after a lost answer)', async () => {
        const { http } = answering(resourceMissing);

        await expect(sut.deleteCustomer(deleting, http)).resolves.toEqual({ httpStatus: 404, responseHeaders: { 'request-id': 'req_1' }, alreadyDeleted: true });
      });

      it.each<[string, InboundResponse, ErrorReason]>([
        ['a 404 that is not about the customer (a wrong URL)', answer({ error: { type: 'invalid_request_error', message: 'Unrecognized request URL (DELETE: /v1/customerz/x).' } }, 404), ErrorReason.ConnectorNotFound],
        ['a Stripe-side failure', answer({ error: { type: 'api_error', message: 'boom' } }, 500), ErrorReason.ConnectorInternalError],
        ['a success that is not a deletion', answer(heldCustomer), ErrorReason.ConnectorInvalidResponse],
      ])('refuses %s', async (_case, response, reason) => {
        const { http } = answering(response);

        await expect(sut.deleteCustomer(deleting, http)).rejects.toMatchObject({ reason });
      });
    });

    it('declares each request in the capability table', () => {
      expect(sut.descriptor.capabilities.lifecycle).toEqual({ get: expect.stringMatching(/^GET \/v1\/customers\/\{id\}/), update: expect.stringMatching(/^POST \/v1\/customers\/\{id\}/), delete: expect.stringMatching(/^DELETE \/v1\/customers\/\{id\}/) });
      for (const claim of sut.descriptor.capabilities.claims ?? []) expect(claim.claim.length).toBeGreaterThan(20);
    });
  });

  describe('scrubbing through the real HTTP client', () => {
    const pii = { name: 'Ada Lovelace', email: 'ada.lovelace@example.org', phone: '+442071234567' };

    it('writes no PII when Stripe’s error message repeats the email', async () => {
      const body = JSON.stringify({ error: { type: 'invalid_request_error', code: 'email_invalid', message: `Invalid email address: ${pii.email}`, param: 'email' } });

      const { outcome, log } = await createThroughRealClient(answerWith(400, body), [API_KEY, pii.email, pii.phone, pii.name], (http, baseUrl) =>
        sut.createCustomer(callFor({ ...minimalCustomer, ...pii }, { baseUrl }), http),
      );

      expect(outcome).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, message: expect.stringContaining(pii.email) });
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'request refused', reason: ErrorReason.ConnectorInvalidRequest }));
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'processor call', connector: 'stripe', status: 400, duration_ms: expect.any(Number) }));
      for (const secret of [API_KEY, pii.email, pii.phone, pii.name]) expect(log.lines.join('\n')).not.toContain(secret);
    });
  });
});
