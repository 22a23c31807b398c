import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { CreateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import {
  answering,
  answerWith,
  callBuilder,
  createThroughRealClient,
  errorOf,
  requestSentBy,
  SPEC_IDEMPOTENCY_KEY as IDEMPOTENCY_KEY,
  useSandbox,
} from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { BRAINTREE_LEGACY_ID_HEADER, BRAINTREE_VERSION, BraintreeConnector } from './braintree.connector';
import { BRAINTREE_CREATE_CUSTOMER_MUTATION } from './braintree.transformers';

const PUBLIC_KEY = 'specpublickey001';
const PRIVATE_KEY = 'fedcba9876543210fedcba9876543210';
const CREDENTIALS = { public_key: PUBLIC_KEY, private_key: PRIVATE_KEY, merchant_account_id: 'spec_usd' };
const BASIC_AUTHORIZATION = `Basic ${Buffer.from(`${PUBLIC_KEY}:${PRIVATE_KEY}`).toString('base64')}`;
const SANDBOX_BASE = 'https://payments.sandbox.braintree-api.com/';

const successBody = (customer: Record<string, unknown> = { id: 'Y3VzdG9tZXJfNDk0MDE5', legacyId: '494019' }) =>
  JSON.stringify({ data: { createCustomer: { clientMutationId: IDEMPOTENCY_KEY, customer } }, extensions: { requestId: 'req-fixture' } });

const SUCCESS: InboundResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: successBody() };

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
    city: 'London',
    zipCode: 'N1 9GU',
    country: 'GB',
    email: 'billing@example.com',
    phoneNumber: '2079460000',
    phoneCountryCode: '+44',
  },
  shippingAddress: { firstName: 'Charles', lastName: 'Babbage', line1: '1 Engine Road', city: 'Berlin', zipCode: '10115', country: 'DE' },
  metadata: { tier: 'gold' },
  featureData: {},
  testMode: true,
};

const callFor = callBuilder({ credentials: CREDENTIALS, baseUrl: SANDBOX_BASE });

async function sentRequest(customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) {
  const { connector, outbound } = await requestSentBy(new BraintreeConnector(), callFor(customer, overrides), SUCCESS);
  const body = JSON.parse(outbound.body ?? '') as { query: string; variables: { input: { clientMutationId: string; customer: Record<string, string> } } };
  return { connector, outbound, body, customerInput: body.variables.input.customer };
}

const errorFrom = (response: InboundResponse) => errorOf(driving(new BraintreeConnector()).createCustomer(callFor(minimalCustomer), answering(response).http));

type GraphQLErrorBody = { message?: string; extensions?: Record<string, unknown> };
const graphQLErrors = (...errors: GraphQLErrorBody[]) => JSON.stringify({ data: { createCustomer: null }, errors, extensions: { requestId: 'req-error' } });

