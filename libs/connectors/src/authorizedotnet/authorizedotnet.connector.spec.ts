import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { createCustomerProfileSchemaProblem } from '@app/testing/sandbox/simulators/authorizedotnet.simulator';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, answerWith, callBuilder, createThroughRealClient, errorOf, requestSentBy } from '@app/testing/connectors/connector-spec-helpers';
import { driving, type DrivenConnector } from '@app/testing/connectors/connector-driver';
import { AUTHORIZEDOTNET_UNCLASSIFIED_ERROR_REASON, AuthorizedotnetConnector } from './authorizedotnet.connector';
import { authorizedotnetErrorBody } from './authorizedotnet.fixture';

const LOGIN_ID = '5KP3u95bQpv';
const TRANSACTION_KEY = '346HZ32z3fP4hTG2';
const SANDBOX_ENDPOINT = 'https://apitest.authorize.net/xml/v1/request.api';
const BOM = '\ufeff';

/** The create answer as Authorize.net's API reference shows it, with the byte order mark it sends. */
const SUCCESS: InboundResponse = {
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: `${BOM}${JSON.stringify({
    customerProfileId: '1913038047',
    customerPaymentProfileIdList: [],
    customerShippingAddressIdList: ['1877489442'],
    validationDirectResponseList: [],
    messages: { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] },
  })}`,
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
  shippingAddress: {
    firstName: 'Charles',
    lastName: 'Babbage',
    line1: '1 Engine Road',
    line2: 'Floor 2',
    line3: 'Suite 5',
    city: 'Berlin',
    state: 'Berlin',
    zipCode: '10115',
    country: 'DE',
    email: 'charles@example.com',
    phoneNumber: '301234567',
    phoneCountryCode: '49',
  },
  metadata: { tier: 'gold' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: { name: LOGIN_ID, transaction_key: TRANSACTION_KEY }, baseUrl: SANDBOX_ENDPOINT });

/** The one request `createCustomer` sends, already checked against the XSD's element order and limits. */
async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new AuthorizedotnetConnector(), callFor(customer, overrides), SUCCESS);
  expect(createCustomerProfileSchemaProblem(outbound.body ?? '')).toBeUndefined();
  const json = JSON.parse(outbound.body ?? '') as { createCustomerProfileRequest: { merchantAuthentication: unknown; profile: Record<string, unknown> } };
  return { connector, outbound, profile: json.createCustomerProfileRequest.profile };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new AuthorizedotnetConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

const answer = (body: unknown, status = 200): InboundResponse => ({ status, headers: {}, body: `${BOM}${JSON.stringify(body)}` });

