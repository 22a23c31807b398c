import type { SandboxRequest } from '../sandbox-http';
import { BraintreeSimulator } from './braintree.simulator';
import { answerOf, postsTo } from './simulator-requests';

const AUTHORIZATION = `Basic ${Buffer.from('sandboxpubkey001:0123456789abcdef0123456789abcdef').toString('base64')}`;
const MUTATION = 'mutation CreateCustomer($input: CreateCustomerInput) { createCustomer(input: $input) { clientMutationId customer { id legacyId } } }';

const post = postsTo('/graphql', { authorization: AUTHORIZATION, 'braintree-version': '2025-02-12', 'content-type': 'application/json' });

function request(overrides: Partial<SandboxRequest> = {}, variables: unknown = { input: { clientMutationId: 'ref-1', customer: { firstName: 'Ann' } } }): SandboxRequest {
  return post({ query: MUTATION, variables }, overrides);
}

function withCustomer(customer: Record<string, unknown>): SandboxRequest {
  return request({}, { input: { clientMutationId: 'ref-1', customer } });
}

interface BraintreeAnswer {
  data?: { createCustomer: { clientMutationId: string; customer: { id: string; legacyId: string } } | null };
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const answer = (sut: BraintreeSimulator, sandboxRequest: SandboxRequest) => answerOf<BraintreeAnswer>(sut, sandboxRequest);

describe(BraintreeSimulator.name, () => {
  let sut: BraintreeSimulator;

  beforeEach(() => {
    sut = new BraintreeSimulator();
  });

  it('creates a customer: GraphQL id is base64 of customer_<legacyId>, clientMutationId echoed', async () => {
    const { status, body } = await answer(sut, request());

    expect(status).toBe(200);
    const created = body.data!.createCustomer!;
    expect(created.clientMutationId).toBe('ref-1');
    expect(created.customer.legacyId).toMatch(/^\d{9}$/);
    expect(Buffer.from(created.customer.id, 'base64').toString()).toBe(`customer_${created.customer.legacyId}`);
    expect(sut.customerCount()).toBe(1);
  });

  it('creates a customer from no variables at all, as the schema allows', async () => {
    const { status, body } = await answer(sut, request({}, undefined));

    expect(status).toBe(200);
    expect(body.data!.createCustomer!.customer.id).toBeDefined();
  });

  it('never deduplicates: the same request twice is two customers', async () => {
    const first = await answer(sut, request());
    const second = await answer(sut, request());

    expect(second.body.data!.createCustomer!.customer.id).not.toBe(first.body.data!.createCustomer!.customer.id);
    expect(sut.customerCount()).toBe(2);
  });

  it.each([
    ['no Authorization', {}],
    ['a Bearer token', { authorization: 'Bearer abc' }],
    ['a malformed private key', { authorization: `Basic ${Buffer.from('sandboxpubkey001:secret').toString('base64')}` }],
  ])('answers 401 AUTHENTICATION for %s', async (_case, headers) => {
    const { status, body } = await answer(sut, request({ headers: { 'braintree-version': '2025-02-12', 'content-type': 'application/json', ...headers } }));

    expect(status).toBe(401);
    expect(body.errors![0].extensions).toEqual({ errorClass: 'AUTHENTICATION' });
    expect(sut.customerCount()).toBe(0);
  });

  it.each([undefined, '2019', '2019-13-01', '2999-01-01'])('answers 426 UNSUPPORTED_CLIENT for Braintree-Version %p', async (version) => {
    const headers: Record<string, string> = { authorization: AUTHORIZATION, 'content-type': 'application/json' };
    if (version !== undefined) headers['braintree-version'] = version;

    const { status, body } = await answer(sut, request({ headers }));

    expect(status).toBe(426);
    expect(body.errors![0].extensions).toEqual({ errorClass: 'UNSUPPORTED_CLIENT' });
  });

  it.each<[string, Partial<SandboxRequest>, number]>([
    ['a form body', { headers: { authorization: AUTHORIZATION, 'braintree-version': '2025-02-12', 'content-type': 'application/x-www-form-urlencoded' } }, 400],
    ['a body that is not JSON', { body: '{query' }, 400],
    ['a body without a query', { body: '{"variables":{}}' }, 400],
    ['another operation', { body: JSON.stringify({ query: 'query { ping }' }) }, 200],
    ['a mutation not selecting the customer id', { body: JSON.stringify({ query: 'mutation M($input: CreateCustomerInput) { createCustomer(input: $input) { clientMutationId } }' }) }, 200],
  ])('refuses %s with a VALIDATION error (HTTP %#)', async (_case, overrides, expectedStatus) => {
    const { status, body } = await answer(sut, request(overrides));

    expect(status).toBe(expectedStatus);
    expect(body.errors![0].extensions.errorClass).toBe('VALIDATION');
    expect(sut.customerCount()).toBe(0);
  });

  it.each<[string, Record<string, unknown>, { message: string; extensions: Record<string, unknown> }]>([
    ['a first name over 255', { firstName: 'f'.repeat(256) }, { message: 'First name is too long.', extensions: { errorClass: 'VALIDATION', legacyCode: '81608', inputPath: ['input', 'customer', 'firstName'] } }],
    ['a last name over 255', { lastName: 'l'.repeat(256) }, { message: 'Last name is too long.', extensions: { errorClass: 'VALIDATION', legacyCode: '81613', inputPath: ['input', 'customer', 'lastName'] } }],
    ['a company over 255', { company: 'c'.repeat(256) }, { message: 'Company is too long.', extensions: { errorClass: 'VALIDATION', legacyCode: '81601', inputPath: ['input', 'customer', 'company'] } }],
    ['a phone over 255', { phoneNumber: '1'.repeat(256) }, { message: 'Phone is too long.', extensions: { errorClass: 'VALIDATION', legacyCode: '81614', inputPath: ['input', 'customer', 'phoneNumber'] } }],
    ['an email it cannot parse', { email: 'ann@localhost' }, { message: 'Email is an invalid format.', extensions: { errorClass: 'VALIDATION', legacyCode: '81604', inputPath: ['input', 'customer', 'email'] } }],
    ['a custom field not set up in the Control Panel', { customFields: [{ name: 'plan', value: 'gold' }] }, { message: 'Custom field is invalid.', extensions: { errorClass: 'VALIDATION', legacyCode: '91602', inputPath: ['input', 'customer', 'customFields'] } }],
    ['a field CustomerInput does not have', { id: 'chosen-id' }, { message: "Variable 'input' has an invalid value: unknown field 'id' on CustomerInput.", extensions: { errorClass: 'VALIDATION', inputPath: ['input', 'customer', 'id'] } }],
    ['a non-string name', { firstName: 7 }, { message: "Variable 'input' has an invalid value: firstName must be a String.", extensions: { errorClass: 'VALIDATION', inputPath: ['input', 'customer', 'firstName'] } }],
  ])('answers HTTP 200 with data null and a VALIDATION error for %s', async (_case, customer, error) => {
    const { status, body } = await answer(sut, withCustomer(customer));

    expect(status).toBe(200);
    expect(body.data).toEqual({ createCustomer: null });
    expect(body.errors).toEqual([error]);
    expect(sut.customerCount()).toBe(0);
  });

  it('counts a name in characters: 255 emoji are within the limit', async () => {
    const { status } = await answer(sut, withCustomer({ firstName: '😀'.repeat(255) }));

    expect(status).toBe(200);
  });

  it('reports every validation error at once', async () => {
    const { body } = await answer(sut, withCustomer({ firstName: 'f'.repeat(256), email: 'nope' }));

    expect(body.errors!.map((e) => e.extensions.legacyCode)).toEqual(['81608', '81604']);
  });

  it('refuses unknown CreateCustomerInput fields such as an idempotency key it does not take', async () => {
    const { body } = await answer(sut, request({}, { input: { apiRequestKey: 'k', customer: {} } }));

    expect(body.errors).toEqual([{ message: "Variable 'input' has an invalid value: unknown field 'apiRequestKey'.", extensions: { errorClass: 'VALIDATION', inputPath: ['input', 'apiRequestKey'] } }]);
  });

  it('answers 404 NOT_FOUND off /graphql', async () => {
    const { status, body } = await answer(sut, request({ path: '/merchants/x/customers' }));

    expect(status).toBe(404);
    expect(body.errors![0].extensions).toEqual({ errorClass: 'NOT_FOUND' });
  });
});
