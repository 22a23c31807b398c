import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorReason } from '@app/common/errors/error-reason';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { bearer, newCallerKey, writeCallerKeys, type CallerEntry } from '../support/caller-keys';
import { createCustomer, TRANSPORTS, type TransportName } from '../support/e2e-environment';
import { expectRefused, uniqueCustomerId } from '../support/expectations';
import { recordFigure } from '../support/reliability-report';
import { getJson, postJson, startTestApp, stripeConfigHeader, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

const STRIPE_EU_KEY = 'sk_test_51CallerSpecEuAccountKey';
const STRIPE_US_KEY = 'sk_test_51CallerSpecUsAccountKey';

interface Fixture {
  sandbox: ProcessorSandbox;
  db: TestDatabase;
  app: TestApp;
  dir: string;
  keys: Record<string, string>;
}

/** The callers of these tests: two shops in two tenants, a reader, a tenant administrator, a rate-limited caller. */
function callers(keys: Record<string, string>): Record<string, CallerEntry> {
  return {
    'shop-a': { tenant: 'tenant-a', key: 'env:SHOP_A_KEY', scopes: ['customers:create', 'customers:read'], accounts: ['stripe-eu'], merchants: ['acme', 'acme-outlet'] },
    'shop-b': { tenant: 'tenant-b', key: 'env:SHOP_B_KEY', scopes: ['customers:create'], accounts: '*', inline_credentials: true },
    reader: { tenant: 'tenant-a', key: 'env:READER_KEY', scopes: ['customers:read'], accounts: '*', inline_credentials: true },
    'tenant-a-admin': { tenant: 'tenant-a', key: `sha256:${sha256Hex(keys.admin)}`, scopes: ['admin'] },
    limited: { tenant: 'tenant-c', key: 'env:LIMITED_KEY', scopes: ['customers:create'], accounts: ['stripe-eu'], rate_limit: '2/min' },
    busy: { tenant: 'tenant-d', key: 'env:BUSY_KEY', scopes: ['customers:create'], accounts: ['stripe-eu'] },
  };
}

function sha256Hex(value: string): string {
  return require('node:crypto').createHash('sha256').update(value).digest('hex') as string;
}

function useCallersEnvironment(provider: 'sqlite' | 'postgres'): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.sandbox = new ProcessorSandbox();
    await fixture.sandbox.start();
    fixture.db = await createTestDatabase(provider);
    fixture.dir = mkdtempSync(path.join(os.tmpdir(), 'callers-e2e-'));
    fixture.keys = { shopA: newCallerKey(), shopB: newCallerKey(), reader: newCallerKey(), admin: newCallerKey(), limited: newCallerKey(), busy: newCallerKey() };
    const accountsFile = path.join(fixture.dir, 'accounts.json');
    writeFileSync(
      accountsFile,
      JSON.stringify({
        'stripe-eu': { connector: 'stripe', config: { api_key: STRIPE_EU_KEY, base_url: fixture.sandbox.baseUrl('stripe') } },
        'stripe-us': { connector: 'stripe', config: { api_key: STRIPE_US_KEY, base_url: fixture.sandbox.baseUrl('stripe') } },
      }),
    );
    const callersFile = path.join(fixture.dir, 'callers.yaml');
    writeCallerKeys(callersFile, callers(fixture.keys));
    fixture.app = await startTestApp(fixture.db.url, fixture.sandbox, {
      CALLER_KEYS_FILE: callersFile,
      CONNECTOR_ACCOUNTS_FILE: accountsFile,
      CALLER_MAX_CONCURRENT_REQUESTS: '2',
      SHOP_A_KEY: fixture.keys.shopA,
      SHOP_B_KEY: fixture.keys.shopB,
      READER_KEY: fixture.keys.reader,
      LIMITED_KEY: fixture.keys.limited,
      BUSY_KEY: fixture.keys.busy,
    });
  });
  afterAll(async () => {
    await fixture.app?.close();
    await fixture.sandbox?.close();
    await fixture.db?.drop();
    rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

describe.each(testDatabaseProviders())('Callers and tenants on %s', (provider) => {
  const env = useCallersEnvironment(provider);
  const body = (merchantCustomerId: string, extra: Record<string, unknown> = {}) => ({ merchant_customer_id: merchantCustomerId, test_mode: true, ...extra });
  const stripeCalls = () => env.sandbox.requestsTo('stripe').filter((request) => request.method === 'POST').length;
  const mappingsOf = async (tenant: string, merchantCustomerId: string) =>
    (await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?merchant_customer_id=${encodeURIComponent(merchantCustomerId)}`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-tenant-id': tenant })).body.mappings as {
      tenant_id: string;
      connector_customer_id: string;
    }[];
  const auditLines = () => env.app.logs.parsed().filter((line) => line.audit === true);

  describe.each(TRANSPORTS)('over %s', (transport: TransportName) => {
    const create = (id: string, headers: Record<string, string>, extra?: Record<string, unknown>) => createCustomer(env.app, transport, body(id, extra), { 'x-merchant-id': 'acme', ...headers });

    it.each<[string, Record<string, string>]>([
      ['no authorization at all', {}],
      ['an unknown key', bearer('not-a-caller-key-0123456789abcdefghijklmnop')],
      ['a key in another scheme', { authorization: `Basic ${'x'.repeat(40)}` }],
      ['an empty bearer', { authorization: 'Bearer ' }],
    ])('refuses %s: UNAUTHENTICATED, nothing stored or sent', async (_case, headers) => {
      const id = uniqueCustomerId('no-key');
      const calls = stripeCalls();

      const outcome = await create(id, { 'x-connector-account': 'stripe-eu', ...headers });

      expectRefused(outcome, transport, ErrorReason.CallerUnauthenticated);
      expect(outcome.error?.message).toBe('Missing or unknown caller key: send authorization: Bearer <key> (one header)');
      expect(stripeCalls()).toBe(calls);
      expect(await mappingsOf('tenant-a', id)).toEqual([]);
      expect(await mappingsOf('public', id)).toEqual([]);
    });

    it('creates with a key: the tenant is the key’s, and the request line names the caller', async () => {
      const id = uniqueCustomerId('keyed');

      const outcome = await create(id, { 'x-connector-account': 'stripe-eu', 'x-request-id': `keyed-${transport}-${provider}`, ...bearer(env.keys.shopA) });

      expect(outcome).toMatchObject({ ok: true, response: { connector_customer_id: expect.stringMatching(/^cus_/) } });
      expect(await mappingsOf('tenant-a', id)).toEqual([expect.objectContaining({ tenant_id: 'tenant-a', connector_customer_id: outcome.response!.connector_customer_id })]);
      expect(await mappingsOf('public', id)).toEqual([]);
      const line = env.app.logs.parsed().find((l) => l.request_id === `keyed-${transport}-${provider}` && l.msg === 'request completed');
      expect(line).toMatchObject({ caller: 'shop-a', tenant_id: 'tenant-a', connector_account: 'stripe-eu' });
    });

    it.each<[string, () => Record<string, string>, RegExp]>([
      ['a scope the key lacks (customers:read calling Create)', () => ({ 'x-connector-account': 'stripe-eu', ...bearer(env.keys.reader) }), /^Caller "reader" may not customers:create/],
      ['a named account the key is not granted', () => ({ 'x-connector-account': 'stripe-us', ...bearer(env.keys.shopA) }), /^Caller "shop-a" may not use connector account "stripe-us"/],
      ['an unknown named account (not revealed as unknown)', () => ({ 'x-connector-account': 'stripe-zz', ...bearer(env.keys.shopA) }), /^Caller "shop-a" may not use connector account "stripe-zz"/],
      ['inline credentials the key is not granted', () => ({ 'x-connector-config': stripeConfigHeader(env.sandbox, 'sk_test_51InlineNotGranted01'), ...bearer(env.keys.shopA) }), /^Caller "shop-a" may not send processor credentials \(x-connector-config\)/],
      ['Prism’s legacy credential headers the key is not granted', () => ({ 'x-connector': 'stripe', 'x-auth': 'header-key', 'x-api-key': 'sk_test_51LegacyNotGranted01', ...bearer(env.keys.shopA) }), /may not send processor credentials \(x-connector with x-auth\)/],
      ['x-tenant-id naming another tenant', () => ({ 'x-connector-account': 'stripe-eu', 'x-tenant-id': 'tenant-b', ...bearer(env.keys.shopA) }), /^Caller "shop-a" acts for tenant "tenant-a" only/],
      ['a merchant the key does not list', () => ({ 'x-connector-account': 'stripe-eu', 'x-merchant-id': 'globex', ...bearer(env.keys.shopA) }), /^Caller "shop-a" may not act for merchant "globex"/],
    ])('refuses %s: PERMISSION_DENIED, nothing stored or sent, an audit line', async (_case, headers, message) => {
      const id = uniqueCustomerId('denied');
      const calls = stripeCalls();

      const outcome = await create(id, headers());

      expectRefused(outcome, transport, ErrorReason.CallerForbidden);
      expect(outcome.error?.message).toMatch(message);
      expect(stripeCalls()).toBe(calls);
      for (const tenant of ['tenant-a', 'tenant-b', 'public']) expect(await mappingsOf(tenant, id)).toEqual([]);
      expect(auditLines().at(-1)).toMatchObject({ action: 'authorize', outcome: ErrorReason.CallerForbidden, detail: expect.stringMatching(message) });
    });

    it('accepts x-tenant-id when it names the key’s own tenant', async () => {
      const outcome = await create(uniqueCustomerId('own-tenant'), { 'x-connector-account': 'stripe-eu', 'x-tenant-id': 'tenant-a', ...bearer(env.keys.shopA) });

      expect(outcome.ok).toBe(true);
    });

    it('refuses an unknown field inside an x-connector-config variant, naming it: nothing stored or sent', async () => {
      const id = uniqueCustomerId('bogus-field');
      const calls = stripeCalls();
      const config = JSON.stringify({ config: { Stripe: { api_key: 'sk_test_51BogusFieldKey0001', base_url: env.sandbox.baseUrl('stripe'), bogus: 'x' } } });

      const outcome = await create(id, { 'x-connector-config': config, ...bearer(env.keys.shopB) });

      expectRefused(outcome, transport, ErrorReason.InvalidConnectorConfiguration);
      expect(outcome.error?.fieldViolations).toEqual([{ field: 'x-connector-config.config.Stripe.bogus', description: 'is not a Stripe field (api_key, base_url)' }]);
      expect(stripeCalls()).toBe(calls);
      expect(await mappingsOf('tenant-b', id)).toEqual([]);
    });

    it('keeps two tenants with the same merchant and merchant_customer_id apart: a replay from another tenant gets its own customer', async () => {
      const id = uniqueCustomerId('same-id');

      const first = await create(id, { 'x-connector-account': 'stripe-eu', ...bearer(env.keys.shopA) });
      const replayedByOther = await create(id, { 'x-connector-account': 'stripe-eu', ...bearer(env.keys.shopB) });
      const replayedByOwner = await create(id, { 'x-connector-account': 'stripe-eu', ...bearer(env.keys.shopA) });

      expect(first).toMatchObject({ ok: true, replayed: 'false' });
      expect(replayedByOther).toMatchObject({ ok: true, replayed: 'false' });
      expect(replayedByOther.response!.connector_customer_id).not.toBe(first.response!.connector_customer_id);
      expect(replayedByOwner).toMatchObject({ ok: true, replayed: 'true', response: { connector_customer_id: first.response!.connector_customer_id } });
      expect((await mappingsOf('tenant-a', id)).map((m) => m.connector_customer_id)).toEqual([first.response!.connector_customer_id]);
      expect((await mappingsOf('tenant-b', id)).map((m) => m.connector_customer_id)).toEqual([replayedByOther.response!.connector_customer_id]);
    });

    it('defeats a pre-claim: another tenant cannot claim the merchant customer first, and the real merchant gets its own customer', async () => {
      const id = uniqueCustomerId('pre-claim');
      const attacker = { ...bearer(env.keys.shopB), 'x-connector-account': 'stripe-eu' };

      const intoVictimTenant = await create(id, { ...attacker, 'x-tenant-id': 'tenant-a' }, { email: { value: 'attacker@example.com' } });
      const inOwnTenant = await create(id, attacker, { email: { value: 'attacker@example.com' } });
      const victim = await create(id, { 'x-connector-account': 'stripe-eu', ...bearer(env.keys.shopA) }, { email: { value: 'ann@example.com' } });

      expectRefused(intoVictimTenant, transport, ErrorReason.CallerForbidden);
      expect(inOwnTenant.ok).toBe(true);
      expect(victim).toMatchObject({ ok: true, replayed: 'false' });
      expect(victim.response!.connector_customer_id).not.toBe(inOwnTenant.response!.connector_customer_id);
      expect((await mappingsOf('tenant-a', id)).map((m) => m.connector_customer_id)).toEqual([victim.response!.connector_customer_id]);
    });
  });

  it('limits a key to its rate: 429 / RESOURCE_EXHAUSTED with Retry-After, other keys unaffected', async () => {
    const limited = { 'x-connector-account': 'stripe-eu', 'x-merchant-id': 'acme', ...bearer(env.keys.limited) };

    const admitted = [await createCustomer(env.app, 'rest', body(uniqueCustomerId('rate')), limited), await createCustomer(env.app, 'grpc', body(uniqueCustomerId('rate')), limited)];
    const rest = await fetch(`${env.app.httpUrl}/v1/customers`, { method: 'POST', headers: { 'content-type': 'application/json', ...limited }, body: JSON.stringify(body(uniqueCustomerId('rate'))) });
    const grpc = await createCustomer(env.app, 'grpc', body(uniqueCustomerId('rate')), limited);
    const other = await createCustomer(env.app, 'rest', body(uniqueCustomerId('rate-other')), { 'x-connector-account': 'stripe-eu', 'x-merchant-id': 'acme', ...bearer(env.keys.shopA) });

    expect(admitted.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(rest.status).toBe(429);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await rest.json()) as { error: { reason: string } }).error.reason).toBe(ErrorReason.CallerRateLimited);
    expect(grpc).toMatchObject({ grpcCode: GrpcStatus.RESOURCE_EXHAUSTED, error: { reason: ErrorReason.CallerRateLimited } });
    expect(other.ok).toBe(true);
  });

  it('bounds the requests one key has in flight (CALLER_MAX_CONCURRENT_REQUESTS=2): the third is refused at once, other keys answered in time', async () => {
    const busy = { 'x-connector-account': 'stripe-eu', 'x-merchant-id': 'acme', ...bearer(env.keys.busy) };
    const held = [env.sandbox.holdNextResponse('stripe'), env.sandbox.holdNextResponse('stripe')];
    const inFlight = [createCustomer(env.app, 'rest', body(uniqueCustomerId('busy')), busy), createCustomer(env.app, 'grpc', body(uniqueCustomerId('busy')), busy)];
    await Promise.all(held.map((hold) => hold.reached));

    const started = performance.now();
    const third = await createCustomer(env.app, 'rest', body(uniqueCustomerId('busy')), busy);
    const thirdMs = performance.now() - started;
    const otherStarted = performance.now();
    const other = await createCustomer(env.app, 'grpc', body(uniqueCustomerId('busy-other')), { 'x-connector-account': 'stripe-eu', 'x-merchant-id': 'acme', ...bearer(env.keys.shopA) });
    const otherMs = performance.now() - otherStarted;
    for (const hold of held) hold.release();
    const finished = await Promise.all(inFlight);
    const afterwards = await createCustomer(env.app, 'grpc', body(uniqueCustomerId('busy')), busy);

    expectRefused(third, 'rest', ErrorReason.CallerRateLimited);
    expect(third.error?.message).toMatch(/too many requests in flight/);
    expect(thirdMs).toBeLessThan(1_000);
    expect(other.ok).toBe(true);
    expect(otherMs).toBeLessThan(2_000);
    expect(finished.map((outcome) => outcome.ok)).toEqual([true, true]);
    expect(afterwards.ok).toBe(true);
    recordFigure('bounds', { bound: `CALLER_MAX_CONCURRENT_REQUESTS (${provider})`, configured: '2 per key', opened: '3 Creates with one key, 2 held at the processor', openFilesPeak: '', heldOpenAfterMs: `third refused in ${Math.round(thirdMs)}`, legitimateMs: Math.round(otherMs) });
  });

  describe('the admin API', () => {
    const list = (headers: Record<string, string>) => getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?limit=100`, headers);

    it('shows a tenant administrator (a key with the admin scope) its own tenant only', async () => {
      const own = await list(bearer(env.keys.admin));
      const other = await list({ ...bearer(env.keys.admin), 'x-tenant-id': 'tenant-b' });
      const overGrpc = await env.app.grpc.call<{ mappings: { tenant_id: string }[] }>('connector_service.admin.v1.CustomerMappingAdminService', 'ListCustomerMappings', { limit: 100 }, bearer(env.keys.admin));

      expect(own.status).toBe(200);
      expect(own.body.mappings.length).toBeGreaterThan(0);
      expect(new Set(own.body.mappings.map((m: { tenant_id: string }) => m.tenant_id))).toEqual(new Set(['tenant-a']));
      expect(other).toMatchObject({ status: 403, body: { error: { reason: ErrorReason.CallerForbidden } } });
      expect(new Set(overGrpc.response!.mappings.map((m) => m.tenant_id))).toEqual(new Set(['tenant-a']));
    });

    it('lets the operator token choose any tenant', async () => {
      const tenantB = await list({ authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-tenant-id': 'tenant-b' });

      expect(tenantB.status).toBe(200);
      expect(new Set(tenantB.body.mappings.map((m: { tenant_id: string }) => m.tenant_id))).toEqual(new Set(['tenant-b']));
    });

    it.each<[string, () => Record<string, string>, number, ErrorReason]>([
      ['a caller key without the admin scope', () => bearer(env.keys.shopA), 403, ErrorReason.CallerForbidden],
      ['no key', () => ({}), 401, ErrorReason.AdminUnauthenticated],
      ['an unknown key', () => bearer('unknown-admin-key-0123456789abcdefghij'), 401, ErrorReason.AdminUnauthenticated],
    ])('refuses %s, with an audit line naming no key', async (_case, headers, status, reason) => {
      const answer = await list(headers());

      expect(answer).toMatchObject({ status, body: { error: { reason } } });
      const line = auditLines().at(-1)!;
      expect(line).toMatchObject({ audit: true, target: 'GET /v1/admin/customer-mappings', outcome: reason });
      for (const key of Object.values(env.keys)) expect(JSON.stringify(line)).not.toContain(key);
    });

    it('audits every admin write, who, in which tenant, on what, and how it ended', async () => {
      const missing = '0190f0a4-5b6c-7d8e-9f01-23456789abcd';

      const resolve = await postJson(`${env.app.httpUrl}/v1/admin/customer-mappings/${missing}/resolve`, { connector_customer_id: 'cus_x' }, bearer(env.keys.admin));
      const release = await env.app.grpc.call('connector_service.admin.v1.CustomerMappingAdminService', 'ReleaseCustomerMapping', { id: missing }, { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'x-tenant-id': 'tenant-b' });

      expect(resolve.status).toBe(404);
      expect(release.error?.code).toBe(GrpcStatus.NOT_FOUND);
      expect(auditLines()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ actor: 'tenant-a-admin', tenant_id: 'tenant-a', action: 'mapping.resolve', target: missing, outcome: ErrorReason.MappingNotFound }),
          expect.objectContaining({ actor: 'operator', tenant_id: 'tenant-b', action: 'mapping.release', target: missing, outcome: ErrorReason.MappingNotFound }),
        ]),
      );
    });
  });

  it('never writes a caller key into a log line', () => {
    expect(auditLines().filter((line) => line.action === 'authenticate').length).toBeGreaterThan(0);
    for (const key of Object.values(env.keys)) expect(env.app.logs.text).not.toContain(key);
  });
});
