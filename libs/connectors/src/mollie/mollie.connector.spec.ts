import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestSentBy, SPEC_IDEMPOTENCY_KEY as IDEMPOTENCY_KEY } from '@app/testing/connectors/connector-spec-helpers';
import { driving, type DrivenConnector } from '@app/testing/connectors/connector-driver';
import { MollieConnector } from './mollie.connector';

const API_KEY = 'test_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0';
const BASE = 'https://api.mollie.com/';

/** Mollie's documented Create customer response. */
const CREATED: InboundResponse = {
  status: 201,
  headers: { 'content-type': 'application/hal+json; charset=utf-8' },
  body: JSON.stringify({
    resource: 'customer',
    id: 'cst_8wmqcHMN4U',
    mode: 'test',
    name: 'Customer A',
    email: 'customer@example.org',
    locale: null,
    metadata: null,
    createdAt: '2018-04-06T13:10:19.0Z',
    _links: {
      self: { href: 'https://api.mollie.com/v2/customers/cst_8wmqcHMN4U', type: 'application/hal+json' },
      documentation: { href: 'https://docs.mollie.com/reference/v2/customers-api/create-customer', type: 'text/html' },
    },
  }),
};

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+442071234567',
  billingAddress: { firstName: 'Augusta', lastName: 'King', line1: '12 Analytical Street', city: 'London', country: 'GB', email: 'billing@example.com' },
  shippingAddress: { line1: '1 Engine Road', city: 'Berlin', country: 'DE' },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: { locale: 'en_GB' },
  testMode: true,
};

const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: BASE });

async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new MollieConnector(), callFor(customer, overrides), CREATED);
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as Record<string, unknown> };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new MollieConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

const mollieError = (status: number, title: string, detail: string, field?: string) =>
  JSON.stringify({ status, title, detail, ...(field && { field }), _links: { documentation: { href: 'https://docs.mollie.com/overview/handling-errors', type: 'text/html' } } });

