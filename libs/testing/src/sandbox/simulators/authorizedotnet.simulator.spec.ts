import type { SandboxRequest } from '../sandbox-http';
import { AuthorizedotnetSimulator } from './authorizedotnet.simulator';
import { postsTo } from './simulator-requests';

const AUTH = { name: 'simLogin1', transactionKey: '7rB2kQ9zX4mV6pL3' };
const NS = 'AnetApi/xml/v1/schema/AnetApiSchema.xsd';

const post = postsTo('/xml/v1/request.api', { 'content-type': 'application/json' });

const create = (profile: unknown, extra: Record<string, unknown> = {}, merchantAuthentication: unknown = AUTH) =>
  post({ createCustomerProfileRequest: { merchantAuthentication, ...extra, profile } });

async function answerTo(sut: AuthorizedotnetSimulator, request: SandboxRequest) {
  const response = await sut.handle(request);
  expect(response.status).toBe(200);
  expect(response.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
  expect(response.body.startsWith('\ufeff')).toBe(true);
  return JSON.parse(response.body.slice(1)) as {
    customerProfileId?: string;
    customerShippingAddressIdList?: string[];
    customerAddressId?: string;
    profile?: Record<string, unknown>;
    refId?: string;
    messages: { resultCode: string; message: { code: string; text: string }[] };
  };
}

describe(AuthorizedotnetSimulator.name, () => {
  let sut: AuthorizedotnetSimulator;

  beforeEach(() => {
    sut = new AuthorizedotnetSimulator();
  });

  it('creates a profile: HTTP 200, byte order mark, resultCode Ok, numeric ids for it and its shipping address', async () => {
    const body = await answerTo(sut, create({ merchantCustomerId: 'm-1', description: 'Ann Lee', email: 'ann@example.com', shipToList: [{ firstName: 'Ben', address: '9 Market St' }] }));

    expect(body).toEqual({
      customerProfileId: expect.stringMatching(/^\d+$/),
      customerPaymentProfileIdList: [],
      customerShippingAddressIdList: [expect.stringMatching(/^\d+$/)],
      validationDirectResponseList: [],
      messages: { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] },
    });
    expect(sut.customerCount()).toBe(1);
  });

  it('answers a repeated profile with E00039 naming the existing id, creating nothing', async () => {
    const profile = { merchantCustomerId: 'm-1', description: 'Ann Lee', email: 'ann@example.com' };
    const first = await answerTo(sut, create(profile));

    const second = await answerTo(sut, create({ ...profile, shipToList: { address: 'elsewhere' } }));

    expect(second).toEqual({
      customerPaymentProfileIdList: [],
      customerShippingAddressIdList: [],
      validationDirectResponseList: [],
      messages: { resultCode: 'Error', message: [{ code: 'E00039', text: `A duplicate record with ID ${first.customerProfileId} already exists.` }] },
    });
    expect(sut.customerCount()).toBe(1);
  });

  it.each([
    ['another email', { merchantCustomerId: 'm-1', description: 'Ann Lee', email: 'other@example.com' }, AUTH],
    ['another description', { merchantCustomerId: 'm-1', description: 'Ann B. Lee', email: 'ann@example.com' }, AUTH],
    ['another account', { merchantCustomerId: 'm-1', description: 'Ann Lee', email: 'ann@example.com' }, { ...AUTH, name: 'otherLogin2' }],
  ])('creates another profile for %s', async (_case, profile, auth) => {
    await answerTo(sut, create({ merchantCustomerId: 'm-1', description: 'Ann Lee', email: 'ann@example.com' }));

    const body = await answerTo(sut, create(profile, {}, auth));

    expect(body.messages.resultCode).toBe('Ok');
    expect(sut.customerCount()).toBe(2);
  });

  it('echoes refId', async () => {
    await expect(answerTo(sut, create({ merchantCustomerId: 'm-1' }, { refId: 'ref-42' }))).resolves.toMatchObject({ refId: 'ref-42' });
  });

  it.each<[string, SandboxRequest, string, string]>([
    ['a transaction key that is not 16 characters', create({ merchantCustomerId: 'm-1' }, {}, { name: 'simLogin1', transactionKey: 'short' }), 'E00007', 'User authentication failed due to invalid authentication values.'],
    ['a missing API Login ID', create({ merchantCustomerId: 'm-1' }, {}, { transactionKey: AUTH.transactionKey }), 'E00007', 'User authentication failed due to invalid authentication values.'],
    ['a session token instead of a key', create({ merchantCustomerId: 'm-1' }, {}, { name: 'simLogin1', sessionToken: 'abc' }), 'E00059', 'The authentication type is not allowed for this method call.'],
    ['an empty profile', create({}), 'E00041', 'One or more fields in the profile must contain a value.'],
    ['an invalid email', create({ email: 'not-an-email' }), 'E00013', 'email is invalid.'],
    ['a payment profile without payment', create({ merchantCustomerId: 'm-1', paymentProfiles: [{ customerType: 'individual' }] }), 'E00029', 'Payment information is required.'],
    ['a form body', post('a=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 'E00002', 'The content-type specified is not supported.'],
    ['another API method', post({ getTransactionDetailsRequest: { merchantAuthentication: AUTH, transId: '1' } }), 'E00004', 'The name of the requested API method is invalid.'],
    [
      'elements out of schema order',
      post({ createCustomerProfileRequest: { profile: { merchantCustomerId: 'm-1' }, merchantAuthentication: AUTH } }),
      'E00003',
      `The element 'createCustomerProfileRequest' in namespace '${NS}' has invalid child element 'profile' in namespace '${NS}'. List of possible elements expected: 'merchantAuthentication' in namespace '${NS}'.`,
    ],
    [
      'profile elements out of order',
      create({ email: 'ann@example.com', merchantCustomerId: 'm-1' }),
      'E00003',
      `The element 'profile' in namespace '${NS}' has invalid child element 'merchantCustomerId' in namespace '${NS}'. List of possible elements expected: 'paymentProfiles, shipToList, profileType' in namespace '${NS}'.`,
    ],
    [
      'an unknown element',
      create({ merchantCustomerId: 'm-1', phone: '1' }),
      'E00003',
      `The element 'profile' in namespace '${NS}' has invalid child element 'phone' in namespace '${NS}'. List of possible elements expected: 'description, email, paymentProfiles, shipToList, profileType' in namespace '${NS}'.`,
    ],
    [
      'a shipping zip over 20 characters',
      create({ merchantCustomerId: 'm-1', shipToList: [{ zip: '1'.repeat(21) }] }),
      'E00003',
      `The '${NS}:zip' element is invalid - The value '${'1'.repeat(21)}' is invalid according to its datatype 'String' - The actual length is greater than the MaxLength value.`,
    ],
    [
      'a merchantCustomerId over 20 characters',
      create({ merchantCustomerId: 'x'.repeat(21) }),
      'E00003',
      `The '${NS}:merchantCustomerId' element is invalid - The value '${'x'.repeat(21)}' is invalid according to its datatype 'String' - The actual length is greater than the MaxLength value.`,
    ],
    [
      'a missing profile',
      post({ createCustomerProfileRequest: { merchantAuthentication: AUTH } }),
      'E00003',
      `The element 'createCustomerProfileRequest' in namespace '${NS}' has incomplete content. List of possible elements expected: 'clientId, refId, profile' in namespace '${NS}'.`,
    ],
    [
      'an unknown profileType',
      create({ merchantCustomerId: 'm-1', profileType: 'vip' }),
      'E00003',
      `The '${NS}:profileType' element is invalid - The value 'vip' is invalid according to its datatype 'String' - The Enumeration constraint failed.`,
    ],
  ])('refuses %s with its documented code and text', async (_case, request, code, text) => {
    const body = await answerTo(sut, request);

    expect(body.messages).toEqual({ resultCode: 'Error', message: [{ code, text }] });
    expect(body.customerProfileId).toBeUndefined();
    expect(sut.customerCount()).toBe(0);
  });

  it('accepts a single shipToList object as well as an array (both are repeated elements)', async () => {
    const body = await answerTo(sut, create({ merchantCustomerId: 'm-1', shipToList: { city: 'Oakland' } }));

    expect(body.customerShippingAddressIdList).toHaveLength(1);
  });

  it('answers another path with 404', async () => {
    const response = await sut.handle(post({}, { path: '/v1/customers' }));

    expect(response.status).toBe(404);
  });

  it('forgets every profile on reset', async () => {
    await answerTo(sut, create({ merchantCustomerId: 'm-1' }));

    sut.reset();

    expect(sut.customerCount()).toBe(0);
    await expect(answerTo(sut, create({ merchantCustomerId: 'm-1' }))).resolves.toMatchObject({ messages: { resultCode: 'Ok' } });
  });

  describe('the rest of the profile lifecycle', () => {
    const call = (root: string, content: Record<string, unknown>, merchantAuthentication: unknown = AUTH) => post({ [root]: { merchantAuthentication, ...content } });
    const okMessages = { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] };
    const notFound = { messages: { resultCode: 'Error', message: [{ code: 'E00040', text: 'The record cannot be found.' }] } };

    async function created(profile: Record<string, unknown> = { merchantCustomerId: 'm-1', description: 'Ann Lee', email: 'ann@example.com', shipToList: [{ firstName: 'Ben', address: '9 Market St' }] }) {
      const body = await answerTo(sut, create(profile));
      return body.customerProfileId!;
    }

    it('gets a profile by its id, with its shipping addresses and their ids, in schema order', async () => {
      const id = await created();

      const body = await answerTo(sut, call('getCustomerProfileRequest', { customerProfileId: id }));

      expect(body).toEqual({
        profile: {
          merchantCustomerId: 'm-1',
          description: 'Ann Lee',
          email: 'ann@example.com',
          customerProfileId: id,
          shipToList: [{ firstName: 'Ben', address: '9 Market St', customerAddressId: expect.stringMatching(/^\d+$/) }],
          profileType: 'regular',
        },
        messages: okMessages,
      });
      expect(Object.keys(body.profile ?? {})).toEqual(['merchantCustomerId', 'description', 'email', 'customerProfileId', 'shipToList', 'profileType']);
    });

    it('gets a profile by merchantCustomerId, and by email, the first of duplicates when several match', async () => {
      const first = await created();
      await created({ merchantCustomerId: 'm-1', description: 'Ann B. Lee', email: 'ann.b@example.com' });

      await expect(answerTo(sut, call('getCustomerProfileRequest', { merchantCustomerId: 'm-1' }))).resolves.toMatchObject({ profile: { customerProfileId: first } });
      await expect(answerTo(sut, call('getCustomerProfileRequest', { email: 'ann.b@example.com' }))).resolves.toMatchObject({ profile: { description: 'Ann B. Lee' } });
    });

    it.each([
      ['an unknown id', { customerProfileId: '42' }, AUTH],
      ['an unknown merchantCustomerId', { merchantCustomerId: 'nobody' }, AUTH],
      ['another account’s profile', { merchantCustomerId: 'm-1' }, { ...AUTH, name: 'otherLogin2' }],
      ['no identifier at all', {}, AUTH],
    ])('answers E00040 for %s', async (_case, content, auth) => {
      await created();

      await expect(answerTo(sut, call('getCustomerProfileRequest', content, auth))).resolves.toEqual(notFound);
    });

    it('replaces merchantCustomerId, description and email on update: an element left out is cleared', async () => {
      const id = await created();

      await expect(answerTo(sut, call('updateCustomerProfileRequest', { profile: { merchantCustomerId: 'm-1', email: 'new@example.com', customerProfileId: id } }))).resolves.toEqual({ messages: okMessages });

      const body = await answerTo(sut, call('getCustomerProfileRequest', { customerProfileId: id }));
      expect(body).toMatchObject({ profile: { merchantCustomerId: 'm-1', email: 'new@example.com' } });
      expect(body.profile).not.toHaveProperty('description');
    });

    it.each([
      ['an unknown profile', { merchantCustomerId: 'm-1', customerProfileId: '42' }, 'E00040', 'The record cannot be found.'],
      ['no customerProfileId', { merchantCustomerId: 'm-1' }, 'E00040', 'The record cannot be found.'],
      ['an empty profile', { customerProfileId: 'ID' }, 'E00041', 'One or more fields in the profile must contain a value.'],
      ['an invalid email', { email: 'not-an-email', customerProfileId: 'ID' }, 'E00013', 'email is invalid.'],
    ])('refuses an update of %s', async (_case, profile, code, text) => {
      const id = await created();

      const body = await answerTo(sut, call('updateCustomerProfileRequest', { profile: JSON.parse(JSON.stringify(profile).replace('"ID"', `"${id}"`)) }));

      expect(body).toEqual({ messages: { resultCode: 'Error', message: [{ code, text }] } });
    });

    it('refuses an update out of schema order (customerProfileId belongs after email)', async () => {
      const id = await created();

      const body = await answerTo(sut, call('updateCustomerProfileRequest', { profile: { customerProfileId: id, email: 'a@example.com' } }));

      expect(body.messages.message[0].code).toBe('E00003');
    });

    it('deletes a profile once; deleting it again answers E00040', async () => {
      const id = await created();

      await expect(answerTo(sut, call('deleteCustomerProfileRequest', { customerProfileId: id }))).resolves.toEqual({ messages: okMessages });
      expect(sut.customerCount()).toBe(0);
      await expect(answerTo(sut, call('deleteCustomerProfileRequest', { customerProfileId: id }))).resolves.toEqual(notFound);
      await expect(answerTo(sut, call('getCustomerProfileRequest', { customerProfileId: id }))).resolves.toEqual(notFound);
    });

    it('adds a shipping address, then replaces it whole by its id', async () => {
      const id = await created({ merchantCustomerId: 'm-2' });

      const added = await answerTo(sut, call('createCustomerShippingAddressRequest', { customerProfileId: id, address: { firstName: 'Ben', city: 'Oakland' } }));
      const addressId = added.customerAddressId;
      expect(added).toEqual({ customerProfileId: id, customerAddressId: expect.stringMatching(/^\d+$/), messages: okMessages });

      await answerTo(sut, call('updateCustomerShippingAddressRequest', { customerProfileId: id, address: { city: 'Berlin', customerAddressId: addressId } }));

      await expect(answerTo(sut, call('getCustomerProfileRequest', { customerProfileId: id }))).resolves.toMatchObject({ profile: { shipToList: [{ city: 'Berlin', customerAddressId: addressId }] } });
    });

    it.each([
      ['createCustomerShippingAddressRequest', { customerProfileId: '42', address: { city: 'Oakland' } }],
      ['updateCustomerShippingAddressRequest', { customerProfileId: 'ID', address: { city: 'Oakland', customerAddressId: '42' } }],
    ])('answers %s for an unknown profile or address with E00040', async (root, content) => {
      const id = await created();

      await expect(answerTo(sut, call(root, JSON.parse(JSON.stringify(content).replace('"ID"', `"${id}"`))))).resolves.toEqual(notFound);
    });

    it.each([
      ['getCustomerProfileRequest', { customerProfileId: 'abc' }, 'Pattern'],
      ['getCustomerProfileRequest', { merchantCustomerId: 'x'.repeat(21) }, 'MaxLength'],
      ['deleteCustomerProfileRequest', {}, 'incomplete content'],
      ['updateCustomerShippingAddressRequest', { customerProfileId: '1', address: { phone: '1' } }, "invalid child element 'phone'"],
    ])('checks %s against the schema (E00003)', async (root, content, why) => {
      const body = await answerTo(sut, call(root, content));

      expect(body.messages.message[0]).toEqual({ code: 'E00003', text: expect.stringContaining(why) });
    });

    it('authenticates every method', async () => {
      await expect(answerTo(sut, call('getCustomerProfileRequest', { customerProfileId: '1' }, { name: 'simLogin1', transactionKey: 'short' }))).resolves.toEqual({
        messages: { resultCode: 'Error', message: [{ code: 'E00007', text: 'User authentication failed due to invalid authentication values.' }] },
      });
    });
  });
});
