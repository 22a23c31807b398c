import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { ExistingCustomerCall } from '../connector';
import type { InboundResponse } from '../http/connector-http-client';
import { answering, callBuilder, errorOf } from '@app/testing/connectors/connector-spec-helpers';
import { driving } from '@app/testing/connectors/connector-driver';
import { RAZORPAY_LOOKUP_MAX_PAGES, RazorpayConnector } from './razorpay.connector';

const KEY_ID = 'rzp_test_Fx7mQ2rT9vK4nB';
const KEY_SECRET = 'Wq3LzT8vRk2NcY6hPb9sDm4F';
const BASIC = `Basic ${Buffer.from(`${KEY_ID}:${KEY_SECRET}`).toString('base64')}`;
const BASE = 'https://api.razorpay.com/';
const JSON_HEADERS = { 'content-type': 'application/json' };

const customer = (id = 'cust_1Aa00000000003', extra: Record<string, unknown> = {}) => ({
  id,
  entity: 'customer',
  name: 'Gaurav Kumar',
  email: 'gaurav.kumar@example.com',
  contact: '+919000090000',
  gstin: null,
  notes: { merchant_customer_id: 'mcid-1', notes_key_1: 'Tea, Earl Grey, Hot' },
  created_at: 1582033731,
  ...extra,
});
const ok = (body: unknown): InboundResponse => ({ status: 200, headers: JSON_HEADERS, body: JSON.stringify(body) });
const razorpayError = (description: string): InboundResponse => ({
  status: 400,
  headers: JSON_HEADERS,
  body: JSON.stringify({ error: { code: 'BAD_REQUEST_ERROR', description, source: 'NA', step: 'NA', reason: 'NA', metadata: {} } }),
});
const existing: ExistingCustomerCall = {
  connectorCustomerId: 'cust_1Aa00000000003',
  merchantCustomerId: 'mcid-1',
  reference: 'stablereference0000000000a',
  credentials: { key_id: KEY_ID, key_secret: KEY_SECRET },
  baseUrl: BASE,
  testMode: true,
};
const change = (fields: Partial<CustomerProfile>): CustomerProfile => ({ merchantCustomerId: 'mcid-1', metadata: {}, featureData: {}, ...fields });
const callFor = callBuilder({ credentials: { key_id: KEY_ID, key_secret: KEY_SECRET }, baseUrl: BASE });

