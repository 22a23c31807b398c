import type { SandboxRequest } from '../sandbox-http';
import { MollieSimulator } from './mollie.simulator';
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
});
