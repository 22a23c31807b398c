import { ErrorReason } from '@app/common/errors/error-reason';
import { checkStripeCreateCustomerBody } from '@app/testing/contracts/stripe-contract';
import { createCustomer, TRANSPORTS, useE2eEnvironment } from './support/e2e-environment';
import { expectRefused, uniqueCustomerId } from './support/expectations';
import { ageMapping } from './support/database-access';
import { getJson, stripeConfigHeader, TEST_ADMIN_TOKEN } from './support/test-app';
import { testDatabaseProviders } from './support/test-databases';

const API_KEY = 'sk_test_51CreateE2eSecret';
const PII = { name: 'Zelda Quintessence', email: 'zelda.quintessence@example.org', phone: '+14155550142', line1: '77 Hyrule Castle Road' };

function fullRequest(merchantCustomerId: string) {
  return {
    merchant_customer_id: merchantCustomerId,
    customer_name: PII.name,
    email: { value: PII.email },
    phone_number: PII.phone,
    address: {
      billing_address: { first_name: { value: 'Zelda' }, last_name: { value: 'Quintessence' }, line1: { value: PII.line1 }, city: { value: 'Hateno' }, zip_code: { value: '94107' }, country_alpha2_code: 'US' },
      shipping_address: { first_name: { value: 'Link' }, line1: { value: '1 Kakariko Lane' }, line3: { value: 'Unit 3' }, city: { value: 'Kakariko' }, country_alpha2_code: 'DE', phone_number: { value: '301234567' }, phone_country_code: '+49' },
    },
    metadata: { value: JSON.stringify({ plan: 'gold', seats: 3 }) },
    test_mode: true,
  };
}

