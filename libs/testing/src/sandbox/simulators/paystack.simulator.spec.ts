import Ajv from 'ajv';
import { checkPaystackCreateCustomerResponse, checkPaystackError } from '@app/testing/contracts/paystack-contract';
import lifecycle from '../../../contracts/paystack/customer-lifecycle.operations.json';
import type { SandboxRequest } from '../sandbox-http';
import { PaystackSimulator } from './paystack.simulator';
import { answerOf, postsTo } from './simulator-requests';

const TEST_KEY = 'sk_test_0123456789abcdef0123456789abcdef01234567';
const FULL_BODY = { email: 'Ann.Lee@Example.com', first_name: 'Ann', last_name: 'Lee', phone: '+14155550123', metadata: '{"merchant_customer_id":"m-1"}' };

interface PaystackAnswer {
  status: boolean;
  message: string;
  data?: Record<string, unknown>;
}

/** Paystack's fetch and update answers (`CustomerFetchResponse`, `CustomerUpdateResponse`) as JSON Schema. */
function lifecycleSchema(name: 'CustomerFetchResponse' | 'CustomerUpdateResponse'): object {
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node).filter(([key]) => !key.startsWith('x-') && key !== 'example' && key !== 'description');
    const schema = Object.fromEntries(entries.map(([key, value]) => [key, inline(value)])) as Record<string, unknown>;
    if (schema.nullable === true) {
      delete schema.nullable;
      if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    }
    return schema;
  };
  return inline(lifecycle.components.schemas[name]) as object;
}
const ajv = new Ajv({ allErrors: true, strict: false });
const validFetchAnswer = ajv.compile(lifecycleSchema('CustomerFetchResponse'));
const validUpdateAnswer = ajv.compile(lifecycleSchema('CustomerUpdateResponse'));

