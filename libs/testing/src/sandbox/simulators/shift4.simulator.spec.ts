import type { SandboxRequest } from '../sandbox-http';
import { SHIFT4_IDEMPOTENCY_MISMATCH, SHIFT4_KEY_RETENTION_MS, Shift4Simulator } from './shift4.simulator';
import { answerOf, postsTo } from './simulator-requests';

const KEY = 'sk_test_SimulatorSpecKey';
const OTHER_KEY = 'sk_test_AnotherAccountKey';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const HEADERS = { authorization: basic(KEY), 'content-type': 'application/json' };
const BODY = { email: 'ann@example.com', description: 'Ann Lee', metadata: { merchant_customer_id: 'm-1', plan: 'gold' } };
/** shift4-java BillingRequest / AddressRequest. */
const BILLING = { name: 'Ann Lee', email: 'billing@example.com', phone: '+14155550199', vat: 'US1', address: { line1: '1 Main Street', line2: 'Floor 2', zip: '94107', city: 'San Francisco', state: 'CA', country: 'US' } };

const post = postsTo('/customers', HEADERS);
const withKey = (idempotencyKey: string, body: unknown = BODY, path = '/customers') => post(body, { path, headers: { ...HEADERS, 'idempotency-key': idempotencyKey } });
const call = (method: string, path: string, key = KEY): SandboxRequest => ({ method, path, headers: { authorization: basic(key) }, body: '', receivedAt: Date.now() });

interface Customer {
  id: string;
  email: string;
  description: string | null;
  deleted: boolean;
  metadata: Record<string, string>;
}
interface ErrorBody {
  error: { type: string; message: string };
}