describe.each(testDatabaseProviders())('Create customer end to end on %s', (provider) => {
  // One attempt per call: these tests look at what a lost answer leaves behind (retries are tested in reliability).
  const env = useE2eEnvironment(provider, { CONNECTOR_TIMEOUT_MS: '1500', CONNECTOR_MAX_ATTEMPTS: '1' });
  const headers = () => ({ 'x-connector-config': stripeConfigHeader(env.sandbox, API_KEY), 'x-merchant-id': 'merchant-e2e' });
  const storedMappings = async (merchantCustomerId: string) =>
    (await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?merchant_customer_id=${merchantCustomerId}&merchant_id=merchant-e2e`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).body.mappings;

  beforeEach(() => env.sandbox.reset());

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it('creates the customer at Stripe, echoes our ids and stores the mapping', async () => {
      const id = uniqueCustomerId();
      const outcome = await createCustomer(env.app, transport, fullRequest(id), { ...headers(), 'x-request-id': `req-${id}` });

      expect(outcome.ok).toBe(true);
      if (transport === 'rest') expect(outcome.httpStatus).toBe(201);
      expect(outcome.response).toMatchObject({ merchant_customer_id: id, connector_customer_id: expect.stringMatching(/^cus_/), status_code: 200 });
      expect(outcome.requestId).toBe(`req-${id}`);
      expect(outcome.replayed).toBe('false');
      expect(env.sandbox.simulators.stripe.customerCount()).toBe(1);
      await expect(storedMappings(id)).resolves.toEqual([
        expect.objectContaining({ merchant_customer_id: id, connector: 'stripe', connector_customer_id: outcome.response!.connector_customer_id, status: 'active', test_mode: true }),
      ]);
    });

    it('sends Stripe a request valid against its official contract, with every field mapped', async () => {
      const id = uniqueCustomerId();
      await createCustomer(env.app, transport, fullRequest(id), headers());

      const [request] = env.sandbox.requestsTo('stripe');
      const check = checkStripeCreateCustomerBody(request.body);
      expect(check.errors).toEqual([]);
      expect(check.params).toEqual({
        name: PII.name,
        email: PII.email,
        phone: PII.phone,
        address: { line1: PII.line1, city: 'Hateno', postal_code: '94107', country: 'US' },
        shipping: { name: 'Link', phone: '+49301234567', address: { line1: '1 Kakariko Lane', line2: 'Unit 3', city: 'Kakariko', country: 'DE' } },
        metadata: { plan: 'gold', seats: '3', merchant_customer_id: id },
      });
      expect(request.headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, 'stripe-version': '2026-07-29.dahlia', 'idempotency-key': expect.any(String) });
    });

    it('returns the stored mapping on a repeat without calling Stripe again', async () => {
      const id = uniqueCustomerId();
      const first = await createCustomer(env.app, transport, fullRequest(id), headers());
      const second = await createCustomer(env.app, transport, fullRequest(id), headers());

      expect(second.ok).toBe(true);
      if (transport === 'rest') expect(second.httpStatus).toBe(200);
      expect(second.replayed).toBe('true');
      expect(second.response).toMatchObject({ merchant_customer_id: id, connector_customer_id: first.response!.connector_customer_id, status_code: 200 });
      expect(env.sandbox.requestsTo('stripe')).toHaveLength(1);
    });

    it('creates one Stripe customer for 20 concurrent identical requests', async () => {
      const id = uniqueCustomerId();
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => createCustomer(env.app, transport, fullRequest(id), headers())));

      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(new Set(outcomes.map((o) => o.response!.connector_customer_id)).size).toBe(1);
      expect(env.sandbox.simulators.stripe.customerCount()).toBe(1);
      expect(outcomes.filter((o) => o.replayed === 'false')).toHaveLength(1);
    });

    it('keeps one mapping per processor account: another Stripe key gets its own customer', async () => {
      const id = uniqueCustomerId();
      const first = await createCustomer(env.app, transport, fullRequest(id), headers());
      const otherAccount = await createCustomer(env.app, transport, fullRequest(id), { ...headers(), 'x-connector-config': stripeConfigHeader(env.sandbox, 'sk_test_51AnotherAccountKey') });

      expect(otherAccount.response!.connector_customer_id).not.toBe(first.response!.connector_customer_id);
      await expect(storedMappings(id)).resolves.toHaveLength(2);
    });

    it.each([
      ['merchant_customer_id missing', { merchant_customer_id: undefined, email: { value: 'a@example.com' } }, 'merchant_customer_id'],
      ['an invalid email', { email: { value: 'not-an-email' } }, 'email'],
      ['an invalid address email', { address: { billing_address: { email: { value: 'x@' } } } }, 'address.billing_address.email'],
      ['a metadata key over Stripe’s 40 characters', { metadata: { value: JSON.stringify({ ['k'.repeat(41)]: 'v' }) } }, `metadata.${'k'.repeat(41)}`],
    ])('refuses %s naming the field, without calling Stripe or storing anything', async (_, fields, field) => {
      const id = uniqueCustomerId();
      const body = { merchant_customer_id: id, ...fields };
      const outcome = await createCustomer(env.app, transport, body, headers());

      expectRefused(outcome, transport, ErrorReason.ValidationFailed);
      expect(outcome.error!.fieldViolations).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(env.sandbox.requestsTo('stripe')).toHaveLength(0);
      await expect(storedMappings(id)).resolves.toEqual([]);
    });

    // Protobuf skips unknown fields by design, so only JSON bodies can carry one.
    if (transport === 'rest') {
      it('refuses an unknown field naming it, without calling Stripe', async () => {
        const outcome = await createCustomer(env.app, transport, { merchant_customer_id: uniqueCustomerId(), favourite_colour: 'green' }, headers());

        expectRefused(outcome, transport, ErrorReason.ValidationFailed);
        expect(outcome.error!.fieldViolations).toEqual([{ field: 'favourite_colour', description: 'is not a field of this request' }]);
        expect(env.sandbox.requests).toHaveLength(0);
      });
    }

    it.each([
      ['no connector headers', {}, ErrorReason.MissingRequiredField, 'Missing required field: x-connector'],
      ['an unknown x-connector', { 'x-connector': 'nonesuch', 'x-auth': 'header-key', 'x-api-key': 'k' }, ErrorReason.InvalidDataFormat, 'Invalid data format: x-connector'],
      ['x-connector without x-auth', { 'x-connector': 'stripe' }, ErrorReason.MissingRequiredField, 'Missing required field: x-auth'],
      ['x-auth without its key', { 'x-connector': 'stripe', 'x-auth': 'header-key' }, ErrorReason.MissingRequiredField, 'Missing required field: x-api-key'],
      ['a wrong x-auth kind', { 'x-connector': 'stripe', 'x-auth': 'body-key', 'x-api-key': 'k', 'x-key1': 'k' }, ErrorReason.InvalidConnectorConfiguration, 'Invalid connector configuration: x-auth'],
      ['x-connector-config not JSON', { 'x-connector-config': '{nope' }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config'],
      ['x-connector-config without config', { 'x-connector-config': '{"Stripe":{}}' }, ErrorReason.MissingRequiredField, 'Missing required field: X-Connector-Config.config'],
      ['a connector we do not serve', { 'x-connector-config': '{"config":{"Worldpay":{"api_key":"k"}}}' }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config'],
      ['Stripe without api_key', { 'x-connector-config': '{"config":{"Stripe":{}}}' }, ErrorReason.InvalidConnectorConfiguration, 'Invalid connector configuration: X-Connector-Config'],
    ])('refuses %s with Prism’s message', async (_, connectorHeaders, reason, message) => {
      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: uniqueCustomerId() }, connectorHeaders);

      expectRefused(outcome, transport, reason);
      expect(outcome.error!.message).toBe(message);
      expect(env.sandbox.requests).toHaveLength(0);
    });

    it('accepts the legacy x-connector / x-auth / x-api-key headers', async () => {
      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: uniqueCustomerId() }, { 'x-connector': 'stripe', 'x-auth': 'header-key', 'x-api-key': API_KEY });

      // Legacy headers carry no base_url, so the call goes to api.stripe.com: unreachable from the
      // test network, or refusing the fake key where a network exists. Either way the headers passed.
      expect([ErrorReason.ConnectorUnavailable, ErrorReason.ConnectorTimeout, ErrorReason.ConnectorAuthenticationFailed]).toContain(outcome.error?.reason);
    });

    it.each([
      ['a loopback origin', 'http://127.0.0.1:9/'],
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/'],
      ['a userinfo trick', 'https://api.stripe.com@evil.example/'],
      ['a file URL', 'file:///etc/passwd'],
    ])('refuses a base_url to %s before any network call', async (_, baseUrl) => {
      const config = JSON.stringify({ config: { Stripe: { api_key: API_KEY, base_url: baseUrl } } });
      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: uniqueCustomerId() }, { 'x-connector-config': config });

      expectRefused(outcome, transport, ErrorReason.BaseUrlNotAllowed);
      expect(env.sandbox.requests).toHaveLength(0);
    });

    it.each([
      [402, { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.', decline_code: 'insufficient_funds' } }, ErrorReason.ConnectorDeclined, 'card_declined'],
      [401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } }, ErrorReason.ConnectorAuthenticationFailed, 'invalid_request_error'],
      [409, { error: { type: 'invalid_request_error', code: 'idempotency_key_in_use', message: 'in progress' } }, ErrorReason.ConnectorConflict, 'idempotency_key_in_use'],
      [422, { error: { type: 'invalid_request_error', code: 'parameter_invalid', message: 'bad', param: 'email' } }, ErrorReason.ConnectorInvalidRequest, 'parameter_invalid'],
      [500, { error: { type: 'api_error', message: 'Something went wrong.' } }, ErrorReason.ConnectorInternalError, 'api_error'],
      [502, { error: { type: 'api_error', message: 'Bad gateway' } }, ErrorReason.ConnectorUnavailable, 'api_error'],
    ])('maps a Stripe %i into our error, keeping Stripe’s code, message and status', async (status, body, reason, code) => {
      env.sandbox.injectFault('stripe', { status, body: JSON.stringify(body) });
      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: uniqueCustomerId() }, headers());

      expectRefused(outcome, transport, reason);
      expect(outcome.error!.connector).toMatchObject({ name: 'stripe', code, message: body.error.message });
      expect(String(outcome.error!.connector!.http_status)).toBe(String(status));
      expect(outcome.error!.message).toContain('Stripe');
    });

    it('frees the reservation after a definite refusal, so the next call creates the customer', async () => {
      const id = uniqueCustomerId();
      env.sandbox.injectFault('stripe', { status: 402, body: JSON.stringify({ error: { type: 'card_error', code: 'card_declined', message: 'declined' } }) });

      await createCustomer(env.app, transport, { merchant_customer_id: id }, headers());
      await expect(storedMappings(id)).resolves.toEqual([]);
      const retry = await createCustomer(env.app, transport, { merchant_customer_id: id }, headers());

      expect(retry.ok).toBe(true);
      expect(env.sandbox.simulators.stripe.customerCount()).toBe(1);
    });

    it('passes Stripe’s Retry-After on a 429', async () => {
      env.sandbox.injectFault('stripe', { status: 429, headers: { 'retry-after': '7' }, body: JSON.stringify({ error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } }) });
      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: uniqueCustomerId() }, headers());

      expectRefused(outcome, transport, ErrorReason.ConnectorRateLimited);
    });

    it('answers Prism’s route with 200 on creation and on replay', async () => {
      const id = uniqueCustomerId();
      const first = await createCustomer(env.app, 'rest', { merchant_customer_id: id }, headers(), '/payments/create_connector_customer');
      const second = await createCustomer(env.app, 'rest', { merchant_customer_id: id }, headers(), '/payments/create_connector_customer');

      expect([first.httpStatus, second.httpStatus]).toEqual([200, 200]);
      expect(second.response).toEqual(expect.objectContaining({ connector_customer_id: first.response!.connector_customer_id, merchant_customer_id: id }));
    });
  });

  it('resumes a pending mapping after a restart with the same idempotency key: Stripe replays, no second customer', async () => {
    const id = uniqueCustomerId();
    const held = env.sandbox.holdNextResponse('stripe');
    // Stripe creates the customer but its answer never arrives in time: the outcome is unknown.
    const lost = createCustomer(env.app, 'grpc', fullRequest(id), headers());
    await held.reached;
    const firstAttempt = await lost;
    expectRefused(firstAttempt, 'grpc', ErrorReason.ConnectorTimeout);
    held.release();
    await expect(storedMappings(id)).resolves.toEqual([expect.objectContaining({ status: 'pending' })]);

    await env.restartApp();
    const retry = await createCustomer(env.app, 'rest', fullRequest(id), headers());

    expect(retry.ok).toBe(true);
    expect(env.sandbox.simulators.stripe.customerCount()).toBe(1);
    // The customer calls (the service also asks GET /v1/account whose the key is, once per process).
    const [first, second] = env.sandbox.requestsTo('stripe').filter((request) => request.path.startsWith('/v1/customers'));
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    await expect(storedMappings(id)).resolves.toEqual([expect.objectContaining({ status: 'active', connector_customer_id: retry.response!.connector_customer_id })]);
  });

  it('after Stripe’s 24 h key window, finds the unanswered attempt’s customer by its back-reference instead of creating another', async () => {
    const id = uniqueCustomerId();
    const held = env.sandbox.holdNextResponse('stripe');
    const lost = createCustomer(env.app, 'rest', fullRequest(id), headers());
    await held.reached;
    expectRefused(await lost, 'rest', ErrorReason.ConnectorTimeout);
    held.release();
    env.sandbox.simulators.stripe.expireIdempotencyKeys();
    await ageMapping(env.db, id, 25);

    const retry = await createCustomer(env.app, 'grpc', fullRequest(id), headers());

    expect(retry.ok).toBe(true);
    expect(env.sandbox.simulators.stripe.customerCount()).toBe(1);
    expect(env.sandbox.simulators.stripe.customersFor(id)).toEqual([retry.response!.connector_customer_id]);
    expect(env.sandbox.requestsTo('stripe').map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(['POST /v1/customers', 'GET /v1/customers/search']);
  });

  it('never writes the API key or the customer’s personal data to a log line', async () => {
    for (const transport of TRANSPORTS) {
      await createCustomer(env.app, transport, fullRequest(uniqueCustomerId()), headers());
      env.sandbox.injectFault('stripe', { status: 400, body: JSON.stringify({ error: { type: 'invalid_request_error', code: 'email_invalid', message: `Invalid email address: ${PII.email}` } }) });
      await createCustomer(env.app, transport, fullRequest(uniqueCustomerId()), headers());
    }

    const logs = env.app.logs.text;
    expect(logs).toContain('processor call');
    for (const secret of [API_KEY, PII.name, PII.email, PII.phone, PII.line1, 'Quintessence']) expect(logs).not.toContain(secret);
  });
});
