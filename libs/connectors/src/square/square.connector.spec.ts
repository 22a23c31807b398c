import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import squareContract from '../../../testing/contracts/square/square-customers-subset.json';
import { checkSquareCreateCustomerBody, SQUARE_CONTRACT_VERSION, SQUARE_CREATE_CUSTOMER_EXAMPLE } from '@app/testing/contracts/square-contract';
import type { CreateCustomerCall, ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, requestSentBy, SPEC_IDEMPOTENCY_KEY as IDEMPOTENCY_KEY, SPEC_REFERENCE as REFERENCE } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { SQUARE_UPDATE_FIELDS } from '@app/testing/sandbox/simulators/square.simulator';
import { SQUARE_API_VERSION, SQUARE_LOOKUP_MAX_PAGES, SquareConnector } from './square.connector';

const ACCESS_TOKEN = 'EAAAl0SquareSpecAccessToken_0123456789';
const SQUARE_SANDBOX = 'https://connect.squareupsandbox.com/';

const SUCCESS: InboundResponse = {
  status: 200,
  headers: { 'content-type': 'application/json', 'square-version': SQUARE_API_VERSION },
  body: JSON.stringify(SQUARE_CREATE_CUSTOMER_EXAMPLE),
};

const minimalCustomer: CustomerProfile = { merchantCustomerId: 'mcid-1', email: 'min@example.com', metadata: {}, featureData: {} };

