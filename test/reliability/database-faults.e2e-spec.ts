import Database from 'better-sqlite3';
import { credentials, loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ErrorReason } from '@app/common/errors/error-reason';
import { sqliteFilePath } from '@app/database/sqlite/sqlite.migrator';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp } from '../support/app-process';
import { DedicatedPostgres } from '../support/dedicated-postgres';
import { createCustomer, TRANSPORTS } from '../support/e2e-environment';
import { expectRefused, uniqueCustomerId } from '../support/expectations';
import { recordFigure } from '../support/reliability-report';
import { startTestApp, stripeConfigHeader, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders } from '../support/test-databases';

function grpcHealthStatus(address: string): Promise<string> {
  const definition = loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { keepCase: true, enums: String });
  const Health = ((((loadPackageDefinition(definition) as GrpcObject).grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject).Health as ServiceClientConstructor;
  const client = new Health(address, credentials.createInsecure()) as any;
  return new Promise((resolve, reject) =>
    client.Check({ service: '' }, (error: Error | null, response: { status: string }) => {
      client.close();
      return error ? reject(error) : resolve(response.status);
    }),
  );
}

/** Waits, bounded, for the service to see its database again (the pool reconnects on demand). */
async function untilHealthy(app: TestApp): Promise<number> {
  const started = Date.now();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if ((await fetch(`${app.httpUrl}/health`)).status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the service did not recover within 10 s');
}

describe('Database faults', () => {
  const sandbox = new ProcessorSandbox();
  beforeAll(() => sandbox.start());
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.reset());
  const headers = () => ({ 'x-connector-config': stripeConfigHeader(sandbox) });

  if (testDatabaseProviders().includes('postgres')) {
    it('PostgreSQL lost during operation: NOT_SERVING / 503, requests UNAVAILABLE with no processor call, then recovery without a restart', async () => {
      const postgres = new DedicatedPostgres();
      const url = await postgres.start();
      const app = await startTestApp(url, sandbox);
      try {
        const before = uniqueCustomerId('dbfault');
        const created = await createCustomer(app, 'rest', { merchant_customer_id: before }, headers());
        expect(created.ok).toBe(true);

        await postgres.stop();
        const health = await fetch(`${app.httpUrl}/health`);
        await expect(grpcHealthStatus(app.service.grpcAddress)).resolves.toBe('NOT_SERVING');
        for (const transport of TRANSPORTS) {
          expectRefused(await createCustomer(app, transport, { merchant_customer_id: uniqueCustomerId('dbdown') }, headers()), transport, ErrorReason.DatabaseUnavailable);
        }
        expect(health.status).toBe(503);
        expect(sandbox.requestsTo('stripe')).toHaveLength(1);

        await postgres.start();
        const recoveryMs = await untilHealthy(app);
        const replay = await createCustomer(app, 'grpc', { merchant_customer_id: before }, headers());
        const fresh = await createCustomer(app, 'rest', { merchant_customer_id: uniqueCustomerId('dbback') }, headers());

        expect(replay.response!.connector_customer_id).toBe(created.response!.connector_customer_id);
        expect(fresh.ok).toBe(true);
        await expect(grpcHealthStatus(app.service.grpcAddress)).resolves.toBe('SERVING');
        recordFigure('database', { fault: 'PostgreSQL stopped (immediate) and restarted', requestsRefused: 2, halfWritten: 0, recoveredWithoutRestart: true, recoveryMs });
      } finally {
        await app.close();
        await postgres.destroy();
      }
    });

    it('PostgreSQL unreachable at start: the process exits 1 with a message naming the database', async () => {
      const app = spawnApp({ DATABASE_URL: 'postgresql://app:secret-password@127.0.0.1:9/nowhere' });

      await expect(app).rejects.toThrow(/exited \(1\).*Cannot start on the database at postgresql:\/\/app:\*\*\*@127\.0\.0\.1:9\/nowhere/s);
      await expect(app).rejects.not.toThrow(/secret-password/);
    });
  }

  it('SQLite locked by another writer: requests UNAVAILABLE after the busy timeout, nothing half-written, then recovery', async () => {
    const db = await createTestDatabase('sqlite');
    const app = await startTestApp(db.url, sandbox);
    const locker = new Database(sqliteFilePath(db.url));
    try {
      locker.exec('BEGIN IMMEDIATE');
      const id = uniqueCustomerId('locked');
      const blocked = await createCustomer(app, 'rest', { merchant_customer_id: id }, headers());
      locker.exec('ROLLBACK');

      expectRefused(blocked, 'rest', ErrorReason.DatabaseUnavailable);
      expect(sandbox.requestsTo('stripe')).toHaveLength(0);
      const retried = await createCustomer(app, 'grpc', { merchant_customer_id: id }, headers());
      expect(retried.ok).toBe(true);
      expect(sandbox.simulators.stripe.customerCount()).toBe(1);
      recordFigure('database', { fault: 'SQLite file locked by another writer', requestsRefused: 1, halfWritten: 0, recoveredWithoutRestart: true, recoveryMs: 0 });
    } finally {
      locker.close();
      await app.close();
      await db.drop();
    }
  });
});
