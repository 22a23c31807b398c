import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp, type AppProcess } from '../support/app-process';
import { createCustomer, type TransportName } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { recordFigure } from '../support/reliability-report';
import { stripeConfigHeader } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

/** N stateless instances on one PostgreSQL: the promise "one merchant customer → one processor customer" across processes. */
describe('Scale-out: two instances on one PostgreSQL', () => {
  if (!testDatabaseProviders().includes('postgres')) {
    it.skip('needs PostgreSQL', () => undefined);
    return;
  }
  const sandbox = new ProcessorSandbox();
  let db: TestDatabase;
  let instances: AppProcess[];

  beforeAll(async () => {
    await sandbox.start();
    db = await createTestDatabase('postgres');
    const env = { DATABASE_URL: db.url, CONNECTOR_BASE_URL_ALLOWLIST: sandbox.url, MAPPING_SCOPE_SECRET: 'scale-out-test-secret-0123456789abcdef' };
    instances = await Promise.all([spawnApp(env), spawnApp(env)]);
  });
  afterAll(async () => {
    await Promise.all(instances?.map((instance) => instance.kill('SIGTERM')) ?? []);
    await sandbox.close();
    await db?.drop();
  });
  beforeEach(() => {
    sandbox.reset();
    // A real processor takes time: duplicates overlap across instances instead of queueing.
    sandbox.setLatency('stripe', 40);
  });

  const headers = () => ({ 'x-connector-config': stripeConfigHeader(sandbox) });
  const fire = (merchantCustomerId: string, i: number) => {
    const transport: TransportName = i % 2 === 0 ? 'rest' : 'grpc';
    return createCustomer(instances[Math.floor(i / 2) % 2], transport, { merchant_customer_id: merchantCustomerId, email: { value: 'scale@example.com' } }, headers());
  };

  it('100 concurrent identical Creates over both instances and both transports → exactly one customer', async () => {
    const id = uniqueCustomerId('scale');
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => fire(id, i)));

    expect(outcomes.filter((o) => !o.ok).map((o) => o.error)).toEqual([]);
    expect(new Set(outcomes.map((o) => o.response!.connector_customer_id)).size).toBe(1);
    expect(sandbox.simulators.stripe.customerCount()).toBe(1);
    recordFigure('scale-out', { scenario: '2 instances × 100 identical Creates (REST+gRPC)', requests: 100, processorCustomers: 1, duplicates: sandbox.simulators.stripe.customerCount() - 1 });
  });

  it('20 customers × 10 concurrent duplicates each → exactly 20 customers, each with one id', async () => {
    const ids = Array.from({ length: 20 }, () => uniqueCustomerId('scale20'));
    const outcomes = await Promise.all(ids.flatMap((id) => Array.from({ length: 10 }, (_, i) => fire(id, i).then((o) => ({ id, o })))));

    expect(outcomes.filter(({ o }) => !o.ok).map(({ o }) => o.error)).toEqual([]);
    for (const id of ids) {
      expect(new Set(outcomes.filter((x) => x.id === id).map(({ o }) => o.response!.connector_customer_id)).size).toBe(1);
      expect(sandbox.simulators.stripe.customersFor(id)).toHaveLength(1);
    }
    expect(sandbox.simulators.stripe.customerCount()).toBe(20);
    recordFigure('scale-out', { scenario: '2 instances × 20 customers × 10 duplicates', requests: 200, processorCustomers: 20, duplicates: sandbox.simulators.stripe.customerCount() - 20 });
  });
});
