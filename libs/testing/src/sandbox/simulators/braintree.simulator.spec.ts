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

  describe('get, update, delete and the viewer', () => {
    const GET = 'query Customer($id: ID!) { node(id: $id) { ... on Customer { id legacyId email firstName lastName phoneNumber company } } }';
    const UPDATE = 'mutation UpdateCustomer($input: UpdateCustomerInput!) { updateCustomer(input: $input) { clientMutationId customer { id email firstName lastName } } }';
    const DELETE = 'mutation DeleteCustomer($input: DeleteCustomerInput!) { deleteCustomer(input: $input) { clientMutationId } }';
    const NOT_FOUND = { message: 'An object with this ID was not found.', extensions: { errorClass: 'NOT_FOUND' } };
    type Answer = { data: Record<string, Record<string, unknown> | null>; errors?: unknown[] };
    const ask = (query: string, variables?: unknown, headers?: Record<string, string>) =>
      answerOf<Answer>(sut, post({ query, variables }, headers ? { headers: { 'braintree-version': '2025-02-12', 'content-type': 'application/json', ...headers } } : {}));

    async function created(customer: Record<string, unknown> = { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' }): Promise<string> {
      const { body } = await answer(sut, withCustomer(customer));
      return body.data!.createCustomer!.customer.id;
    }

    it('answers node(id:) with the selected Customer fields, null for those it does not hold', async () => {
      const id = await created();

      const { status, body } = await ask(GET, { id });

      expect(status).toBe(200);
      expect(body.data.node).toEqual({ id, legacyId: expect.stringMatching(/^\d{9}$/), email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', phoneNumber: null, company: null });
    });

    it.each([
      ['an unknown id', Buffer.from('customer_123456789').toString('base64')],
      ['an id that is not a customer id', 'dHJhbnNhY3Rpb25fYWJj'],
      ['a missing id', undefined],
    ])('answers node(id:) for %s with NOT_FOUND and a null node', async (_case, id) => {
      await created();

      const { status, body } = await ask(GET, { id });

      expect(status).toBe(200);
      expect(body).toMatchObject({ data: { node: null }, errors: [NOT_FOUND] });
    });

    it('updates only the fields given: an omitted one is kept, null clears one', async () => {
      const id = await created();

      const { body } = await ask(UPDATE, { input: { clientMutationId: 'u-1', customerId: id, customer: { email: 'new@example.com', lastName: null } } });

      expect(body.data.updateCustomer).toEqual({ clientMutationId: 'u-1', customer: { id, email: 'new@example.com', firstName: 'Ann', lastName: null } });
      await expect(ask(GET, { id })).resolves.toMatchObject({ body: { data: { node: { firstName: 'Ann', lastName: null, email: 'new@example.com' } } } });
      expect(sut.customerCount()).toBe(1);
    });

    it.each<[string, Record<string, unknown>, unknown]>([
      ['an unknown customer', { customerId: Buffer.from('customer_123456789').toString('base64'), customer: { email: 'a@example.com' } }, NOT_FOUND],
      ['an invalid email', { customerId: 'ID', customer: { email: 'nope' } }, { message: 'Email is an invalid format.', extensions: { errorClass: 'VALIDATION', legacyCode: '81604', inputPath: ['input', 'customer', 'email'] } }],
      ['an apiRequestKey UpdateCustomerInput does not take', { customerId: 'ID', apiRequestKey: 'k' }, { message: "Variable 'input' has an invalid value: unknown field 'apiRequestKey'.", extensions: { errorClass: 'VALIDATION', inputPath: ['input', 'apiRequestKey'] } }],
    ])('refuses an update of %s with data null', async (_case, input, error) => {
      const id = await created();

      const { body } = await ask(UPDATE, { input: JSON.parse(JSON.stringify(input).replace('"ID"', `"${id}"`)) });

      expect(body).toMatchObject({ data: { updateCustomer: null }, errors: [error] });
    });

    it('deletes a customer once; the second delete and a get answer NOT_FOUND', async () => {
      const id = await created();

      await expect(ask(DELETE, { input: { clientMutationId: 'd-1', customerId: id } })).resolves.toMatchObject({ status: 200, body: { data: { deleteCustomer: { clientMutationId: 'd-1' } } } });
      expect(sut.customerCount()).toBe(0);
      await expect(ask(DELETE, { input: { clientMutationId: 'd-2', customerId: id } })).resolves.toMatchObject({ body: { data: { deleteCustomer: null }, errors: [NOT_FOUND] } });
      await expect(ask(GET, { id })).resolves.toMatchObject({ body: { errors: [NOT_FOUND] } });
    });

    it('answers viewer { merchant { id } } with the merchant of the key pair, the same for a key assigned to it', async () => {
      const first = await ask('query Viewer { viewer { merchant { id } } }');
      sut.assignKey('rotatedpubkey001', sut.merchantOf('sandboxpubkey001'));
      const rotated = await ask('query Viewer { viewer { merchant { id } } }', undefined, { authorization: `Basic ${Buffer.from('rotatedpubkey001:0123456789abcdef0123456789abcdef').toString('base64')}` });

      expect(first.body.data.viewer).toEqual({ merchant: { id: expect.stringMatching(/^[a-z0-9]{16}$/) } });
      expect(rotated.body.data.viewer).toEqual(first.body.data.viewer);
    });

    it('keeps each merchant’s customers apart', async () => {
      const id = await created();
      const stranger = { authorization: `Basic ${Buffer.from('strangerpubkey01:0123456789abcdef0123456789abcdef').toString('base64')}` };

      await expect(ask(GET, { id }, stranger)).resolves.toMatchObject({ body: { errors: [NOT_FOUND] } });
      await expect(ask(DELETE, { input: { customerId: id } }, stranger)).resolves.toMatchObject({ body: { errors: [NOT_FOUND] } });
      expect(sut.customerCount()).toBe(1);
    });
  });
});
