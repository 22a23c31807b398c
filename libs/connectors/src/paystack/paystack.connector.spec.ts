import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { checkPaystackCreateCustomerBody, checkPaystackCreateCustomerResponse, PAYSTACK_UNAUTHORIZED_EXAMPLE } from '@app/testing/contracts/paystack-contract';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestSentBy } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { PaystackConnector } from './paystack.connector';

const API_KEY = 'sk_test_0123456789abcdef0123456789abcdef01234567';
const PAYSTACK_BASE = 'https://api.paystack.co/';

/** Paystack's documented create answer (API reference, "Customer created"). */
const CREATED = {
  status: true,
  message: 'Customer created',
  data: {
    transactions: [],
    subscriptions: [],
    authorizations: [],
    email: 'customer@email.com',
    first_name: 'Some',
    last_name: 'Body',
    phone: '+2348123456789',
    integration: 463433,
    domain: 'test',
    metadata: {},
    customer_code: 'CUS_pztcpsx5kng2fbk',
    risk_action: 'default',
    id: 95485991,
    createdAt: '2022-09-20T12:52:10.583Z',
    updatedAt: '2022-09-20T12:52:10.583Z',
    identified: false,
    identifications: null,
  },
};

const SUCCESS: InboundResponse = { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(CREATED) };

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', email: 'min@example.com', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'Chioma Okafor',
  email: 'chioma@example.com',
  phone: '+2348123456789',
  billingAddress: {
    firstName: 'Chioma',
    lastName: 'Okafor',
    line1: '12 Admiralty Way',
    city: 'Lagos',
    state: 'Lagos',
    country: 'NG',
    email: 'billing@example.com',
    phoneNumber: '8000000000',
    phoneCountryCode: '+234',
  },
  shippingAddress: { line1: '3 Marina', city: 'Lagos', country: 'NG' },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: PAYSTACK_BASE, idempotencyKey: 'idem-unused' });

/** The one request `createCustomer` sends, already checked against Paystack's official contract. */
async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new PaystackConnector(), callFor(customer, overrides), SUCCESS);
  const contract = checkPaystackCreateCustomerBody(outbound.body ?? '');
  expect(contract.errors).toEqual([]);
  expect(contract.valid).toBe(true);
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as Record<string, unknown> };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new PaystackConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

