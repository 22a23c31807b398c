import { createHmac } from 'node:crypto';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import { CYBERSOURCE_SANDBOX_KEYS } from '@app/testing/sandbox/simulators/cybersource.simulator';
import { answering, errorOf, useSandbox } from '@app/testing/connectors/connector-spec-helpers';
import { driving, executorOver } from '@app/testing/connectors/connector-driver';
import type { DeleteCustomerCall, ExistingCustomerCall, UpdateCustomerCall } from '../connector';
import type { ConnectorHttpClient, InboundResponse, OutboundRequest } from '../http/connector-http-client';
import { CybersourceConnector } from './cybersource.connector';

const KEY_ID = '6d75ffad-ed36-4a6d-85af-5609185494f4';
const MERCHANT_ID = 'connector_service_sandbox';
const SHARED_SECRET = 'c2FuZGJveC1zaGFyZWQtc2VjcmV0LWZvci10ZXN0cw==';
const CREDENTIALS = { api_key: KEY_ID, merchant_account: MERCHANT_ID, api_secret: SHARED_SECRET };
const BASE = 'https://apitest.cybersource.com/';
const NOW = new Date('2026-01-15T10:30:00Z');
const RFC_1123_NOW = 'Thu, 15 Jan 2026 10:30:00 GMT';
const CUSTOMER_ID = 'F2F3ADA770102B51E053A2598D0A9078';
const CUSTOMER_URL = `https://apitest.cybersource.com/tms/v2/customers/${CUSTOMER_ID}`;
const JSON_UTF8 = 'application/json;charset=utf-8';

/** `GET /tms/v2/customers/{id}` as the TMS reference shows it (PostCustomerRequest), with the ETag it answers. */
const CUSTOMER = {
  _links: { self: { href: `/tms/v2/customers/${CUSTOMER_ID}` } },
  id: CUSTOMER_ID,
  objectInformation: { title: 'Ann Lee', comment: 'set in the Business Center' },
  buyerInformation: { merchantCustomerID: 'mcid-42', email: 'ann.lee@example.com' },
  clientReferenceInformation: { code: 'abcdefghijklmnopqrstuvwxyz' },
  merchantDefinedInformation: [
    { name: 'data1', value: 'plan=gold' },
    { name: 'data2', value: 'source=web' },
    { name: 'sensitive1', value: 'XXXXXX' },
  ],
  metadata: { creator: MERCHANT_ID },
};
const GOT: InboundResponse = { status: 200, headers: { 'content-type': JSON_UTF8, etag: '"abc123"' }, body: JSON.stringify(CUSTOMER) };
const patched = (changes: Record<string, unknown>): InboundResponse => ({ status: 200, headers: { 'content-type': JSON_UTF8 }, body: JSON.stringify({ ...CUSTOMER, ...changes }) });
const tmsError = (status: number, type: string, message: string): InboundResponse => ({ status, headers: { 'content-type': JSON_UTF8 }, body: JSON.stringify({ errors: [{ type, message }] }) });

const minimal: CustomerProfile = { merchantCustomerId: 'mcid-42', metadata: {}, featureData: {} };
const existing: ExistingCustomerCall = { credentials: CREDENTIALS, baseUrl: BASE, testMode: true, connectorCustomerId: CUSTOMER_ID, merchantCustomerId: 'mcid-42', reference: 'abcdefghijklmnopqrstuvwxyz' };
const updateOf = (customer: Partial<CustomerProfile>): UpdateCustomerCall => ({ ...existing, customer: { ...minimal, ...customer }, idempotencyKey: 'update-key-1' });
const deletion: DeleteCustomerCall = { ...existing, idempotencyKey: 'delete-key-1' };

/** The four headers of a request without a body, recomputed here from Cybersource's rules. */
function bodilessSignature(method: 'get' | 'delete', path: string): string {
  const signingString = `host: apitest.cybersource.com\ndate: ${RFC_1123_NOW}\nrequest-target: ${method} ${path}\nv-c-merchant-id: ${MERCHANT_ID}`;
  const signature = createHmac('sha256', Buffer.from(SHARED_SECRET, 'base64')).update(signingString).digest('base64');
  return `keyid="${KEY_ID}", algorithm="HmacSHA256", headers="host date request-target v-c-merchant-id", signature="${signature}"`;
}

const sentRequests = (send: jest.Mock) => send.mock.calls.map(([, outbound]: [string, OutboundRequest]) => outbound);