describe(`${RazorpayConnector.name} lifecycle`, () => {
  const sut = driving(new RazorpayConnector());

  it('declares that its replay needs the same details (the email + contact match), and a lookup that is not conclusive', () => {
    expect(sut.descriptor.capabilities).toMatchObject({ replaysSafely: true, replayRequiresSameDetails: true });
    expect(sut.descriptor.capabilities.lookupIsConclusive).toBeFalsy();
  });

  describe('get', () => {
    it('GETs {base}v1/customers/{id} with Basic auth and reads the record', async () => {
      const { http, send } = answering(ok(customer()));

      await expect(sut.getCustomer(existing, http)).resolves.toEqual({
        connectorCustomerId: 'cust_1Aa00000000003',
        httpStatus: 200,
        responseHeaders: JSON_HEADERS,
        record: { name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', phone: '+919000090000', metadata: { merchant_customer_id: 'mcid-1', notes_key_1: 'Tea, Earl Grey, Hot' } },
      });
      expect(send.mock.calls[0][1]).toEqual({ method: 'GET', url: `${BASE}v1/customers/cust_1Aa00000000003`, headers: { authorization: BASIC }, body: undefined });
    });

    it('reads notes serialized as [] as no metadata', async () => {
      await expect(sut.getCustomer(existing, answering(ok(customer(undefined, { notes: [], contact: null }))).http)).resolves.toMatchObject({ record: { phone: undefined, metadata: undefined } });
    });

    it.each(['The id provided does not exist', 'id is not a valid id'])('answers Razorpay’s 400 "%s" as ConnectorNotFound, keeping its code', async (description) => {
      const error = await errorOf(sut.getCustomer(existing, answering(razorpayError(description)).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { connector: { connector: 'razorpay', code: 'BAD_REQUEST_ERROR', message: description } } });
    });
  });

  describe('update', () => {
    it('reads the customer, then PUTs name, email and contact: the changed ones and the held ones', async () => {
      const { http, send } = answering(ok(customer()), ok(customer(undefined, { email: 'new@example.com' })));

      const updated = await sut.updateCustomer({ ...existing, customer: change({ email: 'new@example.com' }), idempotencyKey: 'k' }, http);

      expect(updated).toMatchObject({ connectorCustomerId: 'cust_1Aa00000000003', httpStatus: 200, record: { email: 'new@example.com' } });
      const [[, read], [, put]] = send.mock.calls;
      expect(read).toMatchObject({ method: 'GET', url: `${BASE}v1/customers/cust_1Aa00000000003` });
      expect(put).toMatchObject({ method: 'PUT', url: `${BASE}v1/customers/cust_1Aa00000000003`, headers: { authorization: BASIC, 'content-type': 'application/json' } });
      expect(JSON.parse(put.body ?? '')).toEqual({ name: 'Gaurav Kumar', email: 'new@example.com', contact: '+919000090000' });
    });

    it('sends a changed phone as Razorpay’s contact (digits and +)', async () => {
      const { http, send } = answering(ok(customer(undefined, { contact: null })), ok(customer()));

      await sut.updateCustomer({ ...existing, customer: change({ phone: '+91 90000 90001' }), idempotencyKey: 'k' }, http);

      expect(JSON.parse(send.mock.calls[1][1].body ?? '')).toEqual({ name: 'Gaurav Kumar', email: 'gaurav.kumar@example.com', contact: '+919000090001' });
    });

    it.each<[string, string, CustomerProfile]>([
      ['metadata (Razorpay’s edit takes no notes)', 'metadata', change({ metadata: { plan: 'gold' } })],
      ['a GSTIN (not editable)', 'connector_feature_data.gstin', change({ featureData: { gstin: '29ABCDE1234F1Z5' } })],
      ['a name with a hyphen', 'customer_name', change({ name: 'Ann-Lee' })],
      ['an email over 64 characters', 'email', change({ email: `${'e'.repeat(53)}@example.com` })],
      ['a contact under 8 digits', 'phone_number', change({ phone: '+1 555' })],
    ])('refuses an update with %s before any call', (_case, field, customerChange) => {
      expect(sut.connector.flows.update?.shape).toBe('conversation');
      const violations = sut.validateChange(customerChange);
      expect(violations.map((v) => v.field)).toEqual([field]);
    });

    it('accepts an update without a name (the customer has one)', () => {
      const validate = sut.validateChange;
      expect(validate(change({ email: 'new@example.com' }))).toEqual([]);
    });

    it('answers an unknown customer as ConnectorNotFound without editing', async () => {
      const { http, send } = answering(razorpayError('The id provided does not exist'));

      await expect(sut.updateCustomer({ ...existing, customer: change({ name: 'Ann Lee' }), idempotencyKey: 'k' }, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotFound });
      expect(send).toHaveBeenCalledTimes(1);
    });
  });

  describe('delete', () => {
    it('is declared unsupported, naming the API reference and the SDK', async () => {
      const declared = sut.connector.flows.delete;
      expect(declared).toMatchObject({ shape: 'unsupported', why: expect.stringContaining('razorpay.com/docs/api/customers') });
      const { http, send } = answering();

      await expect(sut.deleteCustomer({ ...existing, idempotencyKey: 'k' }, http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorNotImplemented });
      expect(send).not.toHaveBeenCalled();
    });
  });

  describe('findCreated', () => {
    const collection = (items: unknown[]): InboundResponse => ok({ entity: 'collection', count: items.length, items });

    it('lists 100 customers at a time and returns the one whose notes name this merchant customer', async () => {
      const others = Array.from({ length: 100 }, (_, i) => customer(`cust_other${String(i).padStart(9, '0')}`, { notes: { merchant_customer_id: `m-${i}` } }));
      const { http, send } = answering(collection(others), collection([customer('cust_ours000000000', { notes: { merchant_customer_id: 'mcid-1' } })]));

      await expect(sut.findCreatedCustomer(callFor(change({ name: 'Ann Lee', email: 'a@example.com' })), http)).resolves.toMatchObject({ connectorCustomerId: 'cust_ours000000000' });
      expect(send.mock.calls.map(([, outbound]) => outbound.url)).toEqual([`${BASE}v1/customers?count=100&skip=0`, `${BASE}v1/customers?count=100&skip=100`]);
    });

    it('answers not found when a short page ends the list', async () => {
      await expect(sut.findCreatedCustomer(callFor(change({})), answering(collection([customer(undefined, { notes: [] })])).http)).resolves.toBeUndefined();
    });

    it(`stops after ${RAZORPAY_LOOKUP_MAX_PAGES} pages`, async () => {
      const full = collection(Array.from({ length: 100 }, () => customer(undefined, { notes: [] })));
      const { http, send } = answering(...Array.from({ length: RAZORPAY_LOOKUP_MAX_PAGES }, () => full));

      await expect(sut.findCreatedCustomer(callFor(change({})), http)).resolves.toBeUndefined();
      expect(send).toHaveBeenCalledTimes(RAZORPAY_LOOKUP_MAX_PAGES);
    });
  });
});