describe(MollieConnector.name, () => {
  const sut: DrivenConnector = driving(new MollieConnector());

  describe('outbound request', () => {
    it('POSTs JSON to {base}v2/customers with the key as Bearer token and the mapping’s idempotency key', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('mollie');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://api.mollie.com/v2/customers',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'idempotency-key': IDEMPOTENCY_KEY },
        body: expect.any(String),
      });
      expect(body).toEqual({
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        locale: 'en_GB',
        metadata: { tier: 'gold', signup_source: 'web', merchant_customer_id: 'mcid-42' },
      });
    });

    it('sends a minimal customer as the back-reference alone', async () => {
      const { outbound, body } = await sentRequest(minimalCustomer);

      expect(outbound.headers['idempotency-key']).toBe(IDEMPOTENCY_KEY);
      expect(body).toEqual({ metadata: { merchant_customer_id: 'mcid-1' } });
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a customer known only by its billing address',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', country: 'US' } },
        { name: 'Grace Hopper', email: 'grace@example.com', metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'an international email domain, in Punycode',
        { ...minimalCustomer, email: 'zoë@bücher.example' },
        { email: 'zoë@xn--bcher-kva.example', metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      [
        'a billing country but no locale: none is guessed',
        { ...minimalCustomer, billingAddress: { country: 'BE' } },
        { metadata: { merchant_customer_id: 'mcid-1' } },
      ],
      ['unrelated feature data', { ...minimalCustomer, featureData: { access_token: 'x' } }, { metadata: { merchant_customer_id: 'mcid-1' } }],
    ])('sends exactly the body of %s', async (_case, customer, expected) => {
      const { body } = await sentRequest(customer);

      expect(body).toEqual(expected);
    });

    it.each([
      [true, { testmode: true }],
      [false, { testmode: false }],
    ])('sends testmode %p with an organization access token', async (testMode, expected) => {
      const { body } = await sentRequest(minimalCustomer, { credentials: { api_key: 'access_Hb2wqkqyg5sH8mVtWZ7kB8Rd3vTA3a' }, testMode });

      expect(body).toEqual({ ...expected, metadata: { merchant_customer_id: 'mcid-1' } });
    });

    it('never sends testmode with an API key (Mollie refuses the parameter)', async () => {
      const { body } = await sentRequest(minimalCustomer, { credentials: { api_key: 'live_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0' }, testMode: false });

      expect(body).not.toHaveProperty('testmode');
    });

    it.each([
      ['https://api.mollie.com', 'https://api.mollie.com/v2/customers'],
      ['http://127.0.0.1:4010/mollie/', 'http://127.0.0.1:4010/mollie/v2/customers'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });
  });

  describe('response parsing', () => {
    it('returns the id, status and headers of a 201 (hal+json)', async () => {
      const { http } = answering(CREATED);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'cst_8wmqcHMN4U',
        httpStatus: 201,
        responseHeaders: { 'content-type': 'application/hal+json; charset=utf-8' },
      });
    });

    it('returns a replayed answer like the first', async () => {
      const { http } = answering({ ...CREATED, headers: { ...CREATED.headers, 'idempotent-replayed': 'true' } });

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toMatchObject({
        connectorCustomerId: 'cst_8wmqcHMN4U',
        responseHeaders: { 'idempotent-replayed': 'true' },
      });
    });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'the key reused with other parameters',
        400,
        {},
        mollieError(400, 'Bad Request', 'The Idempotency-Key was already used for a request with other parameters.'),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'Bad Request', message: 'The Idempotency-Key was already used for a request with other parameters.' },
        false,
        undefined,
      ],
      [
        'a bad key',
        401,
        {},
        mollieError(401, 'Unauthorized Request', 'Missing authentication, or failed to authenticate'),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'Unauthorized Request', message: 'Missing authentication, or failed to authenticate' },
        false,
        undefined,
      ],
      [
        'the key still in flight',
        409,
        {},
        mollieError(409, 'Conflict', 'A request with this Idempotency-Key is still being processed.'),
        ErrorReason.ConnectorConflict,
        { code: 'Conflict', message: 'A request with this Idempotency-Key is still being processed.' },
        true,
        undefined,
      ],
      [
        'an invalid field, named',
        422,
        {},
        mollieError(422, 'Unprocessable Entity', 'The email address is invalid.', 'email'),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'Unprocessable Entity', message: 'The email address is invalid.', param: 'email' },
        false,
        undefined,
      ],
      [
        'rate limiting with Retry-After',
        429,
        { 'retry-after': '5' },
        mollieError(429, 'Too Many Requests', 'You have exceeded the rate limit.'),
        ErrorReason.ConnectorRateLimited,
        { code: 'Too Many Requests', message: 'You have exceeded the rate limit.' },
        false,
        5,
      ],
      [
        'a Mollie-side failure',
        500,
        {},
        mollieError(500, 'Internal Server Error', 'An internal server error occurred while processing your request.'),
        ErrorReason.ConnectorInternalError,
        { code: 'Internal Server Error', message: 'An internal server error occurred while processing your request.' },
        true,
        undefined,
      ],
      [
        'a title without detail',
        503,
        {},
        JSON.stringify({ status: 503, title: 'Service Unavailable' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'Service Unavailable', message: 'Service Unavailable' },
        true,
        undefined,
      ],
    ])('maps %s (HTTP %i) keeping Mollie’s title, detail and field', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers: { 'content-type': 'application/hal+json', ...headers }, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Mollie returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'mollie', httpStatus: status, param: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['a 201 that is not JSON', { status: 201, headers: {}, body: '<html>ok</html>' }],
      ['a 201 without id', { status: 201, headers: {}, body: '{"resource":"customer"}' }],
      ['a 201 with a numeric id', { status: 201, headers: {}, body: '{"id":42}' }],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'mollie', code: 'invalid_response', httpStatus: 201 } });
    });

    it.each([
      ['a 400 body in another shape', { status: 400, headers: {}, body: '{"error":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'mollie', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    /** Metadata whose JSON, with our back-reference for mcid-1, is exactly `bytes` long. */
    const metadataOfBytes = (bytes: number) => {
      const overhead = JSON.stringify({ note: '', merchant_customer_id: 'mcid-1' }).length;
      return { note: 'x'.repeat(bytes - overhead) };
    };

    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['metadata JSON of exactly 1024 bytes', { ...minimalCustomer, metadata: metadataOfBytes(1024) }],
      ['a Mollie locale (lt_LT)', { ...minimalCustomer, featureData: { locale: 'lt_LT' } }],
      ['the reserved key holding the request’s own id', { ...minimalCustomer, metadata: { merchant_customer_id: 'mcid-1' } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['metadata JSON of 1025 bytes', 'metadata', { ...minimalCustomer, metadata: metadataOfBytes(1025) }],
      ['metadata under 1024 characters but over 1024 bytes', 'metadata', { ...minimalCustomer, metadata: { note: 'é'.repeat(500) } }],
      ['a locale Mollie does not know', 'connector_feature_data.locale', { ...minimalCustomer, featureData: { locale: 'en' } }],
      ['a locale that is not a string', 'connector_feature_data.locale', { ...minimalCustomer, featureData: { locale: 1 } }],
      ['the reserved key with another id', 'metadata.merchant_customer_id', { ...minimalCustomer, metadata: { merchant_customer_id: 'someone-else' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });
  });

  describe('test mode and account identity', () => {
    it.each<[string, boolean | undefined]>([
      ['test_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0', true],
      ['live_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0', false],
      ['access_Hb2wqkqyg5sH8mVtWZ7kB8Rd3vTA3a', undefined],
      ['not-a-mollie-key', undefined],
    ])('%s → %p', (apiKey, expected) => {
      expect(sut.testModeOf({ api_key: apiKey })).toBe(expected);
    });

    it('identifies the account by its key, so test and live keys scope mappings apart', () => {
      expect(sut.accountIdentity({ api_key: 'test_A' })).toBe('test_A');
      expect(sut.accountIdentity({ api_key: 'test_A' })).not.toBe(sut.accountIdentity({ api_key: 'live_A' }));
    });
  });
});
