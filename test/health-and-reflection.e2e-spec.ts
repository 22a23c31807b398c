import { credentials, loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { Client } from 'pg';
import { FileDescriptorProto, type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor';
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

type FileDescriptor = IFileDescriptorProto & { name: string; dependency: string[] };

const filesOf = (answer: Record<string, any>): FileDescriptor[] =>
  (answer.file_descriptor_response?.file_descriptor_proto ?? []).map((bytes: Buffer) => FileDescriptorProto.toObject(FileDescriptorProto.decode(bytes), { arrays: true }) as FileDescriptor);

/** Fully qualified names (`.types.Address`) of the messages and enums a file declares. */
function declaredIn(file: IFileDescriptorProto): Set<string> {
  const names = new Set<string>();
  const scope = file.package ? `.${file.package}` : '';
  const visit = (message: IDescriptorProto, parent: string) => {
    const name = `${parent}.${message.name}`;
    names.add(name);
    for (const nested of message.nestedType ?? []) visit(nested, name);
    for (const nested of message.enumType ?? []) names.add(`${name}.${nested.name}`);
  };
  for (const message of file.messageType ?? []) visit(message, scope);
  for (const enumType of file.enumType ?? []) names.add(`${scope}.${enumType.name}`);
  return names;
}

/**
 * What grpcurl (protoreflect) and Postman do with the answer: link each file against the files it
 * imports, by name. Every reference must be fully qualified and declared in the file itself or a
 * direct import, and every import must be among the files served.
 */
function linkProblems(files: FileDescriptor[]): string[] {
  const byName = new Map(files.map((file) => [file.name, file]));
  const problems: string[] = [];
  for (const file of files) {
    const visible = new Set(declaredIn(file));
    for (const dependency of file.dependency) {
      const imported = byName.get(dependency);
      if (!imported) problems.push(`${file.name} imports ${dependency}, which was not served`);
      else for (const name of declaredIn(imported)) visible.add(name);
    }
    const references: string[] = [];
    const visit = (message: IDescriptorProto) => {
      for (const field of message.field ?? []) if (field.typeName) references.push(field.typeName);
      for (const nested of message.nestedType ?? []) visit(nested);
    };
    for (const message of file.messageType ?? []) visit(message);
    for (const service of file.service ?? []) for (const method of service.method ?? []) references.push(method.inputType!, method.outputType!);
    for (const reference of references) if (!visible.has(reference)) problems.push(`${file.name} refers to ${reference}, which neither it nor its imports declare`);
  }
  return problems;
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

  it.each(['v1', 'v1alpha'] as const)('server reflection %s lists the reflection services themselves', async (version) => {
    const services = await reflect(env.app.service.grpcAddress, version, { list_services: '' });
    const names = services.list_services_response.service.map((s: { name: string }) => s.name);

    expect(names).toEqual(expect.arrayContaining(['grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection']));
    await expect(reflect(env.app.service.grpcAddress, version, { file_containing_symbol: 'grpc.reflection.v1.ServerReflection' }).then(filesOf)).resolves.toEqual([
      expect.objectContaining({ name: 'grpc/reflection/v1/reflection.proto', package: 'grpc.reflection.v1' }),
    ]);
  });

  it.each([
    ['types.CustomerService', 'types/services.proto', ['types/payment.proto', 'types/payment_methods.proto']],
    ['types.CustomerServiceCreateRequest', 'types/payment.proto', ['types/payment_methods.proto']],
    ['types.SecretString', 'types/payment_methods.proto', []],
    ['types.CustomerService.Create', 'types/services.proto', ['types/payment.proto', 'types/payment_methods.proto']],
    ['connector_service.admin.v1.CustomerMappingAdminService', 'connector_service/admin/v1/customer_mappings.proto', []],
    ['grpc.health.v1.Health', 'grpc/health/v1/health.proto', []],
  ])('file_containing_symbol %s answers %s (its real name) and every file it imports, linkable as grpcurl links them', async (symbol, file, imports) => {
    const files = filesOf(await reflect(env.app.service.grpcAddress, 'v1', { file_containing_symbol: symbol }));

    expect(files.map((f) => f.name)).toEqual([file, ...imports]);
    expect(linkProblems(files)).toEqual([]);
  });

  it.each([
    ['types/services.proto', ['types/payment.proto'], ['types/payment.proto', 'types/payment_methods.proto']],
    ['types/payment.proto', ['types/payment_methods.proto'], ['types/payment_methods.proto']],
    ['types/payment_methods.proto', [], []],
    ['connector_service/admin/v1/customer_mappings.proto', [], []],
    ['grpc/health/v1/health.proto', [], []],
  ])('file_by_filename %s answers that file, declaring its imports %j, with them', async (name, dependency, served) => {
    const files = filesOf(await reflect(env.app.service.grpcAddress, 'v1', { file_by_filename: name }));

    expect(files[0]).toMatchObject({ name, dependency, syntax: 'proto3' });
    expect(files.map((f) => f.name)).toEqual([name, ...served]);
    expect(linkProblems(files)).toEqual([]);
  });

  it('describes messages as protoc would: proto3 optional fields, map entries named FieldNameEntry', async () => {
    const [payment] = filesOf(await reflect(env.app.service.grpcAddress, 'v1', { file_by_filename: 'types/payment.proto' }));
    const message = (name: string) => payment.messageType!.find((m) => m.name === name)!;

    expect(message('CustomerServiceCreateRequest').field!.find((f) => f.name === 'email')).toMatchObject({ number: 3, typeName: '.types.SecretString', proto3Optional: true, jsonName: 'email' });
    const response = message('CustomerServiceCreateResponse');
    expect(response.field!.find((f) => f.name === 'response_headers')).toMatchObject({ label: 3, typeName: '.types.CustomerServiceCreateResponse.ResponseHeadersEntry', jsonName: 'responseHeaders' });
    expect(response.nestedType).toEqual([expect.objectContaining({ name: 'ResponseHeadersEntry', options: expect.objectContaining({ mapEntry: true }) })]);
  });

  it('answers NOT_FOUND for a file it does not serve', async () => {
    const answer = await reflect(env.app.service.grpcAddress, 'v1', { file_by_filename: 'types.proto' });

    expect(answer.error_response).toMatchObject({ error_code: 5 });
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
