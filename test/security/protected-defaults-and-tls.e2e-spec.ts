import { credentials } from '@grpc/grpc-js';
import { Agent, fetch as undiciFetch } from 'undici';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { spawnApp } from '../support/app-process';
import { createCustomer } from '../support/e2e-environment';
import { uniqueCustomerId } from '../support/expectations';
import { GrpcTestClient } from '../support/grpc-test-client';
import { startTestApp, stripeConfigHeader, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';
import { createThrowawayCa, type ThrowawayCa } from '../support/throwaway-ca';

const provider = testDatabaseProviders()[0];

describe('Protected defaults (without CALLER_KEYS_FILE)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('binds loopback when HOST is unset: API, gRPC and metrics', async () => {
    const app = await spawnApp({ DATABASE_URL: db.url, HOST: '' });
    try {
      const listening = JSON.parse(app.stdout.find((line) => line.includes('"connector-service listening"'))!) as Record<string, string>;

      expect(listening.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(listening.grpc).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(listening.metrics).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(listening.callers).toBe('unauthenticated');
      await expect(fetch(`${app.httpUrl}/health`)).resolves.toMatchObject({ status: 200 });
    } finally {
      await app.kill('SIGTERM');
    }
  });

  it('refuses to start on another address, saying how to configure caller keys or opt out', async () => {
    const started = spawnApp({ DATABASE_URL: db.url, HOST: '0.0.0.0' });

    await expect(started).rejects.toThrow(/HOST=0\.0\.0\.0 .*CALLER_KEYS_FILE.*ALLOW_UNAUTHENTICATED_CALLERS=true/s);
  });

  it('starts there with the explicit opt-out, and warns at every start', async () => {
    const app = await spawnApp({ DATABASE_URL: db.url, HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED_CALLERS: 'true' });
    try {
      const warning = app.stdout.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.allow_unauthenticated_callers === true);

      expect(warning).toMatchObject({ level: 'warn', msg: expect.stringContaining('callers are not authenticated (ALLOW_UNAUTHENTICATED_CALLERS=true)') });
      await expect(fetch(`${app.httpUrl}/health`)).resolves.toMatchObject({ status: 200 });
    } finally {
      await app.kill('SIGTERM');
    }
  });
});

