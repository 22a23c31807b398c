import type { SandboxRequest } from '../sandbox-http';
import { StripeSimulator } from './stripe.simulator';
import { answerOf } from './simulator-requests';

const KEY = 'sk_test_51SimulatorSpecKey';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface StripeAnswer {
  id?: string;
  object?: string;
  deleted?: boolean;
  email?: string | null;
  name?: string | null;
  address?: Record<string, string | null> | null;
  shipping?: { name: string | null; address: Record<string, string | null> } | null;
  metadata?: Record<string, string>;
  error?: { type: string; code?: string; message: string; param?: string };
}

describe(StripeSimulator.name, () => {
  let sut: StripeSimulator;
  const send = (method: string, path: string, body = '', headers: SandboxRequest['headers'] = {}, key = KEY) =>
    answerOf<StripeAnswer>(sut, { method, path, body, headers: { authorization: `Bearer ${key}`, ...(body ? FORM : {}), ...headers }, receivedAt: Date.now() });
  const create = async (body = 'email=ann%40example.com&name=Ann&address[line1]=1%20Main&address[city]=Austin&metadata[merchant_customer_id]=m-1&metadata[plan]=gold', key = KEY) =>
    (await send('POST', '/v1/customers', body, {}, key)).body.id!;

  beforeEach(() => {
    sut = new StripeSimulator();
  });

  it('retrieves a customer in Stripe’s shape, nulls included', async () => {
    const id = await create();

    const { status, body } = await send('GET', `/v1/customers/${id}`);

    expect(status).toBe(200);
    expect(body).toMatchObject({ id, object: 'customer', email: 'ann@example.com', name: 'Ann', shipping: null, metadata: { merchant_customer_id: 'm-1', plan: 'gold' } });
    expect(body.address).toEqual({ line1: '1 Main', line2: null, city: 'Austin', state: null, postal_code: null, country: null });
  });

  it('updates what is sent: metadata merged key by key (an empty value unsets one), an address replaced whole', async () => {
    const id = await create();

    const { status, body } = await send('POST', `/v1/customers/${id}`, 'address[city]=Dallas&metadata[plan]=&metadata[tier]=2&email=new%40example.com');

    expect(status).toBe(200);
    expect(body).toMatchObject({ email: 'new@example.com', name: 'Ann', metadata: { merchant_customer_id: 'm-1', tier: '2' } });
    expect(body.address).toEqual({ line1: null, line2: null, city: 'Dallas', state: null, postal_code: null, country: null });
  });

  it('replays an update with the same key and body, and refuses the key with other parameters', async () => {
    const id = await create();
    const first = await send('POST', `/v1/customers/${id}`, 'name=Bea', { 'idempotency-key': 'k-1' });
    const replay = await send('POST', `/v1/customers/${id}`, 'name=Bea', { 'idempotency-key': 'k-1' });
    const other = await send('POST', `/v1/customers/${id}`, 'name=Cy', { 'idempotency-key': 'k-1' });

    expect(replay).toEqual(first);
    expect(other).toMatchObject({ status: 400, body: { error: { type: 'idempotency_error' } } });
  });

  it.each([
    ['an unknown parameter', 'payment_method=pm_1', 'parameter_unknown'],
    ['a shipping without a name', 'shipping[address][line1]=x', 'parameter_missing'],
    ['an invalid email', 'email=nope', 'email_invalid'],
  ])('refuses an update with %s', async (_case, body, code) => {
    const id = await create();

    await expect(send('POST', `/v1/customers/${id}`, body)).resolves.toMatchObject({ status: 400, body: { error: { code } } });
  });

  it('deletes a customer: it stays retrievable as deleted, and is then unknown to update and delete', async () => {
    const id = await create();

    await expect(send('DELETE', `/v1/customers/${id}`)).resolves.toEqual({ status: 200, body: { id, object: 'customer', deleted: true } });
    await expect(send('GET', `/v1/customers/${id}`)).resolves.toEqual({ status: 200, body: { id, object: 'customer', deleted: true } });
    for (const [method, body] of [['DELETE', ''], ['POST', 'name=x']]) {
      await expect(send(method, `/v1/customers/${id}`, body)).resolves.toMatchObject({ status: 404, body: { error: { code: 'resource_missing', param: 'id' } } });
    }
    expect(sut.customerCount()).toBe(1);
    expect(sut.customersFor('m-1')).toEqual([]);
  });

  it('keeps customers to their account and mode', async () => {
    const id = await create();

    await expect(send('GET', `/v1/customers/${id}`, '', {}, 'sk_test_51AnotherAccountKey')).resolves.toMatchObject({ status: 404, body: { error: { code: 'resource_missing' } } });
    await expect(send('GET', `/v1/customers/${id}`, '', {}, 'sk_live_51SimulatorSpecKey')).resolves.toMatchObject({ status: 404 });
    await expect(send('GET', '/v1/customers/cus_unknown')).resolves.toMatchObject({ status: 404, body: { error: { code: 'resource_missing' } } });
  });

  it('names the key’s account at GET /v1/account, the same for a rolled key', async () => {
    const before = await send('GET', '/v1/account');
    sut.addKey(KEY, 'sk_test_51RolledSimulatorKey');
    const rolled = await send('GET', '/v1/account', '', {}, 'sk_test_51RolledSimulatorKey');
    const other = await send('GET', '/v1/account', '', {}, 'sk_test_51AnotherAccountKey');

    expect(before.body).toMatchObject({ id: expect.stringMatching(/^acct_[0-9a-f]{16}$/), object: 'account' });
    expect(rolled.body.id).toBe(before.body.id);
    expect(other.body.id).not.toBe(before.body.id);
  });

  it('lets a rolled key reach the customers of its account', async () => {
    const id = await create();
    sut.addKey(KEY, 'sk_test_51RolledSimulatorKey');

    await expect(send('GET', `/v1/customers/${id}`, '', {}, 'sk_test_51RolledSimulatorKey')).resolves.toMatchObject({ status: 200, body: { id } });
  });

  it.each([
    ['GET', '/v1/customers/cus_x'],
    ['POST', '/v1/customers/cus_x'],
    ['DELETE', '/v1/customers/cus_x'],
    ['GET', '/v1/account'],
  ])('refuses %s %s without a valid key', async (method, path) => {
    await expect(send(method, path, '', {}, 'not-a-key')).resolves.toMatchObject({ status: 401, body: { error: { type: 'invalid_request_error' } } });
  });
});
