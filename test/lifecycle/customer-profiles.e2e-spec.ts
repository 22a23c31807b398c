import { rmSync } from 'node:fs';
import path from 'node:path';
import { ErrorReason } from '@app/common/errors/error-reason';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp } from '../support/app-process';
import { execute } from '../support/database-access';
import { createCustomer, TRANSPORTS, useE2eEnvironment, type TransportName } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { lifecycle, type LifecycleAnswer } from '../support/lifecycle-client';
import { namedAccountsFile } from '../support/named-accounts';
import { sample, scrape } from '../support/prometheus';
import { recordFigure } from '../support/reliability-report';
import { createTestDatabase, testDatabaseProviders } from '../support/test-databases';

const ACCOUNTS = ['stripe-eu', 'mollie-eu', 'paystack-ng', 'adyen-eu'];
const merchant = { 'x-merchant-id': 'profiles' };
const customer = (id: string) => ({ customer_name: 'Ann Lee', email: { value: `${id}@example.com` }, test_mode: true });

type Operation = { operation_id: string; status: string; kind: string; replayed: boolean; steps: { connector: string; account: string; status: string; outcome?: string; connector_customer_id?: string; error_reason?: string; attempts: number }[] };

const stepOf = (operation: Operation | undefined, account: string) => operation?.steps.find((step) => step.account === account);

