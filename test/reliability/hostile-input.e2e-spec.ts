import { credentials, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';
import fc from 'fast-check';
import path from 'node:path';
import { decodeStatusDetails } from '@app/common/errors/grpc-status-details';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { Client as GrpcClient } from '@grpc/grpc-js';
import { useE2eEnvironment } from '../support/e2e-environment';
import { recordFigure } from '../support/reliability-report';
import { rawGrpcCall } from '../support/raw-grpc';
import { getJson, stripeConfigHeader, TEST_ADMIN_TOKEN } from '../support/test-app';
import { testDatabaseProviders } from '../support/test-databases';

const RUNS_PER_TRANSPORT = 130;
const TENANT = 'hostile-input';
const FIELDS = ['merchant_customer_id', 'customer_name', 'email', 'phone_number', 'address', 'metadata', 'connector_feature_data', 'test_mode'];
const ADDRESS_FIELDS = ['first_name', 'last_name', 'line1', 'line2', 'line3', 'city', 'state', 'zip_code', 'country_alpha2_code', 'email', 'phone_number', 'phone_country_code'];

interface RestCase {
  kind: string;
  body: Buffer;
  headers: Record<string, string>;
}

const id = fc.stringMatching(/^[a-z0-9]{6,12}$/).map((s) => `fuzz-${s}`);
// null is proto3 JSON for "absent", so it is not a wrong type.
const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }));
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
/** `{}` and `{"value": "…"}` are valid SecretStrings (empty, and proto3 JSON), so not wrong types. */
const isSecretStringForm = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.entries(value).every(([key, v]) => key === 'value' && typeof v === 'string');

/** Never a country: codes are two capital letters, numbers 1–249 (0 and "" mean "absent"). */
function invalidCountry(value: unknown): unknown {
  if (typeof value === 'string') return `${value}#`;
  if (typeof value === 'number') return 250 + Math.abs(Math.trunc(value));
  return value;
}

