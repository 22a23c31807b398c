import { AsyncLocalStorage } from 'node:async_hooks';

export type Transport = 'http' | 'grpc';

export interface RequestContext {
  requestId: string;
  transport: Transport;
  tenantId?: string;
  merchantId?: string;
  connector?: string;
  /** The named connector account the request selected (`x-connector-account`). */
  connectorAccount?: string;
  /** Values of this request that must never reach a log line (credentials, PII). */
  sensitiveValues: Set<string>;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Too short a value would scrub unrelated text ("US", "1"); those are not secrets anyway. */
const MIN_SENSITIVE_LENGTH = 4;

/** Marks values of the current request as sensitive: every log line is scrubbed of them. */
export function registerSensitiveValues(...values: (string | undefined | null)[]): void {
  const context = storage.getStore();
  if (!context) return;
  for (const value of values) {
    if (typeof value === 'string' && value.length >= MIN_SENSITIVE_LENGTH) context.sensitiveValues.add(value);
  }
}

/** Names the connector (and named account) of the current request, for every later log line. */
export function setRequestConnector(connector: string, account?: string): void {
  const context = storage.getStore();
  if (!context) return;
  context.connector = connector;
  if (account !== undefined) context.connectorAccount = account;
}