describe(AuthorizedotnetConnector.name, () => {
  const sut = driving(new AuthorizedotnetConnector());

  describe('outbound request', () => {
    it('POSTs JSON to the endpoint itself with the credentials in merchantAuthentication, in schema order', async () => {
      const { connector, outbound } = await sentRequest(fullCustomer);

      expect(connector).toBe('authorizedotnet');
      expect(outbound).toEqual({
        method: 'POST',
        url: SANDBOX_ENDPOINT,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          createCustomerProfileRequest: {
            merchantAuthentication: { name: LOGIN_ID, transactionKey: TRANSACTION_KEY },
            profile: {
              merchantCustomerId: 'mcid-42',
              description: 'Ada Lovelace',
              email: 'ada@example.com',
              shipToList: [
                {
                  firstName: 'Charles',
                  lastName: 'Babbage',
                  address: '1 Engine Road Floor 2 Suite 5',
                  city: 'Berlin',
                  state: 'Berlin',
                  zip: '10115',
                  country: 'DE',
                  phoneNumber: '+49301234567',
                  email: 'charles@example.com',
                },
              ],
            },
          },
        }),
      });
    });

    it('sends only the id for a customer that has nothing else', async () => {
      const { outbound } = await sentRequest(minimalCustomer);

      expect(outbound.body).toBe(
        JSON.stringify({ createCustomerProfileRequest: { merchantAuthentication: { name: LOGIN_ID, transactionKey: TRANSACTION_KEY }, profile: { merchantCustomerId: 'mcid-1' } } }),
      );
    });

    it.each([
      SANDBOX_ENDPOINT,
      'https://api2.authorize.net/xml/v1/request.api',
      'https://api.authorize.net/xml/v1/request.api',
      'http://127.0.0.1:4010/authorizedotnet/xml/v1/request.api',
    ])('posts to the base URL %s as the endpoint, unchanged', async (baseUrl) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(baseUrl);
    });

    it.each<[string, string, string]>([
      ['an id of a few characters, as is', 'mcid-1', 'mcid-1'],
      ['an id of exactly 20 characters, as is', 'a'.repeat(20), 'a'.repeat(20)],
      ['an id of 21 characters, as the first 20 characters of the reference', 'a'.repeat(21), 'stablereference00000'],
      ['a UUID, as the first 20 characters of the reference', '7d5f3a8e-6a35-4a8c-9f0d-1c2b3a4d5e6f', 'stablereference00000'],
    ])('sends %s', async (_case, merchantCustomerId, sent) => {
      const { profile } = await sentRequest({ ...minimalCustomer, merchantCustomerId });

      expect(profile.merchantCustomerId).toBe(sent);
    });

    it('never sends two long ids sharing their first 20 characters as one (each mapping has its own reference)', async () => {
      const first = await sentRequest({ ...minimalCustomer, merchantCustomerId: 'customer-0000000000000-a' }, { reference: 'aaaaaaaaaaaaaaaaaaaaaaaaaa' });
      const second = await sentRequest({ ...minimalCustomer, merchantCustomerId: 'customer-0000000000000-b' }, { reference: 'bbbbbbbbbbbbbbbbbbbbbbbbbb' });

      expect(first.profile.merchantCustomerId).toBe('aaaaaaaaaaaaaaaaaaaa');
      expect(second.profile.merchantCustomerId).toBe('bbbbbbbbbbbbbbbbbbbb');
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a customer known only by its billing address: description and email come from it, nothing else of it',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', line1: '1 Navy Way', phoneNumber: '2025550143', phoneCountryCode: '1' } },
        { merchantCustomerId: 'mcid-1', description: 'Grace Hopper', email: 'grace@example.com' },
      ],
      ['a billing address with only a last name', { ...minimalCustomer, billingAddress: { lastName: 'Hopper' } }, { merchantCustomerId: 'mcid-1', description: 'Hopper' }],
      [
        'customer_name and email over the billing ones',
        { ...minimalCustomer, name: 'Ada', email: 'ada@example.com', billingAddress: { firstName: 'Grace', email: 'grace@example.com' } },
        { merchantCustomerId: 'mcid-1', description: 'Ada', email: 'ada@example.com' },
      ],
      ['a top-level phone and metadata: not sent, the profile has neither', { ...minimalCustomer, phone: '+14155550123', metadata: { plan: 'gold' } }, { merchantCustomerId: 'mcid-1' }],
      [
        'a shipping line3 without line2',
        { ...minimalCustomer, shippingAddress: { line1: 'Main St 1', line3: 'Rear building' } },
        { merchantCustomerId: 'mcid-1', shipToList: [{ address: 'Main St 1 Rear building' }] },
      ],
      [
        'a shipping phone already international, and no names',
        { ...minimalCustomer, shippingAddress: { phoneNumber: '+358401234567', phoneCountryCode: '358', country: 'FI' } },
        { merchantCustomerId: 'mcid-1', shipToList: [{ country: 'FI', phoneNumber: '+358401234567' }] },
      ],
      ['a shipping address with only a calling code: nothing to ship to', { ...minimalCustomer, shippingAddress: { phoneCountryCode: '44' } }, { merchantCustomerId: 'mcid-1' }],
      [
        'characters JSON must escape',
        { ...minimalCustomer, name: 'Zoë "Z" \\ Ångström <b>', shippingAddress: { line1: 'Straße 1 & 2' } },
        { merchantCustomerId: 'mcid-1', description: 'Zoë "Z" \\ Ångström <b>', shipToList: [{ address: 'Straße 1 & 2' }] },
      ],
    ])('sends exactly the profile of %s', async (_case, customer, expected) => {
      const { profile } = await sentRequest(customer);

      expect(profile).toEqual(expected);
    });

    it('keeps every value at Authorize.net’s limits valid against the schema', async () => {
      const customer: CustomerProfile = {
        merchantCustomerId: 'm'.repeat(20),
        name: 'n'.repeat(255),
        email: `${'e'.repeat(243)}@example.com`,
        shippingAddress: {
          firstName: 'f'.repeat(50),
          lastName: 'l'.repeat(50),
          line1: 'a'.repeat(29),
          line2: 'b'.repeat(30),
          city: 'c'.repeat(40),
          state: 's'.repeat(40),
          zipCode: 'z'.repeat(20),
          country: 'US',
          phoneNumber: '4'.repeat(23),
          phoneCountryCode: '1',
        },
        metadata: {},
        featureData: {},
      };

      expect(sut.validateCustomer(customer)).toEqual([]);
      const { profile } = await sentRequest(customer);
      expect((profile.shipToList as { address: string }[])[0].address).toHaveLength(60);
    });

    it.each([
      ['an element out of the XSD order', { profile: {}, merchantAuthentication: { name: 'a', transactionKey: 'k' } }],
      ['an unknown profile element', { merchantAuthentication: { name: 'a', transactionKey: 'k' }, profile: { phone: '1' } }],
      ['a merchantCustomerId over 20 characters', { merchantAuthentication: { name: 'a', transactionKey: 'k' }, profile: { merchantCustomerId: 'x'.repeat(21) } }],
      ['a shipping address over 60 characters', { merchantAuthentication: { name: 'a', transactionKey: 'k' }, profile: { shipToList: [{ address: 'x'.repeat(61) }] } }],
      ['a missing profile', { merchantAuthentication: { name: 'a', transactionKey: 'k' } }],
    ])('the schema check itself rejects %s', (_case, request) => {
      expect(createCustomerProfileSchemaProblem(JSON.stringify({ createCustomerProfileRequest: request }))).toEqual(expect.any(String));
    });
  });

  describe('response parsing', () => {
    it('strips the byte order mark and returns the customerProfileId, status and headers', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: '1913038047',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
      });
    });

    it('reads a success body without a byte order mark too', async () => {
      const { http } = answering({ ...SUCCESS, body: SUCCESS.body.slice(1) });

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toMatchObject({ connectorCustomerId: '1913038047' });
    });

    it('reads the duplicate answer E00039 as success with the existing profile id from its text', async () => {
      const body = `${BOM}${JSON.stringify({
        customerPaymentProfileIdList: [],
        customerShippingAddressIdList: [],
        validationDirectResponseList: [],
        messages: { resultCode: 'Error', message: [{ code: 'E00039', text: 'A duplicate record with ID 1220992516 already exists.' }] },
      })}`;
      const { http } = answering({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body });

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: '1220992516',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
      });
    });

    const message = (code: string, text: string) => ({ messages: { resultCode: 'Error', message: [{ code, text }] } });

    it.each<[string, string, string, ErrorReason, Pick<ConnectorErrorDetails, 'param'>, boolean]>([
      ['E00007', 'User authentication failed due to invalid authentication values.', 'failed authentication', ErrorReason.ConnectorAuthenticationFailed, {}, false],
      ['E00005', 'The transaction key or API key is invalid or not present.', 'a missing key', ErrorReason.ConnectorAuthenticationFailed, {}, false],
      ['E00006', 'The API user name is invalid or not present.', 'a missing login', ErrorReason.ConnectorAuthenticationFailed, {}, false],
      ['E00059', 'The authentication type is not allowed for this method call.', 'a refused authentication type', ErrorReason.ConnectorAuthenticationFailed, {}, false],
      ['E00008', 'User authentication failed. The account or API user is inactive.', 'an inactive account', ErrorReason.ConnectorPermissionDenied, {}, false],
      ['E00011', 'Access denied. You do not have the appropriate permissions.', 'a missing permission', ErrorReason.ConnectorPermissionDenied, {}, false],
      ['E00044', 'Customer Information Manager is not enabled.', 'CIM not enabled', ErrorReason.ConnectorPermissionDenied, {}, false],
      ['E00009', 'The payment gateway account is in Test Mode. The request cannot be processed.', 'an account in Test Mode', ErrorReason.ConnectorRequestRejected, {}, false],
      [
        'E00003',
        "The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:zip' element is invalid - The value '1234567890123456789012' is invalid according to its datatype 'String' - The actual length is greater than the MaxLength value.",
        'an over-long element',
        ErrorReason.ConnectorInvalidRequest,
        { param: 'zip' },
        false,
      ],
      [
        'E00003',
        "The element 'profile' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd' has invalid child element 'phone' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd'. List of possible elements expected: 'paymentProfiles, shipToList, profileType' in namespace 'AnetApi/xml/v1/schema/AnetApiSchema.xsd'.",
        'an unknown element',
        ErrorReason.ConnectorInvalidRequest,
        { param: 'phone' },
        false,
      ],
      ['E00013', 'email is invalid.', 'an invalid email', ErrorReason.ConnectorInvalidRequest, { param: 'email' }, false],
      ['E00013', 'The field is invalid.', 'an invalid field it does not name', ErrorReason.ConnectorInvalidRequest, {}, false],
      ['E00014', 'A required field is not present.', 'a missing field', ErrorReason.ConnectorInvalidRequest, {}, false],
      ['E00015', 'The field length is invalid.', 'a field of invalid length', ErrorReason.ConnectorInvalidRequest, {}, false],
      ['E00041', 'One or more fields in the profile must contain a value.', 'an empty profile', ErrorReason.ConnectorInvalidRequest, {}, false],
      ['E00001', 'An error occurred during processing. Please try again.', 'a processing error (the profile may exist)', ErrorReason.ConnectorInternalError, {}, true],
      ['E00049', 'The operation timed out before it could be completed.', 'a database timeout (the profile may exist)', ErrorReason.ConnectorTimeout, {}, true],
      ['E00053', 'Server too busy', 'an overloaded server', ErrorReason.ConnectorUnavailable, {}, false],
      ['E00104', 'Server in maintenance', 'maintenance', ErrorReason.ConnectorUnavailable, {}, false],
      ['E00052', 'The maximum number of elements for an array shipToList is 100.', 'an unclassified code', AUTHORIZEDOTNET_UNCLASSIFIED_ERROR_REASON, {}, false],
      ['constructor', 'Not a code Authorize.net sends.', 'a code named like an object property', AUTHORIZEDOTNET_UNCLASSIFIED_ERROR_REASON, {}, false],
    ])('maps %s (%s) on HTTP 200 — %s — keeping Authorize.net’s code and text', async (code, text, _case, reason, param, outcomeUnknown) => {
      const error = await errorFrom(answer(message(code, text)));

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Authorize.net returned HTTP 200 (${code}): ${text}`);
      expect(error.details.connector).toEqual({ connector: 'authorizedotnet', httpStatus: 200, code, message: text, param: undefined, ...param });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
    });

    it('keeps the first message when Authorize.net sends several', async () => {
      const error = await errorFrom(
        answer({
          messages: {
            resultCode: 'Error',
            message: [
              { code: 'E00007', text: 'User authentication failed due to invalid authentication values.' },
              { code: 'E00003', text: 'An error occurred while parsing the XML request.' },
            ],
          },
        }),
      );

      expect(error.details.connector).toMatchObject({ code: 'E00007' });
    });

    it.each<[string, InboundResponse]>([
      ['a body that is not JSON', { status: 200, headers: {}, body: `${BOM}<html>ok</html>` }],
      ['JSON without messages', answer({ customerProfileId: '1913038047' })],
      ['resultCode Ok without a customerProfileId', answer({ messages: { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] } })],
      ['a customerProfileId that is not numeric', answer({ customerProfileId: 'cus_1', messages: { resultCode: 'Ok', message: [] } })],
      ['a numeric customerProfileId sent as a number', answer({ customerProfileId: 1913038047, messages: { resultCode: 'Ok', message: [] } })],
      ['E00039 without the existing id', answer(message('E00039', 'A duplicate record already exists.'))],
      ['resultCode Error without a message code', answer({ messages: { resultCode: 'Error', message: [] } })],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'authorizedotnet', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each<[string, InboundResponse, ErrorReason, string, boolean, number | undefined]>([
      ['an edge HTML 503', { status: 503, headers: {}, body: '<html>Service Unavailable</html>' }, ErrorReason.ConnectorUnavailable, 'http_503', true, undefined],
      ['an edge HTML 502', { status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, ErrorReason.ConnectorUnavailable, 'http_502', true, undefined],
      ['rate limiting with Retry-After', { status: 429, headers: { 'retry-after': '3' }, body: 'Too Many Requests' }, ErrorReason.ConnectorRateLimited, 'http_429', false, 3],
      ['a 500 carrying an API message', { ...answer(message('E00001', 'An error occurred during processing. Please try again.'), 500) }, ErrorReason.ConnectorInternalError, 'E00001', true, undefined],
    ])('maps %s by its HTTP status', async (_case, response, reason, code, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, retryAfterSeconds, connector: { connector: 'authorizedotnet', code, httpStatus: response.status } });
    });

    it('parses the error bodies the shared fixture injects', async () => {
      const error = await errorFrom({ status: 200, headers: {}, body: authorizedotnetErrorBody('E00007', 'User authentication failed due to invalid authentication values.') });

      expect(error.reason).toBe(ErrorReason.ConnectorAuthenticationFailed);
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a merchant id of any length (a longer one is replaced, not refused)', { ...minimalCustomer, merchantCustomerId: 'x'.repeat(64) }],
      ['a name of exactly 255 characters', { ...minimalCustomer, name: 'n'.repeat(255) }],
      ['a billing line over 60 characters (billing is not sent)', { ...minimalCustomer, billingAddress: { line1: 'l'.repeat(200), zipCode: '9'.repeat(40) } }],
      ['a top-level phone of any length (not sent)', { ...minimalCustomer, phone: '+1'.padEnd(40, '5') }],
      ['shipping lines joining to exactly 60 characters', { ...minimalCustomer, shippingAddress: { line1: 'a'.repeat(20), line2: 'b'.repeat(19), line3: 'c'.repeat(19) } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a name of 256 characters', 'customer_name', { ...minimalCustomer, name: 'n'.repeat(256) }],
      ['billing names over 255 characters standing in for the name', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(200), lastName: 'l'.repeat(55) } }],
      ['an email over 255 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(244)}@example.com` }],
      ['a billing email over 255 characters standing in for the email', 'address.billing_address.email', { ...minimalCustomer, billingAddress: { email: `${'e'.repeat(244)}@example.com` } }],
      ['a shipping first name over 50', 'address.shipping_address.first_name', { ...minimalCustomer, shippingAddress: { firstName: 'f'.repeat(51) } }],
      ['a shipping last name over 50', 'address.shipping_address.last_name', { ...minimalCustomer, shippingAddress: { lastName: 'l'.repeat(51) } }],
      ['a shipping line1 over 60 on its own', 'address.shipping_address.line1', { ...minimalCustomer, shippingAddress: { line1: 'a'.repeat(61), line2: 'b' } }],
      ['shipping line1 and line2 over 60 together', 'address.shipping_address.line2', { ...minimalCustomer, shippingAddress: { line1: 'a'.repeat(30), line2: 'b'.repeat(30) } }],
      ['shipping lines over 60 only with line3', 'address.shipping_address.line3', { ...minimalCustomer, shippingAddress: { line1: 'a'.repeat(20), line2: 'b'.repeat(20), line3: 'c'.repeat(19) } }],
      ['shipping line1 and line3 over 60 together', 'address.shipping_address.line3', { ...minimalCustomer, shippingAddress: { line1: 'a'.repeat(40), line3: 'c'.repeat(20) } }],
      ['a shipping city over 40', 'address.shipping_address.city', { ...minimalCustomer, shippingAddress: { city: 'c'.repeat(41) } }],
      ['a shipping state over 40', 'address.shipping_address.state', { ...minimalCustomer, shippingAddress: { state: 's'.repeat(41) } }],
      ['a shipping zip over 20', 'address.shipping_address.zip_code', { ...minimalCustomer, shippingAddress: { zipCode: 'z'.repeat(21) } }],
      ['a shipping phone over 25 once its calling code is added', 'address.shipping_address.phone_number', { ...minimalCustomer, shippingAddress: { phoneNumber: '4'.repeat(23), phoneCountryCode: '+44' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.stringContaining('Authorize.net') }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, name: 'n'.repeat(256), shippingAddress: { firstName: 'f'.repeat(51), zipCode: 'z'.repeat(21) } };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['customer_name', 'address.shipping_address.first_name', 'address.shipping_address.zip_code']);
    });
  });

  describe('credentials', () => {
    const connector: DrivenConnector = sut;

    it('cannot tell test from live by the credentials (only the endpoint can)', () => {
      expect(connector.testModeOf({ name: LOGIN_ID, transaction_key: TRANSACTION_KEY })).toBeUndefined();
    });

    it('identifies the account by its API Login ID, so a rotated transaction key keeps the mappings', () => {
      expect(sut.accountIdentity({ name: LOGIN_ID, transaction_key: TRANSACTION_KEY })).toBe(LOGIN_ID);
      expect(sut.accountIdentity({ name: LOGIN_ID, transaction_key: 'Rotated000000000' })).toBe(sut.accountIdentity({ name: LOGIN_ID, transaction_key: TRANSACTION_KEY }));
      expect(sut.accountIdentity({ name: 'OtherLogin1', transaction_key: TRANSACTION_KEY })).not.toBe(LOGIN_ID);
    });

    it('declares the transaction key secret, the body-key legacy headers and both endpoints', () => {
      expect(sut.descriptor).toMatchObject({
        name: 'authorizedotnet',
        configVariant: 'Authorizedotnet',
        credentialFields: [
          { name: 'name', required: true, secret: false },
          { name: 'transaction_key', required: true, secret: true },
        ],
        legacyAuth: { type: 'body-key', fields: { 'x-api-key': 'name', 'x-key1': 'transaction_key' } },
        baseUrls: { sandbox: 'https://apitest.authorize.net/xml/v1/request.api', live: 'https://api2.authorize.net/xml/v1/request.api' },
        capabilities: { replaysSafely: true },
      });
    });
  });

  describe('scrubbing through the real HTTP client', () => {
    const pii = { name: 'Ada Lovelace', email: 'ada.lovelace@example.org' };
    const createAgainstLocalEndpoint = (body: string) =>
      createThroughRealClient(answerWith(200, body, { 'content-type': 'application/json; charset=utf-8' }), [TRANSACTION_KEY, pii.email, pii.name], (http, baseUrl) =>
        sut.createCustomer(callFor({ ...minimalCustomer, ...pii }, { baseUrl: `${baseUrl}xml/v1/request.api` }), http),
      );

    it('sends the key in the body yet writes neither it nor PII to the log, and reads the BOM-prefixed answer', async () => {
      const { outcome, log, received } = await createAgainstLocalEndpoint(SUCCESS.body);

      expect(outcome).toMatchObject({ connectorCustomerId: '1913038047' });
      expect(received[0].path).toBe('/xml/v1/request.api');
      expect(received[0].body).toContain(`"transactionKey":"${TRANSACTION_KEY}"`);
      for (const secret of [TRANSACTION_KEY, pii.email, pii.name]) expect(log.lines.join('\n')).not.toContain(secret);
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'processor call', connector: 'authorizedotnet', status: 200, request_id: 'req-scrub' }));
    });

    it('writes no PII when Authorize.net’s error text repeats the email', async () => {
      const { outcome, log } = await createAgainstLocalEndpoint(
        authorizedotnetErrorBody('E00003', `The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:email' element is invalid - The value '${pii.email}' is invalid according to its datatype 'String'`),
      );

      expect(outcome).toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, message: expect.stringContaining(pii.email) });
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'request refused', reason: ErrorReason.ConnectorInvalidRequest }));
      for (const secret of [TRANSACTION_KEY, pii.email, pii.name]) expect(log.lines.join('\n')).not.toContain(secret);
    });
  });
});
