import type { SandboxRequest } from '../sandbox-http';
import { MOLLIE_IDEMPOTENCY_RETENTION_MS, MollieSimulator } from './mollie.simulator';
import { postsTo } from './simulator-requests';

const KEY = 'test_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0';
const BODY = { name: 'Ann Lee', email: 'ann@example.com', locale: 'nl_NL', metadata: { merchant_customer_id: 'm-1' } };

const request = postsTo('/v2/customers', { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' });

describe(MollieSimulator.name, () => {
  let sut: MollieSimulator;
  const send = async (overrides: Partial<SandboxRequest> = {}) => {
    const response = await sut.handle(request(BODY, overrides));
    return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
  };
  const withKey = (idempotencyKey: string, body: unknown = BODY) =>
    send({ headers: { authorization: `Bearer ${KEY}`, 'idempotency-key': idempotencyKey }, body: JSON.stringify(body) });

  beforeEach(() => {
    sut = new MollieSimulator();
  });

  it('creates a customer: 201 hal+json with a cst_ id in the key’s mode', async () => {
    const response = await send();

    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/hal+json; charset=utf-8' });
    expect(response.json).toMatchObject({ resource: 'customer', id: expect.stringMatching(/^cst_[A-Za-z0-9]{10}$/), mode: 'test', ...BODY });
    expect(sut.customerCount()).toBe(1);
  });

  it('answers 401 in Mollie’s error shape without a valid key', async () => {
    const response = await send({ headers: { authorization: 'Bearer nope' } });

    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      status: 401,
      title: 'Unauthorized Request',
      detail: 'Missing authentication, or failed to authenticate',
      _links: { documentation: { href: expect.any(String), type: 'text/html' } },
    });
  });

  it.each<[string, unknown, string]>([
    ['an unknown parameter', { ...BODY, phone: '+31 20 123 4567' }, 'phone'],
    ['testmode with an API key', { ...BODY, testmode: true }, 'testmode'],
    ['a malformed email', { email: 'ann@' }, 'email'],
    ['an email domain not in Punycode', { email: 'zoë@bücher.example' }, 'email'],
    ['an unknown locale', { locale: 'en_AU' }, 'locale'],
    ['metadata over 1024 bytes of JSON', { metadata: { note: 'x'.repeat(1020) } }, 'metadata'],
  ])('refuses %s with 422 naming the field', async (_case, body, field) => {
    const response = await send({ body: JSON.stringify(body) });

    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({ status: 422, title: 'Unprocessable Entity', detail: expect.any(String), field });
    expect(sut.customerCount()).toBe(0);
  });

  it('takes testmode from an organization access token', async () => {
    const response = await send({ headers: { authorization: 'Bearer access_Hb2wqkqyg5sH8mVtWZ7kB8Rd3vTA3a' }, body: JSON.stringify({ ...BODY, testmode: true }) });

    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ mode: 'test' });
  });

  it('replays the first answer for the same key and body, marked Idempotent-Replayed, creating once', async () => {
    const first = await withKey('key-1');
    const replay = await withKey('key-1');

    expect(replay.status).toBe(201);
    expect(replay.json).toEqual(first.json);
    expect(replay.headers).toMatchObject({ 'idempotent-replayed': 'true' });
    expect(first.headers).not.toHaveProperty('idempotent-replayed');
    expect(sut.customerCount()).toBe(1);
  });

  it('answers 400 for the same key with other parameters', async () => {
    await withKey('key-1');
    const other = await withKey('key-1', { ...BODY, name: 'Ben Lee' });

    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(sut.customerCount()).toBe(1);
  });

  it('scopes keys to the account: another key may reuse the value', async () => {
    await withKey('key-1');
    const elsewhere = await send({ headers: { authorization: 'Bearer live_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0', 'idempotency-key': 'key-1' } });

    expect(elsewhere.status).toBe(201);
    expect(elsewhere.json).toMatchObject({ mode: 'live' });
    expect(sut.customerCount()).toBe(2);
  });

  it('never deduplicates by data: without a key the same customer is created again', async () => {
    await send();
    await send();

    expect(sut.customerCount()).toBe(2);
  });

  describe('purging stored answers (the SDK: re-attempt within an hour)', () => {
    let now: number;
    beforeEach(() => {
      now = Date.parse('2026-01-01T00:00:00Z');
      sut = new MollieSimulator(() => now);
    });

    it('replays within the hour', async () => {
      const first = await withKey('key-1');
      now += MOLLIE_IDEMPOTENCY_RETENTION_MS - 1;
      const replay = await withKey('key-1');

      expect(replay.json.id).toBe(first.json.id);
      expect(sut.customerCount()).toBe(1);
    });

    it('forgets the key after the hour: the same key and body create a second customer', async () => {
      const first = await withKey('key-1');
      now += MOLLIE_IDEMPOTENCY_RETENTION_MS;
      const late = await withKey('key-1');

      expect(late.status).toBe(201);
      expect(late.headers).not.toHaveProperty('idempotent-replayed');
      expect(late.json.id).not.toBe(first.json.id);
      expect(sut.customerCount()).toBe(2);
    });
  });

  describe('get, update, delete, list', () => {
    interface Page {
      count: number;
      _embedded: { customers: { id: string }[] };
      _links: { next: { href: string } | null };
    }
    const call = (method: string, path: string, body = '', authorization = `Bearer ${KEY}`) =>
      sut.handle({ method, path, headers: { authorization, 'content-type': 'application/json' }, body, receivedAt: Date.now() }).then((r) => ({ ...r, json: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : undefined }));
    const pageOf = async (path: string) => (await call('GET', path)).json as unknown as Page;
    const created = async (body: unknown = BODY) => (await send({ body: JSON.stringify(body) })).json.id as string;

    it('gets a customer in the create answer’s shape', async () => {
      const id = await created();
      const got = await call('GET', `/v2/customers/${id}`);

      expect(got.status).toBe(200);
      expect(got.json).toMatchObject({ resource: 'customer', id, mode: 'test', ...BODY, _links: { self: { href: `https://api.mollie.com/v2/customers/${id}` } } });
    });

    it('answers 404 for an unknown customer or one of another key', async () => {
      const id = await created();

      await expect(call('GET', '/v2/customers/cst_unknown0')).resolves.toMatchObject({ status: 404, json: { title: 'Not Found' } });
      await expect(call('GET', `/v2/customers/${id}`, '', 'Bearer live_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0')).resolves.toMatchObject({ status: 404 });
    });

    it('updates the fields given, metadata whole, and answers the customer', async () => {
      const id = await created();
      const updated = await call('PATCH', `/v2/customers/${id}`, JSON.stringify({ email: 'new@example.org', metadata: { only: 'this' } }));

      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ id, name: 'Ann Lee', email: 'new@example.org', locale: 'nl_NL', metadata: { only: 'this' } });
    });

    it.each<[string, unknown, string]>([
      ['an unknown parameter', { phone: '+31' }, 'phone'],
      ['a malformed email', { email: 'x@' }, 'email'],
      ['metadata over 1 kB', { metadata: { note: 'x'.repeat(1100) } }, 'metadata'],
    ])('refuses an update with %s (422 naming the field)', async (_case, body, field) => {
      const id = await created();

      await expect(call('PATCH', `/v2/customers/${id}`, JSON.stringify(body))).resolves.toMatchObject({ status: 422, json: { field } });
    });

    it('deletes with 204 and no body; the customer then answers 410 Gone, and so does a second delete', async () => {
      const id = await created();
      const deleted = await call('DELETE', `/v2/customers/${id}`);

      expect(deleted).toMatchObject({ status: 204, body: '' });
      await expect(call('GET', `/v2/customers/${id}`)).resolves.toMatchObject({ status: 410, json: { title: 'Gone' } });
      await expect(call('DELETE', `/v2/customers/${id}`)).resolves.toMatchObject({ status: 410 });
    });

    it('lists the key’s customers newest first, paged by limit and from', async () => {
      const ids = [await created(), await created(), await created()];
      const first = await pageOf('/v2/customers?limit=2');
      const next = new URL(first._links.next!.href);
      const second = await pageOf(`/v2/customers${next.search}`);

      expect(first._embedded.customers.map((c) => c.id)).toEqual([ids[2], ids[1]]);
      expect(first.count).toBe(2);
      expect(second._embedded.customers.map((c) => c.id)).toEqual([ids[0]]);
      expect(second._links.next).toBeNull();
    });

    it('refuses a limit over 250', async () => {
      await expect(call('GET', '/v2/customers?limit=251')).resolves.toMatchObject({ status: 400, json: { field: 'limit' } });
    });

    it('names the profile of an API key and the organization of an access token', async () => {
      await expect(call('GET', '/v2/profiles/me')).resolves.toMatchObject({ status: 200, json: { resource: 'profile', id: expect.stringMatching(/^pfl_/) } });
      await expect(call('GET', '/v2/organizations/me', '', 'Bearer access_Hb2wqkqyg5sH8mVtWZ7kB8Rd3vTA3a')).resolves.toMatchObject({ json: { resource: 'organization', id: expect.stringMatching(/^org_/) } });
    });
  });
});
