import type { SandboxRequest } from '../sandbox-http';
import { FinixSimulator } from './finix.simulator';
import { answerOf } from './simulator-requests';

const AUTH = `Basic ${Buffer.from('USsimulatorSpecUser01:secret-password').toString('base64')}`;
const BODY = {
  entity: { first_name: 'Ann', last_name: 'Lee', email: 'ann@example.com', personal_address: { line1: '1 Main Street', city: 'Oakland', region: 'CA', postal_code: '94607', country: 'USA' } },
  identity_roles: ['BUYER'],
  tags: { merchant_customer_id: 'm-1', plan: 'gold' },
  type: 'PERSONAL',
};

const call = (method: string, path: string, body: unknown = undefined, authorization = AUTH): SandboxRequest => ({
  method,
  path,
  headers: { authorization, 'content-type': 'application/json', 'finix-version': '2022-02-01' },
  body: body === undefined ? '' : JSON.stringify(body),
  receivedAt: Date.now(),
});

interface Identity {
  id: string;
  entity: Record<string, unknown>;
  tags: Record<string, string>;
}
interface ErrorList {
  total: number;
  _embedded: { errors: { code: string; message: string; field?: string }[] };
}
interface IdentityList {
  _embedded: { identities: Identity[] };
  page: { limit: number; next_cursor: string | null };
}

describe(FinixSimulator.name, () => {
  let sut: FinixSimulator;
  const created = async (body: object = BODY) => (await answerOf<Identity>(sut, call('POST', '/identities', body))).body;

  beforeEach(() => {
    sut = new FinixSimulator();
  });

  it('creates a buyer Identity: 201, hal+json, an ID… id', async () => {
    const response = await sut.handle(call('POST', '/identities', BODY));

    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/hal+json' });
    expect(JSON.parse(response.body)).toMatchObject({ id: expect.stringMatching(/^ID[A-Za-z0-9]{22}$/), tags: BODY.tags, identity_roles: ['BUYER'], type: 'PERSONAL' });
  });

  it('answers an Identity by id, and an unknown one with 404 NOT_FOUND in _embedded.errors', async () => {
    const identity = await created();

    await expect(answerOf(sut, call('GET', `/identities/${identity.id}`))).resolves.toEqual({ status: 200, body: identity });
    await expect(answerOf<ErrorList>(sut, call('GET', '/identities/IDunknown'))).resolves.toEqual({
      status: 404,
      body: { total: 1, _embedded: { errors: [expect.objectContaining({ code: 'NOT_FOUND', logref: expect.any(String) })] } },
    });
  });

  it('replaces the entity and the tags a PUT sends (the stricter reading), keeping roles and type', async () => {
    const { id } = await created();

    const answer = await answerOf<Identity & { type: string }>(sut, call('PUT', `/identities/${id}`, { entity: { email: 'new@example.com' }, tags: { plan: 'pro' } }));

    expect(answer.status).toBe(200);
    expect(answer.body.entity).toMatchObject({ email: 'new@example.com', first_name: null, personal_address: null });
    expect(answer.body.tags).toEqual({ plan: 'pro' });
    expect(answer.body.type).toBe('PERSONAL');
  });

  it.each<[string, object, string]>([
    ['a first name over 20 characters', { entity: { first_name: 'A'.repeat(21) } }, 'entity.first_name'],
    ['a field that cannot be updated', { identity_roles: ['SELLER'] }, 'identity_roles'],
  ])('refuses a PUT with %s as 422 INVALID_FIELD', async (_case, body, field) => {
    const { id } = await created();

    const answer = await answerOf<ErrorList>(sut, call('PUT', `/identities/${id}`, body));

    expect(answer.status).toBe(422);
    expect(answer.body._embedded.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'INVALID_FIELD', field })]));
  });

  it.each([
    ['PUT', '/identities/IDunknown', 404],
    ['DELETE', '/identities/IDsomething', 404],
  ])('answers %s %s with %i: Identities cannot be deleted', async (method, path, status) => {
    await expect(answerOf(sut, call(method, path, { entity: {} }))).resolves.toMatchObject({ status });
  });

  it('refuses a wrong user or an empty password with 401 on every route', async () => {
    const noPassword = `Basic ${Buffer.from('USsimulatorSpecUser01:').toString('base64')}`;

    await expect(answerOf(sut, call('GET', '/identities/IDx', undefined, noPassword))).resolves.toMatchObject({ status: 401 });
    await expect(answerOf(sut, call('GET', '/identities', undefined, 'Bearer x'))).resolves.toMatchObject({ status: 401 });
  });

  it('lists Identities by exact email, newest first, paged by cursor', async () => {
    const first = await created();
    await created({ ...BODY, entity: { email: 'other@example.com' } });
    const second = await created();
    const third = await created();

    const page1 = await answerOf<IdentityList>(sut, call('GET', '/identities?email=ann%40example.com&limit=2'));
    const page2 = await answerOf<IdentityList>(sut, call('GET', `/identities?email=ann%40example.com&limit=2&after_cursor=${page1.body.page.next_cursor}`));

    expect(page1.body._embedded.identities.map((i) => i.id)).toEqual([third.id, second.id]);
    expect(page1.body.page).toEqual({ limit: 2, next_cursor: second.id });
    expect(page2.body._embedded.identities.map((i) => i.id)).toEqual([first.id]);
    expect(page2.body.page.next_cursor).toBeNull();
  });
});