describe('TLS on both listeners', () => {
  let ca: ThrowawayCa;
  let rogue: ThrowawayCa;
  let sandbox: ProcessorSandbox;
  let db: TestDatabase;
  beforeAll(async () => {
    ca = createThrowawayCa('ca');
    rogue = createThrowawayCa('rogue');
    sandbox = new ProcessorSandbox();
    await sandbox.start();
    db = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await sandbox?.close();
    await db?.drop();
    ca?.remove();
    rogue?.remove();
  });

  const createOver = async (app: TestApp, client: GrpcTestClient, httpsAgent: Agent) => {
    const id = uniqueCustomerId('tls');
    const rest = await undiciFetch(`${app.httpUrl}/v1/customers`, {
      method: 'POST',
      dispatcher: httpsAgent,
      headers: { 'content-type': 'application/json', 'x-connector-config': stripeConfigHeader(sandbox) },
      body: JSON.stringify({ merchant_customer_id: id, test_mode: true }),
    });
    const grpc = await createCustomer({ httpUrl: app.httpUrl, grpc: client }, 'grpc', { merchant_customer_id: id, test_mode: true }, { 'x-connector-config': stripeConfigHeader(sandbox) });
    return { rest: rest.status, grpc };
  };

  it('serves REST and gRPC over TLS (TLS_CERT_FILE, TLS_KEY_FILE), and nothing in the clear', async () => {
    const app = await startTestApp(db.url, sandbox, { TLS_CERT_FILE: ca.server.certFile, TLS_KEY_FILE: ca.server.keyFile });
    const client = new GrpcTestClient(app.service.grpcAddress, credentials.createSsl(ca.ca));
    const agent = new Agent({ connect: { ca: ca.ca } });
    try {
      expect(app.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const { rest, grpc } = await createOver(app, client, agent);
      const plainRest = await fetch(app.httpUrl.replace('https:', 'http:') + '/health').then(
        (response) => response.status,
        () => 'refused',
      );
      const plainGrpc = await app.grpc.createCustomer({ merchant_customer_id: uniqueCustomerId('plain') }, { 'x-connector-config': stripeConfigHeader(sandbox) });
      const untrusted = await undiciFetch(`${app.httpUrl}/health`, { dispatcher: new Agent({ connect: { ca: rogue.ca } }) }).then(
        () => 'trusted',
        () => 'refused',
      );

      expect(rest).toBe(201);
      expect(grpc).toMatchObject({ ok: true, replayed: 'true' });
      expect(plainRest).not.toBe(200);
      expect(plainGrpc.error?.code).toBe(GrpcStatus.UNAVAILABLE);
      expect(untrusted).toBe('refused');
    } finally {
      client.close();
      await agent.close();
      await app.close();
    }
  });

  it('requires a client certificate signed by TLS_CLIENT_CA_FILE on both listeners (mTLS)', async () => {
    const app = await startTestApp(db.url, sandbox, { TLS_CERT_FILE: ca.server.certFile, TLS_KEY_FILE: ca.server.keyFile, TLS_CLIENT_CA_FILE: ca.caFile });
    const withCertificate = new GrpcTestClient(app.service.grpcAddress, credentials.createSsl(ca.ca, ca.client.key, ca.client.cert));
    const withoutCertificate = new GrpcTestClient(app.service.grpcAddress, credentials.createSsl(ca.ca));
    const withRogueCertificate = new GrpcTestClient(app.service.grpcAddress, credentials.createSsl(ca.ca, rogue.client.key, rogue.client.cert));
    const agents = {
      certified: new Agent({ connect: { ca: ca.ca, cert: ca.client.cert, key: ca.client.key } }),
      anonymous: new Agent({ connect: { ca: ca.ca } }),
      rogue: new Agent({ connect: { ca: ca.ca, cert: rogue.client.cert, key: rogue.client.key } }),
    };
    const restStatus = (agent: Agent) =>
      undiciFetch(`${app.httpUrl}/health`, { dispatcher: agent }).then(
        (response) => response.status,
        () => 'refused',
      );
    try {
      const { rest, grpc } = await createOver(app, withCertificate, agents.certified);
      const anonymousGrpc = await withoutCertificate.createCustomer({ merchant_customer_id: uniqueCustomerId('anonymous') }, { 'x-connector-config': stripeConfigHeader(sandbox) });
      const rogueGrpc = await withRogueCertificate.createCustomer({ merchant_customer_id: uniqueCustomerId('rogue') }, { 'x-connector-config': stripeConfigHeader(sandbox) });

      expect(rest).toBe(201);
      expect(grpc).toMatchObject({ ok: true });
      await expect(restStatus(agents.anonymous)).resolves.toBe('refused');
      await expect(restStatus(agents.rogue)).resolves.toBe('refused');
      expect(anonymousGrpc.error?.code).toBe(GrpcStatus.UNAVAILABLE);
      expect(rogueGrpc.error?.code).toBe(GrpcStatus.UNAVAILABLE);
    } finally {
      for (const client of [withCertificate, withoutCertificate, withRogueCertificate]) client.close();
      for (const agent of Object.values(agents)) await agent.close();
      await app.close();
    }
  });

  it('refuses to start on a certificate file it cannot read, naming the variable', async () => {
    await expect(startTestApp(db.url, sandbox, { TLS_CERT_FILE: `${ca.dir}/missing.pem`, TLS_KEY_FILE: ca.server.keyFile })).rejects.toThrow(/TLS_CERT_FILE .*missing\.pem cannot be read \(ENOENT\)/);
  });
});