/** Every one of these is malformed by construction: none may be stored or reach a processor. */
function restCases(validConfig: () => string): fc.Arbitrary<RestCase> {
  const withConfig = (kind: string) => (body: Buffer) => ({ kind, body, headers: { 'x-connector-config': validConfig() } });
  return fc.oneof(
    fc.tuple(id, fc.constantFrom(...FIELDS.filter((f) => f !== 'test_mode' && f !== 'address')), notAString.filter((v) => !isSecretStringForm(v))).map(([mid, field, value]) => withConfig('wrong type')(json({ merchant_customer_id: mid, [field]: value }))),
    fc.tuple(id, fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), fc.integer())).map(([mid, value]) => withConfig('wrong type')(json({ merchant_customer_id: mid, test_mode: value }))),
    fc.tuple(id, fc.constantFrom('customer_name', 'phone_number'), fc.integer({ min: 600, max: 80_000 })).map(([mid, field, length]) => withConfig('huge string')(json({ merchant_customer_id: mid, [field]: 'x'.repeat(length) }))),
    fc.tuple(id, fc.integer({ min: 17, max: 400 })).map(([mid, depth]) => withConfig('deep JSON')(Buffer.from(`{"merchant_customer_id":"${mid}","address":${'{"billing_address":'.repeat(depth)}{}${'}'.repeat(depth)}}`))),
    fc.tuple(id, fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !FIELDS.includes(k)), fc.jsonValue()).map(([mid, key, value]) => withConfig('unknown field')(json({ merchant_customer_id: mid, [key]: value }))),
    // Names every object has (toString, valueOf, …): a whitelist that looks them up on an instance finds them.
    fc.tuple(id, fc.constantFrom('__proto__', ...Object.getOwnPropertyNames(Object.prototype)), fc.jsonValue()).map(([mid, key, value]) => withConfig('prototype member name')(json({ merchant_customer_id: mid, [key]: value }))),
    fc.tuple(id, fc.constantFrom(...ADDRESS_FIELDS), fc.jsonValue()).filter(([, field, value]) => value !== null && !isSecretStringForm(value) && (field === 'country_alpha2_code' || typeof value !== 'string')).map(([mid, field, value]) => withConfig('bad address field')(json({ merchant_customer_id: mid, address: { billing_address: { [field]: field === 'country_alpha2_code' ? invalidCountry(value) : value } } }))),
    fc.tuple(id, fc.integer({ min: 51, max: 300 })).map(([mid, keys]) => withConfig('oversized metadata')(json({ merchant_customer_id: mid, metadata: JSON.stringify(Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 'v']))) }))),
    fc.tuple(id, fc.string({ minLength: 501, maxLength: 900 })).map(([mid, value]) => withConfig('oversized metadata')(json({ merchant_customer_id: mid, metadata: JSON.stringify({ note: value }) }))),
    fc.tuple(id, fc.constantFrom('ZZ', 'us', 'USA', 'XX', 250, -1, 3.5)).map(([mid, country]) => withConfig('bad country code')(json({ merchant_customer_id: mid, customer_name: 'Ann', address: { shipping_address: { country_alpha2_code: country } } }))),
    fc.tuple(id, fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([mid, bytes]) => withConfig('bad UTF-8')(Buffer.concat([Buffer.from(`{"merchant_customer_id":"${mid}","customer_name":"`), Buffer.from([0xc3, 0x28, ...bytes.map((b) => b | 0x80)]), Buffer.from('"}')]))),
    fc.tuple(id, fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
      fc.string({ maxLength: 20 }).map((s) => JSON.stringify({ config: { Stripe: { api_key: `sk_test_\r\n${s}` } } })),
      fc.constant(JSON.stringify({ config: { Stripe: { api_key: 'sk_test_abc', base_url: 'http://169.254.169.254/' } } })),
      fc.constant(JSON.stringify({ config: { Stripe: {}, Square: {} } })),
      fc.constant(JSON.stringify({ config: 'Stripe' })),
      fc.string({ maxLength: 20 }).map((s) => JSON.stringify({ config: { [`Nope${s}`]: {} } }).replace(/[^\x20-\x7e]/g, '')),
      fc.constant('{"config":{"Stripe":{"api_key":"sk_test_é"}}}'),
    )).map(([mid, header]) => ({ kind: 'header injection', body: json({ merchant_customer_id: mid }), headers: { 'x-connector-config': header } })),
  );
}

/** Create requests encoded with the project's proto, made invalid by construction (no merchant_customer_id and a bad field), or not protobuf at all. */
function grpcCases(): fc.Arbitrary<{ kind: string; bytes: Buffer }> {
  const protoDir = path.join(__dirname, '../../proto');
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(protoDir, target));
  root.loadSync('types/payment.proto', { keepCase: true });
  const Request = root.lookupType('types.CustomerServiceCreateRequest');
  const encode = (message: Record<string, unknown>) => {
    const bytes = Buffer.from(Request.encode(Request.fromObject(message)).finish());
    if (bytes.length === 0) throw new Error(`nothing encoded for ${JSON.stringify(message).slice(0, 80)}: a field name the proto does not have`);
    return bytes;
  };
  const unknownField = fc.tuple(fc.integer({ min: 100, max: 5_000 }), fc.uint8Array({ maxLength: 40 })).map(([field, value]) => {
    const writer = protobuf.Writer.create();
    writer.uint32((field << 3) | 2).bytes(value);
    return Buffer.from(writer.finish());
  });
  const invalid = fc.oneof(
    fc.string({ maxLength: 30 }).filter((s) => !s.includes('@')).map((email) => ({ kind: 'bad email', message: { email: { value: email || 'x' } } })),
    fc.integer({ min: 513, max: 20_000 }).map((n) => ({ kind: 'huge string', message: { customer_name: 'n'.repeat(n) } })),
    fc.string({ maxLength: 10 }).map((s) => ({ kind: 'control characters', message: { customer_name: `Ann\u0000${s}` } })),
    fc.integer({ min: 250, max: 10_000 }).map((n) => ({ kind: 'bad country code', message: { address: { billing_address: { country_alpha2_code: n } } } })),
    fc.constant({ kind: 'missing merchant_customer_id', message: { customer_name: 'Ann' } }),
  );
  return fc.oneof(
    fc.tuple(invalid, fc.array(unknownField, { maxLength: 3 })).map(([{ kind, message }, extras]) => ({ kind: extras.length ? `${kind} + unknown fields` : kind, bytes: Buffer.concat([encode(message), ...extras]) })),
    fc.tuple(invalid, fc.nat()).map(([{ message }, cut]) => {
      const bytes = encode(message);
      return { kind: 'truncated message', bytes: bytes.subarray(0, bytes.length > 1 ? cut % bytes.length : 1) };
    }),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ kind: 'not protobuf', bytes: Buffer.from([0xff, ...bytes]) })),
    fc.integer({ min: 70_000, max: 120_000 }).map((n) => ({ kind: 'oversized message', bytes: encode({ customer_name: 'n'.repeat(n) }) })),
  );
}

