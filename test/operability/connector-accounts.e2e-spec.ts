import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { startConnectorService } from '../../apps/connector-service/src/bootstrap';
import { spawnApp } from '../support/app-process';
import { createCustomer, TRANSPORTS, type TransportName } from '../support/e2e-environment';
import { expectRefused, uniqueCustomerId } from '../support/expectations';
import { getJson, startTestApp, stripeConfigHeader, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

const KEY_EU = 'sk_test_51NamedAccountEuKey';
const KEY_EU_ROTATED = 'sk_test_51NamedAccountEuKeyRotated';
const KEY_US = 'sk_test_51NamedAccountUsKey';

interface Fixture {
  sandbox: ProcessorSandbox;
  db: TestDatabase;
  app: TestApp;
  dir: string;
  file: string;
  writeAccounts(accounts: unknown): void;
}

/** An app whose allow-list is empty: only a named account may point at the sandbox. */
function useAccountsEnvironment(provider: 'sqlite' | 'postgres'): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.sandbox = new ProcessorSandbox();
    await fixture.sandbox.start();
    fixture.db = await createTestDatabase(provider);
    fixture.dir = mkdtempSync(path.join(os.tmpdir(), 'accounts-e2e-'));
    fixture.file = path.join(fixture.dir, 'accounts.yaml');
    fixture.writeAccounts = (accounts) => writeFileSync(fixture.file, JSON.stringify(accounts));
    fixture.writeAccounts(accountsFile(fixture.sandbox, 'env:STRIPE_EU_KEY'));
    fixture.app = await startTestApp(fixture.db.url, fixture.sandbox, {
      CONNECTOR_ACCOUNTS_FILE: fixture.file,
      CONNECTOR_BASE_URL_ALLOWLIST: '',
      STRIPE_EU_KEY: KEY_EU,
      STRIPE_EU_KEY_ROTATED: KEY_EU_ROTATED,
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

function accountsFile(sandbox: ProcessorSandbox, euKey: string) {
  return {
    'stripe-eu': { connector: 'stripe', config: { api_key: euKey, base_url: sandbox.baseUrl('stripe') } },
    'stripe-us': { connector: 'stripe', config: { api_key: KEY_US, base_url: sandbox.baseUrl('stripe') } },
  };
}

describe.each(testDatabaseProviders())('Named connector accounts on %s', (provider) => {
  const env = useAccountsEnvironment(provider);
  const create = (transport: TransportName, merchantCustomerId: string, headers: Record<string, string>) =>
    createCustomer(env.app, transport, { merchant_customer_id: merchantCustomerId, test_mode: true }, { 'x-merchant-id': 'acme', ...headers });
  const stripeCalls = () => env.sandbox.requestsTo('stripe').filter((r) => r.method === 'POST').length;

  it('creates through a named account on either transport, one mapping for both', async () => {
    const id = uniqueCustomerId('named');

    const rest = await create('rest', id, { 'x-connector-account': 'stripe-eu' });
    const grpc = await create('grpc', id, { 'x-connector-account': 'stripe-eu' });

    expect(rest).toMatchObject({ ok: true, httpStatus: 201, replayed: 'false', response: { connector_customer_id: expect.stringMatching(/^cus_/) } });
    expect(grpc).toMatchObject({ ok: true, replayed: 'true', response: { connector_customer_id: rest.response!.connector_customer_id } });
    const sent = env.sandbox.requestsTo('stripe').at(-1)!;
    expect(sent.headers.authorization).toBe(`Bearer ${KEY_EU}`);
  });

  it('keeps two named accounts of one processor apart', async () => {
    const id = uniqueCustomerId('two-accounts');

    const eu = await create('rest', id, { 'x-connector-account': 'stripe-eu' });
    const us = await create('rest', id, { 'x-connector-account': 'stripe-us' });

    expect(us.httpStatus).toBe(201);
    expect(us.response!.connector_customer_id).not.toBe(eu.response!.connector_customer_id);
  });

  it('honours the account’s base_url although the allow-list is empty; a caller’s base_url is still refused', async () => {
    const refused = await create('rest', uniqueCustomerId('caller-url'), { 'x-connector-config': stripeConfigHeader(env.sandbox, KEY_EU) });

    expectRefused(refused, 'rest', ErrorReason.BaseUrlNotAllowed);
  });

  it.each(TRANSPORTS)('takes x-connector-account over x-connector-config (%s)', async (transport) => {
    const id = uniqueCustomerId('precedence');
    const before = stripeCalls();

    const outcome = await create(transport, id, { 'x-connector-account': 'stripe-eu', 'x-connector-config': '{"config":{"Stripe":{"api_key":"sk_test_ignored000"}}}' });

    expect(outcome.ok).toBe(true);
    expect(stripeCalls()).toBe(before + 1);
    expect(env.sandbox.requestsTo('stripe').at(-1)!.headers.authorization).toBe(`Bearer ${KEY_EU}`);
  });

  it.each(TRANSPORTS)('refuses an unknown account as INVALID_ARGUMENT naming the header (%s)', async (transport) => {
    const outcome = await create(transport, uniqueCustomerId('unknown'), { 'x-connector-account': 'stripe-mars' });

    expectRefused(outcome, transport, ErrorReason.InvalidDataFormat);
    expect(outcome.error).toMatchObject({
      message: 'Invalid data format: x-connector-account',
      fieldViolations: [{ field: 'x-connector-account', description: 'no connector account "stripe-mars" is configured' }],
    });
  });

  it('scopes mappings by the account’s name: after a key rotation (SIGHUP reload) the same customer comes back without a call', async () => {
    const id = uniqueCustomerId('rotation');
    const first = await create('rest', id, { 'x-connector-account': 'stripe-eu' });
    const scopeBefore = await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?merchant_id=acme&merchant_customer_id=${id}`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` });

    env.writeAccounts(accountsFile(env.sandbox, 'env:STRIPE_EU_KEY_ROTATED'));
    await expect(env.app.service.reloadConnectorAccounts()).resolves.toEqual({ ok: true, accounts: ['stripe-eu', 'stripe-us'] });
    const callsBefore = stripeCalls();
    const again = await create('grpc', id, { 'x-connector-account': 'stripe-eu' });
    const fresh = await create('rest', uniqueCustomerId('rotated'), { 'x-connector-account': 'stripe-eu' });

    expect(again).toMatchObject({ ok: true, replayed: 'true', response: { connector_customer_id: first.response!.connector_customer_id } });
    expect(stripeCalls()).toBe(callsBefore + 1);
    expect(env.sandbox.requestsTo('stripe').at(-1)!.headers.authorization).toBe(`Bearer ${KEY_EU_ROTATED}`);
    const scopeAfter = await getJson(`${env.app.httpUrl}/v1/admin/customer-mappings?merchant_id=acme&merchant_customer_id=${fresh.response!.merchant_customer_id}`, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` });
    expect(scopeAfter.body.mappings[0].connector_account).toBe(scopeBefore.body.mappings[0].connector_account);
    expect(fresh.httpStatus).toBe(201);
  });

  it('keeps the loaded accounts when the file becomes bad, and logs why', async () => {
    writeFileSync(env.file, `stripe-eu: {connector: stripe, config: {api_key: ${KEY_EU}`);

    const outcome = await env.app.service.reloadConnectorAccounts();
    const created = await create('rest', uniqueCustomerId('after-bad-reload'), { 'x-connector-account': 'stripe-us' });

    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/is not valid YAML/) });
    expect(created.httpStatus).toBe(201);
    expect(env.app.logs.parsed()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'connector accounts reload failed: keeping the accounts loaded before' }));
  });

  it('drops no request while reloading over and over', async () => {
    env.writeAccounts(accountsFile(env.sandbox, 'env:STRIPE_EU_KEY'));
    const creates = Array.from({ length: 40 }, (_, i) =>
      create(TRANSPORTS[i % 2], uniqueCustomerId('under-reload'), { 'x-connector-account': i % 3 === 0 ? 'stripe-us' : 'stripe-eu' }),
    );
    const reloads = Array.from({ length: 20 }, (_, i) => {
      env.writeAccounts(accountsFile(env.sandbox, i % 2 ? 'env:STRIPE_EU_KEY' : 'env:STRIPE_EU_KEY_ROTATED'));
      return env.app.service.reloadConnectorAccounts();
    });

    const outcomes = await Promise.all(creates);
    const reloaded = await Promise.all(reloads);

    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(reloaded.every((r) => r.ok)).toBe(true);
  });

  it('never writes an account’s keys to a log line or a response', async () => {
    const text = env.app.logs.text;
    for (const key of [KEY_EU, KEY_EU_ROTATED, KEY_US]) expect(text).not.toContain(key);
    const outcome = await create('rest', uniqueCustomerId('leak'), { 'x-connector-account': 'stripe-eu' });
    expect(JSON.stringify(outcome)).not.toContain(KEY_EU);
  });
});

describe('A connector accounts file that cannot be used fails the boot', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accounts-boot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, unknown, Record<string, string>, string[]]>([
    ['an unknown connector', { eu: { connector: 'paypal', config: {} } }, {}, ['account "eu": connector "paypal" is not supported']],
    ['a missing credential', { eu: { connector: 'stripe', config: {} } }, {}, ['account "eu": config.api_key is required for Stripe']],
    ['an env: reference to an unset variable', { eu: { connector: 'stripe', config: { api_key: 'env:MISSING_KEY' } } }, {}, ['account "eu": config.api_key references env:MISSING_KEY, which is not set']],
    [
      'a bad base_url and a credential of the wrong type',
      { eu: { connector: 'stripe', config: { api_key: 'env:KEY', base_url: 'stripe.internal' } }, us: { connector: 'stripe', config: { api_key: 7 } } },
      { KEY: KEY_EU },
      ['account "eu": config.base_url is not an absolute URL', 'account "us": config.api_key must be a string'],
    ],
  ])('names the account and field: %s', async (_case, accounts, extraEnv, problems) => {
    const file = path.join(dir, `${problems.length}-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(accounts));

    const message = await startConnectorService({
      env: { DATABASE_URL: `file:${path.join(dir, 'boot.db')}`, HTTP_PORT: '0', GRPC_PORT: '0', LOG_LEVEL: 'silent', CONNECTOR_ACCOUNTS_FILE: file, ...extraEnv },
    }).then(
      async (service) => {
        await service.close();
        return 'started';
      },
      (error: Error) => error.message,
    );

    expect(message).toContain(`Invalid connector accounts file ${file}:`);
    for (const problem of problems) expect(message).toContain(problem);
    expect(message).not.toContain(KEY_EU);
  });
});

describe('SIGHUP reloads the connector accounts of the running service (built, as its own process)', () => {
  if (!testDatabaseProviders().includes('sqlite')) return;

  it('serves an account added to the file after SIGHUP, without a restart', async () => {
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const db = await createTestDatabase('sqlite');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'accounts-sighup-'));
    const file = path.join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify({ 'stripe-eu': accountsFile(sandbox, KEY_EU)['stripe-eu'] }));
    const app = await spawnApp({ DATABASE_URL: db.url, CONNECTOR_ACCOUNTS_FILE: file });
    try {
      const before = await createCustomer(app, 'rest', { merchant_customer_id: uniqueCustomerId('sighup') }, { 'x-connector-account': 'stripe-us' });
      expectRefused(before, 'rest', ErrorReason.InvalidDataFormat);

      writeFileSync(file, JSON.stringify(accountsFile(sandbox, KEY_EU)));
      const reloaded = new Promise<void>((resolve) => app.child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('connector accounts reloaded') && resolve()));
      app.child.kill('SIGHUP');
      await reloaded;
      const after = await createCustomer(app, 'grpc', { merchant_customer_id: uniqueCustomerId('sighup') }, { 'x-connector-account': 'stripe-us' });

      expect(after.ok).toBe(true);
      expect(app.child.exitCode).toBeNull();
    } finally {
      await app.kill('SIGTERM');
      await sandbox.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
