import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import { authorizedotnetRequestSchemaProblem } from '@app/testing/sandbox/simulators/authorizedotnet.simulator';
import { answering, callBuilder, errorOf, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving, executorOver } from '@app/testing/connectors/connector-driver';
import type { DeleteCustomerCall, ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { ConnectorHttpClient, InboundResponse, OutboundRequest } from '../http/connector-http-client';
import { AuthorizedotnetConnector } from './authorizedotnet.connector';

const LOGIN_ID = '5KP3u95bQpv';
const TRANSACTION_KEY = '346HZ32z3fP4hTG2';
const AUTH = { name: LOGIN_ID, transactionKey: TRANSACTION_KEY };
const ENDPOINT = 'https://apitest.authorize.net/xml/v1/request.api';
const BOM = '\ufeff';
const OK = { resultCode: 'Ok', message: [{ code: 'I00001', text: 'Successful.' }] };

const answer = (body: unknown): InboundResponse => ({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: `${BOM}${JSON.stringify(body)}` });
const refusal = (code: string, text: string) => answer({ messages: { resultCode: 'Error', message: [{ code, text }] } });
const NOT_FOUND = refusal('E00040', 'The record cannot be found.');

/** `getCustomerProfileResponse` as the API reference shows it (masked payment profile included). */
const PROFILE = {
  paymentProfiles: [{ customerPaymentProfileId: '904343434', payment: { creditCard: { cardNumber: 'XXXX1111', expirationDate: 'XXXX' } } }],
  shipToList: [
    { firstName: 'Ben', lastName: 'Lee', company: 'Lee & Co', address: '9 Market Street', city: 'Oakland', state: 'CA', zip: '94607', country: 'US', phoneNumber: '+14155550100', customerAddressId: '900044231' },
  ],
  profileType: 'regular',
  customerProfileId: '1913038047',
  merchantCustomerId: 'mcid-42',
  description: 'Ann Lee',
  email: 'ann.lee@example.com',
};
const GOT = answer({ profile: PROFILE, messages: OK });

const minimal: CustomerProfile = { merchantCustomerId: 'mcid-42', metadata: {}, featureData: {} };
const callFor = callBuilder({ credentials: { name: LOGIN_ID, transaction_key: TRANSACTION_KEY }, baseUrl: ENDPOINT });
const existing: ExistingCustomerCall = { connectorCustomerId: '1913038047', merchantCustomerId: 'mcid-42', reference: 'stablereference0000000000a', credentials: callFor(minimal).credentials, baseUrl: ENDPOINT, testMode: true };
const updateOf = (customer: Partial<CustomerProfile>): UpdateCustomerCall => ({ ...existing, customer: { ...minimal, ...customer }, idempotencyKey: 'update-key-1' });
const deletion: DeleteCustomerCall = { ...existing, idempotencyKey: 'delete-key-1' };

/** Every request sent, checked against the XSD, as the JSON it carried. */
function sentBodies(send: jest.Mock): unknown[] {
  return send.mock.calls.map(([, outbound]: [string, OutboundRequest]) => {
    expect(outbound).toMatchObject({ method: 'POST', url: ENDPOINT, headers: { 'content-type': 'application/json' } });
    expect(authorizedotnetRequestSchemaProblem(outbound.body ?? '')).toBeUndefined();
    return JSON.parse(outbound.body ?? '');
  });
}

describe(`${AuthorizedotnetConnector.name} lifecycle`, () => {
  const sut = driving(new AuthorizedotnetConnector());

  describe('descriptor', () => {
    it('scopes mappings by the API Login ID, whatever the transaction key', () => {
      expect(sut.descriptor.accountIdOf?.({ name: LOGIN_ID, transaction_key: TRANSACTION_KEY })).toBe(LOGIN_ID);
      expect(sut.descriptor.accountIdOf?.({ name: LOGIN_ID, transaction_key: 'Rotated000000000' })).toBe(LOGIN_ID);
    });

    it('says its replay holds only for the same details, and that a lookup finding nothing proves nothing', () => {
      expect(sut.descriptor.capabilities).toMatchObject({ replaysSafely: true, replayRequiresSameDetails: true, lookupIsConclusive: false });
      expect(sut.descriptor.capabilities.replayWindowHours).toBeUndefined();
      expect(sut.descriptor.capabilities.lifecycle).toEqual({ get: expect.stringContaining('getCustomerProfileRequest'), update: expect.stringContaining('updateCustomerProfileRequest'), delete: expect.stringContaining('deleteCustomerProfileRequest') });
    });

    it('gives every claim it relies on a source, except the ones it marks inferred and guards against', () => {
      const claims = sut.descriptor.capabilities.claims ?? [];
      expect(claims.length).toBeGreaterThan(5);
      for (const { claim, source } of claims) if (source === undefined) expect(claim).toMatch(/cannot create another|whether or not the claim holds/);
    });
  });

  describe('findCreated (a lost create answer)', () => {
    it('looks the profile up by the merchantCustomerId the create sent', async () => {
      const { http, send } = answering(GOT);

      await expect(sut.findCreatedCustomer(callFor({ ...minimal, email: 'other@example.com', name: 'Other Name' }), http)).resolves.toEqual({
        connectorCustomerId: '1913038047',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(sentBodies(send)).toEqual([{ getCustomerProfileRequest: { merchantAuthentication: AUTH, merchantCustomerId: 'mcid-42' } }]);
    });

    it('looks a long merchant id up by the reference characters the create sent in its place', async () => {
      const { http, send } = answering(answer({ profile: { ...PROFILE, merchantCustomerId: 'stablereference00000' }, messages: OK }));

      await sut.findCreatedCustomer(callFor({ ...minimal, merchantCustomerId: 'x'.repeat(40) }), http);

      expect(sentBodies(send)).toEqual([{ getCustomerProfileRequest: { merchantAuthentication: AUTH, merchantCustomerId: 'stablereference00000' } }]);
    });

    it('reads E00040 as nothing found', async () => {
      await expect(sut.findCreatedCustomer(callFor(minimal), answering(NOT_FOUND).http)).resolves.toBeUndefined();
    });

    it('refuses a profile of another merchantCustomerId as an invalid answer', async () => {
      const error = await errorOf(sut.findCreatedCustomer(callFor(minimal), answering(answer({ profile: { ...PROFILE, merchantCustomerId: 'someone-else' }, messages: OK })).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse, details: { outcomeUnknown: true } });
    });

    it.each<[string, InboundResponse, ErrorReason]>([
      ['failed authentication', refusal('E00007', 'User authentication failed due to invalid authentication values.'), ErrorReason.ConnectorAuthenticationFailed],
      ['an edge 503', { status: 503, headers: {}, body: '<html>Service Unavailable</html>' }, ErrorReason.ConnectorUnavailable],
    ])('keeps the create’s outcome unknown when the lookup fails: %s', async (_case, response, reason) => {
      const error = await errorOf(sut.findCreatedCustomer(callFor(minimal), answering(response).http));

      expect(error).toMatchObject({ reason, details: { outcomeUnknown: true } });
    });
  });

  describe('get', () => {
    it('sends getCustomerProfileRequest by customerProfileId and returns the record it holds', async () => {
      const { http, send } = answering(GOT);

      await expect(sut.getCustomer(existing, http)).resolves.toEqual({
        connectorCustomerId: '1913038047',
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json; charset=utf-8' },
        record: {
          name: 'Ann Lee',
          email: 'ann.lee@example.com',
          shippingAddress: { firstName: 'Ben', lastName: 'Lee', line1: '9 Market Street', city: 'Oakland', state: 'CA', zipCode: '94607', country: 'US', phoneNumber: '+14155550100' },
        },
      });
      expect(sentBodies(send)).toEqual([{ getCustomerProfileRequest: { merchantAuthentication: AUTH, customerProfileId: '1913038047' } }]);
    });

    it('reads a profile with nothing but its id, and a country that is not alpha-2', async () => {
      const { http } = answering(answer({ profile: { customerProfileId: '1913038047', shipToList: [{ country: 'Germany' }] }, messages: OK }));

      await expect(sut.getCustomer(existing, http)).resolves.toMatchObject({ connectorCustomerId: '1913038047', record: { shippingAddress: {} } });
      expect((await sut.getCustomer(existing, answering(answer({ profile: { customerProfileId: '1913038047' }, messages: OK })).http)).record).toEqual({});
    });

    it('answers E00040 as CONNECTOR_NOT_FOUND keeping the code', async () => {
      const error = await errorOf(sut.getCustomer(existing, answering(NOT_FOUND).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { outcomeUnknown: false, connector: { connector: 'authorizedotnet', code: 'E00040', message: 'The record cannot be found.' } } });
    });

    it.each<[string, InboundResponse]>([
      ['Ok without a profile', answer({ messages: OK })],
      ['a profile without a numeric id', answer({ profile: { customerProfileId: 'abc' }, messages: OK })],
      ['a body without messages', answer({ profile: PROFILE })],
    ])('refuses %s as an invalid answer', async (_case, response) => {
      await expect(sut.getCustomer(existing, answering(response).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
    });
  });

  describe('update', () => {
    it('reads the profile, then sends every profile field with the change merged in', async () => {
      const { http, send } = answering(GOT, answer({ messages: OK }));

      const updated = await sut.updateCustomer(updateOf({ email: 'new@example.com' }), http);

      expect(sentBodies(send)).toEqual([
        { getCustomerProfileRequest: { merchantAuthentication: AUTH, customerProfileId: '1913038047' } },
        { updateCustomerProfileRequest: { merchantAuthentication: AUTH, profile: { merchantCustomerId: 'mcid-42', description: 'Ann Lee', email: 'new@example.com', customerProfileId: '1913038047', profileType: 'regular' } } },
      ]);
      expect(updated).toMatchObject({ connectorCustomerId: '1913038047', httpStatus: 200, record: { name: 'Ann Lee', email: 'new@example.com' } });
    });

    it('takes the name from the billing names, as create does', async () => {
      const { http, send } = answering(GOT, answer({ messages: OK }));

      await sut.updateCustomer(updateOf({ billingAddress: { firstName: 'Grace', lastName: 'Hopper' } }), http);

      expect(sentBodies(send)[1]).toMatchObject({ updateCustomerProfileRequest: { profile: { description: 'Grace Hopper', email: 'ann.lee@example.com' } } });
    });

    it('updates the first shipping address whole: named fields changed, the street replaced, the rest kept', async () => {
      const { http, send } = answering(GOT, answer({ messages: OK }));

      const updated = await sut.updateCustomer(updateOf({ shippingAddress: { line1: '1 New Road', line2: 'Unit 4', phoneNumber: '4155550111', phoneCountryCode: '1' } }), http);

      expect(sentBodies(send)).toEqual([
        { getCustomerProfileRequest: { merchantAuthentication: AUTH, customerProfileId: '1913038047' } },
        {
          updateCustomerShippingAddressRequest: {
            merchantAuthentication: AUTH,
            customerProfileId: '1913038047',
            address: { firstName: 'Ben', lastName: 'Lee', company: 'Lee & Co', address: '1 New Road Unit 4', city: 'Oakland', state: 'CA', zip: '94607', country: 'US', phoneNumber: '+14155550111', customerAddressId: '900044231' },
          },
        },
      ]);
      expect(updated.record?.shippingAddress).toMatchObject({ line1: '1 New Road Unit 4', phoneNumber: '+14155550111', city: 'Oakland' });
    });

    it('adds a shipping address to a profile that has none, after the profile fields', async () => {
      const { http, send } = answering(answer({ profile: { customerProfileId: '1913038047', merchantCustomerId: 'mcid-42', email: 'a@example.com' }, messages: OK }), answer({ messages: OK }), answer({ customerProfileId: '1913038047', customerAddressId: '900044299', messages: OK }));

      await sut.updateCustomer(updateOf({ name: 'Ann Lee', shippingAddress: { city: 'Berlin', country: 'DE' } }), http);

      expect(sentBodies(send).slice(1)).toEqual([
        { updateCustomerProfileRequest: { merchantAuthentication: AUTH, profile: { merchantCustomerId: 'mcid-42', description: 'Ann Lee', email: 'a@example.com', customerProfileId: '1913038047' } } },
        { createCustomerShippingAddressRequest: { merchantAuthentication: AUTH, customerProfileId: '1913038047', address: { city: 'Berlin', country: 'DE' } } },
      ]);
    });

    it('only reads when the change names nothing a profile holds (phone, metadata)', async () => {
      const { http, send } = answering(GOT);

      await expect(sut.updateCustomer(updateOf({ phone: '+14155550123', metadata: { tier: 'gold' } }), http)).resolves.toMatchObject({ record: { email: 'ann.lee@example.com' } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('refuses an unknown profile with CONNECTOR_NOT_FOUND before writing anything', async () => {
      const { http, send } = answering(NOT_FOUND);

      await expect(sut.updateCustomer(updateOf({ email: 'new@example.com' }), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { code: 'E00040' } } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('keeps Authorize.net’s code when the write is refused', async () => {
      const { http } = answering(GOT, refusal('E00013', 'email is invalid.'));

      await expect(sut.updateCustomer(updateOf({ email: 'new@example.com' }), http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, details: { connector: { code: 'E00013', param: 'email' } } });
    });

    it('holds an update to create’s limits before any call', () => {
      const violations = executorOver({} as ConnectorHttpClient).validate(sut.connector, 'update', { ...minimal, name: 'n'.repeat(256), shippingAddress: { zipCode: 'z'.repeat(21) } });

      expect(violations.map((v) => v.field)).toEqual(['customer_name', 'address.shipping_address.zip_code']);
    });
  });

  describe('delete', () => {
    it('sends deleteCustomerProfileRequest and reports the profile deleted', async () => {
      const { http, send } = answering(answer({ messages: OK }));

      await expect(sut.deleteCustomer(deletion, http)).resolves.toEqual({ httpStatus: 200, responseHeaders: { 'content-type': 'application/json; charset=utf-8' }, alreadyDeleted: false });
      expect(sentBodies(send)).toEqual([{ deleteCustomerProfileRequest: { merchantAuthentication: AUTH, customerProfileId: '1913038047' } }]);
    });

    it('reads E00040 as already deleted (a retry after a lost answer)', async () => {
      await expect(sut.deleteCustomer(deletion, answering(NOT_FOUND).http)).resolves.toMatchObject({ alreadyDeleted: true });
    });

    it('keeps any other refusal as an error', async () => {
      const error = await errorOf(sut.deleteCustomer(deletion, answering(refusal('E00007', 'User authentication failed due to invalid authentication values.')).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { connector: { code: 'E00007' } } });
    });
  });

  describe('a retry with other details after a lost answer (issue 13 item 2), against the simulator', () => {
    const { sandbox, http } = useSandbox();
    const first = { ...minimal, merchantCustomerId: 'mcid-lost', name: 'Ann Lee', email: 'ann.lee@example.com' };
    const changed = { ...first, name: 'Ann B. Lee', email: 'ann.b.lee@example.com' };
    let baseUrl: string;
    const credentials = { name: 'simLoginLost1', transaction_key: '7rB2kQ9zX4mV6pL3' };

    beforeAll(() => {
      baseUrl = `${sandbox.baseUrl('authorizedotnet')}xml/v1/request.api`;
    });

    async function createLosingTheAnswer() {
      sandbox.injectFault('authorizedotnet', { dropAfterProcessing: true });
      const lost = await errorOf(sut.createCustomer(callFor(first, { baseUrl, credentials }), http));
      expect(lost.details.outcomeUnknown).toBe(true);
      return sandbox.simulators.authorizedotnet.profileIdsFor(credentials.name, 'mcid-lost');
    }

    it('replays an identical retry through E00039', async () => {
      const [made] = await createLosingTheAnswer();

      await expect(sut.createCustomer(callFor(first, { baseUrl, credentials }), http)).resolves.toMatchObject({ connectorCustomerId: made });
      expect(sandbox.simulators.authorizedotnet.customerCount()).toBe(1);
    });

    it('would create a second profile if a changed retry were sent blind: the duplicate check needs all three fields', async () => {
      await createLosingTheAnswer();

      await sut.createCustomer(callFor(changed, { baseUrl, credentials }), http);

      expect(sandbox.simulators.authorizedotnet.profileIdsFor(credentials.name, 'mcid-lost')).toHaveLength(2);
    });

    it('finds the profile the lost attempt made by its merchantCustomerId, so the changed retry is reconciled instead', async () => {
      const [made] = await createLosingTheAnswer();

      const found = await sut.findCreatedCustomer(callFor(changed, { baseUrl, credentials }), http);

      expect(found?.connectorCustomerId).toBe(made);
      expect(sandbox.simulators.authorizedotnet.customerCount()).toBe(1);
    });

    it('finds nothing when the lost attempt made nothing', async () => {
      await expect(sut.findCreatedCustomer(callFor(changed, { baseUrl, credentials }), http)).resolves.toBeUndefined();
    });
  });
});