const CREATE = '/types.CustomerService/Create';
const wire = (...parts: (number | string)[]) => Buffer.concat(parts.map((part) => (typeof part === 'number' ? Buffer.from([part]) : Buffer.from(part, 'latin1'))));
const withId = (id: string, ...rest: (number | string)[]) => wire(0x0a, id.length, id, ...rest);

/** Protobuf bytes that no encoder writes: each must be refused naming `field`, nothing stored or sent. */
const UNDECODABLE: { kind: string; bytes: Buffer; field: string }[] = [
  ...[3, 8, 13].map((carried) => ({ kind: `field 1 declares 20 bytes, carries ${carried}`, bytes: wire(0x0a, 20, 'truncated-customer-id'.slice(0, carried)), field: 'merchant_customer_id' })),
  { kind: 'a length past the end', bytes: withId('raw-1', 0x12, 0xff, 0x01, 'Ann'), field: 'customer_name' },
  { kind: 'a nested length past the end', bytes: withId('raw-2', 0x2a, 0x06, 0x12, 0x04, 0x32, 0x09, 0x0a, 0x01), field: 'address.billing_address.city' },
  { kind: 'a nested length past its parent', bytes: withId('raw-3', 0x2a, 0x03, 0x12, 0x05, 0x00, 0x08, 0x01), field: 'address.billing_address' },
  { kind: 'a length varint cut short', bytes: withId('raw-4', 0x12, 0x80), field: 'customer_name' },
  { kind: 'a string sent as a varint', bytes: wire(0x08, 0x05), field: 'merchant_customer_id' },
  { kind: 'a bool sent length-delimited', bytes: withId('raw-5', 0x42, 0x01, 0x01), field: 'test_mode' },
  { kind: 'a message field sent as 32 bits', bytes: withId('raw-6', 0x2d, 1, 2, 3, 4), field: 'address' },
  { kind: 'wire type 7', bytes: withId('raw-7', 0x1f), field: 'message' },
  { kind: 'an end-group never started', bytes: withId('raw-8', 0x0c), field: 'message' },
  { kind: 'invalid UTF-8 in a string', bytes: withId('raw-9', 0x12, 0x02, 0xc3, 0x28), field: 'customer_name' },
  { kind: 'invalid UTF-8 in a SecretString', bytes: withId('raw-10', 0x1a, 0x03, 0x0a, 0x01, 0xff), field: 'email' },
  { kind: 'a lone surrogate as UTF-8 bytes', bytes: withId('raw-11', 0x12, 0x03, 0xed, 0xa0, 0x80), field: 'customer_name' },
];