describe(PaystackConnector.name, () => {
  const sut = driving(new PaystackConnector());

  describe('outbound request', () => {
    it('POSTs a full customer as JSON to {base}customer with the secret key, metadata as a JSON string', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('paystack');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://api.paystack.co/customer',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
        body: expect.any(String),
      });
      expect(body).toEqual({
        email: 'chioma@example.com',
        first_name: 'Chioma',
        last_name: 'Okafor',
        phone: '+2348123456789',
        metadata: '{"tier":"gold","signup_source":"web","merchant_customer_id":"mcid-42"}',
      });
    });

    it('POSTs a minimal customer with its email and the back-reference', async () => {
      const { outbound, body } = await sentRequest(minimalCustomer);

      expect(outbound.url).toBe('https://api.paystack.co/customer');
      expect(outbound.headers).toEqual({ authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' });
      expect(body).toEqual({ email: 'min@example.com', metadata: '{"merchant_customer_id":"mcid-1"}' });
    });

    it('sends no idempotency header: Paystack takes none for customers', async () => {
      const { outbound } = await sentRequest(minimalCustomer);

      expect(Object.keys(outbound.headers)).not.toContain('idempotency-key');
    });

    it.each([
      ['https://api.paystack.co/', 'https://api.paystack.co/customer'],
      ['https://api.paystack.co', 'https://api.paystack.co/customer'],
      ['http://127.0.0.1:4010/paystack/', 'http://127.0.0.1:4010/paystack/customer'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a customer_name that is not the billing name: whole in first_name',
        { ...minimalCustomer, name: 'Chief Chioma Okafor', billingAddress: { firstName: 'Chioma', lastName: 'Okafor' } },
        { email: 'min@example.com', first_name: 'Chief Chioma Okafor' },
      ],
      [
        'billing names without a customer_name',
        { ...minimalCustomer, billingAddress: { firstName: 'Tunde', lastName: 'Bakare' } },
        { email: 'min@example.com', first_name: 'Tunde', last_name: 'Bakare' },
      ],
      [
        'a customer known only by its billing address: email and phone (with its calling code) from it',
        { merchantCustomerId: 'mcid-1', billingAddress: { email: 'tunde@example.com', phoneNumber: '8031234567', phoneCountryCode: '234' }, metadata: {}, featureData: {} },
        { email: 'tunde@example.com', phone: '+2348031234567' },
      ],
      [
        'the reserved metadata key holding the same id',
        { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } },
        { email: 'min@example.com' },
      ],
    ])('sends %s', async (_case, customer, expected) => {
      const { body } = await sentRequest(customer);

      expect(body).toEqual({ metadata: JSON.stringify({ ...customer.metadata, merchant_customer_id: customer.merchantCustomerId }), ...expected });
    });

    it('keeps metadata values with JSON-special characters intact inside the string', async () => {
      const { body } = await sentRequest({ ...minimalCustomer, metadata: { 'quote"key': 'line\nbreak' } });

      expect(JSON.parse(body.metadata as string)).toEqual({ 'quote"key': 'line\nbreak', merchant_customer_id: 'mcid-1' });
    });

    it.each([
      ['a body without email', { first_name: 'Ann' }],
      ['metadata as an object (the contract wants a JSON string)', { email: 'a@b.co', metadata: { plan: 'gold' } }],
      ['a number where a string belongs', { email: 'a@b.co', phone: 2348123456789 }],
    ])('the contract check itself rejects %s', (_case, body) => {
      expect(checkPaystackCreateCustomerBody(JSON.stringify(body)).valid).toBe(false);
    });
  });

  describe('response parsing', () => {
    it('uses a success body valid against the contract’s CustomerCreateResponse', () => {
      expect(checkPaystackCreateCustomerResponse(CREATED)).toEqual({ valid: true, errors: [] });
    });

    it('returns data.customer_code, status and headers of the documented success body', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'CUS_pztcpsx5kng2fbk',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
      });
    });

    const paystackError = (body: Record<string, unknown>) => JSON.stringify({ status: false, ...body });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'a typed validation error',
        400,
        {},
        paystackError({ message: 'Invalid Email Address Passed', meta: { nextStep: 'Provide a valid email address' }, type: 'validation_error' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'validation_error', message: 'Invalid Email Address Passed', type: 'validation_error' },
        false,
        undefined,
      ],
      [
        'an error with its own code and type',
        400,
        {},
        paystackError({ message: 'Duplicate Transaction Reference', type: 'validation_error', code: 'duplicate_reference' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'duplicate_reference', message: 'Duplicate Transaction Reference', type: 'validation_error' },
        false,
        undefined,
      ],
      ['a bare 400 message', 400, {}, paystackError({ message: 'Email is required' }), ErrorReason.ConnectorInvalidRequest, { code: 'http_400', message: 'Email is required' }, false, undefined],
      ['the documented 401 example', 401, {}, JSON.stringify(PAYSTACK_UNAUTHORIZED_EXAMPLE), ErrorReason.ConnectorAuthenticationFailed, { code: 'http_401', message: 'Invalid key' }, false, undefined],
      ['a missing Authorization header', 401, {}, paystackError({ message: 'No Authorization Header was found' }), ErrorReason.ConnectorAuthenticationFailed, { code: 'http_401', message: 'No Authorization Header was found' }, false, undefined],
      ['a missing route', 404, {}, paystackError({ message: 'Not found' }), ErrorReason.ConnectorNotFound, { code: 'http_404', message: 'Not found' }, false, undefined],
      ['rate limiting with Retry-After', 429, { 'retry-after': '3' }, paystackError({ message: 'Too many requests' }), ErrorReason.ConnectorRateLimited, { code: 'http_429', message: 'Too many requests' }, false, 3],
      [
        'a Paystack-side failure',
        500,
        {},
        paystackError({ message: 'An error occurred', type: 'api_error' }),
        ErrorReason.ConnectorInternalError,
        { code: 'api_error', message: 'An error occurred', type: 'api_error' },
        true,
        undefined,
      ],
      ['an unavailable service', 503, {}, paystackError({ message: 'Service unavailable' }), ErrorReason.ConnectorUnavailable, { code: 'http_503', message: 'Service unavailable' }, true, undefined],
      ['a refusal without a message', 400, {}, paystackError({}), ErrorReason.ConnectorInvalidRequest, { code: 'http_400', message: 'no message' }, false, undefined],
    ])('maps %s (HTTP %i) to a domain error keeping Paystack’s details', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Paystack returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'paystack', httpStatus: status, type: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['a success status with a body that is not JSON', { status: 200, headers: {}, body: '<html>ok</html>' }],
      ['a success status without data', { status: 200, headers: {}, body: '{"status":true,"message":"Customer created"}' }],
      ['a success status with an empty customer_code', { status: 200, headers: {}, body: '{"status":true,"data":{"customer_code":""}}' }],
      ['a success status with only the numeric id', { status: 200, headers: {}, body: '{"status":true,"data":{"id":95485991}}' }],
      ['a success status saying status false', { status: 200, headers: {}, body: '{"status":false,"message":"Something failed","data":{"customer_code":"CUS_x"}}' }],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'paystack', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each([
      ['the documented `null` 500 body', { status: 500, headers: {}, body: 'null' }, ErrorReason.ConnectorInternalError, true],
      ['a proxy’s HTML 502', { status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, ErrorReason.ConnectorUnavailable, true],
      ['a 400 without `status: false`', { status: 400, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'paystack', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a customer with only an email', minimalCustomer],
      ['a customer whose email is on the billing address only', { merchantCustomerId: 'm', billingAddress: { email: 'b@example.com' }, metadata: {}, featureData: {} }],
      ['the reserved key holding the request’s own id', { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a customer without any email', 'email', { merchantCustomerId: 'm', name: 'Ann', phone: '+2348123456789', metadata: {}, featureData: {} }],
      ['the reserved key with another id', 'metadata.merchant_customer_id', { ...minimalCustomer, metadata: { merchant_customer_id: 'someone-else' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { merchantCustomerId: 'm', metadata: { merchant_customer_id: 'other' }, featureData: {} };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['email', 'metadata.merchant_customer_id']);
    });
  });

  describe('testModeOf', () => {
    it.each<[string, boolean | undefined]>([
      ['sk_test_0123456789abcdef', true],
      ['sk_live_0123456789abcdef', false],
      ['pk_test_0123456789abcdef', undefined],
      ['0123456789abcdef', undefined],
    ])('%s → %p', (apiKey, expected) => {
      expect(sut.testModeOf({ api_key: apiKey })).toBe(expected);
    });

    it('identifies the account by its secret key, so test and live keys scope mappings apart', () => {
      expect(sut.accountIdentity({ api_key: 'sk_test_A' })).not.toBe(sut.accountIdentity({ api_key: 'sk_live_A' }));
    });
  });
});
