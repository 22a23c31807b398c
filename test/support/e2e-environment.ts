import type { Environment } from '@app/common/config/app-config';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { ProcessorSandbox } from '@app/testing/sandbox/processor-sandbox';
import { createTestDatabase, type TestDatabase, type TestDatabaseProvider } from './test-databases';
import { postJson, startTestApp, type TestApp } from './test-app';

export interface E2eEnvironment {
  sandbox: ProcessorSandbox;
  db: TestDatabase;
  app: TestApp;
  /** Stops the app and starts a new one on the same database (a restart). */
  restartApp(env?: Environment): Promise<TestApp>;
}

/** A sandbox, a fresh database of `provider` and the real app on it, for one describe block. */
export function useE2eEnvironment(provider: TestDatabaseProvider, env: Environment = {}): E2eEnvironment {
  const environment = {} as E2eEnvironment;
  beforeAll(async () => {
    environment.sandbox = new ProcessorSandbox();
    await environment.sandbox.start();
    environment.db = await createTestDatabase(provider);
    environment.app = await startTestApp(environment.db.url, environment.sandbox, env);
    environment.restartApp = async (restartEnv: Environment = {}) => {
      await environment.app.close();
      environment.app = await startTestApp(environment.db.url, environment.sandbox, { ...env, ...restartEnv });
      return environment.app;
    };
  });
  afterAll(async () => {
    await environment.app?.close();
    await environment.sandbox?.close();
    await environment.db?.drop();
  });
  return environment;
}

export type TransportName = 'rest' | 'grpc';
export const TRANSPORTS: TransportName[] = ['rest', 'grpc'];

export interface CreateOutcome {
  ok: boolean;
  /** HTTP status (REST) — 201/200 on success. */
  httpStatus?: number;
  /** gRPC status code; 0 on success. */
  grpcCode?: number;
  response?: { merchant_customer_id?: string; connector_customer_id?: string; status_code?: number; response_headers?: Record<string, string> };
  error?: {
    reason?: string;
    message: string;
    fieldViolations: { field: string; description: string }[];
    connector?: Record<string, string>;
  };
  requestId?: string;
  replayed?: string;
}

/**
 * One Create over either transport, normalised so a test reads the same either way. The body
 * is in proto3 JSON form (SecretStrings as {"value": …}), which REST accepts too.
 */
export async function createCustomer(app: Pick<TestApp, 'httpUrl' | 'grpc'>, transport: TransportName, body: unknown, headers: Record<string, string>, route = '/v1/customers'): Promise<CreateOutcome> {
  if (transport === 'rest') {
    const result = await postJson(`${app.httpUrl}${route}`, body, headers);
    const error = result.body?.error;
    return {
      ok: result.status < 300,
      httpStatus: result.status,
      response: error ? undefined : result.body,
      error: error && {
        reason: error.reason,
        message: error.message,
        fieldViolations: error.field_violations ?? [],
        connector: error.connector,
      },
      requestId: result.headers.get('x-request-id') ?? undefined,
      replayed: result.headers.get('x-idempotent-replayed') ?? undefined,
    };
  }
  const result = await app.grpc.createCustomer<CreateOutcome['response']>(body, headers);
  const errorMetadata = result.details?.errorInfo?.metadata ?? {};
  const requestId = result.headers.get('x-request-id')[0] ?? result.error?.metadata.get('x-request-id')[0];
  return {
    ok: !result.error,
    grpcCode: result.error ? result.error.code : GrpcStatus.OK,
    response: result.response,
    error: result.error && {
      reason: result.details?.errorInfo?.reason,
      message: result.error.details,
      fieldViolations: result.details?.fieldViolations ?? [],
      connector: errorMetadata.connector
        ? { name: errorMetadata.connector, code: errorMetadata.connector_code, message: errorMetadata.connector_message, http_status: errorMetadata.connector_http_status, param: errorMetadata.connector_param }
        : undefined,
    },
    requestId: requestId === undefined ? undefined : String(requestId),
    replayed: result.headers.get('x-idempotent-replayed')[0] as string | undefined,
  };
}
