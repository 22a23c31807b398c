import type { AppConfig } from '@app/common/config/app-config';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import { BaseUrlPolicy } from '../base-url-policy';
import type { ExistingCustomerCall } from '../connector';
import { ConnectorRegistry } from '../connector-registry';
import { selectConnector } from '../connector-selection';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { CheckoutSimulator } from '@app/testing/sandbox/simulators/checkout.simulator';
import { CheckoutConnector } from './checkout.connector';

const API_KEY = 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e';
const CUSTOMER_ID = 'cus_y3oqhf46pyzuxjbcn2giaqnb44';
const BASE = 'https://api.sandbox.checkout.com/';
const JSON_HEADERS = { 'content-type': 'application/json', 'cko-request-id': 'req_1' };
const ok = (body: unknown): InboundResponse => ({ status: 200, headers: JSON_HEADERS, body: JSON.stringify(body) });
const NO_CONTENT: InboundResponse = { status: 204, headers: { 'cko-request-id': 'req_2' }, body: '' };
const NOT_FOUND: InboundResponse = { status: 404, headers: { 'cko-request-id': 'req_3' }, body: '' };
const stored = (metadata: unknown = { merchant_customer_id: 'mcid-1', plan: 'gold' }) => ({
  id: CUSTOMER_ID,
  email: 'ann@example.com',
  name: 'Ann Lee',
  phone: { country_code: '+1', number: '4155550123' },
  metadata,
  instruments: [],
});
const existing = (overrides: Partial<ExistingCustomerCall> = {}): ExistingCustomerCall => ({
  connectorCustomerId: CUSTOMER_ID,
  merchantCustomerId: 'mcid-1',
  reference: 'stablereference0000000000a',
  credentials: { api_key: API_KEY },
  baseUrl: BASE,
  testMode: true,
  ...overrides,
});
const change = (fields: Partial<CustomerProfile>): CustomerProfile => ({ merchantCustomerId: 'mcid-1', metadata: {}, featureData: {}, ...fields });
const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: BASE });