describe(Shift4Simulator.name, () => {
  let now: number;
  let sut: Shift4Simulator;
  const created = async (body: unknown = BODY) => (await answerOf<Customer>(sut, post(body))).body;

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    sut = new Shift4Simulator(() => now);
  });

  describe('creating', () => {
    it('creates a customer: 200 with a cust_ id, not deleted, the body’s fields', async () => {
      const answer = await answerOf<Customer>(sut, post(BODY));

      expect(answer).toEqual({ status: 200, body: expect.objectContaining({ id: expect.stringMatching(/^cust_[A-Za-z0-9]{24}$/), deleted: false, ...BODY }) });
      expect(sut.customerCount()).toBe(1);
    });

    it('keeps the phoneNumber and billing of shift4-java’s CustomerRequest, and shows neither when not given', async () => {
      const withBoth = await created({ ...BODY, phoneNumber: '+14155550123', billing: BILLING });
      const without = await created();

      expect(withBoth).toMatchObject({ phoneNumber: '+14155550123', billing: BILLING });
      await expect(answerOf(sut, call('GET', `/customers/${withBoth.id}`))).resolves.toMatchObject({ body: { phoneNumber: '+14155550123', billing: BILLING } });
      expect(without).not.toHaveProperty('phoneNumber');
      expect(without).not.toHaveProperty('billing');
    });

    it.each([
      ['an unknown parameter', { ...BODY, phone: '+1' }, 'Unrecognized parameter: phone'],
      ['a phoneNumber that is not a string', { ...BODY, phoneNumber: 14155550123 }, 'phoneNumber: must be a string'],
      ['billing that is not an object', { ...BODY, billing: 'Ann' }, 'billing: must be an object'],
      ['an unknown billing field', { ...BODY, billing: { firstName: 'Ann' } }, 'Unrecognized parameter: billing.firstName'],
      ['a billing field that is not a string', { ...BODY, billing: { phone: 1 } }, 'billing.phone: must be a string'],
      ['an unknown address field', { ...BODY, billing: { address: { zipCode: '94107' } } }, 'Unrecognized parameter: billing.address.zipCode'],
      ['an address field that is not a string', { ...BODY, billing: { address: { line1: ['1 Main Street'] } } }, 'billing.address.line1: must be a string'],
    ])('refuses %s', async (_case, body, message) => {
      await expect(answerOf(sut, post(body))).resolves.toEqual({ status: 400, body: { error: { type: 'invalid_request', message } } });
      expect(sut.customerCount()).toBe(0);
    });

    it('refuses a missing key with 401 in Shift4’s error shape', async () => {
      const answer = await answerOf<ErrorBody>(sut, post(BODY, { headers: { 'content-type': 'application/json' } }));

      expect(answer).toEqual({ status: 401, body: { error: { type: 'invalid_request', message: 'Provided API key is invalid' } } });
    });

    it('replays the first answer for the same key and body, flagged Idempotent-Replayed, creating once', async () => {
      const first = await sut.handle(withKey('key-1'));
      const replay = await sut.handle(withKey('key-1'));

      expect(replay.body).toBe(first.body);
      expect(replay.headers).toMatchObject({ 'idempotent-replayed': 'true' });
      expect(first.headers).not.toHaveProperty('idempotent-replayed');
      expect(sut.customerCount()).toBe(1);
    });

    it('refuses the same key with other parameters as shift4-node’s own test shows, creating nothing more', async () => {
      await sut.handle(withKey('key-1'));

      const reused = await answerOf<ErrorBody>(sut, withKey('key-1', { ...BODY, email: 'other@example.com' }));

      expect(reused).toEqual({ status: 400, body: { error: { type: 'invalid_request', message: SHIFT4_IDEMPOTENCY_MISMATCH } } });
      expect(sut.customerCount()).toBe(1);
    });

    it('refuses a key first used on another endpoint', async () => {
      const { id } = await created();
      await sut.handle(withKey('key-1', { description: 'x' }, `/customers/${id}`));

      const reused = await answerOf<ErrorBody>(sut, withKey('key-1', { description: 'x' }));

      expect(reused.status).toBe(400);
      expect(reused.body.error.message).toBe(SHIFT4_IDEMPOTENCY_MISMATCH);
    });

    it('keeps a key for the assumed retention window only: past it the same request creates again', async () => {
      const first = await answerOf<Customer>(sut, withKey('key-1'));
      now += SHIFT4_KEY_RETENTION_MS;
      const withinWindow = await answerOf<Customer>(sut, withKey('key-1'));
      now += 1;
      const afterWindow = await answerOf<Customer>(sut, withKey('key-1'));

      expect(withinWindow.body.id).toBe(first.body.id);
      expect(afterWindow.body.id).not.toBe(first.body.id);
      expect(sut.customerCount()).toBe(2);
    });

    it('does not keep the key of a refused request', async () => {
      await sut.handle(withKey('key-1', { email: 'not-an-email' }));
      const corrected = await answerOf<Customer>(sut, withKey('key-1'));

      expect(corrected.status).toBe(200);
      expect(sut.customerCount()).toBe(1);
    });
  });

  describe('retrieving', () => {
    it('answers the customer object', async () => {
      const customer = await created();

      await expect(answerOf(sut, call('GET', `/customers/${customer.id}`))).resolves.toEqual({ status: 200, body: customer });
    });

    it.each([
      ['an unknown id', 'cust_unknown', KEY],
      ['another account’s customer', undefined, OTHER_KEY],
    ])('answers %s with 404 invalid_request', async (_case, id, key) => {
      const customerId = id ?? (await created()).id;

      const answer = await answerOf<ErrorBody>(sut, call('GET', `/customers/${customerId}`, key));

      expect(answer).toEqual({ status: 404, body: { error: { type: 'invalid_request', message: `Customer '${customerId}' does not exist` } } });
    });
  });

  describe('updating', () => {
    it('changes the given fields, keeps the others, and replaces metadata whole', async () => {
      const { id } = await created();

      const answer = await answerOf<Customer>(sut, post({ email: 'new@example.com', metadata: { plan: 'silver' } }, { path: `/customers/${id}` }));

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id, email: 'new@example.com', description: 'Ann Lee', metadata: { plan: 'silver' } });
      await expect(answerOf(sut, call('GET', `/customers/${id}`))).resolves.toMatchObject({ body: { metadata: { plan: 'silver' } } });
    });

    it('replays an update under the same key and refuses other parameters under it', async () => {
      const { id } = await created();
      const path = `/customers/${id}`;
      await sut.handle(withKey('update-1', { description: 'First' }, path));

      const replay = await sut.handle(withKey('update-1', { description: 'First' }, path));
      const other = await answerOf<ErrorBody>(sut, withKey('update-1', { description: 'Second' }, path));

      expect(replay.headers).toMatchObject({ 'idempotent-replayed': 'true' });
      expect(other.body.error.message).toBe(SHIFT4_IDEMPOTENCY_MISMATCH);
    });

    it('replaces billing whole (the harsher reading of what Shift4 leaves undocumented)', async () => {
      const { id } = await created({ ...BODY, billing: BILLING });

      const answer = await answerOf<Customer>(sut, post({ billing: { address: { city: 'Oakland' } } }, { path: `/customers/${id}` }));

      expect(answer.body).toMatchObject({ email: 'ann@example.com', billing: { address: { city: 'Oakland' } } });
      expect(answer.body).not.toHaveProperty('billing.name');
    });

    it.each([
      ['an unknown parameter', { phone: '+1' }, 400],
      ['a phoneNumber (shift4-java CustomerUpdateRequest has none)', { phoneNumber: '+14155550123' }, 400],
      ['an unknown billing field', { billing: { vat: 'x', company: 'y' } }, 400],
      ['a malformed email', { email: 'nope' }, 400],
      ['a metadata value that is not a string', { metadata: { n: 1 } }, 400],
    ])('refuses %s', async (_case, body, status) => {
      const { id } = await created();

      await expect(answerOf(sut, post(body, { path: `/customers/${id}` }))).resolves.toMatchObject({ status });
    });

    it('answers 404 for an unknown customer', async () => {
      await expect(answerOf(sut, post({ description: 'x' }, { path: '/customers/cust_unknown' }))).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('deleting', () => {
    it('answers {id} and keeps the customer readable with deleted: true', async () => {
      const { id } = await created();

      const answer = await answerOf(sut, call('DELETE', `/customers/${id}`));

      expect(answer).toEqual({ status: 200, body: { id } });
      await expect(answerOf(sut, call('GET', `/customers/${id}`))).resolves.toMatchObject({ status: 200, body: { id, deleted: true } });
    });

    it('answers 404 for an unknown customer', async () => {
      await expect(answerOf(sut, call('DELETE', '/customers/cust_unknown'))).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('listing', () => {
    it('filters by email, newest first, leaving deleted customers out unless asked', async () => {
      const first = await created();
      const second = await created();
      await created({ email: 'someone@example.com' });
      const deleted = await created();
      await sut.handle(call('DELETE', `/customers/${deleted.id}`));

      const live = await answerOf<{ list: Customer[]; hasMore: boolean }>(sut, call('GET', '/customers?email=ann%40example.com'));
      const gone = await answerOf<{ list: Customer[] }>(sut, call('GET', '/customers?email=ann%40example.com&deleted=true'));

      expect(live.body.list.map((c) => c.id)).toEqual([second.id, first.id]);
      expect(live.body.hasMore).toBe(false);
      expect(gone.body.list.map((c) => c.id)).toEqual([deleted.id]);
    });

    it('pages with limit and startingAfterId', async () => {
      const ids = [];
      for (let i = 0; i < 3; i += 1) ids.push((await created()).id);

      const page1 = await answerOf<{ list: Customer[]; hasMore: boolean }>(sut, call('GET', '/customers?limit=2'));
      const page2 = await answerOf<{ list: Customer[]; hasMore: boolean }>(sut, call('GET', `/customers?limit=2&startingAfterId=${page1.body.list[1].id}`));

      expect(page1.body).toEqual({ list: [expect.objectContaining({ id: ids[2] }), expect.objectContaining({ id: ids[1] })], hasMore: true });
      expect(page2.body).toEqual({ list: [expect.objectContaining({ id: ids[0] })], hasMore: false });
    });

    it('lists only the account’s own customers', async () => {
      await created();

      await expect(answerOf(sut, call('GET', '/customers', OTHER_KEY))).resolves.toEqual({ status: 200, body: { list: [], hasMore: false } });
    });
  });
});
