import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { ExistingCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { MollieSimulator } from '@app/testing/sandbox/simulators/mollie.simulator';
import { MOLLIE_LOOKUP_MAX_PAGES, MOLLIE_REPLAY_WINDOW_HOURS, MollieConnector } from './mollie.connector';

const API_KEY = 'test_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0';
const ACCESS_TOKEN = 'access_Hb2wqkqyg5sH8mVtWZ7kB8Rd3vTA3a';
const BASE = 'https://api.mollie.com/';
const HAL = { 'content-type': 'application/hal+json; charset=utf-8' };

const customerBody = (id: string, metadata: unknown = { merchant_customer_id: 'mcid-1', plan: 'gold' }) => ({
  resource: 'customer',
  id,
  mode: 'test',
  name: 'Customer A',
  email: 'customer@example.org',
  locale: 'nl_NL',
  metadata,
  createdAt: '2018-04-06T13:23:21.0Z',
  _links: { self: { href: `https://api.mollie.com/v2/customers/${id}`, type: 'application/hal+json' } },
});
const ok = (body: unknown, status = 200): InboundResponse => ({ status, headers: HAL, body: JSON.stringify(body) });
const problem = (status: number, title: string, detail: string): InboundResponse => ({
  status,
  headers: HAL,
  body: JSON.stringify({ status, title, detail, _links: { documentation: { href: 'https://docs.mollie.com/overview/handling-errors', type: 'text/html' } } }),
});
const page = (ids: [string, unknown][], next?: string): InboundResponse =>
  ok({
    count: ids.length,
    _embedded: { customers: ids.map(([id, metadata]) => customerBody(id, metadata)) },
    _links: { self: { href: `${BASE}v2/customers`, type: 'application/hal+json' }, previous: null, next: next ? { href: `${BASE}v2/customers?from=${next}&limit=250`, type: 'application/hal+json' } : null },
  });

const existing = (overrides: Partial<ExistingCustomerCall> = {}): ExistingCustomerCall => ({
  connectorCustomerId: 'cst_8wmqcHMN4U',
  merchantCustomerId: 'mcid-1',
  reference: 'stablereference0000000000a',
  credentials: { api_key: API_KEY },
  baseUrl: BASE,
  testMode: true,
  ...overrides,
});
const change = (customer: Partial<CustomerProfile>): CustomerProfile => ({ merchantCustomerId: 'mcid-1', metadata: {}, featureData: {}, ...customer });
const callFor = callBuilder({ credentials: { api_key: API_KEY }, baseUrl: BASE });

describe(`${MollieConnector.name} lifecycle`, () => {
  const sut = driving(new MollieConnector());

  describe('replay window (issue 13 item 1)', () => {
    it('declares the hour the SDK documents, a lookup by merchant_customer_id, and a conclusive lookup', () => {
      const { capabilities } = new MollieConnector().descriptor;
      expect(MOLLIE_REPLAY_WINDOW_HOURS).toBe(1);
      expect(capabilities).toMatchObject({ replaysSafely: true, replayWindowHours: 1, lookupIsConclusive: true });
      expect(capabilities.claims).toEqual(expect.arrayContaining([expect.objectContaining({ source: expect.stringContaining('src/types/parameters.ts') })]));
      expect(sut.connector.flows.findCreated?.shape).toBe('conversation');
    });
  });

  describe('findCreated', () => {
    it('lists customers 250 at a time and returns the one whose metadata names this merchant customer', async () => {
      const { http, send } = answering(page([['cst_other', { merchant_customer_id: 'mcid-2' }], ['cst_ours', { merchant_customer_id: 'mcid-1' }]]));

      await expect(sut.findCreatedCustomer(callFor(change({})), http)).resolves.toMatchObject({ connectorCustomerId: 'cst_ours', httpStatus: 200 });
      expect(send.mock.calls[0][1]).toMatchObject({ method: 'GET', url: `${BASE}v2/customers?limit=250`, headers: { authorization: `Bearer ${API_KEY}` } });
    });

    it('follows the next link by its `from` and keeps the oldest of several matches on a page (newest first)', async () => {
      const { http, send } = answering(
        page([['cst_a', null]], 'cst_b'),
        page([['cst_newer', { merchant_customer_id: 'mcid-1' }], ['cst_older', { merchant_customer_id: 'mcid-1' }]]),
      );

      await expect(sut.findCreatedCustomer(callFor(change({})), http)).resolves.toMatchObject({ connectorCustomerId: 'cst_older' });
      expect(send.mock.calls[1][1].url).toBe(`${BASE}v2/customers?limit=250&from=cst_b`);
    });

    it('answers not found once the list ends without a match', async () => {
      const { http } = answering(page([['cst_a', 'a string'], ['cst_b', null], ['cst_c', { merchant_customer_id: 'mcid-10' }]]));

      await expect(sut.findCreatedCustomer(callFor(change({})), http)).resolves.toBeUndefined();
    });

    it(`reports the outcome unknown, not "not found", when ${MOLLIE_LOOKUP_MAX_PAGES} pages end without the list ending`, async () => {
      const pages = Array.from({ length: MOLLIE_LOOKUP_MAX_PAGES }, (_, i) => page([[`cst_${i}`, null]], `cst_${i + 1}`));

      const error = await errorOf(sut.findCreatedCustomer(callFor(change({})), answering(...pages).http));

      expect(error).toMatchObject({ reason: ErrorReason.CreateOutcomeUnknown, details: { outcomeUnknown: true, connector: { code: 'lookup_incomplete' } } });
    });

    it('names the mode with an organization access token', async () => {
      const { http, send } = answering(page([]));

      await sut.findCreatedCustomer(callFor(change({}), { credentials: { api_key: ACCESS_TOKEN }, testMode: true }), http);

      expect(send.mock.calls[0][1].url).toBe(`${BASE}v2/customers?limit=250&testmode=true`);
    });
  });

  describe('get', () => {
    it('GETs {base}v2/customers/{id} and reads the record Mollie holds', async () => {
      const { http, send } = answering(ok(customerBody('cst_8wmqcHMN4U')));

      await expect(sut.getCustomer(existing(), http)).resolves.toEqual({
        connectorCustomerId: 'cst_8wmqcHMN4U',
        httpStatus: 200,
        responseHeaders: HAL,
        record: { name: 'Customer A', email: 'customer@example.org', metadata: { merchant_customer_id: 'mcid-1', plan: 'gold' } },
      });
      expect(send.mock.calls[0][1]).toMatchObject({ method: 'GET', url: `${BASE}v2/customers/cst_8wmqcHMN4U`, headers: { authorization: `Bearer ${API_KEY}` } });
    });

    it('reads null fields as absent and non-string metadata values as JSON', async () => {
      const body = { ...customerBody('cst_8wmqcHMN4U', { n: 1, o: { a: true } }), name: null, email: null };

      await expect(sut.getCustomer(existing(), answering(ok(body)).http)).resolves.toMatchObject({ record: { name: undefined, email: undefined, metadata: { n: '1', o: '{"a":true}' } } });
    });

    it.each([
      ['an unknown customer (404)', problem(404, 'Not Found', 'No customer exists with token cst_8wmqcHMN4U.'), 'Not Found'],
      ['a deleted customer (410)', problem(410, 'Gone', 'You are trying to access an object, which has previously been deleted'), 'Gone'],
    ])('answers %s as ConnectorNotFound, keeping Mollie’s title', async (_case, response, code) => {
      const error = await errorOf(sut.getCustomer(existing(), answering(response).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { connector: 'mollie', code } } });
    });
  });

  describe('update', () => {
    it('PATCHes only the fields that change, without an idempotency key (Mollie ignores it on PATCH)', async () => {
      const { http, send } = answering(ok(customerBody('cst_8wmqcHMN4U')));

      const updated = await sut.updateCustomer({ ...existing(), customer: change({ email: 'new@example.org' }), idempotencyKey: 'k-1' }, http);

      expect(updated).toMatchObject({ connectorCustomerId: 'cst_8wmqcHMN4U', httpStatus: 200, record: { email: 'customer@example.org' } });
      const [[, patch]] = send.mock.calls;
      expect(patch).toMatchObject({ method: 'PATCH', url: `${BASE}v2/customers/cst_8wmqcHMN4U` });
      expect(patch.headers).not.toHaveProperty('idempotency-key');
      expect(JSON.parse(patch.body ?? '')).toEqual({ email: 'new@example.org' });
    });

    it('reads the customer first when metadata changes, and sends the merged map (Mollie replaces metadata whole)', async () => {
      const { http, send } = answering(ok(customerBody('cst_8wmqcHMN4U', { merchant_customer_id: 'mcid-1', plan: 'gold', n: 1 })), ok(customerBody('cst_8wmqcHMN4U')));

      await sut.updateCustomer({ ...existing(), customer: change({ name: 'Ann', metadata: { plan: 'silver', extra: 'x' } }), idempotencyKey: 'k-1' }, http);

      expect(send.mock.calls.map(([, outbound]) => outbound.method)).toEqual(['GET', 'PATCH']);
      expect(JSON.parse(send.mock.calls[1][1].body ?? '')).toEqual({ name: 'Ann', metadata: { merchant_customer_id: 'mcid-1', plan: 'silver', n: 1, extra: 'x' } });
    });

    it('refuses a change whose merged metadata would pass 1 kB, before sending it', async () => {
      const { http, send } = answering(ok(customerBody('cst_8wmqcHMN4U', { merchant_customer_id: 'mcid-1', big: 'x'.repeat(900) })));

      const error = await errorOf(sut.updateCustomer({ ...existing(), customer: change({ metadata: { more: 'y'.repeat(200) } }), idempotencyKey: 'k-1' }, http));

      expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'metadata' }] } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('sends testmode in the body with an organization access token', async () => {
      const { http, send } = answering(ok(customerBody('cst_8wmqcHMN4U')));

      await sut.updateCustomer({ ...existing({ credentials: { api_key: ACCESS_TOKEN } }), customer: change({ name: 'Ann' }), idempotencyKey: 'k' }, http);

      expect(JSON.parse(send.mock.calls[0][1].body ?? '')).toEqual({ name: 'Ann', testmode: true });
    });

    it('answers a deleted customer (410) as ConnectorNotFound', async () => {
      const error = await errorOf(sut.updateCustomer({ ...existing(), customer: change({ name: 'Ann' }), idempotencyKey: 'k' }, answering(problem(410, 'Gone', 'deleted')).http));

      expect(error.reason).toBe(ErrorReason.ConnectorNotFound);
    });
  });

  describe('delete', () => {
    it('DELETEs {base}v2/customers/{id}: 204 with no body', async () => {
      const { http, send } = answering({ status: 204, headers: {}, body: '' });

      await expect(sut.deleteCustomer({ ...existing(), idempotencyKey: 'k' }, http)).resolves.toEqual({ httpStatus: 204, responseHeaders: {}, alreadyDeleted: false });
      expect(send.mock.calls[0][1]).toMatchObject({ method: 'DELETE', url: `${BASE}v2/customers/cst_8wmqcHMN4U` });
      expect(send.mock.calls[0][1].body).toBeUndefined();
    });

    it.each([
      ['404', problem(404, 'Not Found', 'No customer exists with token cst_8wmqcHMN4U.')],
      ['410', problem(410, 'Gone', 'You are trying to access an object, which has previously been deleted')],
    ])('reads %s as already deleted (a retry after a lost answer)', async (_status, response) => {
      await expect(sut.deleteCustomer({ ...existing(), idempotencyKey: 'k' }, answering(response).http)).resolves.toMatchObject({ alreadyDeleted: true });
    });

    it('keeps other refusals errors (401)', async () => {
      const error = await errorOf(sut.deleteCustomer({ ...existing(), idempotencyKey: 'k' }, answering(problem(401, 'Unauthorized Request', 'Missing authentication')).http));

      expect(error.reason).toBe(ErrorReason.ConnectorAuthenticationFailed);
    });
  });

  describe('identifyAccount', () => {
    it('asks GET v2/profiles/me for an API key and names the profile with the key’s mode', async () => {
      const { http, send } = answering(ok({ resource: 'profile', id: 'pfl_QkEhN94Ba', mode: 'live' }));

      await expect(sut.identifyAccount({ credentials: { api_key: API_KEY }, baseUrl: BASE, testMode: false }, http)).resolves.toEqual({ accountId: 'pfl_QkEhN94Ba:test' });
      expect(send.mock.calls[0][1]).toMatchObject({ method: 'GET', url: `${BASE}v2/profiles/me` });
    });

    it('asks GET v2/organizations/me for an access token, with the call’s mode', async () => {
      const { http, send } = answering(ok({ resource: 'organization', id: 'org_12345678' }));

      await expect(sut.identifyAccount({ credentials: { api_key: ACCESS_TOKEN }, baseUrl: BASE, testMode: false }, http)).resolves.toEqual({ accountId: 'org_12345678:live' });
      expect(send.mock.calls[0][1].url).toBe(`${BASE}v2/organizations/me`);
    });
  });

  describe('against the sandbox, with its clock', () => {
    const { sandbox, http } = useSandbox();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const simulator = (): MollieSimulator => sandbox.simulators.mollie;

    beforeEach(() => {
      now = Date.parse('2026-01-01T00:00:00Z');
      simulator().useClock(() => now);
    });

    it('a retry after the hour would duplicate with the old key; reconciliation finds the first customer instead', async () => {
      const call = callFor(change({ email: 'ann@example.org' }), { baseUrl: sandbox.baseUrl('mollie') });
      const first = await sut.createCustomer(call, http);

      now += MOLLIE_REPLAY_WINDOW_HOURS * 3_600_000 + 1;
      const found = await sut.findCreatedCustomer(call, http);
      expect(found?.connectorCustomerId).toBe(first.connectorCustomerId);

      const blind = await sut.createCustomer(call, http);
      expect(blind.connectorCustomerId).not.toBe(first.connectorCustomerId);
      expect(simulator().customerCount()).toBe(2);
    });

    it('within the hour the same key replays the first customer', async () => {
      const call = callFor(change({}), { baseUrl: sandbox.baseUrl('mollie') });
      const first = await sut.createCustomer(call, http);

      now += 59 * 60_000;
      await expect(sut.createCustomer(call, http)).resolves.toMatchObject({ connectorCustomerId: first.connectorCustomerId });
      expect(simulator().customerCount()).toBe(1);
    });
  });
});