describe(`${CheckoutConnector.name} lifecycle`, () => {
  const connector = new CheckoutConnector();
  const sut = driving(connector);

  describe('account-specific hosts (issue 13 item 7)', () => {
    const policy = new BaseUrlPolicy({ connectorBaseUrlAllowlist: new Set<string>() } as unknown as AppConfig);

    it.each<[string, boolean, string]>([
      ['the sandbox', true, 'https://pfx123.api.sandbox.checkout.com/'],
      ['live', false, 'https://pfx123.api.checkout.com/'],
    ])('sends to {subdomain}.api… in %s, as the SDK builds it', (_mode, testMode, expected) => {
      expect(policy.resolve(connector, { api_key: API_KEY, subdomain: 'pfx123' }, undefined, testMode)).toBe(expected);
    });

    it('takes the SDK’s pl- prefixed form', () => {
      expect(policy.resolve(connector, { api_key: API_KEY, subdomain: 'pl-abc1' }, undefined, false)).toBe('https://pl-abc1.api.checkout.com/');
    });

    it('keeps the shared hosts without a subdomain', () => {
      expect(policy.resolve(connector, { api_key: API_KEY }, undefined, true)).toBe(BASE);
    });

    it('accepts a base_url on the account’s own host without an allow-list entry', () => {
      expect(policy.resolve(connector, { api_key: API_KEY, subdomain: 'pfx123' }, 'https://pfx123.api.checkout.com/', false)).toBe('https://pfx123.api.checkout.com/');
    });

    it.each(['PFX', 'a.b', 'evil.com/x', 'pfx-1'])('refuses the subdomain %p as invalid configuration', (subdomain) => {
      expect(() => policy.resolve(connector, { api_key: API_KEY, subdomain }, undefined, true)).toThrow(
        expect.objectContaining({ reason: ErrorReason.InvalidConnectorConfiguration, details: { fieldViolations: [expect.objectContaining({ field: 'x-connector-config.config.Checkout.subdomain' })] } }),
      );
    });

    it('reads the subdomain from the Checkout variant of x-connector-config', () => {
      const registry = new ConnectorRegistry([connector]);
      const config = JSON.stringify({ config: { Checkout: { api_key: API_KEY, subdomain: 'pfx123' } } });

      expect(selectConnector(registry, (name) => (name === 'x-connector-config' ? config : undefined)).credentials).toEqual({ api_key: API_KEY, subdomain: 'pfx123' });
    });
  });

  describe('declarations (issue 13 items 2 and 8)', () => {
    it('replays only with the same email, and does not call its email lookup conclusive', () => {
      expect(sut.descriptor.capabilities).toMatchObject({ replaysSafely: true, replayRequiresSameDetails: true, lookupIsConclusive: false });
    });

    it('documents the lookup by email, and marks email uniqueness (the simulator’s customer_email_already_exists) inferred', () => {
      const claims = sut.descriptor.capabilities.claims ?? [];
      expect(claims.find((c) => c.claim.includes('takes the customer id or email'))?.source).toContain('customers@{identifier}.yaml');
      expect(claims.find((c) => c.claim.includes('at most one customer'))).toEqual({ claim: expect.stringContaining('customer_email_already_exists') });
    });
  });

  describe('findCreated', () => {
    it('looks the email up and returns the customer when its back-reference is ours', async () => {
      const { http, send } = answering(ok(stored()));

      await expect(sut.findCreatedCustomer(callFor(change({ email: 'ann@example.com' })), http)).resolves.toMatchObject({ connectorCustomerId: CUSTOMER_ID, httpStatus: 200 });
      expect(send.mock.calls[0][1]).toMatchObject({ method: 'GET', url: `${BASE}customers/ann@example.com` });
    });

    it.each([
      ['nothing under the email', NOT_FOUND],
      ['another merchant customer’s', ok(stored({ merchant_customer_id: 'mcid-2' }))],
    ])('answers not found for %s', async (_case, response) => {
      await expect(sut.findCreatedCustomer(callFor(change({ email: 'ann@example.com' })), answering(response).http)).resolves.toBeUndefined();
    });
  });

  describe('get', () => {
    it('GETs {base}customers/{id} and reads the record', async () => {
      const { http, send } = answering(ok(stored()));

      await expect(sut.getCustomer(existing(), http)).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 200,
        responseHeaders: JSON_HEADERS,
        record: { name: 'Ann Lee', email: 'ann@example.com', phone: '4155550123', phoneCountryCode: '+1', metadata: { merchant_customer_id: 'mcid-1', plan: 'gold' } },
      });
      expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: `${BASE}customers/${CUSTOMER_ID}`, headers: { authorization: `Bearer ${API_KEY}` }, body: undefined });
    });

    it('answers 404 (empty body) as ConnectorNotFound', async () => {
      const error = await errorOf(sut.getCustomer(existing(), answering(NOT_FOUND).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { connector: 'checkout', code: 'http_404' } } });
    });
  });

  describe('update', () => {
    it('PATCHes only the changed fields and reads the 204', async () => {
      const { http, send } = answering(NO_CONTENT);

      await expect(sut.updateCustomer({ ...existing(), customer: change({ email: 'new@example.com', phone: '+44 20 7123 4567' }), idempotencyKey: 'k' }, http)).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 204,
        responseHeaders: { 'cko-request-id': 'req_2' },
      });
      const [[, patch]] = send.mock.calls;
      expect(patch).toMatchObject({ method: 'PATCH', url: `${BASE}customers/${CUSTOMER_ID}`, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' } });
      expect(JSON.parse(patch.body ?? '')).toEqual({ email: 'new@example.com', phone: { country_code: '+44', number: '2071234567' } });
    });

    it('reads the customer first when metadata changes, and sends the merged map (Checkout.com replaces it)', async () => {
      const { http, send } = answering(ok(stored({ merchant_customer_id: 'mcid-1', plan: 'gold', n: 1 })), NO_CONTENT);

      await sut.updateCustomer({ ...existing(), customer: change({ metadata: { plan: 'silver' } }), idempotencyKey: 'k' }, http);

      expect(send.mock.calls.map(([, outbound]) => outbound.method)).toEqual(['GET', 'PATCH']);
      expect(JSON.parse(send.mock.calls[1][1].body ?? '')).toEqual({ metadata: { merchant_customer_id: 'mcid-1', plan: 'silver', n: '1' } });
    });

    it('refuses a change that would pass 10 metadata pairs with those held, before sending it', async () => {
      const held = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
      const { http, send } = answering(ok(stored({ ...held, merchant_customer_id: 'mcid-1' })));

      const error = await errorOf(sut.updateCustomer({ ...existing(), customer: change({ metadata: { extra: 'x' } }), idempotencyKey: 'k' }, http));

      expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'metadata' }] } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('does not require an email on update (the customer keeps its own)', () => {
      const validate = sut.validateChange;
      expect(validate(change({ name: 'Ann' }))).toEqual([]);
      expect(validate(change({ name: 'n'.repeat(256) }))).toEqual([expect.objectContaining({ field: 'customer_name' })]);
    });
  });

  describe('delete', () => {
    it('DELETEs {base}customers/{id}: 204', async () => {
      const { http, send } = answering(NO_CONTENT);

      await expect(sut.deleteCustomer({ ...existing(), idempotencyKey: 'k' }, http)).resolves.toEqual({ httpStatus: 204, responseHeaders: { 'cko-request-id': 'req_2' }, alreadyDeleted: false });
      expect(send.mock.calls[0][1]).toMatchObject({ method: 'DELETE', url: `${BASE}customers/${CUSTOMER_ID}` });
    });

    it('reads 404 as already deleted', async () => {
      await expect(sut.deleteCustomer({ ...existing(), idempotencyKey: 'k' }, answering(NOT_FOUND).http)).resolves.toMatchObject({ alreadyDeleted: true });
    });
  });

  describe('if Checkout.com allowed two customers with one email (the inferred claim false)', () => {
    const { sandbox, http } = useSandbox();
    let simulator: CheckoutSimulator;

    beforeEach(() => {
      simulator = sandbox.simulators.checkout;
      simulator.uniqueEmails = false;
    });

    it('a retry after a lost answer cannot create a second customer for the same merchant customer', async () => {
      const baseUrl = sandbox.baseUrl('checkout');
      await sut.createCustomer(callFor(change({ merchantCustomerId: 'someone-else', email: 'shared@example.com' }), { baseUrl }), http);
      const call = callFor(change({ email: 'shared@example.com' }), { baseUrl });

      const first = await errorOf(sut.createCustomer(call, http));
      const retry = await errorOf(sut.createCustomer(call, http));

      for (const error of [first, retry]) expect(error.details.connector?.code).toBe('email_held_by_another_customer');
      expect(simulator.customerCount()).toBe(1);
    });
  });
});
