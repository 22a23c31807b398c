import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import { answering, errorOf, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving, executorOver } from '@app/testing/connectors/connector-driver';
import type { DeleteCustomerCall, ExistingCustomerCall, ProcessorCall, UpdateCustomerCall } from '../connector';
import type { ConnectorHttpClient, InboundResponse, OutboundRequest } from '../http/connector-http-client';
import { BRAINTREE_LEGACY_ID_HEADER, BRAINTREE_VERSION, BraintreeConnector } from './braintree.connector';
import { BRAINTREE_DELETE_CUSTOMER_MUTATION, BRAINTREE_GET_CUSTOMER_QUERY, BRAINTREE_UPDATE_CUSTOMER_MUTATION, BRAINTREE_VIEWER_QUERY } from './braintree.transformers';

const PUBLIC_KEY = 'specpublickey001';
const PRIVATE_KEY = 'fedcba9876543210fedcba9876543210';
const CREDENTIALS = { public_key: PUBLIC_KEY, private_key: PRIVATE_KEY, merchant_account_id: 'spec_usd' };
const BASE = 'https://payments.sandbox.braintree-api.com/';
const HEADERS = {
  authorization: `Basic ${Buffer.from(`${PUBLIC_KEY}:${PRIVATE_KEY}`).toString('base64')}`,
  'braintree-version': BRAINTREE_VERSION,
  'content-type': 'application/json',
  accept: 'application/json',
};
const CUSTOMER_ID = 'Y3VzdG9tZXJfNDk0MDE5';

