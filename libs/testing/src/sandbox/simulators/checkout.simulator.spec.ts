import type { SandboxRequest } from '../sandbox-http';
import { CheckoutSimulator } from './checkout.simulator';
import { postsTo } from './simulator-requests';

const KEY = 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e';

const BODY = { email: 'ann@example.com', name: 'Ann Lee', phone: { country_code: '+1', number: '4155550123' }, metadata: { merchant_customer_id: 'm-1' } };
const request = postsTo('/customers', { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' });

describe(CheckoutSimulator.name, () => {
  let sut: CheckoutSimulator;
  const send = async (overrides: Partial<SandboxRequest> = {}) => {
    const response = await sut.handle(request(BODY, overrides));
    return { ...response, json: response.body === '' ? undefined : (JSON.parse(response.body) as Record<string, unknown>) };
  };
  const create = (body: unknown) => send({ body: JSON.stringify(body) });

  beforeEach(() => {
    sut = new CheckoutSimulator();
  });

  it('creates a customer: 201 {id} with a cus_ id of 26 base32 characters', async () => {
    const response = await send();

    expect(response.status).toBe(201);
    expect(response.json).toEqual({ id: expect.stringMatching(/^cus_[a-z2-7]{26}$/) });
    expect(response.headers).toMatchObject({ 'cko-request-id': expect.any(String) });
    expect(sut.customerCount()).toBe(1);
  });

  it.each([
    ['no Authorization header', {}],
    ['a public key', { authorization: 'Bearer pk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e' }],
    ['a current-platform key without Bearer', { authorization: KEY }],
    ['a previous-platform key as Bearer token', { authorization: 'Bearer sk_test_fde517a8-3f01-41ef-b4bd-4282384b0a64' }],
  ])('answers 401 with an empty body for %s', async (_case, headers) => {
    const response = await send({ headers });

    expect(response).toMatchObject({ status: 401, body: '' });
    expect(sut.customerCount()).toBe(0);
  });

  it('takes a previous-platform key bare', async () => {
    await expect(send({ headers: { authorization: 'sk_test_fde517a8-3f01-41ef-b4bd-4282384b0a64' } })).resolves.toMatchObject({ status: 201 });
  });

  it.each<[string, unknown, string[]]>([
    ['no email', { name: 'Ann' }, ['email_required']],
    ['a malformed email', { email: 'ann@' }, ['email_invalid']],
    ['an email over 255 characters', { email: `${'e'.repeat(244)}@example.com` }, ['email_invalid']],
    ['a name over 255 characters', { email: 'a@example.com', name: 'n'.repeat(256) }, ['customer_name_invalid']],
    ['a number under 6 characters', { email: 'a@example.com', phone: { country_code: '+44', number: '12345' } }, ['phone_number_length_invalid']],
    ['a calling code over 7 characters', { email: 'a@example.com', phone: { country_code: '+1234567', number: '123456' } }, ['phone_country_code_length_invalid']],
    ['11 metadata pairs', { email: 'a@example.com', metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }, ['metadata_invalid']],
    ['a metadata value over 100 characters', { email: 'a@example.com', metadata: { k: 'v'.repeat(101) } }, ['metadata_invalid']],
    ['several problems at once', { email: 'ann@', name: 'n'.repeat(256) }, ['email_invalid', 'customer_name_invalid']],
  ])('refuses %s with a 422 ValidationError', async (_case, body, codes) => {
    const response = await create(body);

    expect(response.status).toBe(422);
    expect(response.json).toEqual({ request_id: expect.any(String), error_type: 'request_invalid', error_codes: codes });
    expect(sut.customerCount()).toBe(0);
  });

  it('finds a customer by its id and by its email (any case), with its metadata', async () => {
    const { json: created } = await send();
    const id = created!.id as string;

    for (const identifier of [id, 'ann@example.com', 'ANN%40example.com', 'Ann@Example.com']) {
      const found = await send({ method: 'GET', path: `/customers/${identifier}`, body: '' });
      expect(found.status).toBe(200);
      expect(found.json).toMatchObject({ id, email: 'ann@example.com', metadata: { merchant_customer_id: 'm-1' } });
    }
  });

  it('answers 404 with an empty body for an unknown id or email, or a customer of another account', async () => {
    const { json: created } = await send();
    const otherAccount = { authorization: 'Bearer sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa' };

    for (const [path, headers] of [
      ['/customers/cus_aaaaaaaaaaaaaaaaaaaaaaaaaa', undefined],
      ['/customers/nobody@example.com', undefined],
      [`/customers/${created!.id as string}`, otherAccount],
    ] as const) {
      const found = await send({ method: 'GET', path, body: '', ...(headers && { headers }) });
      expect(found).toMatchObject({ status: 404, body: '' });
    }
  });

  it('keeps emails unique per account: a second customer with the same email is refused, another account may have it', async () => {
    await send();
    const again = await create({ email: 'ANN@example.com' });
    const elsewhere = await send({ headers: { authorization: 'Bearer sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa' } });

    expect(again.status).toBe(422);
    expect(again.json).toMatchObject({ error_codes: ['customer_email_already_exists'] });
    expect(elsewhere.status).toBe(201);
    expect(sut.customerCount()).toBe(2);
  });

  it('takes no idempotency key: the header changes nothing', async () => {
    await send({ headers: { authorization: `Bearer ${KEY}`, 'cko-idempotency-key': 'k-1' } });
    const replay = await create({ email: 'ben@example.com' });

    expect(replay.status).toBe(201);
    expect(sut.customerCount()).toBe(2);
  });

  it('answers 404 for other routes', async () => {
    await expect(send({ path: '/payments' })).resolves.toMatchObject({ status: 404 });
    await expect(send({ method: 'DELETE', path: '/customers/x' })).resolves.toMatchObject({ status: 404 });
  });

  describe('update and delete', () => {
    const call = (method: string, path: string, body = '') => send({ method, path, body });
    const createdId = async () => (await send()).json!.id as string;

    it('updates the fields given, metadata whole: 204 with no body', async () => {
      const id = await createdId();
      const updated = await call('PATCH', `/customers/${id}`, JSON.stringify({ name: 'Ann Marie Lee', metadata: { plan: 'gold' } }));

      expect(updated).toMatchObject({ status: 204, body: '' });
      expect((await call('GET', `/customers/${id}`)).json).toMatchObject({ id, email: 'ann@example.com', name: 'Ann Marie Lee', phone: BODY.phone, metadata: { plan: 'gold' } });
    });

    it.each<[string, unknown, string]>([
      ['a name over 255 characters', { name: 'n'.repeat(256) }, 'customer_name_invalid'],
      ['a malformed email', { email: 'ann@' }, 'email_invalid'],
      ['11 metadata pairs', { metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata_invalid'],
    ])('refuses an update with %s (422)', async (_case, body, code) => {
      const id = await createdId();

      await expect(call('PATCH', `/customers/${id}`, JSON.stringify(body))).resolves.toMatchObject({ status: 422, json: { error_codes: [code] } });
    });

    it('refuses moving a customer to an email another holds, while emails are unique', async () => {
      await send();
      const other = (await create({ ...BODY, email: 'ben@example.com' })).json!.id as string;

      await expect(call('PATCH', `/customers/${other}`, JSON.stringify({ email: 'ANN@example.com' }))).resolves.toMatchObject({ status: 422, json: { error_codes: ['customer_email_already_exists'] } });
    });

    it('deletes: 204, then 404 for the customer and for a second delete', async () => {
      const id = await createdId();

      await expect(call('DELETE', `/customers/${id}`)).resolves.toMatchObject({ status: 204, body: '' });
      await expect(call('GET', `/customers/${id}`)).resolves.toMatchObject({ status: 404, body: '' });
      await expect(call('DELETE', `/customers/${id}`)).resolves.toMatchObject({ status: 404 });
    });

    it('answers 404 to an update or delete of another account’s customer', async () => {
      const id = await createdId();
      const elsewhere = { authorization: 'Bearer sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa' };

      await expect(send({ method: 'PATCH', path: `/customers/${id}`, body: '{}', headers: elsewhere })).resolves.toMatchObject({ status: 404 });
      await expect(send({ method: 'DELETE', path: `/customers/${id}`, body: '', headers: elsewhere })).resolves.toMatchObject({ status: 404 });
    });
  });

  describe('with duplicate emails allowed (the other reading of an undocumented rule)', () => {
    beforeEach(() => {
      sut = new CheckoutSimulator({ uniqueEmails: false });
    });

    it('creates a second customer with the same email, and the email lookup answers the oldest', async () => {
      const first = (await send()).json!.id;
      const second = await create({ ...BODY, metadata: { merchant_customer_id: 'm-2' } });

      expect(second.status).toBe(201);
      expect(sut.customerCount()).toBe(2);
      await expect(send({ method: 'GET', path: '/customers/ann@example.com', body: '' })).resolves.toMatchObject({ json: { id: first } });
    });

    it('goes back to unique emails on reset only when constructed so', () => {
      sut.reset();
      expect(sut.uniqueEmails).toBe(false);
    });
  });
});
