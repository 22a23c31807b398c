import type { SandboxRequest } from '../sandbox-http';
import { RazorpaySimulator } from './razorpay.simulator';
import { answerOf, postsTo } from './simulator-requests';

const BASIC = `Basic ${Buffer.from('rzp_test_Fx7mQ2rT9vK4nB:Wq3LzT8vRk2NcY6hPb9sDm4F').toString('base64')}`;
const BODY = { name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', contact: '+919876543210', notes: { merchant_customer_id: 'm-1' }, fail_existing: '0' };

const request = postsTo('/v1/customers', { authorization: BASIC, 'content-type': 'application/json' });

describe(RazorpaySimulator.name, () => {
  let sut: RazorpaySimulator;
  const send = (body: unknown, overrides: Partial<SandboxRequest> = {}) => answerOf<Record<string, unknown>>(sut, request(body, overrides));

  beforeEach(() => {
    sut = new RazorpaySimulator();
  });

  it('creates a customer: 200 with a cust_ id and the details sent', async () => {
    const response = await send(BODY);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^cust_[A-Za-z0-9]{14}$/),
      entity: 'customer',
      name: 'Gaurav Kumar',
      email: 'gaurav.kumar@example.com',
      contact: '+919876543210',
      gstin: null,
      notes: { merchant_customer_id: 'm-1' },
      created_at: expect.any(Number),
    });
    expect(sut.customerCount()).toBe(1);
  });

  it('serializes empty notes as an array', async () => {
    const response = await send({ name: 'Ann Lee', email: 'a@example.com' });

    expect(response.body).toMatchObject({ notes: [] });
  });

  it.each([
    ['no Authorization header', {}],
    ['a key id that is not Razorpay’s', { authorization: `Basic ${Buffer.from('key:secret').toString('base64')}` }],
    ['an empty secret', { authorization: `Basic ${Buffer.from('rzp_test_Fx7mQ2rT9vK4nB:').toString('base64')}` }],
  ])('answers 401 for %s', async (_case, headers) => {
    const response = await send(BODY, { headers });

    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed', source: 'NA', step: 'NA', reason: 'NA', metadata: {} } });
  });

  it.each<[string, unknown, string, string]>([
    ['an unknown parameter', { ...BODY, address: {} }, 'address', 'NA'],
    ['a name of 2 characters', { name: 'Al' }, 'name', 'input_validation_failed'],
    ['a name of 51 characters', { name: 'n'.repeat(51) }, 'name', 'input_validation_failed'],
    ['a name with #', { name: 'Ann #1' }, 'name', 'input_validation_failed'],
    ['an email of 65 characters', { email: `${'e'.repeat(53)}@example.com` }, 'email', 'input_validation_failed'],
    ['a contact with a space', { contact: '+91 9876543210' }, 'contact', 'invalid_contact_number'],
    ['a contact of 7 digits', { contact: '+1555014' }, 'contact', 'invalid_contact_number'],
    ['a contact of 16 characters', { contact: '+919876543210123' }, 'contact', 'invalid_contact_number'],
    ['a GSTIN of 14 characters', { email: 'a@example.com', gstin: '29ABCDE1234F1Z' }, 'gstin', 'input_validation_failed'],
    ['16 notes', { notes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])) }, 'notes', 'input_validation_failed'],
    ['a note of 257 characters', { notes: { k: 'v'.repeat(257) } }, 'notes', 'input_validation_failed'],
  ])('refuses %s with 400 naming the field', async (_case, body, field, reason) => {
    const response = await send(body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'BAD_REQUEST_ERROR', description: expect.any(String), field, reason } });
    expect(sut.customerCount()).toBe(0);
  });

  it('returns the existing customer for the same email and contact with fail_existing "0"', async () => {
    const first = await send(BODY);
    const again = await send({ ...BODY, name: 'Another Name', notes: {} });

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(sut.customerCount()).toBe(1);
  });

  it.each([
    ['fail_existing "1"', '1'],
    ['fail_existing left out (default "1")', undefined],
    ['a numeric 0, which Razorpay does not honour', 0],
  ])('refuses a customer with the same email and contact with %s', async (_case, failExisting) => {
    await send(BODY);
    const again = await send({ ...BODY, fail_existing: failExisting });

    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { code: 'BAD_REQUEST_ERROR', description: 'Customer already exists for the merchant', reason: 'NA' } });
    expect(sut.customerCount()).toBe(1);
  });

  it.each([
    ['the same email with another contact', { ...BODY, contact: '+919876543211' }],
    ['the same contact with another email', { ...BODY, email: 'other@example.com' }],
    ['the same email without a contact', { ...BODY, contact: undefined }],
  ])('creates another customer for %s (the match needs both)', async (_case, body) => {
    await send(BODY);
    const other = await send(body);

    expect(other.status).toBe(200);
    expect(sut.customerCount()).toBe(2);
  });

  it('matches within the account only', async () => {
    await send(BODY);
    const elsewhere = await send(BODY, { headers: { authorization: `Basic ${Buffer.from('rzp_live_Fx7mQ2rT9vK4nB:secret').toString('base64')}` } });

    expect(elsewhere.status).toBe(200);
    expect(sut.customerCount()).toBe(2);
  });

  describe('name (API reference: required; alphanumeric with . \' / @ ( ))', () => {
    it.each<[string, unknown]>([
      ['no name', { email: 'a@example.com' }],
      ['a name with a hyphen', { ...BODY, name: "Ada O'Neil-King" }],
      ['a name with an underscore', { ...BODY, name: 'Ann_Lee' }],
    ])('refuses %s with 400 naming name', async (_case, body) => {
      const response = await send(body);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'BAD_REQUEST_ERROR', field: 'name', reason: 'input_validation_failed' } });
      expect(sut.customerCount()).toBe(0);
    });

    it("accepts . ' / @ ( ) and spaces", async () => {
      await expect(send({ ...BODY, name: "A.B/C D@E O'Neil (Jr.)" })).resolves.toMatchObject({ status: 200 });
    });
  });

  describe('fetch, edit, fetch all', () => {
    const call = (method: string, path: string, body = '') => answerOf<{ id: string; items: { id: string }[] }>(sut, { method, path, headers: { authorization: BASIC, 'content-type': 'application/json' }, body, receivedAt: Date.now() });

    it('fetches a customer by id', async () => {
      const created = await send(BODY);
      const fetched = await call('GET', `/v1/customers/${String(created.body.id)}`);

      expect(fetched).toEqual({ status: 200, body: created.body });
    });

    it.each([
      ['an unknown id', '/v1/customers/cust_00000000000000', 'The id provided does not exist'],
      ['a malformed id', '/v1/customers/nope', 'id is not a valid id'],
    ])('answers %s with 400 BAD_REQUEST_ERROR', async (_case, path, description) => {
      await expect(call('GET', path)).resolves.toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST_ERROR', description } } });
    });

    it('keeps customers of another key pair apart', async () => {
      const created = await send(BODY);
      const other = await answerOf<{ id: string; items: { id: string }[] }>(sut, {
        method: 'GET',
        path: `/v1/customers/${String(created.body.id)}`,
        headers: { authorization: `Basic ${Buffer.from('rzp_live_Fx7mQ2rT9vK4nB:secret').toString('base64')}` },
        body: '',
        receivedAt: Date.now(),
      });

      expect(other.status).toBe(400);
    });

    it('edits name, email and contact, keeping what it is not given', async () => {
      const created = await send(BODY);
      const edited = await call('PUT', `/v1/customers/${String(created.body.id)}`, JSON.stringify({ email: 'new@example.com' }));

      expect(edited).toEqual({ status: 200, body: { ...created.body, email: 'new@example.com' } });
    });

    it.each<[string, unknown, string]>([
      ['notes', { notes: { a: 'b' } }, 'notes'],
      ['a name with an underscore', { name: 'Ann_Lee' }, 'name'],
      ['a contact of 7 digits', { contact: '+1555014' }, 'contact'],
    ])('refuses an edit with %s', async (_case, body, field) => {
      const created = await send(BODY);

      await expect(call('PUT', `/v1/customers/${String(created.body.id)}`, JSON.stringify(body))).resolves.toMatchObject({ status: 400, body: { error: { field } } });
    });

    it('fetches all, newest first, by count and skip', async () => {
      const first = await send(BODY);
      const second = await send({ ...BODY, email: 'b@example.com' });
      const page = await call('GET', '/v1/customers?count=1&skip=1');
      const all = await call('GET', '/v1/customers');

      expect(page.body).toEqual({ entity: 'collection', count: 1, items: [first.body] });
      expect(all.body.items.map((c) => c.id)).toEqual([second.body.id, first.body.id]);
    });

    it('offers no delete', async () => {
      const created = await send(BODY);

      await expect(call('DELETE', `/v1/customers/${String(created.body.id)}`)).resolves.toMatchObject({ status: 404 });
    });
  });
});
