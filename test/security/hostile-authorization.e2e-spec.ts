import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type ClientHttp2Session } from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ErrorReason } from '@app/common/errors/error-reason';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { newCallerKey, writeCallerKeys } from '../support/caller-keys';
import { recordFigure } from '../support/reliability-report';
import { getJson, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

const RUNS_PER_TRANSPORT = 100;
const TENANT = 'hostile-authorization';

interface HostileCase {
  kind: string;
  /** One value per authorization header sent (REST); gRPC sends the first, with `extraHeaders` more metadata entries. */
  values: string[];
  extraHeaders: number;
}

/** As bytes on the wire: a UTF-8 string's bytes, each carried as one Latin-1 character (what an HTTP header can hold). */
const asWireBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/;

function hostileCases(validKey: string): fc.Arbitrary<HostileCase> {
  const one = (kind: string) => (value: string) => ({ kind, values: [value], extraHeaders: 0 });
  const junkToken = fc.string({ minLength: 1, maxLength: 80 }).filter((s) => SENDABLE.test(s));
  return fc.oneof(
    fc.constantFrom('', ' ', 'Bearer', 'Bearer ', 'Bearer  ', 'bearer', 'Basic', 'Token abc', 'Bearer\tabc').map(one('empty or bare scheme')),
    junkToken.map(one('arbitrary text')),
    junkToken.map((token) => `Bearer ${token}`).map(one('bearer with a wrong key')),
    fc.constantFrom('Basic', 'Digest', 'Token', 'ApiKey', 'bearer:').map((scheme) => `${scheme} ${validKey}`).map(one('the right key in another scheme')),
    fc.constantFrom(`Bearer ${validKey}x`, `Bearer ${validKey.slice(1)}`, `Bearer ${validKey.toUpperCase()}`, `Bearer ${validKey} ${validKey}`, `Bearer "${validKey}"`).map(one('the right key altered')),
    fc.integer({ min: 1_000, max: 6_000 }).map((n) => `Bearer ${'A'.repeat(n)}`).map(one('huge')),
    fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).map((text) => asWireBytes(`Bearer ${text}é漢🔑`)).map(one('non-ASCII')),
    fc.tuple(fc.array(junkToken.map((t) => `Bearer ${t}`), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 6 })).map(([others, at]) => {
      const values = [...others];
      values.splice(at % (values.length + 1), 0, `Bearer ${validKey}`);
      return { kind: 'many headers (the right key among them)', values, extraHeaders: 40 };
    }),
  );
}