describe(BraintreeConnector.name, () => {
  const sut = driving(new BraintreeConnector());

  describe('descriptor', () => {
    it('takes Prism’s Braintree variant and signature-key headers, with only the private key secret', () => {
      expect(sut.descriptor).toMatchObject({
        name: 'braintree',
        configVariant: 'Braintree',
        credentialFields: [
          { name: 'public_key', required: true, secret: false },
          { name: 'private_key', required: true, secret: true },
          { name: 'merchant_account_id', required: true, secret: false },
        ],
        legacyAuth: { type: 'signature-key', fields: { 'x-api-key': 'public_key', 'x-api-secret': 'private_key', 'x-key1': 'merchant_account_id' } },
        baseUrls: { sandbox: 'https://payments.sandbox.braintree-api.com/', live: 'https://payments.braintree-api.com/' },
      });
    });

    it('declares itself not retry-safe and says why', () => {
      expect(sut.descriptor.capabilities.replaysSafely).toBe(false);
      expect(sut.descriptor.capabilities.idempotency).toContain('no apiRequestKey and no merchant-chosen id');
      expect(sut.descriptor.capabilities.idFormat).toContain(BRAINTREE_LEGACY_ID_HEADER);
    });
  });

  describe('outbound request', () => {
    it('POSTs the createCustomer mutation to {base}graphql with Basic auth and the pinned Braintree-Version', async () => {
      const { connector, outbound, body } = await sentRequest(fullCustomer);

      expect(connector).toBe('braintree');
      expect(outbound).toEqual({
        method: 'POST',
        url: 'https://payments.sandbox.braintree-api.com/graphql',
        headers: {
          authorization: BASIC_AUTHORIZATION,
          'braintree-version': '2025-02-12',
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: expect.any(String),
      });
      expect(body).toEqual({
        query: 'mutation CreateCustomer($input: CreateCustomerInput) { createCustomer(input: $input) { clientMutationId customer { id legacyId } } }',
        variables: {
          input: {
            clientMutationId: IDEMPOTENCY_KEY,
            customer: { firstName: 'Ada Lovelace', email: 'ada@example.com', phoneNumber: '+442071234567' },
          },
        },
      });
    });

    it('sends a minimal customer as an empty CustomerInput, which Braintree accepts', async () => {
      const { outbound, body } = await sentRequest(minimalCustomer);

      expect(outbound.headers).toEqual({ authorization: BASIC_AUTHORIZATION, 'braintree-version': BRAINTREE_VERSION, 'content-type': 'application/json', accept: 'application/json' });
      expect(body).toEqual({ query: BRAINTREE_CREATE_CUSTOMER_MUTATION, variables: { input: { clientMutationId: IDEMPOTENCY_KEY, customer: {} } } });
    });

    it('pins Braintree-Version to a YYYY-MM-DD date that is not in the future', () => {
      expect(BRAINTREE_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(`${BRAINTREE_VERSION}T00:00:00Z`).getTime()).toBeLessThanOrEqual(Date.now());
    });

    it.each([
      ['https://payments.braintree-api.com/', 'https://payments.braintree-api.com/graphql'],
      ['https://payments.sandbox.braintree-api.com', 'https://payments.sandbox.braintree-api.com/graphql'],
      ['http://127.0.0.1:4010/braintree/', 'http://127.0.0.1:4010/braintree/graphql'],
      ['https://proxy.example.com/braintree', 'https://proxy.example.com/braintree/graphql'],
    ])('joins base %s into %s', async (baseUrl, url) => {
      const { outbound } = await sentRequest(minimalCustomer, { baseUrl });

      expect(outbound.url).toBe(url);
    });

    it.each<[string, CustomerProfile, Record<string, string>]>([
      [
        'customer_name differing from the billing names: whole into firstName, never split',
        { ...minimalCustomer, name: 'Ludwig van Beethoven', billingAddress: { firstName: 'Ludwig', lastName: 'Beethoven' } },
        { firstName: 'Ludwig van Beethoven' },
      ],
      [
        'customer_name spelled by the billing names: their split',
        { ...minimalCustomer, name: 'Ann Lee', billingAddress: { firstName: 'Ann', lastName: 'Lee' } },
        { firstName: 'Ann', lastName: 'Lee' },
      ],
      [
        'no customer_name: the billing names, email and phone with its calling code',
        { ...minimalCustomer, billingAddress: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '2025550143', phoneCountryCode: '1' } },
        { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', phoneNumber: '+12025550143' },
      ],
      ['only a billing last name', { ...minimalCustomer, billingAddress: { lastName: 'Hopper' } }, { lastName: 'Hopper' }],
      [
        'top-level email and phone win over the billing ones',
        { ...minimalCustomer, email: 'top@example.com', phone: '+4930123456', billingAddress: { email: 'bill@example.com', phoneNumber: '999' } },
        { email: 'top@example.com', phoneNumber: '+4930123456' },
      ],
      ['characters JSON must escape', { ...minimalCustomer, name: 'Zoë "Z" \\ O’Neil\t' }, { firstName: 'Zoë "Z" \\ O’Neil\t' }],
    ])('sends exactly the CustomerInput of %s', async (_case, customer, expected) => {
      const { customerInput } = await sentRequest(customer);

      expect(customerInput).toEqual(expected);
    });

    it('does not send what CustomerInput cannot hold: merchant id, metadata, postal addresses', async () => {
      const { outbound } = await sentRequest(fullCustomer);

      for (const absent of ['mcid-42', 'gold', 'tier', '12 Analytical Street', 'London', 'N1 9GU', 'Engine Road', 'Augusta', 'billing@example.com']) {
        expect(outbound.body).not.toContain(absent);
      }
    });
  });

  describe('response parsing', () => {
    it('returns the GraphQL id, the status, and the legacy id as a response header', async () => {
      const { http } = answering({ ...SUCCESS, headers: { 'content-type': 'application/json', 'paypal-debug-id': 'dbg1' } });

      await expect(sut.createCustomer(callFor(fullCustomer), http)).resolves.toEqual({
        connectorCustomerId: 'Y3VzdG9tZXJfNDk0MDE5',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json', 'paypal-debug-id': 'dbg1', 'braintree-legacy-id': '494019' },
      });
    });

    it.each([
      ['absent', { id: 'Y3VzdG9tZXJfMQ==' }],
      ['not ASCII', { id: 'Y3VzdG9tZXJfMQ==', legacyId: 'kund\u00e9' }],
      ['not a string', { id: 'Y3VzdG9tZXJfMQ==', legacyId: 1 }],
    ])('adds no legacy id header when the legacy id is %s', async (_case, customer) => {
      const { http } = answering({ ...SUCCESS, body: successBody(customer) });

      const created = await sut.createCustomer(callFor(minimalCustomer), http);

      expect(created.connectorCustomerId).toBe('Y3VzdG9tZXJfMQ==');
      expect(created.responseHeaders).not.toHaveProperty(BRAINTREE_LEGACY_ID_HEADER);
    });

    it('keeps a returned customer even when errors came with it: it exists, failing would duplicate it on retry', async () => {
      const body = JSON.stringify({ data: { createCustomer: { customer: { id: 'Y3VzdG9tZXJfNw==', legacyId: '7' } } }, errors: [{ message: 'partial', extensions: { errorClass: 'INTERNAL' } }] });
      const { http } = answering({ status: 200, headers: {}, body });

      await expect(sut.createCustomer(callFor(minimalCustomer), http)).resolves.toMatchObject({ connectorCustomerId: 'Y3VzdG9tZXJfNw==' });
    });

    it.each<[string, number, Record<string, string>, string, ErrorReason, Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>, boolean, number | undefined]>([
      [
        'an invalid email (VALIDATION)',
        200,
        {},
        graphQLErrors({ message: 'Email is an invalid format.', extensions: { errorClass: 'VALIDATION', legacyCode: '81604', inputPath: ['input', 'customer', 'email'] } }),
        ErrorReason.ConnectorInvalidRequest,
        { code: '81604', message: 'Email is an invalid format.', param: 'input.customer.email', type: 'VALIDATION' },
        false,
        undefined,
      ],
      [
        'a GraphQL coercion error without a legacy code (VALIDATION)',
        200,
        {},
        graphQLErrors({ message: "Variable 'input' has an invalid value.", extensions: { errorClass: 'VALIDATION', inputPath: ['input'] } }),
        ErrorReason.ConnectorInvalidRequest,
        { code: 'VALIDATION', message: "Variable 'input' has an invalid value.", param: 'input', type: 'VALIDATION' },
        false,
        undefined,
      ],
      [
        'a numeric legacy code',
        200,
        {},
        graphQLErrors({ message: 'First name is too long.', extensions: { errorClass: 'VALIDATION', legacyCode: 81608, inputPath: ['input', 'customer', 'firstName'] } }),
        ErrorReason.ConnectorInvalidRequest,
        { code: '81608', message: 'First name is too long.', param: 'input.customer.firstName', type: 'VALIDATION' },
        false,
        undefined,
      ],
      [
        'bad API keys on 200 (AUTHENTICATION)',
        200,
        {},
        graphQLErrors({ message: 'Authentication credentials are invalid.', extensions: { errorClass: 'AUTHENTICATION' } }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'AUTHENTICATION', message: 'Authentication credentials are invalid.', type: 'AUTHENTICATION' },
        false,
        undefined,
      ],
      [
        'bad API keys on 401 (AUTHENTICATION)',
        401,
        {},
        graphQLErrors({ message: 'Authentication credentials are invalid.', extensions: { errorClass: 'AUTHENTICATION' } }),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'AUTHENTICATION', message: 'Authentication credentials are invalid.', type: 'AUTHENTICATION' },
        false,
        undefined,
      ],
      [
        'a key without the role (AUTHORIZATION)',
        403,
        {},
        graphQLErrors({ message: 'User does not have the required permissions.', extensions: { errorClass: 'AUTHORIZATION' } }),
        ErrorReason.ConnectorPermissionDenied,
        { code: 'AUTHORIZATION', message: 'User does not have the required permissions.', type: 'AUTHORIZATION' },
        false,
        undefined,
      ],
      [
        'a missing record (NOT_FOUND)',
        200,
        {},
        graphQLErrors({ message: 'An object with this ID was not found.', extensions: { errorClass: 'NOT_FOUND', legacyCode: '91568' } }),
        ErrorReason.ConnectorNotFound,
        { code: '91568', message: 'An object with this ID was not found.', type: 'NOT_FOUND' },
        false,
        undefined,
      ],
      [
        'an unsupported client or version (UNSUPPORTED_CLIENT)',
        426,
        {},
        graphQLErrors({ message: 'Upgrade required.', extensions: { errorClass: 'UNSUPPORTED_CLIENT' } }),
        ErrorReason.ConnectorRequestRejected,
        { code: 'UNSUPPORTED_CLIENT', message: 'Upgrade required.', type: 'UNSUPPORTED_CLIENT' },
        false,
        undefined,
      ],
      [
        'rate limiting with Retry-After (RESOURCE_LIMIT)',
        429,
        { 'retry-after': '7' },
        graphQLErrors({ message: 'Too many requests.', extensions: { errorClass: 'RESOURCE_LIMIT' } }),
        ErrorReason.ConnectorRateLimited,
        { code: 'RESOURCE_LIMIT', message: 'Too many requests.', type: 'RESOURCE_LIMIT' },
        false,
        7,
      ],
      [
        'an internal error on HTTP 200: Braintree may have created the customer (INTERNAL)',
        200,
        {},
        graphQLErrors({ message: 'An internal error occurred.', extensions: { errorClass: 'INTERNAL' } }),
        ErrorReason.ConnectorInternalError,
        { code: 'INTERNAL', message: 'An internal error occurred.', type: 'INTERNAL' },
        true,
        undefined,
      ],
      [
        'a server error (INTERNAL on 500)',
        500,
        {},
        graphQLErrors({ message: 'An internal error occurred.', extensions: { errorClass: 'INTERNAL' } }),
        ErrorReason.ConnectorInternalError,
        { code: 'INTERNAL', message: 'An internal error occurred.', type: 'INTERNAL' },
        true,
        undefined,
      ],
      [
        'an unavailable service on HTTP 200 (SERVICE_AVAILABILITY)',
        200,
        {},
        graphQLErrors({ message: 'Service unavailable.', extensions: { errorClass: 'SERVICE_AVAILABILITY' } }),
        ErrorReason.ConnectorUnavailable,
        { code: 'SERVICE_AVAILABILITY', message: 'Service unavailable.', type: 'SERVICE_AVAILABILITY' },
        true,
        undefined,
      ],
      [
        'an unavailable service with Retry-After (SERVICE_AVAILABILITY on 503)',
        503,
        { 'retry-after': '30' },
        graphQLErrors({ message: 'Service unavailable.', extensions: { errorClass: 'SERVICE_AVAILABILITY' } }),
        ErrorReason.ConnectorUnavailable,
        { code: 'SERVICE_AVAILABILITY', message: 'Service unavailable.', type: 'SERVICE_AVAILABILITY' },
        true,
        30,
      ],
      [
        'several validation errors: every message kept, the first error’s code and path',
        200,
        {},
        graphQLErrors(
          { message: 'Email is an invalid format.', extensions: { errorClass: 'VALIDATION', legacyCode: '81604', inputPath: ['input', 'customer', 'email'] } },
          { message: 'First name is too long.', extensions: { errorClass: 'VALIDATION', legacyCode: '81608', inputPath: ['input', 'customer', 'firstName'] } },
        ),
        ErrorReason.ConnectorInvalidRequest,
        { code: '81604', message: 'Email is an invalid format.; First name is too long.', param: 'input.customer.email', type: 'VALIDATION' },
        false,
        undefined,
      ],
      [
        'a validation error next to an authentication error: the class that is not VALIDATION decides, as in Braintree’s SDKs',
        200,
        {},
        graphQLErrors(
          { message: 'Email is an invalid format.', extensions: { errorClass: 'VALIDATION', legacyCode: '81604', inputPath: ['input', 'customer', 'email'] } },
          { message: 'Authentication credentials are invalid.', extensions: { errorClass: 'AUTHENTICATION' } },
        ),
        ErrorReason.ConnectorAuthenticationFailed,
        { code: 'AUTHENTICATION', message: 'Email is an invalid format.; Authentication credentials are invalid.', type: 'AUTHENTICATION' },
        false,
        undefined,
      ],
      [
        'an error class Braintree does not document: outside its contract, outcome unknown',
        200,
        {},
        graphQLErrors({ message: 'Something new.', extensions: { errorClass: 'QUANTUM_FLUX' } }),
        ErrorReason.ConnectorInvalidResponse,
        { code: 'QUANTUM_FLUX', message: 'Something new.', type: 'QUANTUM_FLUX' },
        true,
        undefined,
      ],
      [
        'an error without extensions',
        200,
        {},
        graphQLErrors({ message: 'Syntax Error: Unexpected Name.' }),
        ErrorReason.ConnectorInvalidResponse,
        { code: 'unknown', message: 'Syntax Error: Unexpected Name.' },
        true,
        undefined,
      ],
      ['an error without a message', 200, {}, graphQLErrors({ extensions: { errorClass: 'VALIDATION' } }), ErrorReason.ConnectorInvalidRequest, { code: 'VALIDATION', message: 'no message', type: 'VALIDATION' }, false, undefined],
    ])('maps %s (HTTP %i) to a domain error keeping Braintree’s details', async (_case, status, headers, body, reason, details, outcomeUnknown, retryAfterSeconds) => {
      const error = await errorFrom({ status, headers, body });

      expect(error.reason).toBe(reason);
      expect(error.message).toBe(`Braintree returned HTTP ${status} (${details.code}): ${details.message}`);
      expect(error.details.connector).toEqual({ connector: 'braintree', httpStatus: status, param: undefined, type: undefined, ...details });
      expect(error.details.outcomeUnknown).toBe(outcomeUnknown);
      expect(error.details.retryAfterSeconds).toBe(retryAfterSeconds);
    });

    it.each<[string, InboundResponse]>([
      ['neither a customer nor errors', { status: 200, headers: {}, body: '{"data":{"createCustomer":null}}' }],
      ['a customer without an id', { status: 200, headers: {}, body: successBody({ legacyId: '1' }) }],
      ['an empty id', { status: 200, headers: {}, body: successBody({ id: '', legacyId: '1' }) }],
      ['a numeric id', { status: 200, headers: {}, body: successBody({ id: 42 }) }],
      ['errors that are not a list', { status: 200, headers: {}, body: '{"data":null,"errors":{"message":"x"}}' }],
    ])('refuses %s on HTTP 200 as CONNECTOR_INVALID_RESPONSE, outcome unknown', async (_case, response) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(ErrorReason.ConnectorInvalidResponse);
      expect(error.details).toMatchObject({ outcomeUnknown: true, connector: { connector: 'braintree', code: 'invalid_response', httpStatus: 200 } });
    });

    it.each([
      ['a plain-text 401', { status: 401, headers: {}, body: 'Unauthorized' }, ErrorReason.ConnectorAuthenticationFailed, false],
      ['a 426 JSON body without errors', { status: 426, headers: {}, body: '{"message":"upgrade"}' }, ErrorReason.ConnectorRequestRejected, false],
      ['a 504 with a customer in the body', { status: 504, headers: {}, body: successBody() }, ErrorReason.ConnectorTimeout, true],
    ])('maps %s by its status, code http_<status>', async (_case, response, reason, outcomeUnknown) => {
      const error = await errorFrom(response);

      expect(error.reason).toBe(reason);
      expect(error.details).toMatchObject({ outcomeUnknown, connector: { connector: 'braintree', code: `http_${response.status}`, httpStatus: response.status } });
    });
  });

  describe('validateCustomer', () => {
    it.each<[string, CustomerProfile]>([
      ['a full customer', fullCustomer],
      ['a customer_name of exactly 255 characters', { ...minimalCustomer, name: 'n'.repeat(255) }],
      ['a customer_name over 255 spelled by billing names of 255 each', { ...minimalCustomer, name: `${'f'.repeat(255)} ${'l'.repeat(255)}`, billingAddress: { firstName: 'f'.repeat(255), lastName: 'l'.repeat(255) } }],
      ['255 characters of which one is an emoji (two UTF-16 units)', { ...minimalCustomer, name: `${'n'.repeat(254)}😀` }],
      ['an email of 255 characters', { ...minimalCustomer, email: `${'e'.repeat(243)}@example.com` }],
      ['over-long values Braintree is never sent (metadata, postal lines)', { ...minimalCustomer, metadata: { note: 'v'.repeat(5000) }, billingAddress: { line1: 'l'.repeat(1000) } }],
      ['an over-long billing email when the top-level one is sent', { ...minimalCustomer, email: 'a@example.com', billingAddress: { email: `${'e'.repeat(300)}@example.com` } }],
    ])('accepts %s', (_case, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([]);
    });

    it.each<[string, string, CustomerProfile]>([
      ['a customer_name of 256 characters', 'customer_name', { ...minimalCustomer, name: 'n'.repeat(256) }],
      ['a billing first name of 256 characters standing in for the name', 'address.billing_address.first_name', { ...minimalCustomer, billingAddress: { firstName: 'f'.repeat(256), lastName: 'L' } }],
      ['a billing last name of 256 characters standing in for the name', 'address.billing_address.last_name', { ...minimalCustomer, billingAddress: { lastName: 'l'.repeat(256) } }],
      [
        'billing names spelling customer_name, one of them too long',
        'address.billing_address.first_name',
        { ...minimalCustomer, name: `${'f'.repeat(256)} L`, billingAddress: { firstName: 'f'.repeat(256), lastName: 'L' } },
      ],
      ['an email of 256 characters', 'email', { ...minimalCustomer, email: `${'e'.repeat(244)}@example.com` }],
      ['a billing email of 256 characters standing in for the email', 'address.billing_address.email', { ...minimalCustomer, billingAddress: { email: `${'e'.repeat(244)}@example.com` } }],
      ['a phone of 256 characters', 'phone_number', { ...minimalCustomer, phone: `+${'1'.repeat(255)}` }],
      [
        'a billing phone over 255 characters once its calling code is added',
        'address.billing_address.phone_number',
        { ...minimalCustomer, billingAddress: { phoneNumber: '2'.repeat(253), phoneCountryCode: '44' } },
      ],
    ])('refuses %s, naming %s', (_case, field, customer) => {
      expect(sut.validateCustomer(customer)).toEqual([{ field, description: expect.stringContaining('Braintree accepts at most 255 characters') }]);
    });

    it('reports every violation at once', () => {
      const customer: CustomerProfile = { ...minimalCustomer, name: 'n'.repeat(300), email: `${'e'.repeat(300)}@example.com`, phone: '1'.repeat(300) };

      expect(sut.validateCustomer(customer).map((v) => v.field)).toEqual(['customer_name', 'email', 'phone_number']);
    });
  });

  describe('credentials', () => {
    it('cannot tell sandbox from production keys', () => {
      expect(sut.testModeOf(CREDENTIALS)).toBeUndefined();
    });

    it('identifies the account by its public key, so keys of different accounts or environments scope mappings apart', () => {
      expect(sut.accountIdentity(CREDENTIALS)).toBe(PUBLIC_KEY);
      expect(sut.accountIdentity({ ...CREDENTIALS, public_key: 'otherpublickey01' })).not.toBe(sut.accountIdentity(CREDENTIALS));
    });
  });

  describe('against the sandbox simulator', () => {
    const { sandbox, http } = useSandbox();

    const simulatorCall = (customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}) => callFor(customer, { baseUrl: sandbox.baseUrl('braintree'), ...overrides });

    it('creates a customer whose GraphQL id encodes the legacy id it returns', async () => {
      const created = await sut.createCustomer(simulatorCall(fullCustomer), http);

      expect(Buffer.from(created.connectorCustomerId, 'base64').toString()).toBe(`customer_${created.responseHeaders[BRAINTREE_LEGACY_ID_HEADER]}`);
      expect(sandbox.simulators.braintree.customerCount()).toBe(1);
    });

    it('creates a second customer when the same mapping is sent again: Braintree has nothing to replay by', async () => {
      const first = await sut.createCustomer(simulatorCall(fullCustomer), http);
      const second = await sut.createCustomer(simulatorCall(fullCustomer), http);

      expect(second.connectorCustomerId).not.toBe(first.connectorCustomerId);
      expect(sandbox.simulators.braintree.customerCount()).toBe(2);
    });

    it('gets Braintree’s validation error for an email it cannot parse, with the input path', async () => {
      const error = await errorOf(sut.createCustomer(simulatorCall({ ...minimalCustomer, email: 'ada@localhost' }), http));

      expect(error).toMatchObject({
        reason: ErrorReason.ConnectorInvalidRequest,
        details: { outcomeUnknown: false, connector: { code: '81604', param: 'input.customer.email', type: 'VALIDATION', httpStatus: 200 } },
      });
      expect(sandbox.simulators.braintree.customerCount()).toBe(0);
    });

    it('is refused with AUTHENTICATION for a wrong key pair', async () => {
      const error = await errorOf(sut.createCustomer(simulatorCall(minimalCustomer, { credentials: { ...CREDENTIALS, private_key: 'not-a-private-key' } }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { connector: { code: 'AUTHENTICATION', httpStatus: 401 } } });
    });
  });

  describe('scrubbing through the real HTTP client', () => {
    const pii = { name: 'Ada Lovelace', email: 'ada.lovelace@example.org', phone: '+442071234567' };

    it('writes neither the private key, the Authorization value nor personal data, and logs the call', async () => {
      const refusal = graphQLErrors({ message: `Email is an invalid format: ${pii.email}`, extensions: { errorClass: 'VALIDATION', legacyCode: '81604', inputPath: ['input', 'customer', 'email'] } });

      const { log, received } = await createThroughRealClient(answerWith(200, refusal), [PRIVATE_KEY, pii.email, pii.phone, pii.name], (http, baseUrl) =>
        sut.createCustomer(callFor({ ...minimalCustomer, ...pii }, { baseUrl }), http),
      );

      expect(received[0].headers.authorization).toBe(BASIC_AUTHORIZATION);
      const text = log.lines.join('\n');
      for (const secret of [PRIVATE_KEY, BASIC_AUTHORIZATION.slice('Basic '.length), pii.email, pii.phone, pii.name]) expect(text).not.toContain(secret);
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'processor call', connector: 'braintree', status: 200, request_id: 'req-scrub' }));
      expect(log.records()).toContainEqual(expect.objectContaining({ msg: 'request refused', reason: ErrorReason.ConnectorInvalidRequest }));
    });
  });
});
