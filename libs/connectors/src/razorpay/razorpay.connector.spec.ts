import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestSentBy } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { RazorpayConnector } from './razorpay.connector';

const KEY_ID = 'rzp_test_Fx7mQ2rT9vK4nB';
const KEY_SECRET = 'Wq3LzT8vRk2NcY6hPb9sDm4F';
const BASIC = `Basic ${Buffer.from(`${KEY_ID}:${KEY_SECRET}`).toString('base64')}`;
const BASE = 'https://api.razorpay.com/';

/** Razorpay's documented Create a Customer response, with our back-reference in its notes. */
const customerBody = (notes: unknown = { merchant_customer_id: 'mcid-1' }) =>
  JSON.stringify({ id: 'cust_1Aa00000000004', entity: 'customer', name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', contact: '+919876543210', gstin: null, notes, created_at: 1234567890 });
const OK = (notes?: unknown): InboundResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: customerBody(notes) });

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', email: 'min@example.com', metadata: {}, featureData: {} };
const minimalWithoutName = minimalCustomer;

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: "Ada O'Neil-King (Jr.)",
  email: 'ada@example.com',
  phone: '+91 98765 43210',
  billingAddress: { firstName: 'Augusta', lastName: 'King', line1: '12 MG Road', city: 'Bengaluru', zipCode: '560001', country: 'IN', email: 'billing@example.com', phoneNumber: '9876500000', phoneCountryCode: '+91' },
  shippingAddress: { line1: '1 Engine Road', city: 'Mumbai', country: 'IN' },
  metadata: { tier: 'gold', signup_source: 'web' },
  featureData: { gstin: '29ABCDE1234F1Z5' },
  testMode: true,
};

const callFor = callBuilder({ credentials: { key_id: KEY_ID, key_secret: KEY_SECRET }, baseUrl: BASE, idempotencyKey: 'unused-by-razorpay' });

async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new RazorpayConnector(), callFor(customer, overrides), OK({ merchant_customer_id: customer.merchantCustomerId }));
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as Record<string, unknown> };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new RazorpayConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

const razorpayError = (error: Record<string, unknown>) => JSON.stringify({ error: { source: 'NA', step: 'NA', reason: 'NA', metadata: {}, ...error } });

