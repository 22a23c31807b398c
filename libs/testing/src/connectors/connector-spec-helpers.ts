import type { AppConfig } from '@app/common/config/app-config';
import { registerSensitiveValues, runWithRequestContext } from '@app/common/context/request-context';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { DomainError } from '@app/common/errors/domain-error';
import { createAppLogger } from '@app/common/logging/logger';
import { captureLog, type CapturedLog } from '../capturing-log';
import { ProcessorSandbox } from '../sandbox/processor-sandbox';
import type { Connector, CreateCustomerCall } from '@app/connectors/connector';
import { ConnectorHttpClient, type InboundResponse, type OutboundRequest } from '@app/connectors/http/connector-http-client';
import { startLocalHttpServer, type LocalHandler, type RecordedRequest } from '../local-http-server';
import { driving } from './connector-driver';

/** The idempotency key and reference of every call `callBuilder` builds, unless a spec sets its own. */
export const SPEC_IDEMPOTENCY_KEY = '0190f0a4-5b6c-7d8e-9f01-23456789abcd';
export const SPEC_REFERENCE = 'stablereference0000000000a';

/**
 * The `callFor(customer, overrides)` of one connector's spec: its credentials and base URL, a fixed
 * idempotency key and reference, test mode; `defaults` may replace any of them.
 */
export function callBuilder(defaults: Pick<CreateCustomerCall, 'credentials' | 'baseUrl'> & Partial<CreateCustomerCall>) {
  return (customer: CustomerProfile, overrides: Partial<CreateCustomerCall> = {}): CreateCustomerCall => ({
    customer,
    idempotencyKey: SPEC_IDEMPOTENCY_KEY,
    reference: SPEC_REFERENCE,
    testMode: true,
    ...defaults,
    ...overrides,
  });
}

/** A strict stand-in for the shared HTTP client: `send` answers each call with the next response; a call beyond them fails. */
export function answering(...responses: InboundResponse[]) {
  const pending = [...responses];
  const send = jest.fn(async (_connector: string, outbound: OutboundRequest): Promise<InboundResponse> => {
    const next = pending.shift();
    if (!next) throw new Error(`unexpected processor call: ${outbound.method} ${outbound.url}`);
    return next;
  });
  return { http: { send } as unknown as ConnectorHttpClient, send };
}

/**
 * Every request the `send` of `answering` was called with, in order, its JSON body parsed (undefined
 * when it had none; typed loosely so a spec can read the fields it expects).
 */
export function requestsSent(send: ReturnType<typeof answering>['send']): (Omit<OutboundRequest, 'body'> & { body: any })[] {
  return send.mock.calls.map(([, outbound]) => ({ ...outbound, body: outbound.body === undefined ? undefined : JSON.parse(outbound.body) }));
}

/** The domain error a call rejects with; the test fails when it resolves or rejects with anything else. */
export async function errorOf(promise: Promise<unknown>): Promise<DomainError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(DomainError);
  return outcome as DomainError;
}

/** The one request a create sends when the processor answers `response`. */
export async function requestSentBy(connector: Connector, call: CreateCustomerCall, response: InboundResponse): Promise<{ connector: string; outbound: OutboundRequest }> {
  const { http, send } = answering(response);
  await driving(connector).createCustomer(call, http);
  expect(send).toHaveBeenCalledTimes(1);
  const [name, outbound] = send.mock.calls[0];
  return { connector: name, outbound };
}

/**
 * The processor sandbox and a real HTTP client logging into `log`, for one describe block: the
 * sandbox started before its tests, simulators reset and the log emptied before each, both closed after.
 */
export function useSandbox() {
  const sandbox = new ProcessorSandbox();
  const log = captureLog();
  const http = new ConnectorHttpClient({ connectorTimeoutMs: 3_000 } as AppConfig, createAppLogger({ level: 'info', destination: log.stream }));
  beforeAll(() => sandbox.start());
  afterAll(async () => {
    await http.onModuleDestroy();
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
    log.lines.length = 0;
  });
  return { sandbox, http, log };
}

/** A local processor answering every request with `status` and `body`. */
export const answerWith =
  (status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): LocalHandler =>
  (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };

export interface RealClientRun<T> {
  /** What the create returned, or the domain error it was refused with. */
  outcome: T | DomainError;
  log: CapturedLog;
  /** What the local processor received. */
  received: RecordedRequest[];
  /** The local processor's base URL. */
  baseUrl: string;
}

/**
 * Runs `create` through the real HTTP client against a local processor answering with `handler`,
 * inside a request context holding `sensitiveValues`; a refusal is logged as the exception filter
 * logs it, with the processor's own message. Every log line of the run is captured.
 */
export async function createThroughRealClient<T>(
  handler: LocalHandler,
  sensitiveValues: string[],
  create: (http: ConnectorHttpClient, baseUrl: string) => Promise<T>,
): Promise<RealClientRun<T>> {
  const log = captureLog();
  const logger = createAppLogger({ level: 'trace', destination: log.stream });
  const server = await startLocalHttpServer(handler);
  const http = new ConnectorHttpClient({ connectorTimeoutMs: 2000 } as AppConfig, logger);
  try {
    const context = { requestId: 'req-scrub', transport: 'http' as const, sensitiveValues: new Set<string>() };
    const outcome = await runWithRequestContext(context, async () => {
      registerSensitiveValues(...sensitiveValues);
      try {
        return await create(http, server.baseUrl);
      } catch (error) {
        const refusal = error as DomainError;
        logger.info({ reason: refusal.reason, message: refusal.message, connector: refusal.details.connector }, 'request refused');
        return refusal;
      }
    });
    return { outcome, log, received: server.requests, baseUrl: server.baseUrl };
  } finally {
    await http.onModuleDestroy();
    await server.close();
  }
}
