import { credentials, loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp } from '../support/app-process';
import { createCustomer } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { recordFigure } from '../support/reliability-report';
import { stripeConfigHeader } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders } from '../support/test-databases';

/** Every health status a Watch stream receives until the server ends it. */
function watchHealth(address: string): { statuses: string[]; ended: Promise<void> } {
  const definition = loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { keepCase: true, enums: String });
  const Health = ((((loadPackageDefinition(definition) as GrpcObject).grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject).Health as ServiceClientConstructor;
  const client = new Health(address, credentials.createInsecure()) as any;
  const statuses: string[] = [];
  const stream = client.Watch({ service: '' });
  stream.on('data', (message: { status: string }) => statuses.push(message.status));
  const ended = new Promise<void>((resolve) => {
    stream.on('error', () => resolve());
    stream.on('end', () => resolve());
  }).finally(() => client.close());
  return { statuses, ended };
}

describe('SIGTERM', () => {
  it('stops accepting, turns health NOT_SERVING, finishes the in-flight Create, closes the database and exits 0', async () => {
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const db = await createTestDatabase('sqlite');
    try {
      const app = await spawnApp({ DATABASE_URL: db.url, CONNECTOR_BASE_URL_ALLOWLIST: sandbox.url, SHUTDOWN_GRACE_MS: '10000' });
      const watch = watchHealth(app.grpcAddress);
      const held = sandbox.holdNextResponse('stripe');
      const inFlight = createCustomer(app, 'grpc', { merchant_customer_id: uniqueCustomerId('sigterm') }, { 'x-connector-config': stripeConfigHeader(sandbox) });
      await held.reached;

      app.child.kill('SIGTERM');
      await watch.ended;
      const lateRequest = await fetch(`${app.httpUrl}/health`).then(
        () => 'answered',
        () => 'refused',
      );
      held.release();

      await expect(inFlight).resolves.toMatchObject({ ok: true, response: { connector_customer_id: expect.stringMatching(/^cus_/) } });
      await expect(app.exited).resolves.toBe(0);
      expect(watch.statuses).toEqual(['SERVING', 'NOT_SERVING']);
      expect(lateRequest).toBe('refused');
      expect(app.stdout.some((line) => line.includes('"shutting down"'))).toBe(true);
      recordFigure('shutdown', { scenario: 'SIGTERM with a Create in flight', inFlightCompleted: true, exitCode: 0 });
    } finally {
      await sandbox.close();
      await db.drop();
    }
  });

  it.each(testDatabaseProviders())('exits when the grace period runs out with work still in flight (%s), keeping the reservation for the retry', async (provider) => {
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const db = await createTestDatabase(provider);
    try {
      const app = await spawnApp({ DATABASE_URL: db.url, CONNECTOR_BASE_URL_ALLOWLIST: sandbox.url, SHUTDOWN_GRACE_MS: '300', CONNECTOR_TIMEOUT_MS: '1000' });
      const held = sandbox.holdNextResponse('stripe');
      const id = uniqueCustomerId('grace');
      // Cut off by the shutdown: its connection is closed once the grace period is over.
      const inFlight = createCustomer(app, 'rest', { merchant_customer_id: id }, { 'x-connector-config': stripeConfigHeader(sandbox) }).catch((error: Error) => error);
      await held.reached;

      app.child.kill('SIGTERM');
      const exit = await app.exited;
      held.release();
      await inFlight;

      expect(exit).toBe(0);
      const restarted = await spawnApp({ DATABASE_URL: db.url, CONNECTOR_BASE_URL_ALLOWLIST: sandbox.url, CONNECTOR_TIMEOUT_MS: '1000' });
      const retry = await createCustomer(restarted, 'grpc', { merchant_customer_id: id }, { 'x-connector-config': stripeConfigHeader(sandbox) });
      await restarted.kill('SIGTERM');
      expect(retry.ok).toBe(true);
      expect(sandbox.simulators.stripe.customerCount()).toBe(1);
    } finally {
      await sandbox.close();
      await db.drop();
    }
  });
});
