import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp, type AppProcess } from '../support/app-process';
import { bearer, newCallerKey, writeCallerKeys, type CallerEntry } from '../support/caller-keys';
import { createCustomer, type TransportName } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { recordFigure } from '../support/reliability-report';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

const PROMISE_MS = 5_000;

describe.each(testDatabaseProviders())('A revoked caller key on two running instances (%s)', (provider) => {
  let sandbox: ProcessorSandbox;
  const databases: TestDatabase[] = [];
  let instances: AppProcess[] = [];
  let dir: string;
  let file: string;
  const keys = { shop: '', other: '', rotated: '' };
  const entry = (variable: string): CallerEntry => ({ tenant: 'revocation', key: `env:${variable}`, scopes: ['customers:create'], accounts: ['stripe-eu'] });

  beforeAll(async () => {
    sandbox = new ProcessorSandbox();
    await sandbox.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'revocation-'));
    file = path.join(dir, 'callers.yaml');
    Object.assign(keys, { shop: newCallerKey(), other: newCallerKey(), rotated: newCallerKey() });
    writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify({ 'stripe-eu': { connector: 'stripe', config: { api_key: 'sk_test_51RevocationAccount', base_url: sandbox.baseUrl('stripe') } } }));
    writeCallerKeys(file, { shop: entry('SHOP_KEY'), other: entry('OTHER_KEY') });
    // PostgreSQL: both on one database, as deployed; SQLite serves one instance, so each has its own.
    databases.push(await createTestDatabase(provider));
    if (provider === 'sqlite') databases.push(await createTestDatabase(provider));
    instances = await Promise.all(
      [0, 1].map((index) =>
        spawnApp({
          DATABASE_URL: databases[index % databases.length].url,
          CALLER_KEYS_FILE: file,
          CONNECTOR_ACCOUNTS_FILE: path.join(dir, 'accounts.json'),
          SHOP_KEY: keys.shop,
          OTHER_KEY: keys.other,
          ROTATED_KEY: keys.rotated,
        }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.kill('SIGTERM')));
    await sandbox?.close();
    for (const db of databases) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (instance: AppProcess, transport: TransportName, key: string) =>
    createCustomer({ httpUrl: instance.httpUrl, grpc: instance.grpc }, transport, { merchant_customer_id: uniqueCustomerId('revocation'), test_mode: true }, { 'x-connector-account': 'stripe-eu', ...bearer(key) });

  /** Milliseconds from `since` until `instance` refuses `key` on `transport` (polled every 50 ms). */
  async function refusedAfter(instance: AppProcess, transport: TransportName, key: string, since: number): Promise<number> {
    for (;;) {
      const outcome = await create(instance, transport, key);
      if (!outcome.ok) {
        expect(outcome.error?.reason).toBe(ErrorReason.CallerUnauthenticated);
        return performance.now() - since;
      }
      if (performance.now() - since > 3 * PROMISE_MS) throw new Error(`still accepted after ${3 * PROMISE_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it(`is refused by both instances within ${PROMISE_MS / 1000} s of the file's change, without a restart; other keys keep working`, async () => {
    for (const [index, instance] of instances.entries()) await expect(create(instance, index === 0 ? 'rest' : 'grpc', keys.shop)).resolves.toMatchObject({ ok: true });

    const revokedAt = performance.now();
    writeCallerKeys(file, { other: entry('OTHER_KEY') });
    const times = await Promise.all([refusedAfter(instances[0], 'rest', keys.shop, revokedAt), refusedAfter(instances[1], 'grpc', keys.shop, revokedAt)]);
    const others = await Promise.all(instances.map((instance, index) => create(instance, index === 0 ? 'grpc' : 'rest', keys.other)));

    const slowest = Math.round(Math.max(...times));
    expect(slowest).toBeLessThan(PROMISE_MS);
    expect(others.map((outcome) => outcome.ok)).toEqual([true, true]);
    for (const instance of instances) expect(instance.stdout.some((line) => line.includes('"caller keys reloaded"') && line.includes('"removed":["shop"]'))).toBe(true);
    recordFigure('revocation', { provider, instances: 2, pollMs: 1000, slowestRefusalMs: slowest, otherKeyAnswered: true });
  });

  it('takes a rotated key at once on SIGHUP, and keeps the callers loaded before when the file turns bad', async () => {
    writeCallerKeys(file, { shop: entry('ROTATED_KEY'), other: entry('OTHER_KEY') });
    for (const instance of instances) instance.child.kill('SIGHUP');
    for (const instance of instances) {
      let accepted = false;
      for (let attempt = 0; attempt < 100 && !accepted; attempt += 1) {
        accepted = (await create(instance, 'rest', keys.rotated)).ok;
        if (!accepted) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(accepted).toBe(true);
    }

    writeFileSync(file, 'shop: [not, a, caller\n');
    for (const instance of instances) instance.child.kill('SIGHUP');
    const failed = (instance: AppProcess) => instance.stdout.some((line) => line.includes('caller keys reload failed: keeping the callers loaded before'));
    for (let waited = 0; !instances.every(failed) && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));

    for (const instance of instances) {
      expect(failed(instance)).toBe(true);
      await expect(create(instance, 'grpc', keys.rotated)).resolves.toMatchObject({ ok: true });
      expect(instance.stdout.join('\n')).not.toContain(keys.rotated);
    }
  });
});
