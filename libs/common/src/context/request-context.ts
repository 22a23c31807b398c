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
  /** Milliseconds spent in processor calls so far (every attempt and lookup). */
  processorMs?: number;
  /** How a successful request ended, when it says more than "ok" (`created`, `replayed`). */
  outcome?: string;
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

/** Adds one processor call's duration to the current request's processor time. */
export function addProcessorTime(ms: number): void {
  const context = storage.getStore();
  if (context) context.processorMs = (context.processorMs ?? 0) + ms;
}

export function setRequestOutcome(outcome: string): void {
  const context = storage.getStore();
  if (context) context.outcome = outcome;
}

const CONTEXT_KEY = Symbol.for('connector-service.request-context');
const FAILURE_KEY = Symbol.for('connector-service.request-failure');

/**
 * The transport's own request object (Express request, grpc-js call) carries the context and the
 * error reason, so the per-request log line and metrics, written when the transport finishes,
 * can read them outside the async context.
 */
export function attachRequestContext(carrier: object, context: RequestContext): void {
  (carrier as Record<symbol, unknown>)[CONTEXT_KEY] = context;
}

export function requestContextOf(carrier: object): RequestContext | undefined {
  return (carrier as Record<symbol, RequestContext | undefined>)[CONTEXT_KEY];
}

export function recordRequestFailure(carrier: object, reason: string): void {
  (carrier as Record<symbol, unknown>)[FAILURE_KEY] = reason;
}

export function requestFailureOf(carrier: object): string | undefined {
  return (carrier as Record<symbol, string | undefined>)[FAILURE_KEY];
}
