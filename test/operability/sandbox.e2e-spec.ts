import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { registeredConnectors } from '@app/testing/connectors/registered-connectors';
import { SANDBOX_ACCOUNTS, sandboxConfigHeader, TRY_IT_BODY } from '@app/testing/sandbox/sandbox-accounts';
import { createCustomer, TRANSPORTS } from '../support/e2e-environment';
import { freePort } from '../support/free-port';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, testDatabaseProviders, type TestDatabase } from '../support/test-databases';

const BUILT_SANDBOX = path.join(__dirname, '../../dist/apps/processor-sandbox/src/main.js');
const README = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const HEADER_LINE = /^\s+(\w+)\s+x-connector-config: (\{.*\})$/;

/** `npm run sandbox` as a newcomer runs it (the built app), on a free SANDBOX_PORT: what it printed once listening. */
async function startSandbox(): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  if (!existsSync(BUILT_SANDBOX)) throw new Error(`${BUILT_SANDBOX} is missing: run \`npm run build\` first (npm test does)`);
  const port = await freePort();
  const child = spawn(process.execPath, [BUILT_SANDBOX], { env: { PATH: process.env.PATH, SANDBOX_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('curl ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) having printed: ${lines.join('\n')}`)));
    setTimeout(() => resolve(), 10_000).unref();
  });
  return { child, url: `http://127.0.0.1:${port}`, lines };
}

describe('npm run sandbox: a newcomer’s first hour', () => {
  const [provider] = testDatabaseProviders();
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let db: TestDatabase;
  let app: TestApp;
  const printed = () => new Map(sandbox.lines.map((line) => HEADER_LINE.exec(line)).filter((m): m is RegExpExecArray => m !== null).map((m) => [m[1], m[2]]));

  beforeAll(async () => {
    sandbox = await startSandbox();
    db = await createTestDatabase(provider);
    app = await startTestApp(db.url, { url: sandbox.url } as ProcessorSandbox);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    sandbox?.child.kill('SIGTERM');
  });

  it('prints the allow-list to start the service with, and one ready x-connector-config per processor', () => {
    const variants = registeredConnectors().map((connector) => connector.descriptor.configVariant).sort();

    expect(sandbox.lines).toContain(`  CONNECTOR_BASE_URL_ALLOWLIST=${sandbox.url} npm start`);
    expect([...printed().keys()].sort()).toEqual(variants);
  });

  it.each(SANDBOX_ACCOUNTS.map((account) => account.variant))('the printed %s header creates a customer over both transports', async (variant) => {
    const header = printed().get(variant)!;
    for (const transport of TRANSPORTS) {
      const tryIt = JSON.parse(TRY_IT_BODY) as Record<string, unknown>;
      // Another customer per transport (Checkout.com and Razorpay refuse a second one with the same
      // email); over gRPC, a SecretString as {"value": …}.
      const email = `ann.${transport}@example.com`;
      const body = { ...tryIt, merchant_customer_id: `try-${variant}-${transport}`, email: transport === 'grpc' ? { value: email } : email };
      const outcome = await createCustomer(app, transport, body, { 'x-connector-config': header });

      expect({ transport, ok: outcome.ok, error: outcome.error?.message }).toEqual({ transport, ok: true, error: undefined });
    }
  });

  it('the README has its port variable and, per processor, the copy-paste it prints for the default port', () => {
    expect(README).toMatch(/^\| `SANDBOX_PORT` \| `4010` \|/m);
    for (const account of SANDBOX_ACCOUNTS) {
      expect(README).toContain(`-H 'x-connector-config: ${sandboxConfigHeader('http://127.0.0.1:4010', account)}' -d '${TRY_IT_BODY}'`);
    }
  });
});
