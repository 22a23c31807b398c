import type { SandboxRequest, SandboxResponse } from '../sandbox-http';
import { AirwallexSimulator } from './airwallex.simulator';

const START = Date.parse('2026-11-26T12:00:00Z');

function request(method: string, path: string, headers: Record<string, string> = {}, body = ''): SandboxRequest {
  return { method, path, headers, body, receivedAt: START };
}

const parsed = (response: SandboxResponse) => JSON.parse(response.body) as Record<string, unknown>;

describe(AirwallexSimulator.name, () => {
  let now: number;
  let sut: AirwallexSimulator;

  beforeEach(() => {
    now = START;
    sut = new AirwallexSimulator(() => now);
  });

  async function login(clientId = 'client-a'): Promise<string> {
    const response = await sut.handle(request('POST', '/api/v1/authentication/login', { 'x-client-id': clientId, 'x-api-key': 'key-a' }));
    expect(response.status).toBe(201);
    return parsed(response).token as string;
  }

  const create = (token: string, body: unknown, contentType = 'application/json') =>
    sut.handle(request('POST', '/api/v1/pa/customers/create', { authorization: `Bearer ${token}`, 'content-type': contentType }, typeof body === 'string' ? body : JSON.stringify(body)));
  const list = (token: string, query = '') => sut.handle(request('GET', `/api/v1/pa/customers${query}`, { authorization: `Bearer ${token}` }));

  describe('login', () => {
    it('answers 201 with a token expiring in 30 minutes, in Airwallex’s timestamp format', async () => {
      const response = await sut.handle(request('POST', '/api/v1/authentication/login', { 'x-client-id': 'client-a', 'x-api-key': 'key-a' }));

      expect(response.status).toBe(201);
      expect(parsed(response)).toEqual({ token: expect.any(String), expires_at: '2026-11-26T12:30:00+0000' });
      expect(sut.logins()).toBe(1);
    });

    it.each([
      ['no headers', {}],
      ['no API key', { 'x-client-id': 'client-a' }],
      ['no client id', { 'x-api-key': 'key-a' }],
    ])('refuses %s with 401 unauthorized', async (_case, headers) => {
      const response = await sut.handle(request('POST', '/api/v1/authentication/login', headers));

      expect(response.status).toBe(401);
      expect(parsed(response)).toEqual({ code: 'unauthorized', message: 'Access denied, authentication failed' });
    });
  });

  describe('create', () => {
    it('creates a customer with the token, answering 201 with its cus_ id and the fields sent', async () => {
      const token = await login();

      const response = await create(token, { request_id: 'r-1', merchant_customer_id: 'm-1', first_name: 'Ann', address: { country_code: 'US', city: 'Austin' } });

      expect(response.status).toBe(201);
      expect(parsed(response)).toMatchObject({ id: expect.stringMatching(/^cus_/), request_id: 'r-1', merchant_customer_id: 'm-1', first_name: 'Ann', address: { country_code: 'US', city: 'Austin' } });
      expect(sut.customerCount()).toBe(1);
    });

    it.each([
      ['no token', undefined],
      ['an unknown token', 'not-a-token'],
    ])('refuses %s with 401', async (_case, token) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) };

      const response = await sut.handle(request('POST', '/api/v1/pa/customers/create', headers, '{"request_id":"r","merchant_customer_id":"m"}'));

      expect(response.status).toBe(401);
    });

    it('refuses a token past its 30 minutes, and one expired on demand', async () => {
      const token = await login();
      now = START + 30 * 60_000;
      expect((await create(token, { request_id: 'r-1', merchant_customer_id: 'm-1' })).status).toBe(401);

      now = START;
      const fresh = await login();
      sut.expireTokens();
      expect((await create(fresh, { request_id: 'r-2', merchant_customer_id: 'm-1' })).status).toBe(401);
      expect(sut.customerCount()).toBe(0);
    });

    it('answers a request_id used before on the account with 400 duplicate_request, creating nothing', async () => {
      const token = await login();
      await create(token, { request_id: 'r-1', merchant_customer_id: 'm-1' });

      const again = await create(token, { request_id: 'r-1', merchant_customer_id: 'm-1' });

      expect(again.status).toBe(400);
      expect(parsed(again)).toMatchObject({ code: 'duplicate_request' });
      expect(sut.customerCount()).toBe(1);
    });

    it('scopes request_ids to the account', async () => {
      await create(await login('client-a'), { request_id: 'r-1', merchant_customer_id: 'm-1' });

      const response = await create(await login('client-b'), { request_id: 'r-1', merchant_customer_id: 'm-1' });

      expect(response.status).toBe(201);
    });

    it.each<[string, unknown, string]>([
      ['a missing request_id', { merchant_customer_id: 'm' }, 'request_id'],
      ['a missing merchant_customer_id', { request_id: 'r' }, 'merchant_customer_id'],
      ['a request_id over 64 characters', { request_id: 'r'.repeat(65), merchant_customer_id: 'm' }, 'request_id'],
      ['a merchant_customer_id over 64 characters', { request_id: 'r', merchant_customer_id: 'm'.repeat(65) }, 'merchant_customer_id'],
      ['a first_name over 128 characters', { request_id: 'r', merchant_customer_id: 'm', first_name: 'f'.repeat(129) }, 'first_name'],
      ['an email over 256 characters', { request_id: 'r', merchant_customer_id: 'm', email: `${'e'.repeat(245)}@example.com` }, 'email'],
      ['an invalid email', { request_id: 'r', merchant_customer_id: 'm', email: 'not-an-email' }, 'email'],
      ['an address without country_code', { request_id: 'r', merchant_customer_id: 'm', address: { city: 'Austin' } }, 'address.country_code'],
      ['a postcode over 10 characters', { request_id: 'r', merchant_customer_id: 'm', address: { country_code: 'US', postcode: '12345678901' } }, 'address.postcode'],
      ['an unknown address field', { request_id: 'r', merchant_customer_id: 'm', address: { country_code: 'US', line1: 'x' } }, 'address.line1'],
      ['an unknown field', { request_id: 'r', merchant_customer_id: 'm', name: 'Ann Lee' }, 'name'],
      ['a metadata value that is not a string', { request_id: 'r', merchant_customer_id: 'm', metadata: { tier: 1 } }, 'metadata.tier'],
      ['a body that is not JSON', '{"request_id":', 'body'],
    ])('refuses %s with 400 validation_error naming the source', async (_case, body, source) => {
      const response = await create(await login(), body);

      expect(response.status).toBe(400);
      expect(parsed(response)).toMatchObject({ code: 'validation_error', source });
      expect(sut.customerCount()).toBe(0);
    });

    it('refuses a body that is not JSON-typed', async () => {
      const response = await create(await login(), { request_id: 'r', merchant_customer_id: 'm' }, 'application/x-www-form-urlencoded');

      expect(parsed(response)).toMatchObject({ code: 'validation_error', source: 'content-type' });
    });

    it('does not spend a request_id on a refused body', async () => {
      const token = await login();
      await create(token, { request_id: 'r-1', merchant_customer_id: 'm', email: 'bad' });

      expect((await create(token, { request_id: 'r-1', merchant_customer_id: 'm' })).status).toBe(201);
    });
  });

  describe('list', () => {
    it('filters by merchant_customer_id and pages with page_num, page_size and has_more', async () => {
      const token = await login();
      for (let i = 0; i < 3; i++) await create(token, { request_id: `r-${i}`, merchant_customer_id: 'm-1' });
      await create(token, { request_id: 'r-other', merchant_customer_id: 'm-2' });

      const first = parsed(await list(token, '?merchant_customer_id=m-1&page_num=0&page_size=2'));
      const second = parsed(await list(token, '?merchant_customer_id=m-1&page_num=1&page_size=2'));

      expect(first).toMatchObject({ has_more: true, items: [{ request_id: 'r-0' }, { request_id: 'r-1' }] });
      expect(second).toMatchObject({ has_more: false, items: [{ request_id: 'r-2' }] });
    });

    it('lists only the account’s own customers', async () => {
      await create(await login('client-a'), { request_id: 'r-1', merchant_customer_id: 'm-1' });

      expect(parsed(await list(await login('client-b'), '?merchant_customer_id=m-1'))).toEqual({ has_more: false, items: [] });
    });

    it('refuses an out-of-range page_size', async () => {
      expect((await list(await login(), '?page_size=1000')).status).toBe(400);
    });
  });

  it('answers an unknown endpoint with 404 not_found', async () => {
    const response = await sut.handle(request('POST', '/api/v1/pa/customers'));

    expect(response.status).toBe(404);
    expect(parsed(response)).toMatchObject({ code: 'not_found' });
  });

  it('forgets customers, request_ids and tokens on reset', async () => {
    const token = await login();
    await create(token, { request_id: 'r-1', merchant_customer_id: 'm-1' });

    sut.reset();

    expect(sut.customerCount()).toBe(0);
    expect(sut.logins()).toBe(0);
    expect((await create(token, { request_id: 'r-1', merchant_customer_id: 'm-1' })).status).toBe(401);
  });

  describe('retrieve and update', () => {
    const BODY = { request_id: 'req-1', merchant_customer_id: 'mcid-1', email: 'ann@example.com', metadata: { plan: 'gold' } };
    const retrieve = (token: string, id: string) => sut.handle(request('GET', `/api/v1/pa/customers/${id}`, { authorization: `Bearer ${token}` }));
    const update = (token: string, id: string, body: unknown) =>
      sut.handle(request('POST', `/api/v1/pa/customers/${id}/update`, { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, JSON.stringify(body)));

    it('retrieves a customer as created', async () => {
      const token = await login();
      const id = parsed(await create(token, BODY)).id as string;
      const response = await retrieve(token, id);

      expect(response.status).toBe(200);
      expect(parsed(response)).toMatchObject({ id, ...BODY });
    });

    it('answers 404 resource_not_found for an unknown customer or one of another account', async () => {
      const token = await login();
      const id = parsed(await create(token, BODY)).id as string;
      const other = await login('client-b');

      expect(parsed(await retrieve(token, 'cus_unknown'))).toMatchObject({ code: 'resource_not_found' });
      expect((await retrieve(other, id)).status).toBe(404);
    });

    it('updates the fields given (metadata whole) under a new request_id', async () => {
      const token = await login();
      const id = parsed(await create(token, BODY)).id as string;
      now += 60_000;
      const response = await update(token, id, { request_id: 'req-2', first_name: 'Ann', metadata: { source: 'web' } });

      expect(response.status).toBe(200);
      expect(parsed(response)).toMatchObject({ id, merchant_customer_id: 'mcid-1', email: 'ann@example.com', first_name: 'Ann', metadata: { source: 'web' }, updated_at: '2026-11-26T12:01:00+0000' });
      expect(sut.customerCount()).toBe(1);
    });

    it.each<[string, unknown, string, string]>([
      ['no request_id', { email: 'x@example.com' }, 'validation_error', 'request_id'],
      ['a changed merchant_customer_id', { request_id: 'req-2', merchant_customer_id: 'other' }, 'validation_error', 'merchant_customer_id'],
      ['an email over 256 characters', { request_id: 'req-2', email: `${'e'.repeat(250)}@example.com` }, 'validation_error', 'email'],
      ['the create’s request_id again', { request_id: 'req-1', email: 'x@example.com' }, 'duplicate_request', ''],
    ])('refuses an update with %s', async (_case, body, code, source) => {
      const token = await login();
      const id = parsed(await create(token, BODY)).id as string;
      const response = await update(token, id, body);

      expect(response.status).toBe(400);
      expect(parsed(response)).toMatchObject({ code, ...(source && { source }) });
    });

    it('offers no delete', async () => {
      const token = await login();
      const id = parsed(await create(token, BODY)).id as string;

      expect((await sut.handle(request('DELETE', `/api/v1/pa/customers/${id}`, { authorization: `Bearer ${token}` }))).status).toBe(404);
    });
  });
});
