import { createHash, createHmac } from 'node:crypto';
import type { SandboxRequest } from '../sandbox-http';
import { CYBERSOURCE_SANDBOX_KEYS, CybersourceSimulator } from './cybersource.simulator';

const [key] = CYBERSOURCE_SANDBOX_KEYS;
const NOW = Date.parse('2026-01-15T10:30:00Z');
const HOST = '127.0.0.1:4010';

interface Signing {
  body: string;
  date?: string;
  host?: string;
  merchantId?: string;
  keyId?: string;
  secret?: string;
  signedHeaders?: string;
  requestTargetLabel?: string;
  algorithm?: string;
  digestOf?: string;
}

const digestOf = (body: string) => `SHA-256=${createHash('sha256').update(body).digest('base64')}`;

/** The Signature header over `lines` (the signing string's lines), as Cybersource's guide describes it. */
function signatureHeader(lines: string[], signedHeaders: string, options: { keyId?: string; secret?: string; algorithm?: string } = {}): string {
  const signature = createHmac('sha256', Buffer.from(options.secret ?? key.sharedSecret, 'base64')).update(lines.join('\n')).digest('base64');
  return `keyid="${options.keyId ?? key.keyId}", algorithm="${options.algorithm ?? 'HmacSHA256'}", headers="${signedHeaders}", signature="${signature}"`;
}

/** A request signed the way Cybersource's guide describes, with any part replaceable to break it. */
function signedRequest(options: Signing, overrides: Partial<SandboxRequest> = {}): SandboxRequest {
  const date = options.date ?? new Date(NOW).toUTCString();
  const host = options.host ?? HOST;
  const merchantId = options.merchantId ?? key.merchantId;
  const digest = digestOf(options.digestOf ?? options.body);
  const lines = [`host: ${host}`, `date: ${date}`, `${options.requestTargetLabel ?? 'request-target'}: post /tms/v2/customers`, `digest: ${digest}`, `v-c-merchant-id: ${merchantId}`];
  return {
    method: 'POST',
    path: '/tms/v2/customers',
    headers: {
      host: HOST,
      'content-type': 'application/json;charset=utf-8',
      'v-c-merchant-id': merchantId,
      date,
      digest,
      signature: signatureHeader(lines, options.signedHeaders ?? 'host date request-target digest v-c-merchant-id', options),
    },
    body: options.body,
    receivedAt: NOW,
    ...overrides,
  };
}

const validBody = JSON.stringify({
  buyerInformation: { merchantCustomerID: 'mcid-1', email: 'ann@example.com' },
  clientReferenceInformation: { code: 'abcdefghijklmnopqrstuvwxyz' },
  objectInformation: { title: 'Ann Lee' },
  merchantDefinedInformation: [{ name: 'data1', value: 'plan=gold' }],
});

