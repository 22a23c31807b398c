import { checkSquareCreateCustomerResponse } from '@app/testing/contracts/square-contract';
import type { SandboxRequest } from '../sandbox-http';
import { SquareSimulator } from './square.simulator';
import { answerOf, postsTo } from './simulator-requests';

const TOKEN = 'EAAAl0SimulatorSpecToken_0123';
const FULL_BODY = {
  idempotency_key: 'key-1',
  given_name: 'Ann',
  family_name: 'Lee',
  email_address: 'ann@example.com',
  phone_number: '+1-212-555-4240',
  address: { address_line_1: '1 Main St', locality: 'Austin', administrative_district_level_1: 'TX', postal_code: '78701', country: 'US', first_name: 'Ann' },
  reference_id: 'merchant-1',
  note: '{"plan":"gold"}',
};

interface SquareAnswer {
  customer?: Record<string, unknown> & { address?: Record<string, unknown> };
  errors?: Record<string, unknown>[];
}

const request = postsTo('/v2/customers', { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'square-version': '2025-08-20' });

describe(SquareSimulator.name, () => {
  let sut: SquareSimulator;
  const send = (body: unknown, overrides: Partial<SandboxRequest> = {}) => answerOf<SquareAnswer>(sut, request(body, overrides));

  beforeEach(() => {
    sut = new SquareSimulator();
  });

  it('creates a customer in the shape of Square’s CreateCustomerResponse, ignoring the address names', async () => {
    const { status, body } = await send(FULL_BODY);

    expect(status).toBe(200);
    expect(checkSquareCreateCustomerResponse(body)).toEqual({ valid: true, errors: [] });
    expect(body.customer).toMatchObject({ id: expect.stringMatching(/^[A-Z0-9]{26}$/), given_name: 'Ann', reference_id: 'merchant-1', creation_source: 'THIRD_PARTY', version: 0 });
    expect(body.customer?.address).not.toHaveProperty('first_name');
    expect(body.customer).not.toHaveProperty('idempotency_key');
    expect(sut.customerCount()).toBe(1);
  });

  it('replays the first response for the same key and data, whatever the field order', async () => {
    const first = await send(FULL_BODY);
    const reordered = Object.fromEntries(Object.entries(FULL_BODY).reverse());
    const replay = await send(reordered);

    expect(replay).toEqual(first);
    expect(sut.customerCount()).toBe(1);
  });

  it('refuses the same key with other data as IDEMPOTENCY_KEY_REUSED, creating nothing', async () => {
    await send(FULL_BODY);
    const { status, body } = await send({ ...FULL_BODY, given_name: 'Ben' });

    expect(status).toBe(400);
    expect(body).toEqual({ errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'IDEMPOTENCY_KEY_REUSED', detail: expect.any(String), field: 'idempotency_key' }] });
    expect(sut.customerCount()).toBe(1);
  });

  it('scopes keys to the access token and never deduplicates by data', async () => {
    await send(FULL_BODY);
    await send(FULL_BODY, { headers: { authorization: 'Bearer EAAAl0AnotherSellerToken_99', 'content-type': 'application/json' } });
    await send({ ...FULL_BODY, idempotency_key: 'key-2' });
    const { idempotency_key: _key, ...withoutKey } = FULL_BODY;
    await send(withoutKey);
    await send(withoutKey);

    expect(sut.customerCount()).toBe(5);
  });

  it('does not spend a key on a refused request', async () => {
    await send({ ...FULL_BODY, email_address: 'not-an-email' });
    const { status } = await send(FULL_BODY);

    expect(status).toBe(200);
  });

  it.each<[string, unknown, Partial<SandboxRequest>, number, Record<string, string>]>([
    ['no Authorization header', FULL_BODY, { headers: { 'content-type': 'application/json' } }, 401, { category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }],
    ['a Basic Authorization header', FULL_BODY, { headers: { authorization: 'Basic abc', 'content-type': 'application/json' } }, 401, { category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }],
    ['a malformed Square-Version', FULL_BODY, { headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'square-version': 'latest' } }, 400, { code: 'INVALID_SQUARE_VERSION_FORMAT' }],
    ['a form body', 'email_address=a%40b.co', { headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' } }, 400, { code: 'INVALID_CONTENT_TYPE' }],
    ['a body that is not JSON', '{', {}, 400, { code: 'EXPECTED_JSON_BODY' }],
    ['a JSON array', '[]', {}, 400, { code: 'EXPECTED_JSON_BODY' }],
    ['another path', FULL_BODY, { path: '/v2/customer' }, 404, { code: 'NOT_FOUND' }],
    ['an unknown parameter', { ...FULL_BODY, metadata: {} }, {}, 400, { code: 'UNKNOWN_BODY_PARAMETER', field: 'metadata' }],
    ['an unknown address field', { ...FULL_BODY, address: { line1: 'x' } }, {}, 400, { code: 'UNKNOWN_BODY_PARAMETER', field: 'address.line1' }],
    ['a number for a string', { ...FULL_BODY, given_name: 7 }, {}, 400, { code: 'EXPECTED_STRING', field: 'given_name' }],
    ['a given_name over 300 characters', { ...FULL_BODY, given_name: 'n'.repeat(301) }, {}, 400, { code: 'VALUE_TOO_LONG', field: 'given_name' }],
    ['a reference_id over 100 characters', { ...FULL_BODY, reference_id: 'r'.repeat(101) }, {}, 400, { code: 'VALUE_TOO_LONG', field: 'reference_id' }],
    ['none of the identifying fields', { idempotency_key: 'k', reference_id: 'r' }, {}, 400, { code: 'MISSING_REQUIRED_PARAMETER' }],
    ['an invalid email', { ...FULL_BODY, email_address: 'ann@' }, {}, 400, { code: 'INVALID_EMAIL_ADDRESS', field: 'email_address' }],
    ['a phone of 17 digits', { ...FULL_BODY, phone_number: '+1 415 555 0123 456 789' }, {}, 400, { code: 'INVALID_PHONE_NUMBER', field: 'phone_number' }],
    ['a phone with letters', { ...FULL_BODY, phone_number: '+1 415 CALL NOW' }, {}, 400, { code: 'INVALID_PHONE_NUMBER', field: 'phone_number' }],
    ['a country outside the enum', { ...FULL_BODY, address: { country: 'XX' } }, {}, 400, { code: 'INVALID_ENUM_VALUE', field: 'address.country' }],
  ])('answers %s with Square’s error shape', async (_case, body, overrides, status, error) => {
    const response = await send(body, overrides);

    expect(response.status).toBe(status);
    expect(response.body).toEqual({ errors: [expect.objectContaining({ category: expect.any(String), detail: expect.any(String), ...error })] });
    expect(sut.customerCount()).toBe(0);
  });

  it('forgets everything on reset', async () => {
    await send(FULL_BODY);
    sut.reset();
    await send(FULL_BODY);

    expect(sut.customerCount()).toBe(1);
  });

  describe('beyond create', () => {
    const call = (method: string, path: string, body?: unknown, token = TOKEN) =>
      answerOf<SquareAnswer & { customers?: SquareAnswer['customer'][]; merchant?: { id: string } }>(sut, {
        method,
        path,
        headers: { authorization: `Bearer ${token}`, 'square-version': '2025-08-20', ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? '' : JSON.stringify(body),
        receivedAt: Date.now(),
      });
    const created = async (overrides: Record<string, unknown> = {}) => (await send({ ...FULL_BODY, ...overrides })).body.customer!.id as string;

    it('retrieves a customer as RetrieveCustomer answers it', async () => {
      const id = await created();

      const { status, body } = await call('GET', `/v2/customers/${id}`);

      expect(status).toBe(200);
      expect(checkSquareCreateCustomerResponse(body)).toEqual({ valid: true, errors: [] });
      expect(body.customer).toMatchObject({ id, given_name: 'Ann', version: 0 });
    });

    it('updates sparsely: fields not sent stay, address fields merge, null clears, the version moves on', async () => {
      const id = await created();

      const { status, body } = await call('PUT', `/v2/customers/${id}`, { family_name: null, email_address: 'new@example.com', address: { locality: 'Dallas' } });

      expect(status).toBe(200);
      expect(checkSquareCreateCustomerResponse(body)).toEqual({ valid: true, errors: [] });
      expect(body.customer).toMatchObject({ given_name: 'Ann', email_address: 'new@example.com', version: 1, address: { address_line_1: '1 Main St', locality: 'Dallas' } });
      expect(body.customer).not.toHaveProperty('family_name');
    });

    it.each<[string, unknown, number, string]>([
      ['a stale version', { version: 7, given_name: 'Bo' }, 409, 'CONFLICT'],
      ['an unknown parameter', { idempotency_key: 'k' }, 400, 'UNKNOWN_BODY_PARAMETER'],
      ['nothing to change', {}, 400, 'NO_FIELDS_SET'],
      ['a note that is not a string', { note: {} }, 400, 'EXPECTED_STRING'],
    ])('refuses an update with %s', async (_case, body, status, code) => {
      const id = await created();

      await expect(call('PUT', `/v2/customers/${id}`, body)).resolves.toMatchObject({ status, body: { errors: [{ code }] } });
    });

    it('deletes a customer: then NOT_FOUND for retrieve, update and delete', async () => {
      const id = await created();

      await expect(call('DELETE', `/v2/customers/${id}`)).resolves.toEqual({ status: 200, body: {} });
      for (const [method, body] of [['GET', undefined], ['PUT', { given_name: 'x' }], ['DELETE', undefined]] as const) {
        await expect(call(method, `/v2/customers/${id}`, body)).resolves.toMatchObject({ status: 404, body: { errors: [{ code: 'NOT_FOUND' }] } });
      }
      expect(sut.customerCount()).toBe(1);
    });

    it('searches by exact reference_id, ignoring case as Square does, oldest first, within the account', async () => {
      const first = await created({ idempotency_key: 'a', reference_id: 'Ref-1' });
      const second = await created({ idempotency_key: 'b', reference_id: 'ref-1' });
      await created({ idempotency_key: 'c', reference_id: 'ref-2' });

      const { body } = await call('POST', '/v2/customers/search', { query: { filter: { reference_id: { exact: 'ref-1' } } }, limit: 100 });
      const other = await call('POST', '/v2/customers/search', { query: { filter: { reference_id: { exact: 'ref-1' } } } }, 'EAAAl0AnotherMerchantToken_99');

      expect(body.customers?.map((c) => c?.id)).toEqual([first, second]);
      expect(other.body).toEqual({});
    });

    it('names the token’s merchant at /v2/merchants/me, the same for an added token', async () => {
      const before = await call('GET', '/v2/merchants/me');
      sut.addToken(TOKEN, 'EAAAl0RenewedSimulatorToken_42');
      const renewed = await call('GET', '/v2/merchants/me', undefined, 'EAAAl0RenewedSimulatorToken_42');
      const other = await call('GET', '/v2/merchants/me', undefined, 'EAAAl0AnotherMerchantToken_99');

      expect(before.body.merchant).toMatchObject({ id: expect.stringMatching(/^[A-Z0-9]{13}$/) });
      expect(renewed.body.merchant?.id).toBe(before.body.merchant?.id);
      expect(other.body.merchant?.id).not.toBe(before.body.merchant?.id);
    });

    it('creates again with a key once its window has passed', async () => {
      await send(FULL_BODY);
      sut.expireIdempotencyKeys();
      await send(FULL_BODY);

      expect(sut.customerCount()).toBe(2);
    });

    it.each([
      ['GET', '/v2/customers/X'],
      ['PUT', '/v2/customers/X'],
      ['DELETE', '/v2/customers/X'],
      ['POST', '/v2/customers/search'],
      ['GET', '/v2/merchants/me'],
    ])('refuses %s %s without a token', async (method, path) => {
      await expect(answerOf(sut, { method, path, headers: {}, body: '', receivedAt: Date.now() })).resolves.toMatchObject({ status: 401 });
    });
  });
});