const fullCustomer: CustomerProfile = {
  merchantCustomerId: 'mcid-42',
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7123 4567',
  billingAddress: {
    firstName: 'Ada',
    lastName: 'Lovelace',
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

const callFor = callBuilder({ credentials: { access_token: ACCESS_TOKEN }, baseUrl: SQUARE_SANDBOX });

/** The one request `createCustomer` sends, already checked against Square's official contract. */
async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new SquareConnector(), callFor(customer, overrides), SUCCESS);
  const contract = checkSquareCreateCustomerBody(outbound.body ?? '');
  expect(contract.errors).toEqual([]);
  expect(contract.valid).toBe(true);
  return { connector, outbound, body: JSON.parse(outbound.body ?? '') as Record<string, unknown> };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new SquareConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

describe(SquareConnector.name, () => {
  const sut = driving(new SquareConnector());

  describe('outbound request', () => {
    it('POSTs a full customer as JSON to {base}v2/customers with the token, pinned version and idempotency key in the body', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('square');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://connect.squareupsandbox.com/v2/customers',
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json', 'square-version': '2025-08-20' },
        body: expect.any(String),
      });
      expect(body).toEqual({
        idempotency_key: IDEMPOTENCY_KEY,
        given_name: 'Ada',
        family_name: 'Lovelace',
        email_address: 'ada@example.com',
        phone_number: '+44 20 7123 4567',
        address: {
          address_line_1: '12 Analytical Street',
          address_line_2: 'Floor 2',
          address_line_3: 'Suite 5',
          locality: 'London',
          administrative_district_level_1: 'Greater London',
          postal_code: 'N1 9GU',
          country: 'GB',
        },
        reference_id: 'mcid-42',
        note: '{"tier":"gold","signup_source":"web"}',
      });
    });

    it('POSTs a minimal customer with just its email, key and reference', async () => {
      const { outbound, body } = await sentRequest(minimalCustomer);

      expect(outbound.url).toBe('https://connect.squareupsandbox.com/v2/customers');
      expect(outbound.headers).toEqual({ authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json', 'square-version': '2025-08-20' });
      expect(body).toEqual({ idempotency_key: IDEMPOTENCY_KEY, email_address: 'min@example.com', reference_id: 'mcid-1' });
    });

    it('pins the Square-Version the contract release documents', () => {
      expect(SQUARE_API_VERSION).toBe(SQUARE_CONTRACT_VERSION);
    });

    it.each([
      ['https://connect.squareupsandbox.com/', 'https://connect.squareupsandbox.com/v2/customers'],
      ['https://connect.squareup.com', 'https://connect.squareup.com/v2/customers'],
      ['http://127.0.0.1:4010/square/', 'http://127.0.0.1:4010/square/v2/customers'],
      ['https://proxy.example.com/square', 'https://proxy.example.com/square/v2/customers'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });

    it.each<[string, CustomerProfile, Record<string, unknown>]>([
      [
        'a customer_name that is not the billing name: whole in given_name',
        { ...minimalCustomer, name: 'Countess of Lovelace', billingAddress: { firstName: 'Ada', lastName: 'King' } },
        { given_name: 'Countess of Lovelace', email_address: 'min@example.com' },
      ],
      [
        'billing names without a customer_name: given and family name',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace', lastName: 'Hopper' } },
        { given_name: 'Grace', family_name: 'Hopper', email_address: 'min@example.com' },
      ],
      [
        'a customer known only by its billing address: email and phone (with its calling code) from it',
        { merchantCustomerId: 'mcid-1', billingAddress: { email: 'grace@example.com', phoneNumber: '2025550143', phoneCountryCode: '1', country: 'US' }, metadata: {}, featureData: {} },
        { email_address: 'grace@example.com', phone_number: '+12025550143', address: { country: 'US' } },
      ],
      [
        'a shipping address without a billing address: the one address Square holds',
        { ...minimalCustomer, shippingAddress: { line1: '1 Engine Road', city: 'Berlin', zipCode: '10115', country: 'DE' } },
        { email_address: 'min@example.com', address: { address_line_1: '1 Engine Road', locality: 'Berlin', postal_code: '10115', country: 'DE' } },
      ],
      [
        'a billing address with names only: no empty address object',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace' } },
        { given_name: 'Grace', email_address: 'min@example.com' },
      ],
      [
        'metadata with characters JSON must escape',
        { ...minimalCustomer, metadata: { 'quote"key': 'line\nbreak' } },
        { email_address: 'min@example.com', note: '{"quote\\"key":"line\\nbreak"}' },
      ],
    ])('sends %s', async (_case, customer, expected) => {
      const { body } = await sentRequest(customer);

      expect(body).toEqual({ idempotency_key: IDEMPOTENCY_KEY, reference_id: customer.merchantCustomerId, ...expected });
    });

    it.each([
      ['of exactly 100 characters as reference_id', 'm'.repeat(100), 'm'.repeat(100)],
      ['of 101 characters as the stable mapping reference (never truncated)', 'm'.repeat(101), REFERENCE],
      ['of 255 characters as the stable mapping reference', 'm'.repeat(255), REFERENCE],
    ])('sends a merchant_customer_id %s', async (_case, merchantCustomerId, referenceId) => {
      const { body } = await sentRequest({ ...minimalCustomer, merchantCustomerId });

      expect(body.reference_id).toBe(referenceId);
    });

    it('keeps every value at Square’s limits valid against the contract', async () => {
      const customer: CustomerProfile = {
        ...minimalCustomer,
        email: `${'e'.repeat(242)}@example.com`,
        phone: '+1234567890123456',
        billingAddress: { firstName: 'f'.repeat(300), lastName: 'l'.repeat(300) },
      };

      expect(sut.validateCustomer(customer)).toEqual([]);
      const { body } = await sentRequest(customer);
      expect(body).toMatchObject({ given_name: 'f'.repeat(300), family_name: 'l'.repeat(300), email_address: `${'e'.repeat(242)}@example.com` });
    });

    it('the contract check itself accepts Square’s own example request', () => {
      expect(checkSquareCreateCustomerBody(JSON.stringify(squareContract.components.schemas.CreateCustomerRequest.example))).toEqual({ valid: true, errors: [] });
    });

    it.each([
      ['an unknown top-level parameter', { email_address: 'a@b.co', metadata: {} }],
      ['an unknown address field', { email_address: 'a@b.co', address: { line1: 'x' } }],
      ['none of given_name, family_name, company_name, email_address, phone_number', { reference_id: 'r', note: 'n' }],
      ['a given_name over 300 characters', { given_name: 'n'.repeat(301) }],
      ['an email_address over 254 characters', { email_address: `${'e'.repeat(243)}@example.com` }],
      ['a reference_id over 100 characters', { email_address: 'a@b.co', reference_id: 'r'.repeat(101) }],
      ['a country outside Square’s enum', { email_address: 'a@b.co', address: { country: 'XX' } }],
      ['a number where a string belongs', { given_name: 42 }],
    ])('the contract check itself rejects %s', (_case, body) => {
      expect(checkSquareCreateCustomerBody(JSON.stringify(body)).valid).toBe(false);
    });
  });

  describe('response parsing', () => {
    it('returns Square’s customer.id, status and headers from its example body', async () => {
      const { http } = answering(SUCCESS);

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'JDKYHBWT1D4F8MFH63DBMEN8Y4',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json', 'square-version': SQUARE_API_VERSION },
      });
    });

    const squareErrors = (...errors: Record<string, string>[]) => JSON.stringify({ errors });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'an invalid email',
        400,
        {},
        squareErrors({ category: 'INVALID_REQUEST_ERROR', code: 'INVALID_EMAIL_ADDRESS', detail: 'Expected email_address to be a valid email address', field: 'email_address' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'INVALID_EMAIL_ADDRESS', message: 'Expected email_address to be a valid email address', param: 'email_address', type: 'INVALID_REQUEST_ERROR' },
        false,
        undefined,
      ],
      [
        'an invalid phone number',
        400,
        {},
        squareErrors({ category: 'INVALID_REQUEST_ERROR', code: 'INVALID_PHONE_NUMBER', detail: 'Expected phone_number to be a valid phone number', field: 'phone_number' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'INVALID_PHONE_NUMBER', message: 'Expected phone_number to be a valid phone number', param: 'phone_number', type: 'INVALID_REQUEST_ERROR' },
        false,
        undefined,
      ],
      [
        'several errors: the first’s code and field, every detail',
        400,
        {},
        squareErrors(
          { category: 'INVALID_REQUEST_ERROR', code: 'VALUE_TOO_LONG', detail: 'Field must not be greater than 300 length', field: 'given_name' },
          { category: 'INVALID_REQUEST_ERROR', code: 'INVALID_EMAIL_ADDRESS', detail: 'Expected email_address to be a valid email address', field: 'email_address' },
        ),
        ErrorReason.ConnectorInvalidRequest,
        {
          code: 'VALUE_TOO_LONG',
          message: 'Field must not be greater than 300 length; Expected email_address to be a valid email address',
          param: 'given_name',
          type: 'INVALID_REQUEST_ERROR',
        },
        false,
        undefined,
      ],
      [
        'the key reused with other data: a conflict whose first request may have created the customer',
        400,
        {},
        squareErrors({ category: 'INVALID_REQUEST_ERROR', code: 'IDEMPOTENCY_KEY_REUSED', detail: 'The idempotency key can only be retried with the same request data.', field: 'idempotency_key' }),
        ErrorReason.ConnectorConflict,
        { code: 'IDEMPOTENCY_KEY_REUSED', message: 'The idempotency key can only be retried with the same request data.', param: 'idempotency_key', type: 'INVALID_REQUEST_ERROR' },
        true,
        undefined,
      ],
      [
        'a bad token',
        401,
        {},
        squareErrors({ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: 'This request could not be authorized.' }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'UNAUTHORIZED', message: 'This request could not be authorized.', type: 'AUTHENTICATION_ERROR' },
        false,
        undefined,
      ],
      [
        'an expired token',
        401,
        {},
        squareErrors({ category: 'AUTHENTICATION_ERROR', code: 'ACCESS_TOKEN_EXPIRED', detail: 'The access token has expired.' }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'ACCESS_TOKEN_EXPIRED', message: 'The access token has expired.', type: 'AUTHENTICATION_ERROR' },
        false,
        undefined,
      ],
      [
        'a token without CUSTOMERS_WRITE',
        403,
        {},
        squareErrors({ category: 'AUTHENTICATION_ERROR', code: 'INSUFFICIENT_SCOPES', detail: 'The merchant has not given your application sufficient permissions to do this.' }),
        ErrorReason.ConnectorPermissionDenied,
        { code: 'INSUFFICIENT_SCOPES', message: 'The merchant has not given your application sufficient permissions to do this.', type: 'AUTHENTICATION_ERROR' },
        false,
        undefined,
      ],
      [
        'a wrong path',
        404,
        {},
        squareErrors({ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: 'API endpoint for URL path `/v2/customer` and HTTP method `POST` is not found.' }),
        ErrorReason.ConnectorNotFound,
        { code: 'NOT_FOUND', message: 'API endpoint for URL path `/v2/customer` and HTTP method `POST` is not found.', type: 'INVALID_REQUEST_ERROR' },
        false,
        undefined,
      ],
      [
        'rate limiting with Retry-After',
        429,
        { 'retry-after': '5' },
        squareErrors({ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED', detail: 'Rate limited.' }),
        ErrorReason.ConnectorRateLimited,
        { code: 'RATE_LIMITED', message: 'Rate limited.', type: 'RATE_LIMIT_ERROR' },
        false,
        5,
      ],
      [
        'a Square-side failure',
        500,
        {},
        squareErrors({ category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR', detail: 'An internal error has occurred.' }),
        ErrorReason.ConnectorInternalError,
        { code: 'INTERNAL_SERVER_ERROR', message: 'An internal error has occurred.', type: 'API_ERROR' },
        true,
        undefined,
      ],
      [
        'an unavailable service',
        503,
        {},
        squareErrors({ category: 'API_ERROR', code: 'SERVICE_UNAVAILABLE', detail: 'Service Unavailable' }),
        ErrorReason.ConnectorUnavailable,
        { code: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable', type: 'API_ERROR' },
        true,
        undefined,
      ],
      [
        'an error with a category only',
        400,
        {},
        squareErrors({ category: 'INVALID_REQUEST_ERROR' }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'INVALID_REQUEST_ERROR', message: 'no message', type: 'INVALID_REQUEST_ERROR' },
        false,
        undefined,
      ],
    ])('maps %s (HTTP %i) to a domain error keeping Square’s details', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Square returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'square', httpStatus: status, param: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['a success status without a customer', { status: 200, headers: {}, body: '{}' }],
      ['a success status with an empty id', { status: 200, headers: {}, body: '{"customer":{"id":""}}' }],
      ['a success status with a numeric id', { status: 200, headers: {}, body: '{"customer":{"id":42}}' }],
      ['a success status carrying errors instead of a customer', { status: 200, headers: {}, body: '{"errors":[{"category":"API_ERROR","code":"INTERNAL_SERVER_ERROR"}]}' }],
    ])('refuses %s as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'square', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each([
      ['a 400 without `errors`', { status: 400, headers: {}, body: '{"message":"bad"}' }, ErrorReason.ConnectorInvalidRequest, false],
      ['a 400 with an empty `errors`', { status: 400, headers: {}, body: '{"errors":[]}' }, ErrorReason.ConnectorInvalidRequest, false],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'square', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a customer with only an email', minimalCustomer],
      ['a customer with only a phone', { merchantCustomerId: 'm', phone: '+14155550123', metadata: {}, featureData: {} }],
      ['a customer with only a customer_name', { merchantCustomerId: 'm', name: 'Ada', metadata: {}, featureData: {} }],
      ['a customer with only a billing last name', { merchantCustomerId: 'm', billingAddress: { lastName: 'Hopper' }, metadata: {}, featureData: {} }],
      ['a customer_name of exactly 300 characters', { ...minimalCustomer, name: 'n'.repeat(300) }],
      ['a phone of exactly 9 digits', { ...minimalCustomer, phone: '415 555 012' }],
      ['a phone of exactly 16 digits with punctuation', { ...minimalCustomer, phone: '+1 (415) 555-0123 45678' }],
      ['a merchant_customer_id of 255 characters (the reference stands in)', { ...minimalCustomer, merchantCustomerId: 'm'.repeat(255) }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it('refuses a customer without name, email or phone, naming each field that would do', () => {
      const customer: CustomerProfile = { merchantCustomerId: 'm', billingAddress: { line1: '1 Main St', country: 'US' }, metadata: { a: 'b' }, featureData: {} };

      expect(sut.validateCustomer(customer)).toEqual(['customer_name', 'email', 'phone_number'].map((field) => ({ field, description: expect.stringContaining('at least one of') })));
    });

    it.each<[string, string, CustomerProfile]>([
      ['a customer_name of 301 characters', 'customer_name', { ...minimalCustomer, name: 'n'.repeat(301) }],
      ['a billing first name over 300 characters standing in for the name', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(301) } }],
      ['a billing last name over 300 characters', 'address.billing_address.last_name', { ...minimalCustomer, billingAddress: { firstName: 'Ada', lastName: 'l'.repeat(301) } }],
      ['an email over 254 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(243)}@example.com` }],
      ['a billing email over 254 characters standing in for the email', 'address.billing_address.email', { merchantCustomerId: 'm', billingAddress: { email: `${'e'.repeat(243)}@example.com` }, metadata: {}, featureData: {} }],
      ['a phone of 8 digits', 'phone_number', { ...minimalCustomer, phone: '+1 555 0123' }],
      ['a phone of 17 digits', 'phone_number', { ...minimalCustomer, phone: '+1 415 555 0123 456 789' }],
      ['a billing phone over 16 digits once its calling code is added', 'address.billing_address.phone_number', { ...minimalCustomer, billingAddress: { phoneNumber: '2'.repeat(15), phoneCountryCode: '44' } }],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.any(String) }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, name: 'n'.repeat(301), email: `${'e'.repeat(243)}@example.com`, phone: '12' };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['customer_name', 'email', 'phone_number']);
    });
  });

  describe('testModeOf', () => {
    it.each(['EAAAl0SandboxToken', 'EAAAEProductionToken', 'anything'])('cannot tell the mode from %s (sandbox and production tokens look alike)', (accessToken) => {
      expect(sut.testModeOf({ access_token: accessToken })).toBeUndefined();
      expect(sut.accountIdentity({ access_token: accessToken })).toBe(accessToken);
    });

    it('identifies the account by its access token, so two sellers’ tokens scope mappings apart', () => {
      expect(sut.accountIdentity({ access_token: 'EAAA-seller-a' })).not.toBe(sut.accountIdentity({ access_token: 'EAAA-seller-b' }));
    });
  });

  describe('lost answers (issue 13 items 2–3)', () => {
    it('declares a replay window although Square publishes none: the shortest any processor here documents, said so', () => {
      const { capabilities } = sut.descriptor;

      expect(capabilities.replayWindowHours).toBe(1);
      expect(capabilities.idempotency).toMatch(/documents no retention: 1 h is assumed/);
      expect(capabilities.claims?.[0]).toMatchObject({ claim: expect.stringMatching(/no retention/), source: expect.stringContaining('developer.squareup.com') });
      expect(capabilities.lookupIsConclusive).toBe(false);
      expect(capabilities.replayRequiresSameDetails).toBeUndefined();
    });
  });

  describe('findCreated (SearchCustomers by our reference_id)', () => {
    const searchAnswer = (customers: { id: string; reference_id: string; created_at?: string }[] | undefined, cursor?: string): InboundResponse => ({
      status: 200,
      headers: {},
      body: JSON.stringify({ ...(customers && { customers }), ...(cursor && { cursor }) }),
    });

    it('POSTs an exact reference_id search, oldest first', async () => {
      const { http, send } = answering(searchAnswer(undefined));

      await expect(sut.findCreatedCustomer(callFor(fullCustomer), http)).resolves.toBeUndefined();

      expect(send.mock.calls[0][1]).toEqual({
        method: 'POST',
        url: 'https://connect.squareupsandbox.com/v2/customers/search',
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json', 'square-version': '2025-08-20' },
        body: JSON.stringify({ query: { filter: { reference_id: { exact: 'mcid-42' } }, sort: { field: 'CREATED_AT', order: 'ASC' } }, limit: 100 }),
      });
    });

    it('searches by the mapping reference when the merchant id was too long for reference_id', async () => {
      const { http, send } = answering(searchAnswer(undefined));

      await sut.findCreatedCustomer(callFor({ ...minimalCustomer, merchantCustomerId: 'm'.repeat(101) }), http);

      expect(JSON.parse(send.mock.calls[0][1].body ?? '')).toMatchObject({ query: { filter: { reference_id: { exact: REFERENCE } } } });
    });

    it('returns the first exact match, skipping ones that differ only in case (Square’s filter ignores it)', async () => {
      const { http } = answering(searchAnswer([{ id: 'UPPER', reference_id: 'MCID-42' }, { id: 'OURS', reference_id: 'mcid-42' }, { id: 'LATER', reference_id: 'mcid-42' }]));

      await expect(sut.findCreatedCustomer(callFor(fullCustomer), http)).resolves.toMatchObject({ connectorCustomerId: 'OURS' });
    });

    it('follows the cursor, at most a bounded number of pages', async () => {
      const pages = Array.from({ length: SQUARE_LOOKUP_MAX_PAGES }, (_, i) => searchAnswer([{ id: `X${i}`, reference_id: 'MCID-42' }], `c${i}`));
      const { http, send } = answering(...pages);

      await expect(sut.findCreatedCustomer(callFor(fullCustomer), http)).resolves.toBeUndefined();
      expect(send).toHaveBeenCalledTimes(SQUARE_LOOKUP_MAX_PAGES);
      expect(JSON.parse(send.mock.calls[1][1].body ?? '')).toMatchObject({ cursor: 'c0' });
    });

    it.each<[string, InboundResponse]>([
      ['a refusal', { status: 403, headers: {}, body: JSON.stringify({ errors: [{ category: 'AUTHENTICATION_ERROR', code: 'INSUFFICIENT_SCOPES', detail: 'CUSTOMERS_READ' }] }) }],
      ['an answer without a list', { status: 200, headers: {}, body: '{"customers":"none"}' }],
    ])('reports %s as outcome unknown, never as nothing created', async (_case, response) => {
      const { http } = answering(response);

      await expect(sut.findCreatedCustomer(callFor(fullCustomer), http)).rejects.toMatchObject({ details: { outcomeUnknown: true } });
    });
  });

  describe('identifyAccount (GET /v2/merchants/me)', () => {
    const merchant: InboundResponse = { status: 200, headers: {}, body: JSON.stringify({ merchant: { id: 'DM7VKY8Q63GNP', business_name: 'Apple A Day', country: 'US', status: 'ACTIVE' } }) };

    it.each([
      [true, 'DM7VKY8Q63GNP:test'],
      [false, 'DM7VKY8Q63GNP:live'],
    ])('names the merchant the token belongs to, with the mode (test: %p)', async (testMode, accountId) => {
      const { http, send } = answering(merchant);

      await expect(sut.identifyAccount({ credentials: { access_token: ACCESS_TOKEN }, baseUrl: SQUARE_SANDBOX, testMode }, http)).resolves.toEqual({ accountId });
      expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: 'https://connect.squareupsandbox.com/v2/merchants/me', headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'square-version': '2025-08-20' }, body: undefined });
    });

    it.each<[string, InboundResponse, ErrorReason]>([
      ['a revoked token', { status: 401, headers: {}, body: JSON.stringify({ errors: [{ category: 'AUTHENTICATION_ERROR', code: 'ACCESS_TOKEN_REVOKED', detail: 'revoked' }] }) }, ErrorReason.ConnectorAuthenticationFailed],
      ['an answer without a merchant id', { status: 200, headers: {}, body: '{"merchant":{}}' }, ErrorReason.ConnectorInvalidResponse],
    ])('refuses %s', async (_case, response, reason) => {
      const { http } = answering(response);

      await expect(sut.identifyAccount({ credentials: { access_token: ACCESS_TOKEN }, baseUrl: SQUARE_SANDBOX, testMode: true }, http)).rejects.toMatchObject({ reason });
    });
  });

  describe('the customer lifecycle', () => {
    const CUSTOMER_ID = 'JDKYHBWT1D4F8MFH63DBMEN8Y4';
    const existing: ExistingCustomerCall = { credentials: { access_token: ACCESS_TOKEN }, baseUrl: SQUARE_SANDBOX, testMode: true, connectorCustomerId: CUSTOMER_ID, merchantCustomerId: 'mcid-42', reference: REFERENCE };
    const updating = (customer: Partial<CustomerProfile>): UpdateCustomerCall => ({ ...existing, idempotencyKey: IDEMPOTENCY_KEY, customer: { merchantCustomerId: 'mcid-42', metadata: {}, featureData: {}, ...customer } });
    const retrieveExample = squareContract.components.schemas.RetrieveCustomerResponse.example;
    const answer = (body: unknown, status = 200): InboundResponse => ({ status, headers: { 'square-version': SQUARE_API_VERSION }, body: JSON.stringify(body) });
    const ourCustomer = { customer: { ...retrieveExample.customer, note: '{"tier":"gold"}', version: 3 } };
    const notFound = answer({ errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `Customer with ID \`${CUSTOMER_ID}\` not found.` }] }, 404);
    const HEADERS = { authorization: `Bearer ${ACCESS_TOKEN}`, 'square-version': '2025-08-20' };
    /** An update body: only `UpdateCustomerRequest` fields, within their documented lengths (as the simulator holds them). */
    const updateBody = (body: string | undefined) => {
      const parsed = JSON.parse(body ?? '') as Record<string, unknown>;
      for (const [field, value] of Object.entries(parsed)) {
        expect(Object.keys(SQUARE_UPDATE_FIELDS)).toContain(field);
        if (typeof value === 'string' && SQUARE_UPDATE_FIELDS[field] !== undefined) expect(value.length).toBeLessThanOrEqual(SQUARE_UPDATE_FIELDS[field]!);
      }
      return parsed;
    };

    describe('get', () => {
      it('GETs {base}v2/customers/{id} and reads Square’s own RetrieveCustomer example', async () => {
        const { http, send } = answering(answer(retrieveExample));

        const got = await sut.getCustomer(existing, http);

        expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: `https://connect.squareupsandbox.com/v2/customers/${CUSTOMER_ID}`, headers: HEADERS, body: undefined });
        expect(got).toEqual({
          connectorCustomerId: CUSTOMER_ID,
          httpStatus: 200,
          responseHeaders: { 'square-version': SQUARE_API_VERSION },
          record: {
            name: 'Amelia Earhart',
            email: 'Amelia.Earhart@example.com',
            phone: '+1-212-555-4240',
            billingAddress: { line1: '500 Electric Ave', line2: 'Suite 600', city: 'New York', state: 'NY', zipCode: '10003', country: 'US' },
          },
        });
      });

      it('reads our metadata back from the note', async () => {
        const { http } = answering(answer(ourCustomer));

        await expect(sut.getCustomer(existing, http)).resolves.toMatchObject({ record: { metadata: { tier: 'gold' } } });
      });

      it('returns the merged profile’s new id when Square answers an old id with it', async () => {
        const { http } = answering(answer({ customer: { ...retrieveExample.customer, id: 'MERGEDPROFILE0000000000000' } }));

        await expect(sut.getCustomer(existing, http)).resolves.toMatchObject({ connectorCustomerId: 'MERGEDPROFILE0000000000000' });
      });

      it('answers an unknown customer as not found, keeping Square’s code', async () => {
        const { http } = answering(notFound);

        await expect(sut.getCustomer(existing, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { code: 'NOT_FOUND', httpStatus: 404 } } });
      });
    });

    describe('update', () => {
      it('PUTs only what changes (sparse): one request, no read, no idempotency key', async () => {
        const { http, send } = answering(answer(ourCustomer));

        const updated = await sut.updateCustomer(updating({ email: 'new@example.com', billingAddress: { city: 'Brooklyn' } }), http);

        expect(send).toHaveBeenCalledTimes(1);
        expect(send.mock.calls[0][1]).toEqual({ method: 'PUT', url: `https://connect.squareupsandbox.com/v2/customers/${CUSTOMER_ID}`, headers: { ...HEADERS, 'content-type': 'application/json' }, body: expect.any(String) });
        expect(updateBody(send.mock.calls[0][1].body)).toEqual({ email_address: 'new@example.com', address: { locality: 'Brooklyn' } });
        expect(updated).toMatchObject({ connectorCustomerId: CUSTOMER_ID, record: { email: 'Amelia.Earhart@example.com' } });
      });

      it('sets both name fields from a new customer_name, clearing the family name create would not send', async () => {
        const { http, send } = answering(answer(ourCustomer));

        await sut.updateCustomer(updating({ name: 'Amelia Mary Earhart' }), http);

        expect(updateBody(send.mock.calls[0][1].body)).toEqual({ given_name: 'Amelia Mary Earhart', family_name: null });
      });

      it('reads the customer first for a metadata change and merges it into the note, with the read version', async () => {
        const { http, send } = answering(answer(ourCustomer), answer(ourCustomer));

        await sut.updateCustomer(updating({ metadata: { plan: 'pro' } }), http);

        expect(send.mock.calls.map(([, outbound]) => outbound.method)).toEqual(['GET', 'PUT']);
        expect(updateBody(send.mock.calls[1][1].body)).toEqual({ note: '{"tier":"gold","plan":"pro"}', version: 3 });
      });

      it('never overwrites a note that is not our metadata (edited at Square): refused after the read, before any write', async () => {
        const { http, send } = answering(answer(retrieveExample));

        const error = await errorOf(sut.updateCustomer(updating({ metadata: { plan: 'pro' } }), http));

        expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'metadata' }] } });
        expect(send).toHaveBeenCalledTimes(1);
      });

      it('reads instead of writing when nothing changes (Square refuses an empty update)', async () => {
        const { http, send } = answering(answer(ourCustomer));

        await expect(sut.updateCustomer(updating({}), http)).resolves.toMatchObject({ connectorCustomerId: CUSTOMER_ID });
        expect(send.mock.calls[0][1].method).toBe('GET');
      });

      it.each<[string, InboundResponse, ErrorReason]>([
        ['an unknown customer', notFound, ErrorReason.ConnectorNotFound],
        ['an invalid email', answer({ errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'INVALID_EMAIL_ADDRESS', detail: 'bad', field: 'email_address' }] }, 400), ErrorReason.ConnectorInvalidRequest],
      ])('maps %s', async (_case, response, reason) => {
        const { http } = answering(response);

        await expect(sut.updateCustomer(updating({ email: 'x@example.com' }), http)).rejects.toMatchObject({ reason });
      });

      it('checks create’s limits on the change', () => {
        const validate = sut.validateChange;

        expect(validate({ merchantCustomerId: 'm', name: 'n'.repeat(301), metadata: {}, featureData: {} }).map((v) => v.field)).toEqual(['customer_name']);
      });

      it.each<[string, Partial<CustomerProfile>]>([
        ['only metadata', { metadata: { plan: 'pro' } }],
        ['only an address', { billingAddress: { city: 'Brooklyn' } }],
        ['nothing', {}],
      ])('accepts a change of %s: it need not name the customer again', (_case, change) => {
        const validate = sut.validateChange;

        expect(validate({ merchantCustomerId: 'm', metadata: {}, featureData: {}, ...change })).toEqual([]);
      });
    });

    describe('delete', () => {
      const deleting = { ...existing, idempotencyKey: IDEMPOTENCY_KEY };

      it('DELETEs {base}v2/customers/{id}: Square answers an empty object', async () => {
        const { http, send } = answering(answer({}));

        await expect(sut.deleteCustomer(deleting, http)).resolves.toEqual({ httpStatus: 200, responseHeaders: { 'square-version': SQUARE_API_VERSION }, alreadyDeleted: false });
        expect(send.mock.calls[0][1]).toEqual({ method: 'DELETE', url: `https://connect.squareupsandbox.com/v2/customers/${CUSTOMER_ID}`, headers: HEADERS, body: undefined });
      });

      it('reads NOT_FOUND as already deleted', async () => {
        const { http } = answering(notFound);

        await expect(sut.deleteCustomer(deleting, http)).resolves.toMatchObject({ httpStatus: 404, alreadyDeleted: true });
      });

      it.each<[string, InboundResponse, ErrorReason]>([
        ['a 404 without Square’s error list', { status: 404, headers: {}, body: '<html>Not Found</html>' }, ErrorReason.ConnectorNotFound],
        ['a Square-side failure', answer({ errors: [{ category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR', detail: 'boom' }] }, 500), ErrorReason.ConnectorInternalError],
      ])('refuses %s', async (_case, response, reason) => {
        const { http } = answering(response);

        await expect(sut.deleteCustomer(deleting, http)).rejects.toMatchObject({ reason });
      });
    });
  });
});
