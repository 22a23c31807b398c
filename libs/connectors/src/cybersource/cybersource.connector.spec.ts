import { createHash, createHmac } from 'node:crypto';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, answerWith, callBuilder, createThroughRealClient, errorOf, requestSentBy } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { CybersourceConnector } from './cybersource.connector';

const KEY_ID = '6d75ffad-ed36-4a6d-85af-5609185494f4';
const MERCHANT_ID = 'connector_service_sandbox';
const SHARED_SECRET = 'c2FuZGJveC1zaGFyZWQtc2VjcmV0LWZvci10ZXN0cw==';
const CREDENTIALS = { api_key: KEY_ID, merchant_account: MERCHANT_ID, api_secret: SHARED_SECRET };
const REFERENCE = 'abcdefghijklmnopqrstuvwxyz';
const TEST_BASE = 'https://apitest.cybersource.com/';
const NOW = new Date('2026-01-15T10:30:00Z');
const RFC_1123_NOW = 'Thu, 15 Jan 2026 10:30:00 GMT';
const CUSTOMER_ID = 'F2F3ADA770102B51E053A2598D0A9078';

/** Cybersource's documented create-customer answer (TMS guide, "Creating a Customer"). */
const SUCCESS: InboundResponse = {
  status: 201,
  headers: { 'content-type': 'application/json;charset=utf-8', 'v-c-correlation-id': 'corr-1' },
  body: JSON.stringify({
    _links: {
      self: { href: `/tms/v2/customers/${CUSTOMER_ID}` },
      paymentInstruments: { href: `/tms/v2/customers/${CUSTOMER_ID}/payment-instruments` },
      shippingAddresses: { href: `/tms/v2/customers/${CUSTOMER_ID}/shipping-addresses` },
    },
    id: CUSTOMER_ID,
    buyerInformation: { merchantCustomerID: 'Your customer identifier', email: 'test@cybs.com' },
    clientReferenceInformation: { code: 'TC50171_3' },
    merchantDefinedInformation: [{ name: 'data1', value: 'Your customer data' }],
    metadata: { creator: 'testrest' },
  }),
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
    city: 'London',
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

const callFor = callBuilder({ credentials: CREDENTIALS, baseUrl: TEST_BASE, reference: REFERENCE });

const pinnedClock = () => NOW.getTime();

async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new CybersourceConnector(pinnedClock), callFor(customer, overrides), SUCCESS);
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as unknown };
}

/**
 * The Signature header recomputed here from Cybersource's guide, without the connector's code:
 * `name: value` lines for host, date, request-target, digest, v-c-merchant-id joined by "\n",
 * HMAC-SHA256 keyed with the base64-decoded secret, base64.
 */
function independentSignatureHeader(headers: Record<string, string>, body: string, secret = SHARED_SECRET, keyId = KEY_ID): string {
  const digest = `SHA-256=${createHash('sha256').update(Buffer.from(body, 'utf8')).digest('base64')}`;
  const signingString = `host: ${headers.host}\ndate: ${headers.date}\nrequest-target: post /tms/v2/customers\ndigest: ${digest}\nv-c-merchant-id: ${headers['v-c-merchant-id']}`;
  const signature = createHmac('sha256', Buffer.from(secret, 'base64')).update(signingString).digest('base64');
  return `keyid="${keyId}", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="${signature}"`;
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new CybersourceConnector(pinnedClock)).createCustomer(callFor(minimalCustomer), answering(response).http));