const ok = (data: unknown): InboundResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data, extensions: { requestId: 'req-1' } }) });
const errors = (data: unknown, ...list: { message: string; extensions: Record<string, unknown> }[]): InboundResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ data, errors: list, extensions: { requestId: 'req-1' } }),
});
const NOT_FOUND = { message: 'An object with this ID was not found.', extensions: { errorClass: 'NOT_FOUND' } };
const CUSTOMER = { id: CUSTOMER_ID, legacyId: '494019', email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee', phoneNumber: '+14155550123', company: null };

const minimal: CustomerProfile = { merchantCustomerId: 'mcid-1', metadata: {}, featureData: {} };
const call: ProcessorCall = { credentials: CREDENTIALS, baseUrl: BASE, testMode: true };
const existing: ExistingCustomerCall = { ...call, connectorCustomerId: CUSTOMER_ID, merchantCustomerId: 'mcid-1', reference: 'stablereference0000000000a' };
const updateOf = (customer: Partial<CustomerProfile>): UpdateCustomerCall => ({ ...existing, customer: { ...minimal, ...customer }, idempotencyKey: 'update-key-1' });
const deletion: DeleteCustomerCall = { ...existing, idempotencyKey: 'delete-key-1' };

function sentBody(send: jest.Mock): unknown {
  expect(send).toHaveBeenCalledTimes(1);
  const [, outbound] = send.mock.calls[0] as [string, OutboundRequest];
  expect(outbound).toMatchObject({ method: 'POST', url: `${BASE}graphql`, headers: HEADERS });
  return JSON.parse(outbound.body ?? '');
}

describe(`${BraintreeConnector.name} lifecycle`, () => {
  const sut = driving(new BraintreeConnector());

  describe('descriptor', () => {
    it('names each lifecycle request and keeps no accountIdOf: only the viewer query names the merchant', () => {
      expect(sut.descriptor.capabilities.lifecycle).toEqual({ get: expect.stringContaining('node(id:)'), update: expect.stringContaining('updateCustomer'), delete: expect.stringContaining('deleteCustomer') });
      expect(sut.descriptor.accountIdOf).toBeUndefined();
    });

    it('marks the 426-for-a-missing-version claim inferred, and sources the others it relies on', () => {
      const claims = sut.descriptor.capabilities.claims ?? [];
      expect(claims.find((c) => c.claim.includes('Braintree-Version'))).toEqual({ claim: expect.stringContaining('inferred'), source: undefined });
      expect(claims.find((c) => c.claim.includes('viewer'))?.source).toContain('schema.graphql');
      for (const { claim, source } of claims) if (source === undefined) expect(claim).toContain('inferred');
    });
  });

  describe('get', () => {
    it('sends node(id:) with a Customer fragment and returns what Braintree holds', async () => {
      const { http, send } = answering(ok({ node: CUSTOMER }));

      await expect(sut.getCustomer(existing, http)).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json', [BRAINTREE_LEGACY_ID_HEADER]: '494019' },
        record: { name: 'Ann Lee', email: 'ann.lee@example.com', phone: '+14155550123' },
      });
      expect(sentBody(send)).toEqual({ query: BRAINTREE_GET_CUSTOMER_QUERY, variables: { id: CUSTOMER_ID } });
      expect(BRAINTREE_GET_CUSTOMER_QUERY).toBe('query Customer($id: ID!) { node(id: $id) { ... on Customer { id legacyId email firstName lastName phoneNumber company } } }');
    });

    it('reads a customer holding nothing but its ids', async () => {
      const { http } = answering(ok({ node: { id: CUSTOMER_ID, legacyId: '494019', email: null, firstName: null, lastName: null, phoneNumber: null, company: null } }));

      expect((await sut.getCustomer(existing, http)).record).toEqual({});
    });

    it('answers NOT_FOUND as CONNECTOR_NOT_FOUND keeping the class, nothing acted', async () => {
      const error = await errorOf(sut.getCustomer(existing, answering(errors({ node: null }, NOT_FOUND)).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { outcomeUnknown: false, connector: { connector: 'braintree', code: 'NOT_FOUND', type: 'NOT_FOUND', message: 'An object with this ID was not found.' } } });
    });

    it('reads a null node without errors (an id of another type) as not found', async () => {
      await expect(sut.getCustomer(existing, answering(ok({ node: null })).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { code: 'NOT_FOUND' } } });
      await expect(sut.getCustomer(existing, answering(ok({ node: {} })).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
    });

    it('keeps AUTHENTICATION on a 401', async () => {
      const response = { status: 401, headers: {}, body: JSON.stringify({ errors: [{ message: 'Authentication credentials are invalid.', extensions: { errorClass: 'AUTHENTICATION' } }] }) };

      await expect(sut.getCustomer(existing, answering(response).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorAuthenticationFailed, details: { connector: { code: 'AUTHENTICATION' } } });
    });
  });

  describe('update', () => {
    it('sends updateCustomer with only what changes and returns the customer Braintree now holds', async () => {
      const { http, send } = answering(ok({ updateCustomer: { clientMutationId: 'update-key-1', customer: { ...CUSTOMER, email: 'new@example.com' } } }));

      const updated = await sut.updateCustomer(updateOf({ email: 'new@example.com' }), http);

      expect(sentBody(send)).toEqual({ query: BRAINTREE_UPDATE_CUSTOMER_MUTATION, variables: { input: { clientMutationId: 'update-key-1', customerId: CUSTOMER_ID, customer: { email: 'new@example.com' } } } });
      expect(updated).toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 200,
        responseHeaders: { 'content-type': 'application/json', [BRAINTREE_LEGACY_ID_HEADER]: '494019' },
        record: { name: 'Ann Lee', email: 'new@example.com', phone: '+14155550123' },
      });
    });

    it.each<[string, Partial<CustomerProfile>, Record<string, unknown>]>([
      ['a customer_name: whole into firstName, clearing the last name an earlier split left', { name: 'Grace Hopper' }, { firstName: 'Grace Hopper', lastName: null }],
      ['billing names that spell the name: split as on create', { name: 'Grace Hopper', billingAddress: { firstName: 'Grace', lastName: 'Hopper' } }, { firstName: 'Grace', lastName: 'Hopper' }],
      ['only a billing last name: the first name kept', { billingAddress: { lastName: 'Hopper' } }, { lastName: 'Hopper' }],
      ['a billing phone with its calling code', { billingAddress: { phoneNumber: '2025550143', phoneCountryCode: '1' } }, { phoneNumber: '+12025550143' }],
      ['nothing Braintree holds (metadata, addresses): an empty CustomerInput', { metadata: { tier: 'gold' }, shippingAddress: { city: 'Oakland' } }, {}],
    ])('sends %s', async (_case, change, customer) => {
      const { http, send } = answering(ok({ updateCustomer: { clientMutationId: 'update-key-1', customer: CUSTOMER } }));

      await sut.updateCustomer(updateOf(change), http);

      expect(sentBody(send)).toEqual({ query: BRAINTREE_UPDATE_CUSTOMER_MUTATION, variables: { input: { clientMutationId: 'update-key-1', customerId: CUSTOMER_ID, customer } } });
    });

    it('holds an update to create’s limits before any call', () => {
      const violations = executorOver({} as ConnectorHttpClient).validate(sut.connector, 'update', { ...minimal, email: `${'e'.repeat(244)}@example.com` });

      expect(violations).toEqual([expect.objectContaining({ field: 'email' })]);
    });

    it.each<[string, InboundResponse, ErrorReason, string, boolean]>([
      ['an unknown customer', errors({ updateCustomer: null }, NOT_FOUND), ErrorReason.ConnectorNotFound, 'NOT_FOUND', false],
      ['an invalid email', errors({ updateCustomer: null }, { message: 'Email is an invalid format.', extensions: { errorClass: 'VALIDATION', legacyCode: '81604', inputPath: ['input', 'customer', 'email'] } }), ErrorReason.ConnectorInvalidRequest, '81604', false],
      ['an internal error', errors({ updateCustomer: null }, { message: 'An internal error occurred.', extensions: { errorClass: 'INTERNAL' } }), ErrorReason.ConnectorInternalError, 'INTERNAL', true],
    ])('maps %s keeping Braintree’s code', async (_case, response, reason, code, outcomeUnknown) => {
      const error = await errorOf(sut.updateCustomer(updateOf({ email: 'new@example.com' }), answering(response).http));

      expect(error).toMatchObject({ reason, details: { outcomeUnknown, connector: { connector: 'braintree', code } } });
    });

    it('refuses a 2xx with neither a customer nor errors as an invalid answer', async () => {
      await expect(sut.updateCustomer(updateOf({ email: 'new@example.com' }), answering(ok({ updateCustomer: null })).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
    });
  });

  describe('delete', () => {
    it('sends deleteCustomer and reports the customer deleted', async () => {
      const { http, send } = answering(ok({ deleteCustomer: { clientMutationId: 'delete-key-1' } }));

      await expect(sut.deleteCustomer(deletion, http)).resolves.toEqual({ httpStatus: 200, responseHeaders: { 'content-type': 'application/json' }, alreadyDeleted: false });
      expect(sentBody(send)).toEqual({ query: BRAINTREE_DELETE_CUSTOMER_MUTATION, variables: { input: { clientMutationId: 'delete-key-1', customerId: CUSTOMER_ID } } });
    });

    it('reads NOT_FOUND as already deleted (a retry after a lost answer)', async () => {
      await expect(sut.deleteCustomer(deletion, answering(errors({ deleteCustomer: null }, NOT_FOUND)).http)).resolves.toMatchObject({ alreadyDeleted: true });
    });

    it('keeps a refusal to delete a customer with payment methods as an error', async () => {
      const refusal = errors({ deleteCustomer: null }, { message: 'Customer has payment methods.', extensions: { errorClass: 'VALIDATION' } });

      await expect(sut.deleteCustomer(deletion, answering(refusal).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidRequest, details: { outcomeUnknown: false } });
    });

    it('refuses a 2xx with neither a payload nor errors as an invalid answer', async () => {
      await expect(sut.deleteCustomer(deletion, answering(ok({ deleteCustomer: null })).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
    });
  });

  describe('identifyAccount', () => {
    it('asks viewer { merchant { id } } and returns the merchant id', async () => {
      const { http, send } = answering(ok({ viewer: { merchant: { id: 'a1b2c3d4e5f6g7h8' } } }));

      await expect(sut.identifyAccount(call, http)).resolves.toEqual({ accountId: 'a1b2c3d4e5f6g7h8' });
      expect(sentBody(send)).toEqual({ query: BRAINTREE_VIEWER_QUERY });
    });

    it.each<[string, InboundResponse, ErrorReason]>([
      ['a key without the right', errors({ viewer: null }, { message: 'User does not have the required permissions.', extensions: { errorClass: 'AUTHORIZATION' } }), ErrorReason.ConnectorPermissionDenied],
      ['a viewer without a merchant', ok({ viewer: { merchant: null } }), ErrorReason.ConnectorInvalidResponse],
    ])('fails for %s', async (_case, response, reason) => {
      await expect(sut.identifyAccount(call, answering(response).http)).rejects.toMatchObject({ reason });
    });
  });

  describe('against the simulator', () => {
    const { sandbox, http } = useSandbox();
    let baseUrl: string;

    beforeAll(() => {
      baseUrl = sandbox.baseUrl('braintree');
    });

    it('keeps the merchant id when the API key pair is rotated, and reaches the customer with the new keys', async () => {
      const simulator = sandbox.simulators.braintree;
      const oldKeys = { ...CREDENTIALS, public_key: 'oldpublickey0001' };
      const newKeys = { ...CREDENTIALS, public_key: 'newpublickey0001', private_key: '0123456789abcdef0123456789abcdef' };
      simulator.assignKey(oldKeys.public_key, 'merchantsandbox1');
      simulator.assignKey(newKeys.public_key, 'merchantsandbox1');
      const created = await sut.createCustomer({ ...call, baseUrl, credentials: oldKeys, customer: { ...minimal, email: 'ann@example.com' }, idempotencyKey: 'k', reference: 'r' }, http);

      const before = await sut.identifyAccount({ ...call, baseUrl, credentials: oldKeys }, http);
      const after = await sut.identifyAccount({ ...call, baseUrl, credentials: newKeys }, http);

      expect(after).toEqual(before);
      expect(sut.accountIdentity(newKeys)).not.toBe(sut.accountIdentity(oldKeys));
      await expect(sut.getCustomer({ ...existing, baseUrl, credentials: newKeys, connectorCustomerId: created.connectorCustomerId }, http)).resolves.toMatchObject({ record: { email: 'ann@example.com' } });
    });

    it('does not reach another merchant’s customer', async () => {
      const created = await sut.createCustomer({ ...call, baseUrl, customer: minimal, idempotencyKey: 'k', reference: 'r' }, http);
      const stranger = { ...CREDENTIALS, public_key: 'strangerkey00001' };

      await expect(sut.getCustomer({ ...existing, baseUrl, credentials: stranger, connectorCustomerId: created.connectorCustomerId }, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
      await expect(sut.deleteCustomer({ ...deletion, baseUrl, credentials: stranger, connectorCustomerId: created.connectorCustomerId }, http)).resolves.toMatchObject({ alreadyDeleted: true });
      expect(sandbox.simulators.braintree.customerCount()).toBe(1);
    });
  });
});
