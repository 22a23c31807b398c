import { loadMigrations } from '@app/database/migrations';
import { DatabaseHealthService } from '../../apps/connector-service/src/health/database-health.service';
import { execute } from '../support/database-access';
import { useE2eEnvironment } from '../support/e2e-environment';
import { getJson } from '../support/test-app';
import { testDatabaseProviders } from '../support/test-databases';

describe.each(testDatabaseProviders())('Health probes on %s', (provider) => {
  const env = useE2eEnvironment(provider);
  const shipped = loadMigrations(provider).map((migration) => migration.name);
  const probe = (path: string) => getJson(`${env.app.httpUrl}${path}`);

  it('GET /health/live: the process is up', async () => {
    await expect(probe('/health/live')).resolves.toMatchObject({
      status: 200,
      body: { status: 'ok', info: { process: { status: 'up', uptime_seconds: expect.any(Number) } }, error: {} },
    });
  });

  it('GET /health/ready: the database answers and every migration of this build is applied', async () => {
    await expect(probe('/health/ready')).resolves.toMatchObject({
      status: 200,
      body: { status: 'ok', info: { database: { status: 'up' }, migrations: { status: 'up', shipped: shipped.length } }, error: {} },
    });
  });

  it('GET /health keeps Prism’s body exactly', async () => {
    await expect(probe('/health')).resolves.toMatchObject({ status: 200, body: { status: 'healthy', service: 'connector-service' } });
    expect(Object.keys((await probe('/health')).body)).toEqual(['status', 'service']);
  });

  it('is not ready while a migration of this build is missing from schema_migrations (live and /health stay up)', async () => {
    const latest = shipped[shipped.length - 1];
    const [row] = await execute(env.db, 'SELECT name, checksum, applied_at FROM schema_migrations WHERE name = ?', [latest]);
    await execute(env.db, 'DELETE FROM schema_migrations WHERE name = ?', [latest]);
    try {
      await expect(probe('/health/ready')).resolves.toMatchObject({
        status: 503,
        body: { status: 'error', error: { migrations: { status: 'down', pending: [latest], changed: [] } }, info: { database: { status: 'up' } } },
      });
      await expect(probe('/health/live')).resolves.toMatchObject({ status: 200 });
      await expect(probe('/health')).resolves.toMatchObject({ status: 200 });
    } finally {
      await execute(env.db, 'INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)', [row.name, row.checksum, row.applied_at]);
    }
    await expect(probe('/health/ready')).resolves.toMatchObject({ status: 200 });
  });

  it('is not ready once a shutdown has begun', async () => {
    env.app.service.app.get(DatabaseHealthService).markShuttingDown();

    await expect(probe('/health/ready')).resolves.toMatchObject({ status: 503, body: { status: 'error', error: { database: { status: 'down', message: 'shutting down' } } } });
    await expect(probe('/health/live')).resolves.toMatchObject({ status: 200 });
  });
});