describe(`${CybersourceConnector.name} lifecycle`, () => {
  const sut = driving(new CybersourceConnector(() => NOW.getTime()));

  describe('descriptor', () => {
    it('scopes mappings by the merchant id (the service adds the mode: test and production share it)', () => {
      expect(sut.descriptor.accountIdOf?.(CREDENTIALS)).toBe(MERCHANT_ID);
      expect(sut.descriptor.accountIdOf?.({ ...CREDENTIALS, api_key: 'b2c3d4e5-0000-4000-8000-000000000002', api_secret: 'cm90YXRlZA==' })).toBe(MERCHANT_ID);
    });

    it('gives each claim a source, or marks it inferred', () => {
      const claims = sut.descriptor.capabilities.claims ?? [];
      expect(claims.find((c) => c.claim.includes('no idempotency key'))?.source).toContain('CustomerApi');
      expect(claims.find((c) => c.claim.includes('limits'))).toEqual({ claim: expect.stringContaining('inferred'), source: undefined });
      for (const { claim, source } of claims) if (source === undefined) expect(claim).toContain('inferred');
    });
  });

  describe('get', () => {
    it('sends GET /tms/v2/customers/{id} signed without a digest, as the official SDK signs it', async () => {
      const { http, send } = answering(GOT);

      await sut.getCustomer(existing, http);

      // The signature computed by cybersource-rest-client-node (HTTPSigToken.getToken, SDK master
      // 5917a310) for this host, target, key, merchant and secret at NOW.
      expect(sentRequests(send)).toEqual([
        {
          method: 'GET',
          url: CUSTOMER_URL,
          headers: {
            accept: JSON_UTF8,
            host: 'apitest.cybersource.com',
            date: RFC_1123_NOW,
            'v-c-merchant-id': MERCHANT_ID,
            signature: `keyid="${KEY_ID}", algorithm="HmacSHA256", headers="host date request-target v-c-merchant-id", signature="qehxIlSQ4sSTzn6N3+6YAkgBm+R1QiYrLrYJ5hqdu58="`,
          },
          body: undefined,
        },
      ]);
      expect(sentRequests(send)[0].headers.signature).toBe(bodilessSignature('get', `/tms/v2/customers/${CUSTOMER_ID}`));
    });

    it('returns what TMS holds: the title as name, the email, our data fields as metadata', async () => {
      await expect(sut.getCustomer(existing, answering(GOT).http)).resolves.toEqual({
        connectorCustomerId: CUSTOMER_ID,
        httpStatus: 200,
        responseHeaders: { 'content-type': JSON_UTF8, etag: '"abc123"' },
        record: { name: 'Ann Lee', email: 'ann.lee@example.com', metadata: { plan: 'gold', source: 'web' } },
      });
    });

    it('shows a data field not written as key=value under its own name, and a bare customer as an empty record', async () => {
      const withOwnField = { status: 200, headers: {}, body: JSON.stringify({ id: CUSTOMER_ID, merchantDefinedInformation: [{ name: 'data3', value: 'Your customer data' }] }) };

      await expect(sut.getCustomer(existing, answering(withOwnField).http)).resolves.toMatchObject({ record: { metadata: { data3: 'Your customer data' } } });
      expect((await sut.getCustomer(existing, answering({ status: 200, headers: {}, body: `{"id":"${CUSTOMER_ID}"}` }).http)).record).toEqual({});
    });

    it.each<[string, InboundResponse, string]>([
      ['a 404 notFound', tmsError(404, 'notFound', 'Token not found.'), 'notFound'],
      ['a 410 notAvailable', tmsError(410, 'notAvailable', 'Token not available.'), 'notAvailable'],
    ])('answers %s as CONNECTOR_NOT_FOUND keeping the type', async (_case, response, code) => {
      const error = await errorOf(sut.getCustomer(existing, answering(response).http));

      expect(error).toMatchObject({ reason: ErrorReason.ConnectorNotFound, details: { outcomeUnknown: false, connector: { connector: 'cybersource', code } } });
    });

    it('refuses a 200 without an id as an invalid answer', async () => {
      await expect(sut.getCustomer(existing, answering({ status: 200, headers: {}, body: '{}' }).http)).rejects.toMatchObject({ reason: ErrorReason.ConnectorInvalidResponse });
    });
  });

  describe('update', () => {
    it('reads, then PATCHes the changed object whole under If-Match, signed with a digest as the official SDK signs it', async () => {
      const { http, send } = answering(GOT, patched({ buyerInformation: { merchantCustomerID: 'mcid-42', email: 'new@example.com' } }));

      const updated = await sut.updateCustomer(updateOf({ email: 'new@example.com' }), http);

      const [read, write] = sentRequests(send);
      expect(read).toMatchObject({ method: 'GET', url: CUSTOMER_URL, body: undefined });
      // Digest and signature computed by cybersource-rest-client-node (HTTPSigToken, DigestGenerator) for this body at NOW.
      expect(write).toEqual({
        method: 'PATCH',
        url: CUSTOMER_URL,
        headers: {
          'content-type': JSON_UTF8,
          'if-match': '"abc123"',
          accept: JSON_UTF8,
          host: 'apitest.cybersource.com',
          date: RFC_1123_NOW,
          digest: 'SHA-256=28HObU6hkcVaQ5EHc+YUMv7hHuDQ+G6Uv57bsxN/fDA=',
          'v-c-merchant-id': MERCHANT_ID,
          signature: `keyid="${KEY_ID}", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="Ea6Jje51FGata6NiaenfvY19fuPsgvkZdqQBM+cEvcc="`,
        },
        body: '{"buyerInformation":{"merchantCustomerID":"mcid-42","email":"new@example.com"}}',
      });
      expect(updated).toEqual({ connectorCustomerId: CUSTOMER_ID, httpStatus: 200, responseHeaders: { 'content-type': JSON_UTF8 }, record: { name: 'Ann Lee', email: 'new@example.com', metadata: { plan: 'gold', source: 'web' } } });
    });

    it.each<[string, Partial<CustomerProfile>, Record<string, unknown>]>([
      ['a name: objectInformation whole, its comment kept', { name: 'Ann B. Lee' }, { objectInformation: { title: 'Ann B. Lee', comment: 'set in the Business Center' } }],
      [
        'metadata: a held key in its field, a new one in the first free field, the others kept, the sensitive field left out',
        { metadata: { source: 'app', tier: 'vip' } },
        { merchantDefinedInformation: [{ name: 'data1', value: 'plan=gold' }, { name: 'data2', value: 'source=app' }, { name: 'data3', value: 'tier=vip' }] },
      ],
    ])('sends %s', async (_case, change, body) => {
      const { http, send } = answering(GOT, patched({}));

      await sut.updateCustomer(updateOf(change), http);

      expect(JSON.parse(sentRequests(send)[1].body ?? '')).toEqual(body);
    });

    it('only reads when nothing TMS holds changes (phone, addresses)', async () => {
      const { http, send } = answering(GOT);

      await expect(sut.updateCustomer(updateOf({ phone: '+14155550123', shippingAddress: { city: 'Oakland' } }), http)).resolves.toMatchObject({ record: { email: 'ann.lee@example.com' } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it('sends no If-Match when the read carried no ETag', async () => {
      const { http, send } = answering({ ...GOT, headers: { 'content-type': JSON_UTF8 } }, patched({}));

      await sut.updateCustomer(updateOf({ email: 'new@example.com' }), http);

      expect(sentRequests(send)[1].headers).not.toHaveProperty('if-match');
    });

    it('refuses metadata that finds no free field before writing anything', async () => {
      const full = { ...CUSTOMER, merchantDefinedInformation: ['a', 'b', 'c', 'd'].map((key, i) => ({ name: `data${i + 1}`, value: `${key}=1` })) };
      const { http, send } = answering({ status: 200, headers: {}, body: JSON.stringify(full) });

      const error = await errorOf(sut.updateCustomer(updateOf({ metadata: { e: '5' } }), http));

      expect(error).toMatchObject({ reason: ErrorReason.ValidationFailed, details: { fieldViolations: [{ field: 'metadata.e' }] } });
      expect(send).toHaveBeenCalledTimes(1);
    });

    it.each<[string, InboundResponse[], ErrorReason, string]>([
      ['an unknown customer', [tmsError(404, 'notFound', 'Token not found.')], ErrorReason.ConnectorNotFound, 'notFound'],
      ['a change made since the read (412)', [GOT, tmsError(412, 'conflict', 'Precondition failed')], ErrorReason.ConnectorConflict, 'conflict'],
      ['invalid fields', [GOT, { status: 400, headers: {}, body: JSON.stringify({ errors: [{ type: 'invalidFields', message: 'Invalid values', details: [{ name: 'buyerInformation.email', location: 'body' }] }] }) }], ErrorReason.ConnectorInvalidRequest, 'invalidFields'],
    ])('maps %s keeping Cybersource’s type', async (_case, responses, reason, code) => {
      const error = await errorOf(sut.updateCustomer(updateOf({ email: 'new@example.com' }), answering(...responses).http));

      expect(error).toMatchObject({ reason, details: { outcomeUnknown: false, connector: { connector: 'cybersource', code } } });
    });

    it('holds an update to create’s limits before any call', () => {
      const violations = executorOver({} as ConnectorHttpClient).validate(sut.connector, 'update', { ...minimal, name: 'n'.repeat(61), metadata: { contact: 'ann@example.com' } });

      expect(violations.map((v) => v.field)).toEqual(['customer_name', 'metadata.contact']);
    });
  });

  describe('delete', () => {
    it('sends DELETE signed without a digest and reads the empty 204 as deleted', async () => {
      const { http, send } = answering({ status: 204, headers: { 'v-c-correlation-id': 'c-1' }, body: '' });

      await expect(sut.deleteCustomer(deletion, http)).resolves.toEqual({ httpStatus: 204, responseHeaders: { 'v-c-correlation-id': 'c-1' }, alreadyDeleted: false });
      expect(sentRequests(send)).toEqual([
        {
          method: 'DELETE',
          url: CUSTOMER_URL,
          headers: {
            accept: JSON_UTF8,
            host: 'apitest.cybersource.com',
            date: RFC_1123_NOW,
            'v-c-merchant-id': MERCHANT_ID,
            signature: `keyid="${KEY_ID}", algorithm="HmacSHA256", headers="host date request-target v-c-merchant-id", signature="oSNifLBRl2r5MUcsI9kPmdzheDhiXhsIMhwJX/z+vNE="`,
          },
          body: undefined,
        },
      ]);
      expect(sentRequests(send)[0].headers.signature).toBe(bodilessSignature('delete', `/tms/v2/customers/${CUSTOMER_ID}`));
    });

    it('reads a TMS 404 notFound as already deleted (a retry after a lost answer)', async () => {
      await expect(sut.deleteCustomer(deletion, answering(tmsError(404, 'notFound', 'Token not found.')).http)).resolves.toMatchObject({ httpStatus: 404, alreadyDeleted: true });
    });

    it.each<[string, InboundResponse, ErrorReason]>([
      ['a 404 that is not TMS’s (a proxy’s page)', { status: 404, headers: {}, body: '<html>Not Found</html>' }, ErrorReason.ConnectorNotFound],
      ['a 410 notAvailable', tmsError(410, 'notAvailable', 'Token not available.'), ErrorReason.ConnectorNotFound],
      ['a 409 (an instrument in use)', tmsError(409, 'conflict', 'Action cannot be performed as the token is in use'), ErrorReason.ConnectorConflict],
    ])('keeps %s as an error, never a possibly false "deleted"', async (_case, response, reason) => {
      await expect(sut.deleteCustomer(deletion, answering(response).http)).rejects.toMatchObject({ reason });
    });
  });

  describe('against the simulator', () => {
    const { sandbox, http } = useSandbox();
    const real = driving(new CybersourceConnector());
    const [key] = CYBERSOURCE_SANDBOX_KEYS;
    const credentials = { api_key: key.keyId, merchant_account: key.merchantId, api_secret: key.sharedSecret };
    let baseUrl: string;

    beforeAll(() => {
      baseUrl = sandbox.baseUrl('cybersource');
    });

    it('gets, updates (If-Match accepted) and deletes, each signature verified by the simulator', async () => {
      const { connectorCustomerId } = await real.createCustomer(
        { credentials, baseUrl, testMode: true, customer: { ...minimal, email: 'a@example.com', metadata: { plan: 'gold' } }, idempotencyKey: 'k', reference: 'r' },
        http,
      );
      const call = { ...existing, credentials, baseUrl, connectorCustomerId };

      await real.updateCustomer({ ...call, customer: { ...minimal, name: 'Ann', metadata: { tier: 'vip' } }, idempotencyKey: 'u' }, http);
      await expect(real.getCustomer(call, http)).resolves.toMatchObject({ record: { name: 'Ann', email: 'a@example.com', metadata: { plan: 'gold', tier: 'vip' } } });
      await expect(real.deleteCustomer({ ...call, idempotencyKey: 'd' }, http)).resolves.toMatchObject({ alreadyDeleted: false });

      expect(sandbox.requestsTo('cybersource').map((r) => `${r.method} ${r.path}`)).toEqual([
        'POST /tms/v2/customers',
        `GET /tms/v2/customers/${connectorCustomerId}`,
        `PATCH /tms/v2/customers/${connectorCustomerId}`,
        `GET /tms/v2/customers/${connectorCustomerId}`,
        `DELETE /tms/v2/customers/${connectorCustomerId}`,
      ]);
      expect(sandbox.requestsTo('cybersource')[1].headers).not.toHaveProperty('digest');
    });
  });
});
