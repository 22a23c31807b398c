import { credentials, loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Client } from 'pg';
import { startConnectorService } from '../apps/connector-service/src/bootstrap';
import { createCustomer, useE2eEnvironment } from './support/e2e-environment';
import { reflect } from './support/reflection-client';
import { getJson, startTestApp, stripeConfigHeader } from './support/test-app';
import { createTestDatabase, testDatabaseProviders } from './support/test-databases';

function healthClient(address: string) {
  const definition = loadSync(require.resolve('grpc-health-check/proto/health/v1/health.proto'), { keepCase: true, enums: String });
  const pkg = loadPackageDefinition(definition) as GrpcObject;
  const Health = (((pkg.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject).Health as ServiceClientConstructor;
  return new Health(address, credentials.createInsecure()) as any;
}

const check = (client: any, service = ''): Promise<{ status?: string; code?: number }> =>
  new Promise((resolve) => client.Check({ service }, (error: { code: number } | null, response: { status: string }) => resolve(error ? { code: error.code } : response)));

describe.each(testDatabaseProviders())('Health and reflection on %s', (provider) => {
  const env = useE2eEnvironment(provider);

  it('GET /health answers Prism’s healthy body', async () => {
    await expect(getJson(`${env.app.httpUrl}/health`)).resolves.toMatchObject({ status: 200, body: { status: 'healthy', service: 'connector-service' } });
  });

  it('answers probes, metrics and docs whatever x-tenant-id says; a Create refuses a malformed one, naming it, on both transports', async () => {
    const malformed = { 'x-tenant-id': 'has space' };
    for (const path of ['/health', '/health/live', '/metrics', '/docs/openapi.json']) {
      const origin = path === '/metrics' ? env.app.metricsUrl : env.app.httpUrl;
      expect({ path, status: (await fetch(`${origin}${path}`, { headers: malformed })).status }).toEqual({ path, status: 200 });
    }
    const client = healthClient(env.app.service.grpcAddress);
    try {
      await expect(check(client)).resolves.toEqual({ status: 'SERVING' });
    } finally {
      client.close();
    }
    for (const transport of ['rest', 'grpc'] as const) {
      const outcome = await createCustomer(env.app, transport, { merchant_customer_id: 'tenant-header-check' }, { ...malformed, 'x-connector-config': stripeConfigHeader(env.sandbox, 'sk_test_tenantHeaderCheck01') });
      expect(outcome.error).toMatchObject({ reason: 'INVALID_DATA_FORMAT', fieldViolations: [expect.objectContaining({ field: 'x-tenant-id' })] });
    }
  });

  it('grpc.health.v1.Health/Check answers SERVING for the server and its services, NOT_FOUND for others', async () => {
    const client = healthClient(env.app.service.grpcAddress);
    try {
      await expect(check(client)).resolves.toEqual({ status: 'SERVING' });
      await expect(check(client, 'types.CustomerService')).resolves.toEqual({ status: 'SERVING' });
      await expect(check(client, 'no.such.Service')).resolves.toEqual({ code: 5 });
    } finally {
      client.close();
    }
  });

  it('grpc.health.v1.Health/Watch streams the current status', async () => {
    const client = healthClient(env.app.service.grpcAddress);
    try {
      const first = await new Promise((resolve, reject) => {
        const stream = client.Watch({ service: '' });
        stream.on('data', (message: unknown) => {
          resolve(message);
          stream.cancel();
        });
        stream.on('error', (error: { code: number }) => (error.code === 1 ? undefined : reject(error)));
      });
      expect(first).toEqual({ status: 'SERVING' });
    } finally {
      client.close();
    }
  });

  it.each(['v1', 'v1alpha'] as const)('server reflection %s lists every service and describes types.CustomerService', async (version) => {
    const services = await reflect(env.app.service.grpcAddress, version, { list_services: '' });
    const names = services.list_services_response.service.map((s: { name: string }) => s.name);
    const file = await reflect(env.app.service.grpcAddress, version, { file_containing_symbol: 'types.CustomerService' });

    expect(names).toEqual(expect.arrayContaining(['types.CustomerService', 'connector_service.admin.v1.CustomerMappingAdminService', 'grpc.health.v1.Health']));
    expect(file.file_descriptor_response.file_descriptor_proto.length).toBeGreaterThan(0);
  });
});

describe('Health follows the database (PostgreSQL)', () => {
  if (!testDatabaseProviders().includes('postgres')) return;

  it('turns NOT_SERVING / 503 when the database goes away, and the boot fails fast when it is unreachable', async () => {
    const { ProcessorSandbox } = await import('@app/testing/sandbox/processor-sandbox');
    const sandbox = new ProcessorSandbox();
    await sandbox.start();
    const db = await createTestDatabase('postgres');
    const app = await startTestApp(db.url, sandbox);
    const client = healthClient(app.service.grpcAddress);
    try {
      await expect(check(client)).resolves.toEqual({ status: 'SERVING' });
      const admin = new Client({ connectionString: process.env.TEST_POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE ${new URL(db.url).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();

      await expect(getJson(`${app.httpUrl}/health`)).resolves.toMatchObject({ status: 503, body: { status: 'unhealthy' } });
      await expect(check(client)).resolves.toEqual({ status: 'NOT_SERVING' });
    } finally {
      client.close();
      await app.close();
      await sandbox.close();
      await db.drop();
    }

    await expect(startConnectorService({ env: { DATABASE_URL: db.url, HTTP_PORT: '0', GRPC_PORT: '0', LOG_LEVEL: 'silent' } })).rejects.toThrow(
      /Cannot start on the database at postgresql:\/\/app@127\.0\.0\.1:\d+\/t_[0-9a-f]+: .*does not exist/,
    );
  });
});

describe('Configuration', () => {
  it('fails the boot naming every bad variable, without echoing secrets', async () => {
    const boot = startConnectorService({ env: { HTTP_PORT: 'eighty', DATABASE_URL: 'mysql://x', ADMIN_API_TOKEN: 'short-secret', LOG_LEVEL: 'silent' } });

    const message = await boot.then(
      () => '',
      (error: Error) => error.message,
    );

    expect(message).toContain('HTTP_PORT must be an integer from 0 to 65535 (got "eighty")');
    expect(message).toContain('DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)');
    expect(message).toContain('ADMIN_API_TOKEN must be at least 16 characters');
    expect(message).not.toContain('short-secret');
  });
});