/** Polls the operation until every step has ended (the resumer finishes what the request did not). */
async function settled(app: Parameters<typeof lifecycle>[0], id: string, operationId: string, timeoutMs = 30_000): Promise<Operation> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await lifecycle<Operation>(app, 'rest', 'getOperation', { merchant_customer_id: id, operation_id: operationId }, merchant);
    if (answer.body?.status === 'completed') return answer.body;
    if (Date.now() > until) throw new Error(`operation ${operationId} did not complete: ${JSON.stringify(answer.body ?? answer.message)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function expectStatus(answer: LifecycleAnswer, transport: TransportName, http: number, grpc: GrpcStatus): void {
  if (transport === 'rest') expect(answer.httpStatus).toBe(http);
  else expect(answer.grpcCode).toBe(grpc);
}

describe.each(testDatabaseProviders())('One customer, every processor, on %s', (provider) => {
  const env = useE2eEnvironment(provider, {});
  beforeAll(async () => {
    await env.restartApp({ CONNECTOR_ACCOUNTS_FILE: namedAccountsFile(env.sandbox) });
  });

  describe.each(TRANSPORTS)('over %s', (transport) => {
    it('creates at four accounts at once, lists the profiles live, updates and erases everywhere, each step reported', async () => {
      const id = uniqueCustomerId('fanout');
      const created = await lifecycle<Operation>(env.app, transport, 'createProfiles', { merchant_customer_id: id, accounts: ACCOUNTS, ...customer(id) }, { ...merchant, 'idempotency-key': `create-${id}` });

      expect(created.ok).toBe(true);
      expect(created.body).toMatchObject({ kind: 'create', status: 'completed', replayed: false });
      for (const account of ACCOUNTS) expect(stepOf(created.body, account)).toMatchObject({ status: 'succeeded', outcome: 'created', connector_customer_id: expect.any(String) });

      const listed = await lifecycle(env.app, transport, 'listProfiles', { merchant_customer_id: id, live: true }, merchant);
      expect(listed.body.profiles).toHaveLength(4);
      const live = Object.fromEntries(listed.body.profiles.map((profile: { account: string; live: unknown }) => [profile.account, profile.live]));
      expect(live['stripe-eu']).toMatchObject({ status: 'ok', details: { name: 'Ann Lee', email: { value: `${id}@example.com` } } });
      expect(live['mollie-eu']).toMatchObject({ status: 'ok', details: { email: { value: `${id}@example.com` } } });
      expect(live['adyen-eu']).toMatchObject({ status: 'ok' });

      const updated = await lifecycle<Operation>(env.app, transport, 'updateProfiles', { merchant_customer_id: id, customer_name: 'Ann Lee-Smith' }, merchant);
      expect(updated.body).toMatchObject({ kind: 'update', status: 'completed' });
      for (const account of ['stripe-eu', 'mollie-eu', 'paystack-ng']) expect(stepOf(updated.body, account)).toMatchObject({ status: 'succeeded', outcome: 'updated' });
      const relisted = await lifecycle(env.app, 'rest', 'listProfiles', { merchant_customer_id: id, live: true }, merchant);
      expect(relisted.body.profiles.find((profile: { account: string }) => profile.account === 'stripe-eu').live.details.name).toBe('Ann Lee-Smith');
      const unchanged = await lifecycle<Operation>(env.app, transport, 'updateProfiles', { merchant_customer_id: id, customer_name: 'Ann Lee-Smith' }, merchant);
      expect(stepOf(unchanged.body, 'stripe-eu')).toMatchObject({ status: 'succeeded', outcome: 'unchanged' });

      const erased = await lifecycle<Operation>(env.app, transport, 'eraseProfiles', { merchant_customer_id: id }, merchant);
      expect(erased.body).toMatchObject({ kind: 'erase', status: 'completed' });
      expect(stepOf(erased.body, 'stripe-eu')).toMatchObject({ status: 'succeeded', outcome: 'deleted' });
      expect(stepOf(erased.body, 'mollie-eu')).toMatchObject({ status: 'succeeded', outcome: 'deleted' });
      expect(stepOf(erased.body, 'paystack-ng')).toMatchObject({ status: 'not_supported', outcome: 'forgotten' });
      expect(stepOf(erased.body, 'adyen-eu')).toMatchObject({ status: 'not_supported', outcome: 'forgotten' });
      expect(env.sandbox.simulators.stripe.customersFor(id)).toEqual([]);
      // An empty repeated field is absent on the gRPC wire.
      expect((await lifecycle(env.app, transport, 'listProfiles', { merchant_customer_id: id }, merchant)).body.profiles ?? []).toEqual([]);
      const kept = await execute(env.db, 'SELECT merchant_customer_id FROM customer_mappings WHERE merchant_customer_id = ?', [id]);
      expect(kept).toEqual([]);
      const operations = await execute(env.db, 'SELECT * FROM customer_operations');
      expect(JSON.stringify(operations)).not.toContain(id);
      expect(JSON.stringify(operations)).not.toContain(`${id}@example.com`);
    });

    it('returns the same operation for a repeated idempotency-key, and refuses another request under it', async () => {
      const id = uniqueCustomerId('repeat');
      const request = { merchant_customer_id: id, accounts: ['stripe-eu'], ...customer(id) };
      const headers = { ...merchant, 'idempotency-key': `op-${id}` };

      const first = await lifecycle<Operation>(env.app, transport, 'createProfiles', request, headers);
      const repeat = await lifecycle<Operation>(env.app, transport, 'createProfiles', request, headers);
      const other = await lifecycle<Operation>(env.app, transport, 'createProfiles', { ...request, accounts: ['mollie-eu'] }, headers);

      expect(repeat.body).toMatchObject({ operation_id: first.body!.operation_id, replayed: true });
      expectStatus(other, transport, 409, GrpcStatus.ALREADY_EXISTS);
      expect(other.reason).toBe(ErrorReason.IdempotencyKeyReused);
      expect(env.sandbox.simulators.stripe.customersFor(id)).toHaveLength(1);
    });

    it.each([
      ['an account that is not configured', { accounts: ['stripe-us'] }, 'accounts[0]'],
      ['no account', { accounts: [] }, 'accounts'],
      ['an invalid email', { accounts: ['stripe-eu'], email: { value: 'not-an-email' } }, 'email'],
      ['a name over Stripe’s limit', { accounts: ['stripe-eu'], customer_name: 'x'.repeat(300) }, 'customer_name'],
    ])('refuses %s naming the field, storing and sending nothing', async (_, request, field) => {
      const id = uniqueCustomerId('hostile');
      const calls = env.sandbox.requests.length;

      const refused = await lifecycle(env.app, transport, 'createProfiles', { merchant_customer_id: id, ...request }, merchant);

      expectStatus(refused, transport, 400, GrpcStatus.INVALID_ARGUMENT);
      expect(JSON.stringify(refused.fieldViolations)).toContain(field);
      expect(env.sandbox.requests.length).toBe(calls);
      await expect(execute(env.db, 'SELECT id FROM customer_mappings WHERE merchant_customer_id = ?', [id])).resolves.toEqual([]);
    });
  });

  it('retries a processor that fails for a while, later, and reports every attempt: exactly one customer there', async () => {
    const id = uniqueCustomerId('flaky');
    env.sandbox.injectFault('stripe', { status: 503, body: '{"error":{"type":"api_error","message":"down"}}', times: 4 });

    const started = await lifecycle<Operation>(env.app, 'rest', 'createProfiles', { merchant_customer_id: id, accounts: ['stripe-eu', 'mollie-eu'], ...customer(id) }, merchant);
    const done = await settled(env.app, id, started.body!.operation_id);

    expect(stepOf(done, 'mollie-eu')).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(stepOf(done, 'stripe-eu')).toMatchObject({ status: 'succeeded', outcome: 'created' });
    expect(stepOf(done, 'stripe-eu')!.attempts).toBeGreaterThan(1);
    expect(env.sandbox.simulators.stripe.customersFor(id)).toHaveLength(1);
    recordFigure('profiles', { case: 'a processor failing for a while', attempts: stepOf(done, 'stripe-eu')!.attempts });
  });

  it('lets a Delete wait for a Create of the same customer still in flight, then deletes what it made', async () => {
    const id = uniqueCustomerId('race');
    const headers = { ...merchant, 'x-connector-account': 'stripe-eu' };
    const held = env.sandbox.holdNextResponse('stripe');
    const creating = createCustomer(env.app, 'rest', { merchant_customer_id: id }, headers);
    await held.reached;

    const early = await lifecycle(env.app, 'grpc', 'delete', { merchant_customer_id: id }, headers);
    held.release();
    const created = await creating;
    const deleted = await lifecycle(env.app, 'rest', 'delete', { merchant_customer_id: id }, headers);

    expect(early.grpcCode).toBe(GrpcStatus.ABORTED);
    expect(early.reason).toBe(ErrorReason.CreateInProgress);
    expect(created.ok).toBe(true);
    expect(deleted.ok).toBe(true);
    expect(env.sandbox.simulators.stripe.customersFor(id)).toEqual([]);
  });
});

describe.each(testDatabaseProviders())('A fan-out with a processor timing out, on %s', (provider) => {
  const env = useE2eEnvironment(provider, {});
  beforeAll(async () => {
    await env.restartApp({ CONNECTOR_ACCOUNTS_FILE: namedAccountsFile(env.sandbox), CONNECTOR_TIMEOUT_MS: '400' });
  });

  it('answers 202 while the slow processor’s step waits, then finishes it once the processor answers again: one customer each', async () => {
    const id = uniqueCustomerId('slow');
    env.sandbox.setLatency('mollie', 1_000);

    const started = await lifecycle<Operation>(env.app, 'rest', 'createProfiles', { merchant_customer_id: id, accounts: ['stripe-eu', 'mollie-eu'], ...customer(id) }, merchant);
    expect(started.httpStatus).toBe(202);
    expect(started.body).toMatchObject({ status: 'running' });
    expect(stepOf(started.body, 'stripe-eu')).toMatchObject({ status: 'succeeded' });
    expect(stepOf(started.body, 'mollie-eu')).toMatchObject({ status: 'pending', error_reason: ErrorReason.ConnectorTimeout });
    const waiting = await scrape(env.app.metricsUrl);
    expect(sample(waiting.text, 'connector_service_pending_operation_steps', { connector: 'mollie', state: 'retrying' })).toBe(1);

    env.sandbox.setLatency('mollie', 0);
    const done = await settled(env.app, id, started.body!.operation_id);
    const after = await scrape(env.app.metricsUrl);
    expect(sample(after.text, 'connector_service_pending_operation_steps', { connector: 'mollie', state: 'retrying' })).toBe(0);
    expect(sample(after.text, 'connector_service_pending_operation_steps', { connector: 'stripe', state: 'waiting' })).toBe(0);

    expect(stepOf(done, 'mollie-eu')).toMatchObject({ status: 'succeeded', outcome: 'created' });
    expect(env.sandbox.simulators.mollie.customerCount()).toBe(1);
    expect(env.sandbox.simulators.stripe.customersFor(id)).toHaveLength(1);
  });
});

describe.each(testDatabaseProviders())('A fan-out interrupted by a crash, on %s', (provider) => {
  it('SIGKILL while one step waits on its processor → restart → the resumer finishes: each processor holds the customer once', async () => {
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const db = await createTestDatabase(provider);
    const file = namedAccountsFile(sandbox);
    // A short deadline keeps the crashed step's lease (2 × deadline + 5 s) short for the test.
    const env = { DATABASE_URL: db.url, CONNECTOR_ACCOUNTS_FILE: file, CONNECTOR_TIMEOUT_MS: '1000' };
    const id = uniqueCustomerId('crash-fanout');
    try {
      const first = await spawnApp(env);
      const held = sandbox.holdNextResponse('stripe');
      const doomed = lifecycle<Operation>(first, 'rest', 'createProfiles', { merchant_customer_id: id, accounts: ['stripe-eu', 'mollie-eu'], ...customer(id) }, merchant).catch((error: Error) => error);
      await held.reached;
      await expect(first.kill('SIGKILL')).resolves.toBe('SIGKILL');
      await doomed;
      held.release();

      const second = await spawnApp(env);
      try {
        const [operation] = (await lifecycle<{ operations: Operation[] }>(second, 'rest', 'listOperations', { merchant_customer_id: id }, merchant)).body!.operations;
        const started = Date.now();
        const done = await settled(second, id, operation.operation_id);

        expect(stepOf(done, 'stripe-eu')).toMatchObject({ status: 'succeeded' });
        expect(stepOf(done, 'mollie-eu')).toMatchObject({ status: 'succeeded' });
        expect(sandbox.simulators.stripe.customersFor(id)).toHaveLength(1);
        expect(sandbox.simulators.mollie.customerCount()).toBe(1);
        recordFigure('profiles', { case: `crash during a fan-out (${provider})`, resumed_after_ms: Date.now() - started, stripe_customers: 1, mollie_customers: 1 });
      } finally {
        await second.kill('SIGTERM');
      }
    } finally {
      await sandbox.close();
      await db.drop();
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