describe(CybersourceConnector.name, () => {
  const sut = driving(new CybersourceConnector(pinnedClock));

  describe('outbound request', () => {
    it('POSTs the full customer as JSON to {base}tms/v2/customers, signed with an HTTP Signature', async () => {
      const { connector, outbound } = await sentRequest(fullCustomer);
      const body =
        '{"buyerInformation":{"merchantCustomerID":"mcid-42","email":"ada@example.com"},' +
        '"clientReferenceInformation":{"code":"abcdefghijklmnopqrstuvwxyz"},' +
        '"objectInformation":{"title":"Ada Lovelace"},' +
        '"merchantDefinedInformation":[{"name":"data1","value":"tier=gold"},{"name":"data2","value":"signup_source=web"}]}';
      const signedHeaders = {
        host: 'apitest.cybersource.com',
        date: RFC_1123_NOW,
        digest: `SHA-256=${createHash('sha256').update(body).digest('base64')}`,
        'v-c-merchant-id': MERCHANT_ID,
      };

      expect(connector).toBe('cybersource');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://apitest.cybersource.com/tms/v2/customers',
        headers: {
          'content-type': 'application/json;charset=utf-8',
          accept: 'application/json;charset=utf-8',
          ...signedHeaders,
          signature: independentSignatureHeader(signedHeaders, body),
        },
        body,
      });
    });

    it('POSTs a minimal customer with only its id and our reference, signed as Cybersource’s own SDK signs it', async () => {
      const { outbound } = await sentRequest(minimalCustomer);

      // Date, digest and signature computed by cybersource-rest-client 0.0.83 (HTTPSigToken and
      // DigestGenerator, dated by ApiClient) for this body, host, key, merchant and secret at NOW.
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://apitest.cybersource.com/tms/v2/customers',
        headers: {
          'content-type': 'application/json;charset=utf-8',
          accept: 'application/json;charset=utf-8',
          host: 'apitest.cybersource.com',
          date: 'Thu, 15 Jan 2026 10:30:00 GMT',
          digest: 'SHA-256=t/27y9BhTLSl0XToeMC3LThOkEODH9jEWJ4S10LE1+0=',
          'v-c-merchant-id': 'connector_service_sandbox',
          signature:
            'keyid="6d75ffad-ed36-4a6d-85af-5609185494f4", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="FH1kQuPLFmYT2OCMR6C1TLzH/KWliNIgK0CbFsKm1OA="',
        },
        body: '{"buyerInformation":{"merchantCustomerID":"mcid-1"},"clientReferenceInformation":{"code":"abcdefghijklmnopqrstuvwxyz"}}',
      });
    });

    it.each([
      ['https://apitest.cybersource.com/', 'https://apitest.cybersource.com/tms/v2/customers', 'apitest.cybersource.com'],
      ['https://api.cybersource.com', 'https://api.cybersource.com/tms/v2/customers', 'api.cybersource.com'],
      ['https://api.in.cybersource.com:443/', 'https://api.in.cybersource.com/tms/v2/customers', 'api.in.cybersource.com'],
      ['http://127.0.0.1:12111/cybersource/', 'http://127.0.0.1:12111/cybersource/tms/v2/customers', '127.0.0.1:12111'],
      ['https://proxy.example.com:8443/cybersource', 'https://proxy.example.com:8443/cybersource/tms/v2/customers', 'proxy.example.com:8443'],
    ])('joins base %s into %s and signs Host %s as sent, with the resource path as request target', async (baseUrl, url, host) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
      expect(outbound.headers.host).toBe(host);
      expect(outbound.headers.signature).toBe(independentSignatureHeader(outbound.headers, outbound.body!));
    });

    it('signs with the caller’s own key, merchant and secret', async () => {
      const credentials = { api_key: 'a1b2c3d4-0000-4000-8000-000000000001', merchant_account: 'other_merchant', api_secret: Buffer.from('another secret').toString('base64') };

      const { outbound } = await sentRequest(minimalCustomer, { credentials });

      expect(outbound.headers['v-c-merchant-id']).toBe('other_merchant');
      expect(outbound.headers.signature).toBe(independentSignatureHeader(outbound.headers, outbound.body!, credentials.api_secret, credentials.api_key));
    });

    it('dates each request by the clock it was given', async () => {
      const { http, send } = answering(SUCCESS);

      await driving(new CybersourceConnector(() => new Date('2027-03-01T23:59:59Z').getTime())).createCustomer(callFor(minimalCustomer), http);

      expect(send.mock.calls[0][1].headers.date).toBe('Mon, 01 Mar 2027 23:59:59 GMT');
    });

    it.each<[string, CustomerProfile, unknown]>([
      [
        'a customer known by its billing address: title and email come from it, no address or phone travels',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '2025550143', country: 'US' } },
        {
          buyerInformation: { merchantCustomerID: 'mcid-1', email: 'grace@example.com' },
          clientReferenceInformation: { code: REFERENCE },
          objectInformation: { title: 'Grace Hopper' },
        },
      ],
      [
        'a billing address with a last name only',
        { ...minimalCustomer, billingAddress: { lastName: 'Hopper' } },
        { buyerInformation: { merchantCustomerID: 'mcid-1' }, clientReferenceInformation: { code: REFERENCE }, objectInformation: { title: 'Hopper' } },
      ],
      [
        'the top-level name and email over the billing ones',
        { ...minimalCustomer, name: 'Ada', email: 'ada@example.com', billingAddress: { firstName: 'Augusta', email: 'billing@example.com' } },
        { buyerInformation: { merchantCustomerID: 'mcid-1', email: 'ada@example.com' }, clientReferenceInformation: { code: REFERENCE }, objectInformation: { title: 'Ada' } },
      ],
      [
        'four metadata pairs in data1…data4, in the merchant’s order',
        { ...minimalCustomer, metadata: { plan: 'gold', source: 'web', cohort: '2026-q1', empty: '' } },
        {
          buyerInformation: { merchantCustomerID: 'mcid-1' },
          clientReferenceInformation: { code: REFERENCE },
          merchantDefinedInformation: [
            { name: 'data1', value: 'plan=gold' },
            { name: 'data2', value: 'source=web' },
            { name: 'data3', value: 'cohort=2026-q1' },
            { name: 'data4', value: 'empty=' },
          ],
        },
      ],
      [
        'a shipping address only: nothing of it travels',
        { ...minimalCustomer, shippingAddress: { firstName: 'Charles', line1: '1 Engine Road', country: 'DE' } },
        { buyerInformation: { merchantCustomerID: 'mcid-1' }, clientReferenceInformation: { code: REFERENCE } },
      ],
      [
        'characters JSON must escape',
        { ...minimalCustomer, name: 'Zoë "Z" O’Neil\\', metadata: { 'a key': 'x&y<z>' } },
        {
          buyerInformation: { merchantCustomerID: 'mcid-1' },
          clientReferenceInformation: { code: REFERENCE },
          objectInformation: { title: 'Zoë "Z" O’Neil\\' },
          merchantDefinedInformation: [{ name: 'data1', value: 'a key=x&y<z>' }],
        },
      ],
    ])('sends exactly the body of %s', async (_case, customer, expected) => {
      const { body, outbound } = await sentRequest(customer);

      expect(body).toEqual(expected);
      expect(outbound.headers.digest).toBe(`SHA-256=${createHash('sha256').update(outbound.body!).digest('base64')}`);
    });
  });

  describe('response parsing', () => {
    it('returns the customer id, status and headers of a 201', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 201,
        responseHeaders: { 'content-type': 'application/json;charset=utf-8', 'v-c-correlation-id': 'corr-1' },
      });
    });

    const tmsError = (type: string, message: string, details?: { name: string; location: string }[]) => JSON.stringify({ errors: [{ type, message, ...(details && { details }) }] });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'invalid fields, naming the field',
        400,
        {},
        tmsError('invalidFields', 'Invalid values for the following fields', [{ name: 'buyerInformation.email', location: 'body' }]),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'invalidFields', message: 'Invalid values for the following fields', param: 'buyerInformation.email' },
        false,
        undefined,
      ],
      [
        'missing headers, naming the header',
        400,
        {},
        tmsError('missingHeaders', 'Missing required headers', [{ name: 'v-c-merchant-id', location: 'header' }]),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'missingHeaders', message: 'Missing required headers', param: 'v-c-merchant-id' },
        false,
        undefined,
      ],
      [
        'the gateway refusing the signature (no code of its own)',
        401,
        {},
        '{"response":{"rmsg":"Authentication Failed"}}',
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'http_401', message: 'Authentication Failed' },
        false,
        undefined,
      ],
      [
        'the flat UNAUTHORIZED shape',
        401,
        {},
        JSON.stringify({ id: '7089743540456574903954', submitTimeStampUtc: '2026-01-15T10:30:00Z', reason: 'UNAUTHORIZED', message: 'Authentication Failed' }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'UNAUTHORIZED', message: 'Authentication Failed' },
        false,
        undefined,
      ],
      ['a forbidden request', 403, {}, tmsError('forbidden', 'Request not permitted'), ErrorReason.ConnectorPermissionDenied, { code: 'forbidden', message: 'Request not permitted' }, false, undefined],
      ['an unknown resource', 404, {}, tmsError('notFound', 'The requested resource does not exist'), ErrorReason.ConnectorNotFound, { code: 'notFound', message: 'The requested resource does not exist' }, false, undefined],
      [
        'a token id conflict',
        409,
        {},
        tmsError('tokenIdConflict', 'The token id is already in use'),
        ErrorReason.ConnectorConflict,
        { code: 'tokenIdConflict', message: 'The token id is already in use' },
        true,
        undefined,
      ],
      [
        'a missing TMS profile (a refusal, not an outage)',
        424,
        {},
        tmsError('notFound', 'Profile not found'),
        ErrorReason.ConnectorRequestRejected,
        { code: 'notFound', message: 'Profile not found' },
        false,
        undefined,
      ],
      ['rate limiting with Retry-After', 429, { 'retry-after': '3' }, tmsError('tooManyRequests', 'Too many requests'), ErrorReason.ConnectorRateLimited, { code: 'tooManyRequests', message: 'Too many requests' }, false, 3],
      ['a TMS failure', 500, {}, tmsError('internalError', 'An unexpected error occurred'), ErrorReason.ConnectorInternalError, { code: 'internalError', message: 'An unexpected error occurred' }, true, undefined],
      [
        'a gateway failure in the flat shape',
        502,
        {},
        JSON.stringify({ submitTimeUtc: '2026-01-15T10:30:00Z', status: 'SERVER_ERROR', reason: 'SYSTEM_ERROR', message: 'Error - General system failure.' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'SYSTEM_ERROR', message: 'Error - General system failure.', type: 'SERVER_ERROR' },
        true,
        undefined,
      ],
      [
        'a flat error naming its field',
        400,
        {},
        JSON.stringify({ status: 'INVALID_REQUEST', reason: 'INVALID_DATA', message: 'Declined - One or more fields contains invalid data', details: [{ field: 'buyerInformation.email', reason: 'INVALID_DATA' }] }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'INVALID_DATA', message: 'Declined - One or more fields contains invalid data', param: 'buyerInformation.email', type: 'INVALID_REQUEST' },
        false,
        undefined,
      ],
      ['an errors entry without type or message', 400, {}, '{"errors":[{}]}', ErrorReason.ConnectorInvalidRequest, { code: 'unknown', message: 'no message' }, false, undefined],
    ])('maps %s (HTTP %i) to a domain error keeping Cybersource’s details', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Cybersource returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'cybersource', httpStatus: status, param: undefined, type: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['a 201 whose body is not JSON', { status: 201, headers: {}, body: '<html>ok</html>' }],
      ['a 201 without an id', { status: 201, headers: {}, body: '{"_links":{}}' }],
      ['a 201 with an empty id', { status: 201, headers: {}, body: '{"id":""}' }],
      ['a 201 with a numeric id', { status: 201, headers: {}, body: '{"id":42}' }],
      ['a 201 with a JSON null body', { status: 201, headers: {}, body: 'null' }],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'cybersource', code: 'invalid_response', httpStatus: 201 } });
    });

    it.each([
      ['a 400 that is not JSON', { status: 400, headers: {}, body: 'Bad Request' }, ErrorReason.ConnectorInvalidRequest, false],
      ['a 400 in none of the error shapes', { status: 400, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
      ['an empty errors array', { status: 400, headers: {}, body: '{"errors":[]}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'cybersource', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a merchant customer id of exactly 100 characters', { ...minimalCustomer, merchantCustomerId: 'm'.repeat(100) }],
      ['a name of exactly 60 characters', { ...minimalCustomer, name: 'n'.repeat(60) }],
      ['an email of exactly 255 characters', { ...minimalCustomer, email: `${'e'.repeat(243)}@example.com` }],
      ['four metadata pairs', { ...minimalCustomer, metadata: { a: '1', b: '2', c: '3', d: '4' } }],
      ['a "key=value" of exactly 100 characters', { ...minimalCustomer, metadata: { note: 'v'.repeat(95) } }],
      ['a long billing name when customer_name stands in', { ...minimalCustomer, name: 'Ada', billingAddress: { firstName: 'f'.repeat(100) } }],
      ['a short number in metadata', { ...minimalCustomer, metadata: { order_count: '123456789012' } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a merchant customer id of 101 characters', 'merchant_customer_id', { ...minimalCustomer, merchantCustomerId: 'm'.repeat(101) }],
      ['a name of 61 characters', 'customer_name', { ...minimalCustomer, name: 'n'.repeat(61) }],
      ['a billing name over 60 characters when it stands in for the name', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(30), lastName: 'l'.repeat(30) } }],
      ['an email of 256 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(244)}@example.com` }],
      ['a billing email over 255 characters when it stands in', 'address.billing_address.email', { ...minimalCustomer, billingAddress: { email: `${'e'.repeat(244)}@example.com` } }],
      ['five metadata pairs', 'metadata', { ...minimalCustomer, metadata: { a: '1', b: '2', c: '3', d: '4', e: '5' } }],
      ['a "key=value" of 101 characters', 'metadata.note', { ...minimalCustomer, metadata: { note: 'v'.repeat(96) } }],
      ['a metadata key with "="', 'metadata.a=b', { ...minimalCustomer, metadata: { 'a=b': 'c' } }],
      ['an e-mail address in a metadata value', 'metadata.contact', { ...minimalCustomer, metadata: { contact: 'ann@example.com' } }],
      ['a card number in a metadata value', 'metadata.card', { ...minimalCustomer, metadata: { card: '4111 1111 1111 1111' } }],
      ['an unseparated card number in a metadata value', 'metadata.pan', { ...minimalCustomer, metadata: { pan: '4111111111111111' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, merchantCustomerId: 'm'.repeat(101), name: 'n'.repeat(61), metadata: { a: 'x@y.co', b: '2', c: '3', d: '4', e: '5' } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['merchant_customer_id', 'customer_name', 'metadata', 'metadata.a']);
    });
  });

  describe('credentials', () => {
    it('cannot tell test from live by the credentials', () => {
      expect(sut.testModeOf(CREDENTIALS)).toBeUndefined();
    });

    it('identifies the account by merchant and key, so a test key and a live key of one merchant id scope apart', () => {
      const live = { ...CREDENTIALS, api_key: 'b2c3d4e5-0000-4000-8000-000000000002' };

      expect(sut.accountIdentity(CREDENTIALS)).toBe(sut.accountIdentity({ ...CREDENTIALS, api_secret: 'cm90YXRlZA==' }));
      expect(sut.accountIdentity(CREDENTIALS)).not.toBe(sut.accountIdentity(live));
      expect(sut.accountIdentity(CREDENTIALS)).not.toBe(sut.accountIdentity({ ...CREDENTIALS, merchant_account: 'another_merchant' }));
    });
  });

  describe('through the real HTTP client', () => {
    const pii = { name: 'Ada Lovelace', email: 'ada.lovelace@example.org' };
    const createAgainstLocalCybersource = (status: number, body: string) =>
      createThroughRealClient(answerWith(status, body), [KEY_ID, SHARED_SECRET, pii.email, pii.name], (http, baseUrl) =>
        sut.createCustomer(callFor({ ...minimalCustomer, ...pii }, { baseUrl }), http),
      );

    it('arrives with the Host it signed (undici sends a given host header unchanged) and a signature that verifies', async () => {
      const { outcome, received, baseUrl } = await createAgainstLocalCybersource(201, SUCCESS.body);

      expect(outcome).toMatchObject({ connectorCustomerId: CUSTOMER_ID, httpStatus: 201 });
      const headers = received[0].headers as Record<string, string>;
      expect(headers.host).toBe(new URL(baseUrl).host);
      expect(headers.signature).toBe(independentSignatureHeader(headers, received[0].body));
      expect(received[0].body).toContain('ada.lovelace@example.org');
    });

    it('writes no PII when Cybersource’s error message repeats the email', async () => {
      const body = JSON.stringify({ errors: [{ type: 'invalidFields', message: `Invalid email ${pii.email}`, details: [{ name: 'buyerInformation.email', location: 'body' }] }] });

      const { outcome, log } = await createAgainstLocalCybersource(400, body);

      expect(outcome).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, message: expect.stringContaining(pii.email) });
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'request refused', reason: ErrorReason.ConnectorInvalidRequest }));
      for (const secret of [KEY_ID, SHARED_SECRET, pii.email, pii.name]) expect(log.lines.join('\n')).not.toContain(secret);
    });
  });
});
