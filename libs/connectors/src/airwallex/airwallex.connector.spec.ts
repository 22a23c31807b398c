import { registerSensitiveValues, runWithRequestContext } from '@app/common/context/request-context';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { ConnectorHttpClient, InboundResponse, OutboundRequest } from '../http/connector-http-client';
import { callBuilder, errorOf, SPEC_IDEMPOTENCY_KEY as IDEMPOTENCY_KEY, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { AccessTokenCache } from '../execution/access-token-cache';
import { driving, type DrivenConnector } from '@app/testing/connectors/connector-driver';
import { AIRWALLEX_LOOKUP_MAX_PAGES, AIRWALLEX_TOKEN_REFRESH_MARGIN_MS, AirwallexConnector, tokenCacheKey } from './airwallex.connector';

const CLIENT_ID = 'SpecAirwallexClientId';
const API_KEY = 'spec-airwallex-api-key-3f9a61';
const CREDENTIALS = { client_id: CLIENT_ID, api_key: API_KEY };
const BASE = 'https://api-demo.airwallex.com/api/v1';
const START = Date.parse('2026-11-26T12:00:00Z');
const MINUTE = 60_000;
const CUSTOMER_ID = 'cus_hkdmr8x7lh9eac5zv1z';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): InboundResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Airwallex's own timestamp format, `2026-11-26T12:30:00+0000`. */
const airwallexTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
const loginAnswer = (token: string, expiresAt: number) => json(201, { token, expires_at: airwallexTime(expiresAt) });
const created = (id = CUSTOMER_ID) => json(201, { id, request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-42', created_at: '2026-11-26T12:00:01+0000' }, { 'x-awx-traceid': 'trace-1' });
const duplicateRequest = json(400, { code: 'duplicate_request', message: 'The same request ID has already been used. Please try again with a different request ID.' });
const unauthorized = json(401, { code: 'unauthorized', message: 'Access denied, authentication failed' });
const listed = (items: object[], hasMore = false) => json(200, { has_more: hasMore, items });

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
  shippingAddress: { firstName: 'Charles', lastName: 'Babbage', line1: '1 Engine Road', city: 'Berlin', zipCode: '10115', country: 'DE' },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: CREDENTIALS, baseUrl: BASE });

type Answer = InboundResponse | Promise<InboundResponse>;

const LOGIN = 'POST /authentication/login';
const CREATE = 'POST /pa/customers/create';
const LIST = 'GET /pa/customers';

/** The route (`METHOD /path` below the base URL) a request is for. */
function routeOf(outbound: OutboundRequest): string {
  const pathname = new URL(outbound.url).pathname;
  const route = [LOGIN, CREATE, LIST].find((candidate) => candidate.startsWith(`${outbound.method} `) && pathname.endsWith(candidate.split(' ')[1]));
  return route ?? `${outbound.method} ${pathname}`;
}

/**
 * A strict stand-in for the shared HTTP client: answers per route from queues, and fails the
 * test on any request it was not told to expect.
 */
function scriptedHttp(script: Record<string, Answer[]>) {
  const send = jest.fn(async (_connector: string, outbound: OutboundRequest) => {
    const answer = script[routeOf(outbound)]?.shift();
    if (!answer) throw new Error(`unexpected request ${routeOf(outbound)}`);
    return answer;
  });
  const requests = () => send.mock.calls.map(([, outbound]) => outbound);
  return { http: { send } as unknown as ConnectorHttpClient, send, requests, routes: () => requests().map(routeOf) };
}