describe(CybersourceSimulator.name, () => {
  let sut: CybersourceSimulator;

  beforeEach(() => {
    sut = new CybersourceSimulator(CYBERSOURCE_SANDBOX_KEYS, () => NOW);
  });

  it('creates a customer token for a correctly signed request: 201, a 32-hex id, the documented body', async () => {
    const response = await sut.handle(signedRequest({ body: validBody }));

    expect(response.status).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'v-c-correlation-id': expect.any(String) });
    const body = JSON.parse(response.body);
    expect(body).toEqual({
      _links: {
        self: { href: `/tms/v2/customers/${body.id}` },
        paymentInstruments: { href: `/tms/v2/customers/${body.id}/payment-instruments` },
        shippingAddresses: { href: `/tms/v2/customers/${body.id}/shipping-addresses` },
      },
      id: expect.stringMatching(/^[0-9A-F]{32}$/),
      ...JSON.parse(validBody),
      metadata: { creator: key.merchantId },
    });
    expect(sut.customerCount()).toBe(1);
  });

  it('never deduplicates: the same request twice makes two customers with one merchantCustomerID', async () => {
    const first = JSON.parse((await sut.handle(signedRequest({ body: validBody }))).body).id;
    const second = JSON.parse((await sut.handle(signedRequest({ body: validBody }))).body).id;

    expect(second).not.toBe(first);
    expect(sut.customersFor('mcid-1')).toEqual([first, second]);
  });

  it('accepts a Date within five minutes of its clock', async () => {
    const response = await sut.handle(signedRequest({ body: validBody, date: new Date(NOW - 4 * 60_000).toUTCString() }));

    expect(response.status).toBe(201);
  });

  it.each<[string, SandboxRequest]>([
    ['an unknown key id', signedRequest({ body: validBody, keyId: '00000000-0000-4000-8000-000000000000' })],
    ['a key of another merchant', signedRequest({ body: validBody, merchantId: 'someone_else' })],
    ['a wrong secret', signedRequest({ body: validBody, secret: Buffer.from('not the secret').toString('base64') })],
    ['a digest of another body', signedRequest({ body: validBody, digestOf: '{}' })],
    ['a body changed after signing', { ...signedRequest({ body: validBody }), body: validBody.replace('mcid-1', 'mcid-2') }],
    ['a Host other than the one signed', signedRequest({ body: validBody, host: 'apitest.cybersource.com' })],
    ['a Date over five minutes old', signedRequest({ body: validBody, date: new Date(NOW - 6 * 60_000).toUTCString() })],
    ['a Date over five minutes ahead', signedRequest({ body: validBody, date: new Date(NOW + 6 * 60_000).toUTCString() })],
    ['an unreadable Date', signedRequest({ body: validBody, date: 'yesterday' })],
    ['the retired "(request-target)" spelling', signedRequest({ body: validBody, signedHeaders: 'host date (request-target) digest v-c-merchant-id', requestTargetLabel: '(request-target)' })],
    ['a signature that leaves out the digest', signedRequest({ body: validBody, signedHeaders: 'host date request-target v-c-merchant-id' })],
    ['another algorithm', signedRequest({ body: validBody, algorithm: 'SHA256withRSA' })],
    ['no Signature header', (() => { const request = signedRequest({ body: validBody }); delete request.headers.signature; return request; })()],
    ['no v-c-merchant-id header', (() => { const request = signedRequest({ body: validBody }); delete request.headers['v-c-merchant-id']; return request; })()],
  ])('refuses %s with 401 {"response":{"rmsg":"Authentication Failed"}}', async (_case, request) => {
    const response = await sut.handle(request);

    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ response: { rmsg: 'Authentication Failed' } });
    expect(sut.customerCount()).toBe(0);
  });

  it('answers 404 notFound off the create route', async () => {
    const response = await sut.handle({ ...signedRequest({ body: validBody }), path: '/tms/v2/customers/ABC' });

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toEqual({ errors: [{ type: 'notFound', message: expect.any(String) }] });
  });

  it('refuses a body that is not JSON content with 400 invalidHeaders naming Content-Type', async () => {
    const request = signedRequest({ body: validBody });
    request.headers['content-type'] = 'application/x-www-form-urlencoded';

    const response = await sut.handle(request);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ errors: [{ type: 'invalidHeaders', message: 'Invalid header values', details: [{ name: 'Content-Type', location: 'header' }] }] });
  });

  it.each<[string, string, string[]]>([
    ['malformed JSON', '{"buyerInformation":', []],
    ['a JSON array', '[]', []],
    ['an unknown top-level field', JSON.stringify({ phone: '+14155550123' }), ['phone']],
    ['a read-only field', JSON.stringify({ id: 'F2F3ADA770102B51E053A2598D0A9078' }), ['id']],
    ['a merchantCustomerID over 100 characters', JSON.stringify({ buyerInformation: { merchantCustomerID: 'm'.repeat(101) } }), ['buyerInformation.merchantCustomerID']],
    ['an email over 255 characters', JSON.stringify({ buyerInformation: { email: `${'e'.repeat(244)}@example.com` } }), ['buyerInformation.email']],
    ['an email without a domain', JSON.stringify({ buyerInformation: { email: 'ann@' } }), ['buyerInformation.email']],
    ['a title over 60 characters', JSON.stringify({ objectInformation: { title: 't'.repeat(61) } }), ['objectInformation.title']],
    ['a comment over 150 characters', JSON.stringify({ objectInformation: { comment: 'c'.repeat(151) } }), ['objectInformation.comment']],
    ['a code over 50 characters', JSON.stringify({ clientReferenceInformation: { code: 'c'.repeat(51) } }), ['clientReferenceInformation.code']],
    ['a merchant-defined field data5', JSON.stringify({ merchantDefinedInformation: [{ name: 'data5', value: 'x' }] }), ['merchantDefinedInformation[0].name']],
    ['a merchant-defined field named twice', JSON.stringify({ merchantDefinedInformation: [{ name: 'data1', value: 'x' }, { name: 'data1', value: 'y' }] }), ['merchantDefinedInformation[1].name']],
    ['a merchant-defined value over 100 characters', JSON.stringify({ merchantDefinedInformation: [{ name: 'data2', value: 'v'.repeat(101) }] }), ['merchantDefinedInformation[0].value']],
    ['merchant-defined information that is no list', JSON.stringify({ merchantDefinedInformation: { name: 'data1' } }), ['merchantDefinedInformation']],
    ['a default shipping address a new customer cannot own', JSON.stringify({ defaultShippingAddress: { id: 'D9F340DD3DB9C276E053A2598D0A41A3' } }), ['defaultShippingAddress.id']],
  ])('refuses %s with 400 invalidFields naming the fields', async (_case, body, fields) => {
    const response = await sut.handle(signedRequest({ body }));

    expect(response.status).toBe(400);
    const [error] = JSON.parse(response.body).errors;
    expect(error).toMatchObject({ type: 'invalidFields', message: expect.any(String) });
    expect((error.details ?? []).map((detail: { name: string }) => detail.name)).toEqual(fields);
    expect(sut.customerCount()).toBe(0);
  });

  it('forgets every customer on reset', async () => {
    await sut.handle(signedRequest({ body: validBody }));

    sut.reset();

    expect(sut.customerCount()).toBe(0);
  });

  describe('get, patch and delete /tms/v2/customers/{id}', () => {
    /** A request to one customer, signed as Cybersource's SDK signs it: no digest for GET and DELETE. */
    function customerRequest(method: 'GET' | 'PATCH' | 'DELETE', id: string, options: { body?: string; ifMatch?: string; merchantId?: string; keyId?: string; signDigest?: boolean } = {}): SandboxRequest {
      const date = new Date(NOW).toUTCString();
      const merchantId = options.merchantId ?? key.merchantId;
      const path = `/tms/v2/customers/${id}`;
      const body = options.body ?? '';
      const withDigest = options.signDigest ?? method === 'PATCH';
      const digest = digestOf(body);
      const lines = [`host: ${HOST}`, `date: ${date}`, `request-target: ${method.toLowerCase()} ${path}`, ...(withDigest ? [`digest: ${digest}`] : []), `v-c-merchant-id: ${merchantId}`];
      const signed = withDigest ? 'host date request-target digest v-c-merchant-id' : 'host date request-target v-c-merchant-id';
      return {
        method,
        path,
        headers: {
          host: HOST,
          ...(method === 'PATCH' && { 'content-type': 'application/json;charset=utf-8' }),
          ...(options.ifMatch !== undefined && { 'if-match': options.ifMatch }),
          'v-c-merchant-id': merchantId,
          date,
          ...(withDigest && { digest }),
          signature: signatureHeader(lines, signed, { keyId: options.keyId }),
        },
        body,
        receivedAt: NOW,
      };
    }

    async function created(): Promise<string> {
      return (JSON.parse((await sut.handle(signedRequest({ body: validBody }))).body) as { id: string }).id;
    }

    it('answers GET, signed without a digest, with the customer and an ETag', async () => {
      const id = await created();

      const response = await sut.handle(customerRequest('GET', id));

      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({ etag: expect.stringMatching(/^"[0-9a-f]{16}"$/) });
      expect(JSON.parse(response.body)).toMatchObject({ id, ...JSON.parse(validBody), metadata: { creator: key.merchantId } });
    });

    it('refuses a GET signed by an unknown key, or for another path than the one requested', async () => {
      const id = await created();

      expect((await sut.handle(customerRequest('GET', id, { keyId: 'unknown-key' }))).status).toBe(401);
      expect((await sut.handle({ ...customerRequest('GET', id), path: `/tms/v2/customers/${id}0` })).status).toBe(401);
    });

    it('replaces each object a PATCH carries and changes the ETag; a stale If-Match is 412 conflict', async () => {
      const id = await created();
      const etag = (await sut.handle(customerRequest('GET', id))).headers!.etag;

      const body = JSON.stringify({ objectInformation: { title: 'Ann B. Lee' } });
      const response = await sut.handle(customerRequest('PATCH', id, { body, ifMatch: etag }));
      const stale = await sut.handle(customerRequest('PATCH', id, { body, ifMatch: etag }));

      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ objectInformation: { title: 'Ann B. Lee' }, buyerInformation: { merchantCustomerID: 'mcid-1', email: 'ann@example.com' } });
      expect(stale.status).toBe(412);
      expect(JSON.parse(stale.body)).toEqual({ errors: [{ type: 'conflict', message: expect.any(String) }] });
    });

    it('checks a PATCH body like a create body', async () => {
      const id = await created();

      const response = await sut.handle(customerRequest('PATCH', id, { body: JSON.stringify({ objectInformation: { title: 't'.repeat(61) } }) }));

      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toEqual({ errors: [{ type: 'invalidFields', message: 'Invalid values for the following fields', details: [{ name: 'objectInformation.title', location: 'body' }] }] });
    });

    it('deletes with 204 and no body; the customer is then a 404 notFound', async () => {
      const id = await created();

      const response = await sut.handle(customerRequest('DELETE', id));

      expect(response).toMatchObject({ status: 204, body: '' });
      expect(sut.customerCount()).toBe(0);
      const again = await sut.handle(customerRequest('DELETE', id));
      expect(again.status).toBe(404);
      expect(JSON.parse(again.body)).toEqual({ errors: [{ type: 'notFound', message: 'Token not found.' }] });
      expect((await sut.handle(customerRequest('GET', id))).status).toBe(404);
    });

    it('keeps another merchant’s customer out of reach', async () => {
      const other = new CybersourceSimulator([...CYBERSOURCE_SANDBOX_KEYS, { keyId: 'other-key', merchantId: 'other_merchant', sharedSecret: key.sharedSecret }], () => NOW);
      const id = (JSON.parse((await other.handle(signedRequest({ body: validBody }))).body) as { id: string }).id;

      const response = await other.handle(customerRequest('GET', id, { keyId: 'other-key', merchantId: 'other_merchant' }));

      expect(response.status).toBe(404);
    });
  });
});