/** REST over a raw node:http request: several header lines of one name, and Latin-1 bytes, go out as given. */
function restCreate(url: string, values: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/v1/customers`, {
      method: 'POST',
      // Raw header pairs: every authorization value becomes its own header line.
      headers: ['host', new URL(url).host, 'content-type', 'application/json', 'x-connector-account', 'stripe-eu', 'x-tenant-id', TENANT, ...values.flatMap((value) => ['authorization', value])],
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ merchant_customer_id: 'hostile-authorization', test_mode: true }));
  });
}

/** gRPC as raw HTTP/2 frames: a Latin-1 byte or a huge value reaches the server exactly as sent. */
function grpcCreate(session: ClientHttp2Session, value: string, extraHeaders: number): Promise<number> {
  const extra = Object.fromEntries(Array.from({ length: extraHeaders }, (_, i) => [`x-noise-${i}`, `Bearer noise-${i}`]));
  const stream = session.request({ ':method': 'POST', ':path': '/types.CustomerService/Create', 'content-type': 'application/grpc', te: 'trailers', 'x-connector-account': 'stripe-eu', authorization: value, ...extra });
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const take = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] !== undefined) status = Number(headers['grpc-status']);
    };
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => undefined);
    stream.on('close', () => (status === undefined ? reject(new Error(`no grpc-status (HTTP/2 code ${stream.rstCode})`)) : resolve(status)));
    stream.on('error', reject);
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

describe.each(testDatabaseProviders())('Hostile authorization values on %s', (provider) => {
  let sandbox: ProcessorSandbox;
  let db: TestDatabase;
  let app: TestApp;
  let dir: string;
  let key: string;

  beforeAll(async () => {
    sandbox = new ProcessorSandbox();
    await sandbox.start();
    db = await createTestDatabase(provider);
    dir = mkdtempSync(path.join(os.tmpdir(), 'hostile-auth-'));
    key = newCallerKey();
    writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify({ 'stripe-eu': { connector: 'stripe', config: { api_key: 'sk_test_51HostileAuthAccount', base_url: sandbox.baseUrl('stripe') } } }));
    writeCallerKeys(path.join(dir, 'callers.yaml'), { shop: { tenant: TENANT, key: 'env:SHOP_KEY', scopes: ['customers:create'], accounts: ['stripe-eu'] } });
    app = await startTestApp(db.url, sandbox, { CALLER_KEYS_FILE: path.join(dir, 'callers.yaml'), CONNECTOR_ACCOUNTS_FILE: path.join(dir, 'accounts.json'), SHOP_KEY: key });
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`REST: ${RUNS_PER_TRANSPORT} generated authorization values → 401 CALLER_UNAUTHENTICATED, never a 5xx`, async () => {
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileCases(key), async ({ kind, values }) => {
        const { status, body } = await restCreate(app.httpUrl, values);
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        expect({ kind, status }).toEqual({ kind, status: 401 });
        expect((JSON.parse(body) as { error: { reason: string } }).error.reason).toBe(ErrorReason.CallerUnauthenticated);
        expect(body).not.toContain(key);
      }),
      { numRuns: RUNS_PER_TRANSPORT },
    );
    expect(kinds.size).toBeGreaterThanOrEqual(7);
    for (const [kind, count] of kinds) recordFigure('hostile', { transport: 'REST', provider, kind: `authorization: ${kind}`, inputs: count, serverErrors: 0, rowsWritten: 0, processorCalls: 0 });
  });

  it(`gRPC: ${RUNS_PER_TRANSPORT} generated authorization values → UNAUTHENTICATED, never INTERNAL`, async () => {
    const session = connect(`http://${app.service.grpcAddress}`);
    const kinds = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(hostileCases(key), async ({ kind, values, extraHeaders }) => {
          // HTTP/2 clients cannot repeat authorization (a single-value header): the noise is other metadata, the value the last junk one.
          const status = await grpcCreate(session, values.length > 1 ? values.find((v) => !v.includes(key))! : values[0], extraHeaders);
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          expect({ kind, status }).toEqual({ kind, status: GrpcStatus.UNAUTHENTICATED });
        }),
        { numRuns: RUNS_PER_TRANSPORT },
      );
    } finally {
      session.close();
    }
    // grpc-js drops a metadata value with illegal bytes and says so: through the service's logger, without the value.
    if (kinds.has('non-ASCII')) {
      const grpcLines = app.logs.parsed().filter((line) => line.source === 'grpc-js');
      expect(grpcLines.length).toBeGreaterThan(0);
      for (const line of grpcLines) expect(line.msg).toBe('Failed to add metadata entry authorization: value withheld (it may be a credential)');
    }
    for (const [kind, count] of kinds) recordFigure('hostile', { transport: 'gRPC', provider, kind: `authorization: ${kind}`, inputs: count, serverErrors: 0, rowsWritten: 0, processorCalls: 0 });
  });

  it('answers a 40 KB value with 431 on REST (beyond Node’s header limit) and UNAUTHENTICATED on gRPC, never a 5xx', async () => {
    const huge = `Bearer ${'A'.repeat(40_000)}`;
    const session = connect(`http://${app.service.grpcAddress}`);
    try {
      const rest = await restCreate(app.httpUrl, [huge]);
      const grpc = await grpcCreate(session, huge, 0);

      expect(rest.status).toBe(431);
      expect(grpc).toBe(GrpcStatus.UNAUTHENTICATED);
    } finally {
      session.close();
    }
  });

  it('accepts the right key alone, so the refusals above were about the value', async () => {
    const { status } = await restCreate(app.httpUrl, [`Bearer ${key}`]);
    expect(status).toBe(201);
  });

  it('stored nothing and called no processor for any refused value', async () => {
    const stored = await getJson(`${app.httpUrl}/v1/admin/customer-mappings?limit=100`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-tenant-id': TENANT });

    expect(stored.body.mappings.map((m: { merchant_customer_id: string }) => m.merchant_customer_id)).toEqual(['hostile-authorization']);
    expect(sandbox.requestsTo('stripe').filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});