describe(AirwallexConnector.name, () => {
  let now: number;
  let sut: DrivenConnector;

  beforeEach(() => {
    now = START;
    sut = driving(new AirwallexConnector(new AccessTokenCache(() => now)));
  });

  describe('outbound requests', () => {
    it('logs in with x-client-id and x-api-key, then POSTs the JSON body with the Bearer token', async () => {
      const { http, requests } = scriptedHttp({ [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [CREATE]: [created()] });

      await sut.createCustomer(callFor(fullCustomer), http);

      expect(requests()).toEqual([
        { method: 'POST', url: `${BASE}/authentication/login`, headers: { 'content-type': 'application/json', 'x-client-id': CLIENT_ID, 'x-api-key': API_KEY } },
        { method: 'POST', url: `${BASE}/pa/customers/create`, headers: { 'content-type': 'application/json', authorization: 'Bearer tok_1' }, body: expect.any(String) },
      ]);
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a full customer: name split, top-level contact, billing address with its lines in street, metadata; no shipping',
        fullCustomer,
        {
          request_id: IDEMPOTENCY_KEY,
          merchant_customer_id: 'mcid-42',
          first_name: 'Ada',
          last_name: 'Lovelace',
          email: 'ada@example.com',
          phone_number: '+442071234567',
          address: { street: '12 Analytical Street, Floor 2, Suite 5', city: 'London', state: 'Greater London', postcode: 'N1 9GU', country_code: 'GB' },
          metadata: { tier: 'gold', signup_source: 'web' },
        },
      ],
      ['a customer with only its id: request_id and merchant_customer_id', minimalCustomer, { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1' }],
      [
        'a customer known only by its billing address: names, email and phone come from it',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '2025550143', phoneCountryCode: '1', country: 'US' } },
        {
          request_id: IDEMPOTENCY_KEY,
          merchant_customer_id: 'mcid-1',
          first_name: 'Grace',
          last_name: 'Hopper',
          email: 'grace@example.com',
          phone_number: '+12025550143',
          address: { country_code: 'US' },
        },
      ],
      [
        'a name of several words: the last one is the last name',
        { ...minimalCustomer, name: 'Ada King  Lovelace' },
        { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1', first_name: 'Ada King', last_name: 'Lovelace' },
      ],
      ['a one-word name: first name only', { ...minimalCustomer, name: 'Madonna' }, { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1', first_name: 'Madonna' }],
      [
        'billing names that spell customer_name: their split wins over the last space',
        { ...minimalCustomer, name: 'Mary Ann Lee', billingAddress: { firstName: 'Mary', lastName: 'Ann Lee' } },
        { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1', first_name: 'Mary', last_name: 'Ann Lee' },
      ],
      [
        'billing names that spell another name: customer_name is split',
        { ...minimalCustomer, name: 'Mary Ann Lee', billingAddress: { firstName: 'Mary', lastName: 'Lee' } },
        { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1', first_name: 'Mary Ann', last_name: 'Lee' },
      ],
      [
        'a billing address with names only: no empty address object',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace' } },
        { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1', first_name: 'Grace' },
      ],
      [
        'a line3 without line2',
        { ...minimalCustomer, billingAddress: { line1: 'Main St 1', line3: 'Rear building', country: 'DE' } },
        { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1', address: { street: 'Main St 1, Rear building', country_code: 'DE' } },
      ],
      [
        'a shipping address alone: not sent (an Airwallex customer holds one address)',
        { ...minimalCustomer, shippingAddress: { line1: 'Kernel Way 1', country: 'FI' } },
        { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1' },
      ],
      [
        'an access token in connector_feature_data: not in the body',
        { ...minimalCustomer, featureData: { access_token: 'prism-token' } },
        { request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1' },
      ],
    ])('sends exactly the body of %s', async (_case, customer, expected) => {
      const script = { [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [CREATE]: [created()] };
      const { http, requests } = scriptedHttp(script);

      await sut.createCustomer(callFor(customer), http);

      const create = requests().find((request) => request.url.endsWith('/pa/customers/create'))!;
      expect(JSON.parse(create.body!)).toEqual(expected);
    });

    it.each([
      ['https://api-demo.airwallex.com/api/v1', 'https://api-demo.airwallex.com/api/v1/pa/customers/create'],
      ['https://api-demo.airwallex.com/api/v1/', 'https://api-demo.airwallex.com/api/v1/pa/customers/create'],
      ['https://api.airwallex.com/api/v1', 'https://api.airwallex.com/api/v1/pa/customers/create'],
      ['http://127.0.0.1:4010/airwallex/api/v1', 'http://127.0.0.1:4010/airwallex/api/v1/pa/customers/create'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { http, requests } = scriptedHttp({ [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [CREATE]: [created()] });

      await sut.createCustomer(callFor(minimalCustomer, { baseUrl }), http);

      expect(requests().map((request) => request.url)).toEqual([`${baseUrl.replace(/\/$/, '')}/authentication/login`, url]);
    });

    it('uses the demo host in test mode and the production host live, both under /api/v1; the newer sandbox host is its own too', () => {
      expect(sut.connector.descriptor.baseUrls).toEqual({
        sandbox: 'https://api-demo.airwallex.com/api/v1',
        live: 'https://api.airwallex.com/api/v1',
        alternates: ['https://api.sandbox.airwallex.com/api/v1'],
      });
    });
  });

  describe('access token', () => {
    it('reuses one login for every create with the same credentials', async () => {
      const { http, routes } = scriptedHttp({ [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [CREATE]: [created('cus_a'), created('cus_b'), created('cus_c')] });

      for (const id of ['a', 'b', 'c']) await sut.createCustomer(callFor({ ...minimalCustomer, merchantCustomerId: id }), http);

      expect(routes()).toEqual([LOGIN, CREATE, CREATE, CREATE]);
    });

    it('keeps one token per credentials and per endpoint', async () => {
      const { http, requests } = scriptedHttp({
        [LOGIN]: [loginAnswer('tok_a', START + 30 * MINUTE), loginAnswer('tok_b', START + 30 * MINUTE)],
        [CREATE]: [created(), created(), created(), created()],
      });
      const other = { client_id: 'OtherClientId', api_key: 'other-api-key-000000' };

      await sut.createCustomer(callFor(minimalCustomer), http);
      await sut.createCustomer(callFor(minimalCustomer, { credentials: other }), http);
      await sut.createCustomer(callFor(minimalCustomer), http);
      await sut.createCustomer(callFor(minimalCustomer, { credentials: other }), http);

      expect(requests().map((r) => [r.headers['x-client-id'] ?? r.headers.authorization])).toEqual([
        [CLIENT_ID],
        ['Bearer tok_a'],
        ['OtherClientId'],
        ['Bearer tok_b'],
        ['Bearer tok_a'],
        ['Bearer tok_b'],
      ]);
    });

    it('logs in again once the token is within a minute of its expires_at', async () => {
      const { http, requests } = scriptedHttp({
        [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE), loginAnswer('tok_2', START + 60 * MINUTE)],
        [CREATE]: [created(), created(), created()],
      });

      await sut.createCustomer(callFor(minimalCustomer), http);
      now = START + 30 * MINUTE - AIRWALLEX_TOKEN_REFRESH_MARGIN_MS - 1;
      await sut.createCustomer(callFor(minimalCustomer), http);
      now = START + 30 * MINUTE - AIRWALLEX_TOKEN_REFRESH_MARGIN_MS;
      await sut.createCustomer(callFor(minimalCustomer), http);

      expect(requests().map((r) => r.headers.authorization ?? 'login')).toEqual(['login', 'Bearer tok_1', 'Bearer tok_1', 'login', 'Bearer tok_2']);
    });

    it('keeps a token for Airwallex’s documented 30 minutes when expires_at cannot be read', async () => {
      const { http, routes } = scriptedHttp({
        [LOGIN]: [json(201, { token: 'tok_1', expires_at: 'soon' }), json(201, { token: 'tok_2' })],
        [CREATE]: [created(), created(), created()],
      });

      await sut.createCustomer(callFor(minimalCustomer), http);
      now = START + 28 * MINUTE;
      await sut.createCustomer(callFor(minimalCustomer), http);
      now = START + 29 * MINUTE;
      await sut.createCustomer(callFor(minimalCustomer), http);

      expect(routes()).toEqual([LOGIN, CREATE, CREATE, LOGIN, CREATE]);
    });

    it('makes concurrent requests share one login', async () => {
      let answerLogin!: (response: InboundResponse) => void;
      const pendingLogin = new Promise<InboundResponse>((resolve) => (answerLogin = resolve));
      const { http, routes } = scriptedHttp({ [LOGIN]: [pendingLogin], [CREATE]: Array.from({ length: 5 }, (_, i) => created(`cus_${i}`)) });

      const creates = Array.from({ length: 5 }, (_, i) => sut.createCustomer(callFor({ ...minimalCustomer, merchantCustomerId: `m${i}` }), http));
      answerLogin(loginAnswer('tok_1', START + 30 * MINUTE));
      await Promise.all(creates);

      expect(routes().filter((route) => route === LOGIN)).toHaveLength(1);
      expect(routes().filter((route) => route === CREATE)).toHaveLength(5);
    });

    it('shares a failed login with the requests waiting on it, and does not keep the failure', async () => {
      let answerLogin!: (response: InboundResponse) => void;
      const pendingLogin = new Promise<InboundResponse>((resolve) => (answerLogin = resolve));
      const { http, routes } = scriptedHttp({ [LOGIN]: [pendingLogin, loginAnswer('tok_2', START + 30 * MINUTE)], [CREATE]: [created()] });

      const waiting = [sut.createCustomer(callFor(minimalCustomer), http), sut.createCustomer(callFor(minimalCustomer), http)];
      answerLogin(json(503, { code: 'service_unavailable', message: 'The system is temporarily unavailable.' }));
      const errors = await Promise.all(waiting.map((attempt) => errorOf(attempt)));
      await sut.createCustomer(callFor(minimalCustomer), http);

      expect(errors.map((error) => error.reason)).toEqual([ErrorReason.ConnectorUnavailable, ErrorReason.ConnectorUnavailable]);
      expect(routes()).toEqual([LOGIN, LOGIN, CREATE]);
    });

    it('drops a cached token Airwallex refuses, logs in once more and sends the create once more', async () => {
      const { http, requests } = scriptedHttp({
        [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE), loginAnswer('tok_2', START + 40 * MINUTE)],
        [CREATE]: [created('cus_first'), unauthorized, created('cus_second')],
      });

      await sut.createCustomer(callFor(minimalCustomer), http);
      now = START + 10 * MINUTE;
      const second = await sut.createCustomer(callFor(minimalCustomer, { idempotencyKey: 'second-key' }), http);

      expect(second.connectorCustomerId).toBe('cus_second');
      const creates = requests().filter((r) => r.url.endsWith('/create'));
      expect(creates.map((r) => r.headers.authorization)).toEqual(['Bearer tok_1', 'Bearer tok_1', 'Bearer tok_2']);
      expect(JSON.parse(creates[2].body!).request_id).toBe(JSON.parse(creates[1].body!).request_id);
    });

    it('does not retry a 401 on a token it has just obtained', async () => {
      const { http, routes } = scriptedHttp({ [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [CREATE]: [unauthorized] });

      const error = await errorOf(sut.createCustomer(callFor(minimalCustomer), http));

      expect(error.reason).toBe(ErrorReason.ConnectorAuthenticationFailed);
      expect(routes()).toEqual([LOGIN, CREATE]);
    });

    it('renews at most once: a second 401 is the answer', async () => {
      const { http, routes } = scriptedHttp({
        [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE), loginAnswer('tok_2', START + 30 * MINUTE)],
        [CREATE]: [created(), unauthorized, unauthorized],
      });
      await sut.createCustomer(callFor(minimalCustomer), http);

      const error = await errorOf(sut.createCustomer(callFor(minimalCustomer), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { connector: { code: 'unauthorized', httpStatus: 401 } } });
      expect(routes()).toEqual([LOGIN, CREATE, CREATE, LOGIN, CREATE]);
    });

    it('uses the token Prism passes in connector_feature_data.access_token without logging in, and never renews it', async () => {
      const { http, requests } = scriptedHttp({ [CREATE]: [created(), unauthorized] });
      const customer = { ...minimalCustomer, featureData: { access_token: 'prism-token-123' } };

      await sut.createCustomer(callFor(customer), http);
      const error = await errorOf(sut.createCustomer(callFor(customer), http));

      expect(requests().map((r) => r.headers.authorization)).toEqual(['Bearer prism-token-123', 'Bearer prism-token-123']);
      expect(error.reason).toBe(ErrorReason.ConnectorAuthenticationFailed);
    });

    it('refuses a login that answers without a token', async () => {
      const { http } = scriptedHttp({ [LOGIN]: [json(201, { expires_at: airwallexTime(START) })] });

      const error = await errorOf(sut.createCustomer(callFor(minimalCustomer), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse, details: { connector: { code: 'invalid_response', httpStatus: 201 } } });
    });

    it.each<[string, InboundResponse, ErrorReason, string]>([
      ['bad credentials (401)', unauthorized, ErrorReason.ConnectorAuthenticationFailed, 'unauthorized'],
      ['missing headers (400)', json(400, { code: 'validation_error', message: 'x-client-id must be provided', source: 'x-client-id' }), ErrorReason.ConnectorInvalidRequest, 'validation_error'],
      ['an unreadable 500', json(500, '<html>oops</html>'), ErrorReason.ConnectorInternalError, 'http_500'],
    ])('maps a login refused for %s, keeping Airwallex’s code, and never sends the create', async (_case, answer, reason, code) => {
      const { http, routes } = scriptedHttp({ [LOGIN]: [answer] });

      const error = await errorOf(sut.createCustomer(callFor(minimalCustomer), http));

      expect(error).toMatchObject({ reason, details: { connector: { connector: 'airwallex', code, httpStatus: answer.status } } });
      expect(error.message).toContain('Airwallex');
      expect(routes()).toEqual([LOGIN]);
    });
  });

  describe(tokenCacheKey.name, () => {
    const key = tokenCacheKey(BASE, CREDENTIALS);

    it('is a SHA-256 hash holding neither the key nor the client id', () => {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain(API_KEY);
      expect(key).not.toContain(CLIENT_ID);
    });

    it.each([
      ['another API key', tokenCacheKey(BASE, { ...CREDENTIALS, api_key: 'rotated-key' })],
      ['another client id', tokenCacheKey(BASE, { ...CREDENTIALS, client_id: 'OtherClient' })],
      ['another endpoint', tokenCacheKey('https://api.airwallex.com/api/v1', CREDENTIALS)],
    ])('differs for %s', (_case, other) => {
      expect(other).not.toBe(key);
    });
  });

  describe('response parsing', () => {
    const createWith = (answer: InboundResponse) => {
      const { http } = scriptedHttp({ [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [CREATE]: [answer] });
      return sut.createCustomer(callFor(minimalCustomer), http);
    };

    it('returns the customer id, status and headers of a 201', async () => {
      await expect(createWith(created())).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 201,
        responseHeaders: { 'content-type': 'application/json', 'x-awx-traceid': 'trace-1' },
      });
    });

    it.each<[string, InboundResponse]>([
      ['a body that is not JSON', json(201, '<html>ok</html>')],
      ['no customer id', json(201, { request_id: IDEMPOTENCY_KEY })],
      ['an empty id', json(201, { id: '' })],
      ['a numeric id', json(201, { id: 42 })],
      ['a JSON null', json(201, 'null')],
    ])('refuses a 201 with %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, answer) => {
      const error = await errorOf(createWith(answer));

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'airwallex', code: 'invalid_response', httpStatus: 201 } });
    });

    it.each<[string, InboundResponse, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean]>([
      [
        'a field failing validation, naming it in source',
        json(400, { code: 'validation_error', source: 'address.postcode', message: 'address.postcode must be at most 10 characters' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'validation_error', message: 'address.postcode must be at most 10 characters', param: 'address.postcode' },
        false,
      ],
      [
        'an error without source',
        json(400, { code: 'invalid_argument', message: 'The request is invalid', source: '' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'invalid_argument', message: 'The request is invalid' },
        false,
      ],
      ['an error without message', json(400, { code: 'validation_error' }), ErrorReason.ConnectorInvalidRequest, { code: 'validation_error', message: 'no message' }, false],
      [
        'a missing permission (403; Airwallex documents the status, not its codes: kept as sent)',
        json(403, { code: 'forbidden', message: 'Insufficient permissions' }),
        ErrorReason.ConnectorPermissionDenied,
        { code: 'forbidden', message: 'Insufficient permissions' },
        false,
      ],
      ['an unknown endpoint (404)', json(404, { code: 'not_found', message: 'The requested endpoint does not exist' }), ErrorReason.ConnectorNotFound, { code: 'not_found', message: 'The requested endpoint does not exist' }, false],
      ['a conflict with another request (409)', json(409, { code: 'conflict', message: 'Conflict with another request' }), ErrorReason.ConnectorConflict, { code: 'conflict', message: 'Conflict with another request' }, true],
      ['rate limiting without a body (429)', json(429, ''), ErrorReason.ConnectorRateLimited, { code: 'http_429', message: 'answered with a body that is not JSON' }, false],
      [
        'an Airwallex failure (500)',
        json(500, { code: 'internal_error', message: 'An internal error was encountered. Please try again later.' }),
        ErrorReason.ConnectorInternalError,
        { code: 'internal_error', message: 'An internal error was encountered. Please try again later.' },
        true,
      ],
      [
        'an unavailable service (503)',
        json(503, { code: 'service_unavailable', message: 'The system is temporarily unavailable. Please try again later. [54.07.01]' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'service_unavailable', message: 'The system is temporarily unavailable. Please try again later. [54.07.01]' },
        true,
      ],
      ['a 400 that is not JSON', json(400, 'Bad Request'), ErrorReason.ConnectorInvalidRequest, { code: 'http_400', message: 'answered with a body that is not JSON' }, false],
      ['a 400 without code', json(400, { message: 'bad' }), ErrorReason.ConnectorInvalidRequest, { code: 'http_400', message: 'answered with an error body without `code`' }, false],
    ])('maps %s keeping Airwallex’s code, message and source', async (_case, answer, reason, details, outcomeUnknown) => {
      const error = await errorOf(createWith(answer));

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Airwallex returned HTTP ${answer.status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'airwallex', httpStatus: answer.status, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
    });
  });

  describe('a reused request_id (400 duplicate_request)', () => {
    const ours = { id: CUSTOMER_ID, request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1' };
    const createDuplicate = (lists: InboundResponse[]) => {
      const script = scriptedHttp({ [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [CREATE]: [duplicateRequest], [LIST]: lists });
      return { ...script, attempt: sut.createCustomer(callFor(minimalCustomer), script.http) };
    };

    it('looks the customer up by merchant_customer_id and returns the one holding our request_id', async () => {
      const { attempt, requests } = createDuplicate([listed([ours], false)]);

      await expect(attempt).resolves.toEqual({ connectorCustomerId: CUSTOMER_ID, httpStatus: 200, responseHeaders: { 'content-type': 'application/json' } });
      expect(requests()[2]).toEqual({ method: 'GET', url: `${BASE}/pa/customers?merchant_customer_id=mcid-1&page_num=0`, headers: { authorization: 'Bearer tok_1' } });
    });

    it('pages on while Airwallex has more, skipping customers of other request_ids or other ids', async () => {
      const { attempt, requests } = createDuplicate([
        listed([{ id: 'cus_other', request_id: 'another-key', merchant_customer_id: 'mcid-1' }], true),
        listed([{ id: 'cus_elsewhere', request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-2' }, ours], false),
      ]);

      await expect(attempt).resolves.toMatchObject({ connectorCustomerId: CUSTOMER_ID });
      expect(requests().slice(2).map((r) => new URL(r.url).searchParams.get('page_num'))).toEqual(['0', '1']);
    });

    it(`gives up after ${AIRWALLEX_LOOKUP_MAX_PAGES} pages`, async () => {
      const pages = Array.from({ length: AIRWALLEX_LOOKUP_MAX_PAGES }, () => listed([{ id: 'cus_other', request_id: 'another-key', merchant_customer_id: 'mcid-1' }], true));
      const { attempt, routes } = createDuplicate(pages);

      const error = await errorOf(attempt);

      expect(error.details.connector?.code).toBe('duplicate_request');
      expect(routes().filter((route) => route === LIST)).toHaveLength(AIRWALLEX_LOOKUP_MAX_PAGES);
    });

    it('answers CONNECTOR_CONFLICT with Airwallex’s code, outcome unknown, when no customer holds it (yet)', async () => {
      const { attempt } = createDuplicate([listed([], false)]);

      const error = await errorOf(attempt);

      expect(error.reason).toBe(ErrorReason.ConnectorConflict);
      expect(error.details).toMatchObject({
        outcomeUnknown: true,
        connector: { connector: 'airwallex', code: 'duplicate_request', httpStatus: 400, message: 'The same request ID has already been used. Please try again with a different request ID.' },
      });
    });

    it.each<[string, InboundResponse, ErrorReason]>([
      ['a failing lookup (500)', json(500, { code: 'internal_error', message: 'try later' }), ErrorReason.ConnectorInternalError],
      ['a refused lookup (400)', json(400, { code: 'validation_error', message: 'page_num is invalid', source: 'page_num' }), ErrorReason.ConnectorInvalidRequest],
      ['a list without items', json(200, { has_more: false }), ErrorReason.ConnectorInvalidResponse],
    ])('keeps the outcome unknown after %s: the customer may exist', async (_case, answer, reason) => {
      const { attempt } = createDuplicate([answer]);

      const error = await errorOf(attempt);

      expect(error.reason).toBe(reason);
      expect(error.details.outcomeUnknown).toBe(true);
    });
  });

  describe('findCreatedCustomer', () => {
    it('finds the customer an earlier attempt of this mapping created', async () => {
      const { http, routes } = scriptedHttp({
        [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)],
        [LIST]: [listed([{ id: CUSTOMER_ID, request_id: IDEMPOTENCY_KEY, merchant_customer_id: 'mcid-1' }])],
      });

      await expect(sut.findCreatedCustomer(callFor(minimalCustomer), http)).resolves.toMatchObject({ connectorCustomerId: CUSTOMER_ID });
      expect(routes()).toEqual([LOGIN, LIST]);
    });

    it('answers undefined when there is none', async () => {
      const { http } = scriptedHttp({ [LOGIN]: [loginAnswer('tok_1', START + 30 * MINUTE)], [LIST]: [listed([])] });

      await expect(sut.findCreatedCustomer(callFor(minimalCustomer), http)).resolves.toBeUndefined();
    });

    it('fails with the outcome unknown, even on a definite refusal, so the reservation keeps its key', async () => {
      const { http } = scriptedHttp({ [LOGIN]: [unauthorized] });

      const error = await errorOf(sut.findCreatedCustomer(callFor(minimalCustomer), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { outcomeUnknown: true } });
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a merchant_customer_id of exactly 64 characters', { ...minimalCustomer, merchantCustomerId: 'm'.repeat(64) }],
      ['a one-word name of 128 characters', { ...minimalCustomer, name: 'n'.repeat(128) }],
      ['a first and a last name of 128 characters each', { ...minimalCustomer, name: `${'f'.repeat(128)} ${'l'.repeat(128)}` }],
      ['an email of 256 characters', { ...minimalCustomer, email: `${'e'.repeat(244)}@example.com` }],
      ['a postcode of 10 characters', { ...minimalCustomer, billingAddress: { zipCode: '12345-6789', country: 'US' } }],
      ['a street of exactly 1000 characters across its lines', { ...minimalCustomer, billingAddress: { line1: 'a'.repeat(500), line2: 'b'.repeat(498), country: 'US' } }],
      ['a billing address with names only (no address is sent)', { ...minimalCustomer, billingAddress: { firstName: 'Grace', email: 'g@example.com' } }],
      ['a shipping address without country (not sent)', { ...minimalCustomer, shippingAddress: { line1: 'x' } }],
      ['an access token string', { ...minimalCustomer, featureData: { access_token: 'tok' } }],
      ['other feature data', { ...minimalCustomer, featureData: { something_else: 1 } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a merchant_customer_id of 65 characters', 'merchant_customer_id', { ...minimalCustomer, merchantCustomerId: 'm'.repeat(65) }],
      ['a first name over 128 characters from customer_name', 'customer_name', { ...minimalCustomer, name: `${'f'.repeat(129)} Lee` }],
      ['a last name over 128 characters from customer_name', 'customer_name', { ...minimalCustomer, name: `Ann ${'l'.repeat(129)}` }],
      ['a billing first name over 128 characters standing in for the name', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(129) } }],
      ['a billing last name over 128 characters standing in for the name', 'address.billing_address.last_name', { ...minimalCustomer, billingAddress: { lastName: 'l'.repeat(129) } }],
      [
        'a billing last name over 128 characters that, with the first name, spells customer_name',
        'address.billing_address.last_name',
        { ...minimalCustomer, name: `Ann ${'l'.repeat(129)}`, billingAddress: { firstName: 'Ann', lastName: 'l'.repeat(129) } },
      ],
      ['an email over 256 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(245)}@example.com` }],
      ['a billing email over 256 characters standing in for the email', 'address.billing_address.email', { ...minimalCustomer, billingAddress: { email: `${'e'.repeat(245)}@example.com` } }],
      ['a street over 1000 characters once its lines are joined', 'address.billing_address.line1', { ...minimalCustomer, billingAddress: { line1: 'a'.repeat(500), line2: 'b'.repeat(499), country: 'US' } }],
      ['a city over 100 characters', 'address.billing_address.city', { ...minimalCustomer, billingAddress: { city: 'c'.repeat(101), country: 'US' } }],
      ['a state over 100 characters', 'address.billing_address.state', { ...minimalCustomer, billingAddress: { state: 's'.repeat(101), country: 'US' } }],
      ['a zip code over 10 characters', 'address.billing_address.zip_code', { ...minimalCustomer, billingAddress: { zipCode: '12345-67890', country: 'US' } }],
      ['an address without a country', 'address.billing_address.country_alpha2_code', { ...minimalCustomer, billingAddress: { city: 'Austin' } }],
      ['an access token that is a number', 'connector_feature_data.access_token', { ...minimalCustomer, featureData: { access_token: 42 } }],
      ['an empty access token', 'connector_feature_data.access_token', { ...minimalCustomer, featureData: { access_token: '' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, merchantCustomerId: 'm'.repeat(65), email: `${'e'.repeat(245)}@example.com`, billingAddress: { zipCode: '1'.repeat(11) } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual([
        'merchant_customer_id',
        'email',
        'address.billing_address.zip_code',
        'address.billing_address.country_alpha2_code',
      ]);
    });
  });

  describe('credentials', () => {
    it('cannot tell test from live: Airwallex keys look alike in both', () => {
      expect(sut.testModeOf(CREDENTIALS)).toBeUndefined();
    });

    it('identifies the account by its client id, which survives an API key rotation', () => {
      expect(sut.accountIdentity(CREDENTIALS)).toBe(CLIENT_ID);
      expect(sut.accountIdentity({ ...CREDENTIALS, api_key: 'rotated' })).toBe(sut.accountIdentity(CREDENTIALS));
      expect(sut.accountIdentity({ ...CREDENTIALS, client_id: 'OtherClient' })).not.toBe(sut.accountIdentity(CREDENTIALS));
    });

    it('selects the Airwallex variant, and Prism’s legacy body-key headers (x-api-key, x-key1 = client_id)', () => {
      expect(sut.connector.descriptor.configVariant).toBe('Airwallex');
      expect(sut.connector.descriptor.credentialFields).toEqual([
        { name: 'api_key', required: true, secret: true },
        { name: 'client_id', required: true, secret: false },
      ]);
      expect(sut.connector.descriptor.legacyAuth).toEqual({ type: 'body-key', fields: { 'x-api-key': 'api_key', 'x-key1': 'client_id' } });
    });
  });

  describe('against the sandbox simulator, through the real HTTP client', () => {
    const { sandbox, http, log } = useSandbox();
    let baseUrl: string;

    beforeAll(() => {
      baseUrl = `${sandbox.baseUrl('airwallex')}api/v1`;
    });
    beforeEach(() => {
      sut = driving(new AirwallexConnector(new AccessTokenCache()));
    });

    const simulator = () => sandbox.simulators.airwallex;

    it('creates the customer once when the answer to a processed create is lost and the mapping is retried', async () => {
      const warmUp = await sut.createCustomer(callFor(minimalCustomer, { baseUrl, idempotencyKey: 'warm-up' }), http);
      sandbox.injectFault('airwallex', { dropAfterProcessing: true });

      const lost = await errorOf(sut.createCustomer(callFor(fullCustomer, { baseUrl }), http));
      const retried = await sut.createCustomer(callFor(fullCustomer, { baseUrl }), http);

      expect(lost.details.outcomeUnknown).toBe(true);
      expect(retried.connectorCustomerId).toMatch(/^cus_/);
      expect(retried.connectorCustomerId).not.toBe(warmUp.connectorCustomerId);
      expect(simulator().customerCount()).toBe(2);
    });

    it('logs in again when the simulator’s tokens expire, without creating twice', async () => {
      await sut.createCustomer(callFor(minimalCustomer, { baseUrl, idempotencyKey: 'key-1' }), http);
      simulator().expireTokens();
      await sut.createCustomer(callFor(minimalCustomer, { baseUrl, idempotencyKey: 'key-2' }), http);

      expect(simulator().logins()).toBe(2);
      expect(simulator().customerCount()).toBe(2);
      expect(sandbox.requestsTo('airwallex').map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /api/v1/authentication/login',
        'POST /api/v1/pa/customers/create',
        'POST /api/v1/pa/customers/create',
        'POST /api/v1/authentication/login',
        'POST /api/v1/pa/customers/create',
      ]);
    });

    it('writes no API key, token or personal data to a log line', async () => {
      const pii = [fullCustomer.name!, fullCustomer.email!, fullCustomer.phone!];
      await runWithRequestContext({ requestId: 'req-scrub', transport: 'grpc', sensitiveValues: new Set() }, async () => {
        registerSensitiveValues(API_KEY, ...pii);
        await sut.createCustomer(callFor(fullCustomer, { baseUrl }), http);
      });

      const token = String(sandbox.requestsTo('airwallex')[1].headers.authorization).replace('Bearer ', '');
      const text = log.lines.join('\n');
      for (const secret of [API_KEY, token, ...pii]) expect(text).not.toContain(secret);
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'processor call', connector: 'airwallex', status: 201, request_id: 'req-scrub' }));
    });
  });
});