describe.each(testDatabaseProviders())('Hostile input on %s', (provider) => {
  const env = useE2eEnvironment(provider);
  const config = () => stripeConfigHeader(env.sandbox);


  it(`REST: ${RUNS_PER_TRANSPORT} generated malformed requests → 4xx naming the field, never a 500`, async () => {
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(restCases(config), async ({ kind, body, headers }) => {
        const response = await fetch(`${env.app.httpUrl}/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant-id': TENANT, ...headers }, body });
        const answer = (await response.json()) as { error?: { field_violations?: unknown[] } };
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(answer.error?.field_violations?.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS_PER_TRANSPORT },
    );
    expect(kinds.size).toBeGreaterThanOrEqual(8);
    for (const [kind, count] of kinds) recordFigure('hostile', { transport: 'REST', provider, kind, inputs: count, serverErrors: 0, rowsWritten: 0, processorCalls: 0 });
  });

  it(`gRPC: ${RUNS_PER_TRANSPORT} generated malformed messages → INVALID_ARGUMENT (or RESOURCE_EXHAUSTED for oversize), never INTERNAL`, async () => {
    const client = new GrpcClient(env.app.service.grpcAddress, credentials.createInsecure());
    const kinds = new Map<string, number>();
    const send = (bytes: Buffer) =>
      new Promise<ServiceError | null>((resolve) => {
        const metadata = new Metadata();
        metadata.set('x-connector-config', config());
        metadata.set('x-tenant-id', TENANT);
        (client as Client).makeUnaryRequest('/types.CustomerService/Create', (b: Buffer) => b, (b: Buffer) => b, bytes, metadata, (error) => resolve(error));
      });
    try {
      await fc.assert(
        fc.asyncProperty(grpcCases(), async ({ kind, bytes }) => {
          const error = await send(bytes);
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          expect(error).not.toBeNull();
          if (kind === 'oversized message') {
            expect(error!.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
            return;
          }
          expect(error!.code).toBe(GrpcStatus.INVALID_ARGUMENT);
          const [details] = error!.metadata.get('grpc-status-details-bin');
          expect(decodeStatusDetails(details as Buffer).fieldViolations.length).toBeGreaterThan(0);
        }),
        { numRuns: RUNS_PER_TRANSPORT },
      );
    } finally {
      client.close();
    }
    for (const [kind, count] of kinds) recordFigure('hostile', { transport: 'gRPC', provider, kind, inputs: count, serverErrors: 0, rowsWritten: 0, processorCalls: 0 });
  });

  it.each(UNDECODABLE)('gRPC as raw HTTP/2 frames, $kind → INVALID_ARGUMENT naming $field', async ({ kind, bytes, field }) => {
    const answer = await rawGrpcCall(env.app.service.grpcAddress, CREATE, bytes, { 'x-connector-config': config(), 'x-tenant-id': TENANT });

    expect({ status: answer.status, message: answer.message }).toEqual({ status: GrpcStatus.INVALID_ARGUMENT, message: `Invalid data format: ${field}` });
    expect(decodeStatusDetails(answer.details!).fieldViolations).toEqual([{ field, description: expect.stringContaining('not a valid protobuf message') }]);
    recordFigure('hostile', { transport: 'gRPC (raw HTTP/2)', provider, kind, inputs: 1, serverErrors: 0, rowsWritten: 0, processorCalls: 0 });
  });

  it('stored nothing and sent nothing to the processor, for all of the above', async () => {
    const stored = await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?limit=100`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-tenant-id': TENANT });

    expect(stored.body.mappings).toEqual([]);
    expect(env.sandbox.requests).toEqual([]);
  });

  it('gRPC as raw HTTP/2 frames: unknown fields of every wire type are skipped (proto3), the known ones read exactly', async () => {
    const unknown = wire(0xa0, 0x06, 0x96, 0x01, 0xa1, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0xa2, 0x06, 0x02, 0xc3, 0x28, 0xa5, 0x06, 1, 2, 3, 4, 0xa3, 0x06, 0x08, 0x01, 0xa4, 0x06);
    const message = Buffer.concat([unknown, withId('raw-unknown-fields', 0x12, 0x07, 'Ann Lee'), unknown]);

    const answer = await rawGrpcCall(env.app.service.grpcAddress, CREATE, message, { 'x-connector-config': config(), 'x-tenant-id': `${TENANT}-unknown-fields` });

    expect(answer.status).toBe(GrpcStatus.OK);
    const sent = new URLSearchParams(env.sandbox.requestsTo('stripe').at(-1)!.body);
    expect({ name: sent.get('name'), merchantCustomerId: sent.get('metadata[merchant_customer_id]') }).toEqual({ name: 'Ann Lee', merchantCustomerId: 'raw-unknown-fields' });
  });
});
