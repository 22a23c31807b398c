import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestSentBy, SPEC_IDEMPOTENCY_KEY as IDEMPOTENCY_KEY, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving, type DrivenConnector } from '@app/testing/connectors/connector-driver';
import { Shift4Connector } from './shift4.connector';

const API_KEY = 'sk_test_Shift4SpecKey';
const SHIFT4_BASE = 'https://api.shift4.com/';

/** The customer object of Shift4's API reference (https://dev.shift4.com/docs/api#customer-object). */
const CUSTOMER_BODY = {
  id: 'cust_3oyk4dQTdGTvzDo9DBcUb3Rf',
  created: 1415810511,
  deleted: false,
  email: 'ada@example.com',
  description: 'Ada Lovelace',
  metadata: { merchant_customer_id: 'mcid-42' },
  cards: [],
};
const SUCCESS: InboundResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(CUSTOMER_BODY) };

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', email: 'min@example.com', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+442071234567',
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

const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: SHIFT4_BASE });

async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new Shift4Connector(), callFor(customer, overrides), SUCCESS);
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as unknown };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new Shift4Connector()).createCustomer(callFor(minimalCustomer), answering(response).http));

describe(Shift4Connector.name, () => {
  const sut: DrivenConnector = driving(new Shift4Connector());

  describe('outbound request', () => {
    it('POSTs JSON to {base}customers with Basic "<key>:", and the idempotency key', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('shift4');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://api.shift4.com/customers',
        headers: {
          authorization: `Basic ${Buffer.from('sk_test_Shift4SpecKey:').toString('base64')}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': IDEMPOTENCY_KEY,
        },
        body: expect.any(String),
      });
      expect(body).toEqual({
        email: 'ada@example.com',
        description: 'Ada Lovelace',
        phoneNumber: '+442071234567',
        billing: {
          name: 'Augusta King',
          email: 'billing@example.com',
          phone: '+442079460000',
          address: { line1: '12 Analytical Street', zip: 'N1 9GU', city: 'London', country: 'GB' },
        },
        metadata: { tier: 'gold', signup_source: 'web', merchant_customer_id: 'mcid-42' },
      });
    });

    it('sends a minimal customer as its email and the back-reference only: no phoneNumber, no billing', async () => {
      const { outbound, body } = await sentRequest(minimalCustomer);

      expect(outbound.headers['idempotency-key']).toBe(IDEMPOTENCY_KEY);
      expect(body).toEqual({ email: 'min@example.com', metadata: { merchant_customer_id: 'mcid-1' } });
    });

    it.each([
      ['https://api.shift4.com/', 'https://api.shift4.com/customers'],
      ['https://api.shift4.com', 'https://api.shift4.com/customers'],
      ['http://127.0.0.1:12111/shift4/', 'http://127.0.0.1:12111/shift4/customers'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });

    it.each<[string, CustomerProfile, unknown]>([
      [
        'a customer known by its billing address: email and description from it',
        { merchantCustomerId: 'mcid-1', billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', line1: 'x' }, metadata: {}, featureData: {} },
        { email: 'grace@example.com', description: 'Grace Hopper', billing: { name: 'Grace Hopper', email: 'grace@example.com', address: { line1: 'x' } }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'the top-level email over the billing one, which stays in billing',
        { ...minimalCustomer, billingAddress: { email: 'billing@example.com' } },
        { email: 'min@example.com', billing: { email: 'billing@example.com' }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'the customer_name as the billing name when the billing address has none',
        { ...minimalCustomer, name: 'Ada Lovelace', billingAddress: { city: 'London', state: 'Greater London' } },
        { email: 'min@example.com', description: 'Ada Lovelace', billing: { name: 'Ada Lovelace', address: { city: 'London', state: 'Greater London' } }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'line3 joined to line2, and a billing phone without calling code as given',
        { ...minimalCustomer, billingAddress: { line1: '1 Main Street', line2: 'Floor 2', line3: 'Suite 9', phoneNumber: '4155550199' } },
        { email: 'min@example.com', billing: { phone: '4155550199', address: { line1: '1 Main Street', line2: 'Floor 2 Suite 9' } }, metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'an empty billing address as no billing',
        { ...minimalCustomer, billingAddress: {} },
        { email: 'min@example.com', metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'the reserved metadata key holding the same id',
        { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } },
        { email: 'min@example.com', metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'a phone as phoneNumber, and not the shipping address, which Shift4 cannot hold',
        { ...minimalCustomer, phone: '+14155550123', shippingAddress: { line1: '9 Market Street', country: 'US' } },
        { email: 'min@example.com', phoneNumber: '+14155550123', metadata: { merchant_customer_id: 'mcid-1' } },
      ],
    ])('maps %s', async (_case, customer, expected) => {
      const { body } = await sentRequest(customer);

      expect(body).toEqual(expected);
    });
  });

  describe('response parsing', () => {
    it('returns the customer id, status and headers of a success body', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'cust_3oyk4dQTdGTvzDo9DBcUb3Rf',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json' },
      });
    });

    const shift4Error = (error: Record<string, string>) => JSON.stringify({ error });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'an invalid request (no code: the type stands in)',
        400,
        {},
        shift4Error({ type: 'invalid_request', message: 'email: not a well-formed email address' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'invalid_request', message: 'email: not a well-formed email address', type: 'invalid_request' },
        false,
        undefined,
      ],
      [
        'a bad key',
        401,
        {},
        shift4Error({ type: 'invalid_request', message: 'Provided API key is invalid' }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'invalid_request', message: 'Provided API key is invalid', type: 'invalid_request' },
        false,
        undefined,
      ],
      [
        'a card error with its code',
        402,
        {},
        shift4Error({ type: 'card_error', code: 'card_declined', message: 'The card was declined.' }),
        ErrorReason.ConnectorDeclined,
        { code: 'card_declined', message: 'The card was declined.', type: 'card_error' },
        false,
        undefined,
      ],
      [
        'rate limiting with Retry-After',
        429,
        { 'retry-after': '5' },
        shift4Error({ type: 'rate_limit_error', message: 'Too many requests' }),
        ErrorReason.ConnectorRateLimited,
        { code: 'rate_limit_error', message: 'Too many requests', type: 'rate_limit_error' },
        false,
        5,
      ],
      [
        'a gateway failure',
        500,
        {},
        shift4Error({ type: 'gateway_error', message: 'Something went wrong on our side' }),
        ErrorReason.ConnectorInternalError,
        { code: 'gateway_error', message: 'Something went wrong on our side', type: 'gateway_error' },
        true,
        undefined,
      ],
      [
        'an unavailable service',
        503,
        {},
        shift4Error({ type: 'gateway_error', message: 'Service unavailable' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'gateway_error', message: 'Service unavailable', type: 'gateway_error' },
        true,
        undefined,
      ],
      ['an empty error object', 400, {}, '{"error":{}}', ErrorReason.ConnectorInvalidRequest, { code: 'unknown', message: 'no message' }, false, undefined],
    ])('maps %s (HTTP %i) keeping Shift4’s details', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Shift4 returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'shift4', httpStatus: status, type: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['no customer id', { status: 200, headers: {}, body: '{"email":"a@b.co"}' }],
      ['an empty id', { status: 200, headers: {}, body: '{"id":""}' }],
    ])('refuses a success with %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'shift4', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each([
      ['a 400 body without `error`', { status: 400, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'shift4', code: `http_${response.status}` } });
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a customer with only a billing email', { merchantCustomerId: 'm', billingAddress: { email: 'b@example.com' }, metadata: {}, featureData: {} }],
      ['the reserved key holding the request’s own id', { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a customer without any email', 'email', { merchantCustomerId: 'm', name: 'Ada', billingAddress: { line1: 'x' }, metadata: {}, featureData: {} }],
      ['the reserved key with another id', 'metadata.merchant_customer_id', { ...minimalCustomer, metadata: { merchant_customer_id: 'someone-else' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });
  });

  describe('testModeOf', () => {
    it.each<[string, boolean | undefined]>([
      ['sk_test_abc', true],
      ['sk_live_abc', false],
      ['pr_test_tXHm9qV9qV9bjIRHcQr9PLPa', true],
      ['pr_live_abc', false],
      ['pk_test_abc', undefined],
      ['not-a-shift4-key', undefined],
    ])('%s → %p', (apiKey, expected) => {
      expect(sut.testModeOf({ api_key: apiKey })).toBe(expected);
    });

    it('identifies the account by its secret key, so test and live keys scope mappings apart', () => {
      expect(sut.accountIdentity({ api_key: 'sk_test_A' })).toBe('sk_test_A');
      expect(sut.accountIdentity({ api_key: 'sk_test_A' })).not.toBe(sut.accountIdentity({ api_key: 'sk_live_A' }));
    });
  });

  describe('against the Shift4 simulator', () => {
    const { sandbox, http } = useSandbox();

    const simulatorCall = (overrides: Partial<CreateCustomerCall> = {}) => callFor(fullCustomer, { baseUrl: sandbox.baseUrl('shift4'), ...overrides });

    it('replays the first customer for a repeated idempotency key, flagged Idempotent-Replayed', async () => {
      const first = await sut.createCustomer(simulatorCall(), http);
      const replay = await sut.createCustomer(simulatorCall(), http);

      expect(replay.connectorCustomerId).toBe(first.connectorCustomerId);
      expect(replay.responseHeaders['idempotent-replayed']).toBe('true');
      expect(sandbox.simulators.shift4.customerCount()).toBe(1);
    });

    it('creates a second customer with the same email under another key (Shift4 never deduplicates)', async () => {
      const first = await sut.createCustomer(simulatorCall(), http);
      const second = await sut.createCustomer(simulatorCall({ idempotencyKey: 'another-key' }), http);

      expect(second.connectorCustomerId).not.toBe(first.connectorCustomerId);
      expect(sandbox.simulators.shift4.customerCount()).toBe(2);
    });

    it('answers a wrong key with Shift4’s 401 error object', async () => {
      const error = await errorOf(sut.createCustomer(simulatorCall({ credentials: { api_key: 'wrong' } }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { connector: { code: 'invalid_request', httpStatus: 401 } } });
    });

    it('does not keep the key of a refused request: a corrected retry creates the customer', async () => {
      const refused = await errorOf(sut.createCustomer(simulatorCall({ customer: { ...minimalCustomer, email: 'not-an-email' } }), http));
      const created = await sut.createCustomer(simulatorCall(), http);

      expect(refused).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, details: { connector: { code: 'invalid_request', httpStatus: 400 } } });
      expect(created.connectorCustomerId).toMatch(/^cust_/);
      expect(sandbox.simulators.shift4.customerCount()).toBe(1);
    });
  });
});