const request = postsTo('/customer', { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' });

describe(PaystackSimulator.name, () => {
  let sut: PaystackSimulator;
  const send = (body: unknown, overrides: Partial<SandboxRequest> = {}) => answerOf<PaystackAnswer>(sut, request(body, overrides));

  beforeEach(() => {
    sut = new PaystackSimulator();
  });

  it('creates a customer in the shape of Paystack’s CustomerCreateResponse, metadata parsed, domain from the key', async () => {
    const { status, body } = await send(FULL_BODY);

    expect(status).toBe(200);
    expect(checkPaystackCreateCustomerResponse(body)).toEqual({ valid: true, errors: [] });
    expect(body).toMatchObject({ status: true, message: 'Customer created' });
    expect(body.data).toMatchObject({ customer_code: expect.stringMatching(/^CUS_[a-z0-9]{15}$/), domain: 'test', email: 'ann.lee@example.com', metadata: { merchant_customer_id: 'm-1' } });
    expect(sut.customerCount()).toBe(1);
  });

  it('accepts the form encoding the contract also allows', async () => {
    const { status } = await send(new URLSearchParams(FULL_BODY).toString(), {
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(status).toBe(200);
  });

  it('answers a known email (any case) with the existing customer, unchanged', async () => {
    const first = await send(FULL_BODY);
    const again = await send({ email: 'ann.lee@example.COM', first_name: 'Other', metadata: '{"merchant_customer_id":"m-2"}' });

    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(sut.customerCount()).toBe(1);
  });

  it('keeps customers of test and live keys apart', async () => {
    const test = await send(FULL_BODY);
    const live = await send(FULL_BODY, { headers: { authorization: 'Bearer sk_live_0123456789abcdef', 'content-type': 'application/json' } });

    expect(live.body.data).toMatchObject({ domain: 'live' });
    expect(live.body.data?.customer_code).not.toBe(test.body.data?.customer_code);
    expect(sut.customerCount()).toBe(2);
  });

  it.each<[string, unknown, Partial<SandboxRequest>, number, string]>([
    ['no Authorization header', FULL_BODY, { headers: { 'content-type': 'application/json' } }, 401, 'No Authorization Header was found'],
    ['a public key', FULL_BODY, { headers: { authorization: 'Bearer pk_test_0123456789abcdef', 'content-type': 'application/json' } }, 401, 'Invalid key'],
    ['another path', FULL_BODY, { path: '/customers' }, 404, 'Not found'],
    ['no email', { first_name: 'Ann' }, {}, 400, 'Email is required'],
    ['an invalid email', { email: 'ann@' }, {}, 400, 'Invalid Email Address Passed'],
    ['metadata as an object', { email: 'a@b.co', metadata: { plan: 'gold' } }, {}, 400, 'metadata must be a string'],
    ['metadata that is not a JSON object', { email: 'a@b.co', metadata: '[1,2]' }, {}, 400, 'Invalid metadata'],
    ['a body that is not JSON', '{', {}, 400, 'Invalid request body'],
  ])('answers %s with Paystack’s error shape', async (_case, body, overrides, status, message) => {
    const response = await send(body, overrides);

    expect(response).toEqual({ status, body: expect.objectContaining({ status: false, message }) });
    expect(checkPaystackError(response.body)).toEqual({ valid: true, errors: [] });
    expect(sut.customerCount()).toBe(0);
  });

  it('forgets everything on reset', async () => {
    await send(FULL_BODY);
    sut.reset();
    await send(FULL_BODY);

    expect(sut.customerCount()).toBe(1);
  });

  describe('fetch and update', () => {
    const call = (method: string, path: string, body?: unknown, key = TEST_KEY) =>
      answerOf<PaystackAnswer>(sut, {
        method,
        path,
        headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? '' : JSON.stringify(body),
        receivedAt: Date.now(),
      });
    const created = async () => (await send(FULL_BODY)).body.data!.customer_code as string;

    it('fetches a customer by its code or by its email, in the shape of CustomerFetchResponse', async () => {
      const code = await created();

      const byCode = await call('GET', `/customer/${code}`);
      const byEmail = await call('GET', '/customer/ANN.LEE@example.com');

      expect(byCode.status).toBe(200);
      expect(validFetchAnswer(byCode.body)).toBe(true);
      expect(byCode.body).toMatchObject({ status: true, message: 'Customer retrieved', data: { customer_code: code, email: 'ann.lee@example.com' } });
      expect(byEmail.body.data?.customer_code).toBe(code);
    });

    it('updates names, phone and metadata (replaced whole), keeping what is not sent, in the shape of CustomerUpdateResponse', async () => {
      const code = await created();

      const { status, body } = await call('PUT', `/customer/${code}`, { first_name: 'Annie', metadata: '{"tier":"gold"}' });

      expect(status).toBe(200);
      expect(validUpdateAnswer(body)).toBe(true);
      expect(body).toMatchObject({ status: true, message: 'Customer updated', data: { first_name: 'Annie', last_name: 'Lee', phone: '+14155550123', metadata: { tier: 'gold' } } });
    });

    it('clears a name sent empty', async () => {
      const code = await created();

      await expect(call('PUT', `/customer/${code}`, { last_name: '' })).resolves.toMatchObject({ status: 200, body: { data: { last_name: null } } });
    });

    it.each([
      ['an email', { email: 'new@example.com' }],
      ['metadata that is not a JSON object', { metadata: '[1]' }],
      ['a number for a name', { first_name: 7 }],
    ])('refuses an update with %s', async (_case, body) => {
      const code = await created();

      const { status, body: answer } = await call('PUT', `/customer/${code}`, body);

      expect(status).toBe(400);
      expect(checkPaystackError(answer)).toEqual({ valid: true, errors: [] });
    });

    it.each([
      ['an unknown code', 'GET', '/customer/CUS_unknown', undefined, TEST_KEY],
      ['an update of an unknown code', 'PUT', '/customer/CUS_unknown', { first_name: 'x' }, TEST_KEY],
      ['another integration’s customer', 'GET', '/customer/ann.lee@example.com', undefined, 'sk_test_ffffffffffffffffffffffffffffffffffffffff'],
    ])('answers %s as not found', async (_case, method, path, body, key) => {
      await created();

      await expect(call(method, path, body, key)).resolves.toEqual({ status: 404, body: { status: false, message: 'Customer not found' } });
    });

    it('has no delete', async () => {
      const code = await created();

      await expect(call('DELETE', `/customer/${code}`)).resolves.toEqual({ status: 404, body: { status: false, message: 'Not found' } });
      expect(sut.customerCount()).toBe(1);
    });
  });
});
