import type { SandboxRequest } from '../sandbox-http';
import { StaxSimulator } from './stax.simulator';
import { answerOf, postsTo } from './simulator-requests';

const jwt = (payload: object) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.U2lnbmF0dXJl`;
const KEY = jwt({ merchant: 'merchant-a', sub: 'key-1' });
const ROTATED_KEY = jwt({ merchant: 'merchant-a', sub: 'key-2' });
const OTHER_KEY = jwt({ merchant: 'merchant-b' });
const BODY = { firstname: 'Ann', lastname: 'Lee', email: 'ann@example.com', reference: 'mcid-1', notes: '{"plan":"gold"}' };

const post = postsTo('/customer', { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' });
const call = (method: string, path: string, key = KEY, body: unknown = undefined): SandboxRequest => ({
  method,
  path,
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: body === undefined ? '' : JSON.stringify(body),
  receivedAt: Date.now(),
});

interface Customer {
  id: string;
  firstname: string;
  email: string;
  reference: string;
  deleted_at: string | null;
}
interface Page {
  total: number;
  current_page: number;
  last_page: number;
  next_page_url: string | null;
  data: Customer[];
}

describe(StaxSimulator.name, () => {
  let sut: StaxSimulator;
  const created = async (body: object = BODY, key = KEY) => (await answerOf<Customer>(sut, call('POST', '/customer', key, body))).body;

  beforeEach(() => {
    sut = new StaxSimulator();
  });

  it('creates a customer: 200 with a UUID and the body’s fields', async () => {
    const answer = await answerOf<Customer>(sut, post(BODY));

    expect(answer).toEqual({ status: 200, body: expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...BODY, deleted_at: null }) });
  });

  it('answers GET /self with the key’s merchant, the same for a rotated key of that merchant', async () => {
    const self = await answerOf<{ merchant: { id: string } }>(sut, call('GET', '/self'));
    const rotated = await answerOf<{ merchant: { id: string } }>(sut, call('GET', '/self', ROTATED_KEY));
    const other = await answerOf<{ merchant: { id: string } }>(sut, call('GET', '/self', OTHER_KEY));

    expect(self.body.merchant.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(rotated.body.merchant.id).toBe(self.body.merchant.id);
    expect(other.body.merchant.id).not.toBe(self.body.merchant.id);
  });

  it.each([
    ['GET', '/customer/x'],
    ['PUT', '/customer/x'],
    ['DELETE', '/customer/x'],
    ['GET', '/self'],
  ])('refuses %s %s without a JWT with 401', async (method, path) => {
    await expect(answerOf(sut, { ...call(method, path), headers: { authorization: 'Bearer nope' } })).resolves.toEqual({ status: 401, body: { error: 'Unauthorized' } });
  });

  describe('a customer by id', () => {
    it('answers it, and {"id": "customer not found"} with 404 for an unknown id or another merchant’s', async () => {
      const customer = await created();

      await expect(answerOf(sut, call('GET', `/customer/${customer.id}`))).resolves.toEqual({ status: 200, body: customer });
      await expect(answerOf(sut, call('GET', '/customer/unknown'))).resolves.toEqual({ status: 404, body: { id: 'customer not found' } });
      await expect(answerOf(sut, call('GET', `/customer/${customer.id}`, OTHER_KEY))).resolves.toEqual({ status: 404, body: { id: 'customer not found' } });
    });

    it('updates the fields sent and keeps the others', async () => {
      const { id } = await created();

      const answer = await answerOf<Customer>(sut, call('PUT', `/customer/${id}`, KEY, { email: 'new@example.com' }));

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id, firstname: 'Ann', lastname: 'Lee', email: 'new@example.com', reference: 'mcid-1' });
    });

    it.each<[string, object, string]>([
      ['a body with neither a name, an email nor a company', { phone: '4155550123' }, 'firstname'],
      ['a state over two letters', { email: 'a@b.co', address_state: 'California' }, 'address_state'],
      ['a malformed email', { email: 'nope' }, 'email'],
    ])('refuses an update with %s, the Laravel way', async (_case, body, field) => {
      const { id } = await created();

      const answer = await answerOf<Record<string, string[]>>(sut, call('PUT', `/customer/${id}`, KEY, body));

      expect(answer.status).toBe(422);
      expect(answer.body[field]).toEqual([expect.any(String)]);
    });

    it('soft-deletes: the customer stays readable with deleted_at; deleting again or an unknown id answers 422 customer not found', async () => {
      const { id } = await created();

      const deleted = await answerOf<Customer>(sut, call('DELETE', `/customer/${id}`));

      expect(deleted).toEqual({ status: 200, body: expect.objectContaining({ id, deleted_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) }) });
      await expect(answerOf(sut, call('GET', `/customer/${id}`))).resolves.toMatchObject({ status: 200, body: { id, deleted_at: deleted.body.deleted_at } });
      await expect(answerOf(sut, call('DELETE', `/customer/${id}`))).resolves.toEqual({ status: 422, body: { id: 'customer not found' } });
      await expect(answerOf(sut, call('DELETE', '/customer/unknown'))).resolves.toEqual({ status: 422, body: { id: 'customer not found' } });
      expect(sut.customerCount()).toBe(1);
    });
  });

  describe('the customer list', () => {
    it('is a Laravel page filtered by reference, without deleted or other merchants’ customers', async () => {
      const kept = await created();
      await created({ ...BODY, reference: 'mcid-2' });
      const deleted = await created();
      await sut.handle(call('DELETE', `/customer/${deleted.id}`));
      await created(BODY, OTHER_KEY);

      const answer = await answerOf<Page>(sut, call('GET', '/customer?reference=mcid-1'));

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ total: 1, current_page: 1, last_page: 1, next_page_url: null });
      expect(answer.body.data.map((c) => c.id)).toEqual([kept.id]);
    });

    it('pages by 50', async () => {
      for (let i = 0; i < 51; i += 1) await created();

      const first = await answerOf<Page>(sut, call('GET', '/customer?reference=mcid-1'));
      const second = await answerOf<Page>(sut, call('GET', '/customer?reference=mcid-1&page=2'));

      expect(first.body).toMatchObject({ total: 51, current_page: 1, last_page: 2, next_page_url: expect.stringContaining('page=2') });
      expect(first.body.data).toHaveLength(50);
      expect(second.body).toMatchObject({ current_page: 2, last_page: 2, next_page_url: null });
      expect(second.body.data).toHaveLength(1);
    });
  });

  it('answers an unknown route with 404', async () => {
    await expect(answerOf(sut, call('PATCH', '/customer/x'))).resolves.toEqual({ status: 404, body: { error: 'Not Found' } });
  });
});
