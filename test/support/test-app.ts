import { Writable } from 'node:stream';
import type { Environment } from '@app/common/config/app-config';
import { startConnectorService, type RunningService } from '../../apps/connector-service/src/bootstrap';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { freePort } from './free-port';
import { GrpcTestClient } from './grpc-test-client';
import { recordObserved, recordSentSecrets, withoutRequestedDetails } from './leak-audit';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Every log line the app wrote, as text (for the leak greps) and parsed. */
export class CapturedLogs extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }

  parsed(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestApp {
  service: RunningService;
  httpUrl: string;
  /** The metrics listener (METRICS_PORT, its own port). */
  metricsUrl: string;
  grpc: GrpcTestClient;
  logs: CapturedLogs;
  close(): Promise<void>;
}

/** The real app on loopback (ephemeral ports), its logs captured, allowed to call the sandbox. */
export async function startTestApp(databaseUrl: string, sandbox: ProcessorSandbox, env: Environment = {}): Promise<TestApp> {
  const logs = new CapturedLogs();
  const grpcPort = await freePort();
  const service = await startConnectorService({
    env: {
      HOST: '127.0.0.1',
      HTTP_PORT: '0',
      GRPC_PORT: String(grpcPort),
      METRICS_PORT: '0',
      DATABASE_URL: databaseUrl,
      ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
      CONNECTOR_BASE_URL_ALLOWLIST: sandbox.url,
      LOG_LEVEL: 'info',
      CONNECTOR_TIMEOUT_MS: '5000',
      ...env,
    },
    logDestination: logs,
  });
  const grpc = new GrpcTestClient(service.grpcAddress);
  return {
    service,
    httpUrl: service.httpUrl,
    metricsUrl: service.metricsUrl,
    grpc,
    logs,
    close: async () => {
      grpc.close();
      await service.close();
      recordObserved('log', logs.text);
    },
  };
}

/** `x-connector-config` for Stripe pointed at the sandbox. */
export function stripeConfigHeader(sandbox: ProcessorSandbox, apiKey = 'sk_test_e2eSecretKey0001'): string {
  return JSON.stringify({ config: { Stripe: { api_key: apiKey, base_url: sandbox.baseUrl('stripe') } } });
}

async function exchange(url: string, init: RequestInit, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  recordSentSecrets(headers, body);
  const response = await fetch(url, init);
  const text = await response.text();
  // The API documentation is static text (its examples are made up), not an answer to a request.
  const { pathname } = new URL(url);
  const asked = /^\/v1\/customers\/[^/]+(\/profiles)?$/.test(pathname) && ['GET', 'PATCH'].includes(init.method ?? 'GET') && text ? JSON.stringify(withoutRequestedDetails(JSON.parse(text))) : text;
  if (!pathname.startsWith('/docs')) recordObserved('REST response', `${response.status} ${JSON.stringify([...response.headers])} ${asked}`, `${init.method ?? 'GET'} ${pathname}`);
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Any method, a JSON body when given. */
export function exchangeJson(url: string, method: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; headers: Headers; body: any }> {
  const init: RequestInit = body === undefined ? { method, headers } : { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
  return exchange(url, init, headers, body);
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  return exchange(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, headers, body);
}

export function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: any }> {
  return exchange(url, { headers }, headers);
}
