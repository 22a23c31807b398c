import Ajv from 'ajv';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import lifecycleContract from '../../../testing/contracts/paystack/customer-lifecycle.operations.json';
import type { ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { checkPaystackCreateCustomerBody, checkPaystackCreateCustomerResponse, PAYSTACK_UNAUTHORIZED_EXAMPLE } from '@app/testing/contracts/paystack-contract';
import type { CreateCustomerCall, ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, answerWith, callBuilder, createThroughRealClient, errorOf, requestSentBy, SPEC_REFERENCE } from '@app/testing/connectors/connector-spec-helpers';
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

  describe('lost answers (issue 13 items 2 and 8)', () => {
    it('does not trust the unverified email dedupe to replay: a resumed attempt is looked up, and its details must match', () => {
      const { capabilities } = sut.descriptor;

      expect(capabilities.replaysSafely).toBe(false);
      expect(capabilities.replayRequiresSameDetails).toBe(true);
      expect(capabilities.lookupIsConclusive).toBe(false);
      expect(sut.connector.flows.findCreated).toBeDefined();
    });

    it('marks the email dedupe and the fetch by email as inferred, each saying why it cannot duplicate, and sources the rest', () => {
      const claims = sut.descriptor.capabilities.claims ?? [];
      const inferred = claims.filter((c) => c.source === undefined).map((c) => c.claim);

      expect(inferred).toEqual(expect.arrayContaining([expect.stringMatching(/email the integration already holds.*unverified.*nothing is created blind/), expect.stringMatching(/email_or_code.*never taken as proof/)]));
      expect(claims.filter((c) => /delete|update takes/i.test(c.claim)).every((c) => c.source?.includes('PaystackOSS/openapi'))).toBe(true);
    });
  });

  describe('findCreated (GET /customer/{email}, recognised by our back-reference)', () => {
    const fetched = (metadata: unknown, status = 200): InboundResponse => ({
      status,
      headers: {},
      body: JSON.stringify({ status: true, message: 'Customer retrieved', data: { ...CREATED.data, email: 'chioma@example.com', metadata } }),
    });

    it('fetches by the email, keeping its @ in the path', async () => {
      const { http, send } = answering(fetched({ merchant_customer_id: 'mcid-42' }));

      await expect(sut.findCreatedCustomer(callFor(fullCustomer), http)).resolves.toMatchObject({ connectorCustomerId: 'CUS_pztcpsx5kng2fbk' });
      expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: 'https://api.paystack.co/customer/chioma@example.com', headers: { authorization: `Bearer ${API_KEY}` }, body: undefined });
    });

    it('fetches by the billing email when the customer has no other', async () => {
      const { http, send } = answering(fetched({ merchant_customer_id: 'mcid-1' }));

      await sut.findCreatedCustomer(callFor({ ...minimalCustomer, email: undefined, billingAddress: { email: 'bill+1@example.com' } }), http);

      expect(send.mock.calls[0][1].url).toBe('https://api.paystack.co/customer/bill%2B1@example.com');
    });

    it.each<[string, InboundResponse]>([
      ['the customer of another merchant customer with the same email', fetched({ merchant_customer_id: 'someone-else' })],
      ['a customer without our back-reference', fetched({})],
      ['a 404', { status: 404, headers: {}, body: JSON.stringify({ status: false, message: 'Customer not found' }) }],
    ])('finds nothing in %s', async (_case, response) => {
      const { http } = answering(response);

      await expect(sut.findCreatedCustomer(callFor(fullCustomer), http)).resolves.toBeUndefined();
    });

    it.each<[string, InboundResponse]>([
      ['a bad key', { status: 401, headers: {}, body: JSON.stringify({ status: false, message: 'Invalid key' }) }],
      ['a Paystack-side failure', { status: 500, headers: {}, body: JSON.stringify({ status: false, message: 'An error occurred' }) }],
      ['a success without a customer', { status: 200, headers: {}, body: '{"status":true,"data":{}}' }],
    ])('reports %s as outcome unknown', async (_case, response) => {
      const { http } = answering(response);

      await expect(sut.findCreatedCustomer(callFor(fullCustomer), http)).rejects.toMatchObject({ details: { outcomeUnknown: true } });
    });

    it('writes the email to no log line, raw or percent-encoded', async () => {
      const email = 'chioma.okafor@example.org';
      const { log } = await createThroughRealClient(answerWith(404, JSON.stringify({ status: false, message: 'Customer not found' })), [API_KEY], (http, baseUrl) =>
        sut.findCreatedCustomer(callFor({ ...fullCustomer, email }, { baseUrl }), http),
      );

      const text = log.lines.join('\n');
      expect(text).toContain('processor call');
      for (const form of [email, encodeURIComponent(email), 'chioma.okafor']) expect(text).not.toContain(form);
    });
  });

  describe('the customer lifecycle', () => {
    const CODE = 'CUS_pztcpsx5kng2fbk';
    const existing: ExistingCustomerCall = { credentials: { api_key: API_KEY }, baseUrl: PAYSTACK_BASE, testMode: true, connectorCustomerId: CODE, merchantCustomerId: 'mcid-42', reference: SPEC_REFERENCE };
    const updating = (customer: Partial<CustomerProfile>): UpdateCustomerCall => ({ ...existing, idempotencyKey: 'idem-update', customer: { merchantCustomerId: 'mcid-42', metadata: {}, featureData: {}, ...customer } });
    const held = { ...CREATED.data, metadata: { merchant_customer_id: 'mcid-42', tier: 'gold', calling_code: 234 } };
    const answer = (data: unknown, message = 'Customer retrieved', status = 200): InboundResponse => ({ status, headers: {}, body: JSON.stringify({ status: true, message, data }) });
    const notFound: InboundResponse = { status: 404, headers: {}, body: JSON.stringify({ status: false, message: 'Customer not found' }) };
    const inline = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(inline);
      if (typeof node !== 'object' || node === null) return node;
      return Object.fromEntries(Object.entries(node).filter(([key]) => !key.startsWith('x-') && key !== 'example').map(([key, value]) => [key, inline(value)]));
    };
    const validUpdateBody = new Ajv({ allErrors: true, strict: false }).compile({ ...(inline(lifecycleContract.components.schemas.CustomerUpdate) as object), additionalProperties: false });
    const updateBody = (body: string | undefined) => {
      const parsed: unknown = JSON.parse(body ?? '');
      expect(validUpdateBody(parsed) ? [] : validUpdateBody.errors).toEqual([]);
      return parsed as Record<string, string>;
    };

    describe('get', () => {
      it('GETs {base}customer/{code} and reads what Paystack holds', async () => {
        const { http, send } = answering(answer(held));

        const got = await sut.getCustomer(existing, http);

        expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: `https://api.paystack.co/customer/${CODE}`, headers: { authorization: `Bearer ${API_KEY}` }, body: undefined });
        expect(got).toEqual({
          connectorCustomerId: CODE,
          httpStatus: 200,
          responseHeaders: {},
          record: { name: 'Some Body', email: 'customer@email.com', phone: '+2348123456789', metadata: { merchant_customer_id: 'mcid-42', tier: 'gold', calling_code: '234' } },
        });
      });

      it('answers an unknown customer as not found', async () => {
        const { http } = answering(notFound);

        await expect(sut.getCustomer(existing, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { httpStatus: 404 } } });
      });
    });

    describe('update', () => {
      it('reads the customer, then PUTs every held field with the change merged in (the metadata keys too)', async () => {
        const { http, send } = answering(answer(held), answer({ ...held, phone: '+2348000000001' }, 'Customer updated'));

        const updated = await sut.updateCustomer(updating({ phone: '+2348000000001', metadata: { plan: 'pro' } }), http);

        expect(send.mock.calls.map(([, outbound]) => `${outbound.method} ${outbound.url}`)).toEqual([`GET https://api.paystack.co/customer/${CODE}`, `PUT https://api.paystack.co/customer/${CODE}`]);
        expect(send.mock.calls[1][1].headers).toEqual({ authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' });
        expect(updateBody(send.mock.calls[1][1].body)).toEqual({
          first_name: 'Some',
          last_name: 'Body',
          phone: '+2348000000001',
          metadata: JSON.stringify({ merchant_customer_id: 'mcid-42', tier: 'gold', calling_code: 234, plan: 'pro' }),
        });
        expect(updated).toMatchObject({ connectorCustomerId: CODE, record: { phone: '+2348000000001' } });
      });

      it('sets a new customer_name whole as first_name and empties last_name, as create would send it', async () => {
        const { http, send } = answering(answer(held), answer(held, 'Customer updated'));

        await sut.updateCustomer(updating({ name: 'Chioma Okafor' }), http);

        expect(updateBody(send.mock.calls[1][1].body)).toMatchObject({ first_name: 'Chioma Okafor', last_name: '' });
      });

      it('sends no name Paystack does not hold', async () => {
        const { http, send } = answering(answer({ ...held, first_name: null, last_name: null }), answer(held, 'Customer updated'));

        await sut.updateCustomer(updating({ metadata: { plan: 'pro' } }), http);

        expect(Object.keys(updateBody(send.mock.calls[1][1].body))).toEqual(['phone', 'metadata']);
      });

      it('accepts the email Paystack already holds, whatever its case', async () => {
        const { http, send } = answering(answer(held), answer(held, 'Customer updated'));

        await sut.updateCustomer(updating({ email: 'Customer@Email.com' }), http);

        expect(send).toHaveBeenCalledTimes(2);
      });

      it('refuses another email after the read and before any write: Paystack’s update cannot change it', async () => {
        const { http, send } = answering(answer(held));

        const error = await errorOf(sut.updateCustomer(updating({ email: 'new@example.com' }), http));

        expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'email' }] } });
        expect(send).toHaveBeenCalledTimes(1);
      });

      it('answers an unknown customer as not found, before any write', async () => {
        const { http, send } = answering(notFound);

        await expect(sut.updateCustomer(updating({ phone: '+2348000000001' }), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
        expect(send).toHaveBeenCalledTimes(1);
      });

      it('checks the back-reference on the change, and needs no email to change the rest', () => {
        const validate = sut.validateChange;

        expect(validate({ merchantCustomerId: 'mcid-42', metadata: {}, featureData: {} })).toEqual([]);
        expect(validate({ merchantCustomerId: 'mcid-42', metadata: { merchant_customer_id: 'x' }, featureData: {} }).map((v) => v.field)).toEqual(['metadata.merchant_customer_id']);
      });
    });

    it.each([
      ['delete', /^Paystack does not support customer deletion: Paystack’s Customer API has no delete/],
      ['identifyAccount', /^Paystack does not support account lookup: Paystack has no endpoint naming the integration/],
    ] as const)('answers %s as unsupported, naming the source, without any call', async (flow, message) => {
      const { http, send } = answering();
      const run = flow === 'delete' ? sut.deleteCustomer({ ...existing, idempotencyKey: 'k' }, http) : sut.identifyAccount({ credentials: { api_key: API_KEY }, baseUrl: PAYSTACK_BASE, testMode: true }, http);

      await expect(run).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotImplemented, message: expect.stringMatching(message) });
      expect(send).not.toHaveBeenCalled();
    });
  });
});