describe(RazorpayConnector.name, () => {
  const sut = driving(new RazorpayConnector());

  describe('outbound request', () => {
    it('POSTs JSON to {base}v1/customers with Basic key_id:key_secret and fail_existing "0"', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('razorpay');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://api.razorpay.com/v1/customers',
        headers: { authorization: BASIC, 'content-type': 'application/json' },
        body: expect.any(String),
      });
      expect(body).toEqual({
        name: "Ada O'Neil-King (Jr.)",
        email: 'ada@example.com',
        contact: '+919876543210',
        gstin: '29ABCDE1234F1Z5',
        notes: { tier: 'gold', signup_source: 'web', merchant_customer_id: 'mcid-42' },
        fail_existing: '0',
      });
    });

    it('sends a minimal customer as its email, the back-reference and fail_existing', async () => {
      const { body } = await sentRequest(minimalCustomer);

      expect(body).toEqual({ email: 'min@example.com', notes: { merchant_customer_id: 'mcid-1' }, fail_existing: '0' });
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a customer known only by its billing address: name, email and contact come from it',
        { ...minimalCustomer, email: undefined, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '(202) 555-0143', phoneCountryCode: '1' } },
        { name: 'Grace Hopper', email: 'grace@example.com', contact: '+12025550143', notes: { merchant_customer_id: 'mcid-1' }, fail_existing: '0' },
      ],
      [
        'a phone only, in national form',
        { ...minimalCustomer, email: undefined, phone: '98765 43210' },
        { contact: '9876543210', notes: { merchant_customer_id: 'mcid-1' }, fail_existing: '0' },
      ],
      [
        'feature data without a GSTIN',
        { ...minimalCustomer, featureData: { locale: 'en_US' } },
        { email: 'min@example.com', notes: { merchant_customer_id: 'mcid-1' }, fail_existing: '0' },
      ],
    ])('sends exactly the body of %s', async (_case, customer, expected) => {
      const { body } = await sentRequest(customer);

      expect(body).toEqual(expected);
    });

    it.each([
      ['https://api.razorpay.com', 'https://api.razorpay.com/v1/customers'],
      ['http://127.0.0.1:4010/razorpay/', 'http://127.0.0.1:4010/razorpay/v1/customers'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });
  });

  describe('response parsing', () => {
    it('returns the id, status and headers of a 200', async () => {
      const { http } = answering(OK());

      await expect(sut.createCustomer(callFor(minimalCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'cust_1Aa00000000004',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json' },
      });
    });

    it.each([
      ['notes as an empty array (created outside this service)', []],
      ['notes without a back-reference', { plan: 'gold' }],
      ['no notes at all', null],
    ])('adopts an existing customer Razorpay returns with %s', async (_case, notes) => {
      const { http } = answering(OK(notes));

      await expect(sut.createCustomer(callFor(minimalCustomer), http)).resolves.toMatchObject({ connectorCustomerId: 'cust_1Aa00000000004' });
    });

    it('refuses an existing customer whose notes name another merchant customer, as FAILED_PRECONDITION with nothing created', async () => {
      const error = await errorFrom(OK({ merchant_customer_id: 'someone-else' }));

      expect(error.reason).toBe(ErrorReason.ConnectorRequestRejected);
      expect(error.details).toMatchObject({
        outcomeUnknown: false,
        connector: { connector: 'razorpay', code: 'existing_customer_of_another_merchant_customer_id', httpStatus: 200 },
      });
      expect(error.message).toContain('cust_1Aa00000000004');
      expect(error.message).not.toContain('someone-else');
    });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'an invalid contact (the reason leads, the field is named)',
        400,
        {},
        razorpayError({ code: 'BAD_REQUEST_ERROR', description: 'Contact number should be at least 8 digits, including country code', source: 'business', reason: 'invalid_contact_number', field: 'contact' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'invalid_contact_number', message: 'Contact number should be at least 8 digits, including country code', param: 'contact', type: 'BAD_REQUEST_ERROR' },
        false,
        undefined,
      ],
      [
        'an existing customer refused (reason NA: the code stands in)',
        400,
        {},
        razorpayError({ code: 'BAD_REQUEST_ERROR', description: 'Customer already exists for the merchant' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'BAD_REQUEST_ERROR', message: 'Customer already exists for the merchant', type: 'BAD_REQUEST_ERROR' },
        false,
        undefined,
      ],
      [
        'a bad key pair',
        401,
        {},
        razorpayError({ code: 'BAD_REQUEST_ERROR', description: 'Authentication failed' }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'BAD_REQUEST_ERROR', message: 'Authentication failed', type: 'BAD_REQUEST_ERROR' },
        false,
        undefined,
      ],
      [
        'rate limiting with Retry-After',
        429,
        { 'retry-after': '2' },
        razorpayError({ code: 'BAD_REQUEST_ERROR', description: 'Too many requests' }),
        ErrorReason.ConnectorRateLimited,
        { code: 'BAD_REQUEST_ERROR', message: 'Too many requests', type: 'BAD_REQUEST_ERROR' },
        false,
        2,
      ],
      [
        'a server error',
        500,
        {},
        razorpayError({ code: 'SERVER_ERROR', description: 'The server encountered an error. The incident has been reported to admins.' }),
        ErrorReason.ConnectorInternalError,
        { code: 'SERVER_ERROR', message: 'The server encountered an error. The incident has been reported to admins.', type: 'SERVER_ERROR' },
        true,
        undefined,
      ],
      [
        'a gateway error',
        502,
        {},
        razorpayError({ code: 'GATEWAY_ERROR', description: 'Payment processing failed due to error at bank or wallet gateway' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'GATEWAY_ERROR', message: 'Payment processing failed due to error at bank or wallet gateway', type: 'GATEWAY_ERROR' },
        true,
        undefined,
      ],
      ['an empty error object', 400, {}, '{"error":{}}', ErrorReason.ConnectorInvalidRequest, { code: 'http_400', message: 'no message' }, false, undefined],
    ])('maps %s (HTTP %i) keeping Razorpay’s details', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Razorpay returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'razorpay', httpStatus: status, param: undefined, type: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['a 200 that is not JSON', { status: 200, headers: {}, body: '<html>ok</html>' }],
      ['a 200 without id', { status: 200, headers: {}, body: '{"entity":"customer"}' }],
      ['a 200 with an empty id', { status: 200, headers: {}, body: '{"id":""}' }],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'razorpay', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each([
      ['a 400 body without `error`', { status: 400, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'razorpay', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    // Razorpay requires a name (API reference, Create a Customer): the minimal customer of these cases has one.
    const minimalCustomer: CustomerProfile = { ...minimalWithoutName, name: 'Min Lee' };
    const pairs = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`key_${i}`, 'v']));

    it.each<[string, CustomerProfile]>([
      ['a full customer', { ...fullCustomer, name: "Ada O'Neil King (Jr.)" }],
      ['a name of exactly 3 characters', { ...minimalCustomer, name: 'Ann' }],
      ['a name of exactly 50 characters', { ...minimalCustomer, name: 'n'.repeat(50) }],
      ['a name with @ / and a trailing dot', { ...minimalCustomer, name: 'A.B/C D@E Jr.' }],
      ['a name in Devanagari', { ...minimalCustomer, name: 'गौरव कुमार' }],
      ['an email of exactly 64 characters', { ...minimalCustomer, email: `${'e'.repeat(52)}@example.com` }],
      ['a contact of exactly 15 characters', { ...minimalCustomer, phone: '+91 12345 6789012' }],
      ['a contact of exactly 8 digits', { ...minimalCustomer, phone: '+1 555 0143' }],
      ['a phone without email', { ...minimalCustomer, email: undefined, phone: '+919876543210' }],
      ['14 merchant metadata pairs (the 15th is ours)', { ...minimalCustomer, metadata: pairs(14) }],
      ['a metadata value of 256 characters', { ...minimalCustomer, metadata: { note: 'v'.repeat(256) } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['neither email nor phone', 'email', { ...minimalCustomer, email: undefined, name: 'Ann Lee' }],
      ['a name of 2 characters', 'customer_name', { ...minimalCustomer, name: 'Al' }],
      ['a name of 51 characters', 'customer_name', { ...minimalCustomer, name: 'n'.repeat(51) }],
      ['a name with #', 'customer_name', { ...minimalCustomer, name: 'Ann #1' }],
      ['no name at all (Razorpay requires one)', 'customer_name', minimalWithoutName],
      ['a name with a hyphen (not in Razorpay’s list)', 'customer_name', { ...minimalCustomer, name: "Ada O'Neil-King" }],
      ['a name with an underscore (not in Razorpay’s list)', 'customer_name', { ...minimalCustomer, name: 'Ann_Lee' }],
      ['a name starting with a quote', 'customer_name', { ...minimalCustomer, name: "'Ann Lee" }],
      ['a name ending with a hyphen', 'customer_name', { ...minimalCustomer, name: 'Ann Lee-' }],
      ['a billing name of 2 characters standing in for the name', 'address.billing_address.first_name', { ...minimalWithoutName, billingAddress: { firstName: 'Al' } }],
      ['an email of 65 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(53)}@example.com` }],
      ['a billing email over 64 characters standing in for the email', 'address.billing_address.email', { ...minimalCustomer, email: undefined, billingAddress: { email: `${'e'.repeat(53)}@example.com` } }],
      ['a contact of 16 characters', 'phone_number', { ...minimalCustomer, phone: '+91 12345 67890123' }],
      ['a contact of 7 digits', 'phone_number', { ...minimalCustomer, phone: '+1 555 014' }],
      ['a billing contact over 15 characters', 'address.billing_address.phone_number', { ...minimalCustomer, billingAddress: { phoneNumber: '1234567890123', phoneCountryCode: '+44' } }],
      ['15 merchant metadata pairs', 'metadata', { ...minimalCustomer, metadata: pairs(15) }],
      ['a metadata value of 257 characters', 'metadata.note', { ...minimalCustomer, metadata: { note: 'v'.repeat(257) } }],
      ['the reserved key with another id', 'metadata.merchant_customer_id', { ...minimalCustomer, metadata: { merchant_customer_id: 'someone-else' } }],
      ['a GSTIN of 14 characters', 'connector_feature_data.gstin', { ...minimalCustomer, featureData: { gstin: '29ABCDE1234F1Z' } }],
      ['a GSTIN that is not a string', 'connector_feature_data.gstin', { ...minimalCustomer, featureData: { gstin: 29 } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, name: 'Al', phone: '+1 555', metadata: { a: 'v'.repeat(257) } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['customer_name', 'phone_number', 'metadata.a']);
    });
  });

  describe('test mode and account identity', () => {
    it.each<[string, boolean | undefined]>([
      ['rzp_test_Fx7mQ2rT9vK4nB', true],
      ['rzp_live_Fx7mQ2rT9vK4nB', false],
      ['rzp_Fx7mQ2rT9vK4nB', undefined],
      ['not-a-razorpay-key', undefined],
    ])('%s → %p', (keyId, expected) => {
      expect(sut.testModeOf({ key_id: keyId, key_secret: KEY_SECRET })).toBe(expected);
    });

    it('identifies the account by its key id, so test and live keys scope mappings apart', () => {
      expect(sut.accountIdentity({ key_id: 'rzp_test_A', key_secret: 's' })).toBe('rzp_test_A');
      expect(sut.accountIdentity({ key_id: 'rzp_test_A', key_secret: 's' })).not.toBe(sut.accountIdentity({ key_id: 'rzp_live_A', key_secret: 's' }));
    });
  });
});
