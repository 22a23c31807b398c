import { AsyncLocalStorage } from 'node:async_hooks';

export type Transport = 'http' | 'grpc';

/** One connector a request selected, and how its part of the request ended. */
export interface ConnectorOutcome {
  connector: string;
  /** The named connector account (`x-connector-account`), when one was selected. */
  account?: string;
  outcome?: string;
}

export interface RequestContext {
  requestId: string;
  transport: Transport;
  tenantId?: string;
  merchantId?: string;
  /** The caller key's name (CALLER_KEYS_FILE), once the caller is authenticated; `operator` for the admin token. */
  caller?: string;
  /** The connector(s) the request selected, comma-separated when it fans out. */
  connector?: string;
  /** The named connector account(s) the request selected (`x-connector-account`). */
  connectorAccount?: string;
  /** Every connector the request selected, in order, each with its own outcome. */
  connectors?: ConnectorOutcome[];
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

/** Adds a connector (and named account) the current request selected, for every later log line. */
export function setRequestConnector(connector: string, account?: string): void {
  const context = storage.getStore();
  if (!context) return;
  (context.connectors ??= []).push({ connector, ...(account !== undefined && { account }) });
  context.connector = context.connectors.map((entry) => entry.connector).join(',');
  const accounts = context.connectors.flatMap((entry) => (entry.account === undefined ? [] : [entry.account]));
  if (accounts.length > 0) context.connectorAccount = accounts.join(',');
}

/** Adds one processor call's duration to the current request's processor time. */
export function addProcessorTime(ms: number): void {
  const context = storage.getStore();
  if (context) context.processorMs = (context.processorMs ?? 0) + ms;
}

/**
 * How the request ended, or — with `connector` — how its part at that connector ended; the
 * request's outcome is then the connectors' shared outcome, or `mixed`.
 */
export function setRequestOutcome(outcome: string, connector?: string): void {
  const context = storage.getStore();
  if (!context) return;
  const entry = connector === undefined ? undefined : context.connectors?.find((candidate) => candidate.connector === connector && candidate.outcome === undefined);
  if (!entry) {
    context.outcome = outcome;
    return;
  }
  entry.outcome = outcome;
  const outcomes = new Set(context.connectors!.flatMap((candidate) => (candidate.outcome === undefined ? [] : [candidate.outcome])));
  context.outcome = outcomes.size === 1 ? outcome : 'mixed';
}

/** The authenticated caller of the current request: its name and tenant, for every later log line. */
export function setRequestCaller(caller: string, tenantId?: string): void {
  const context = storage.getStore();
  if (!context) return;
  context.caller = caller;
  if (tenantId !== undefined) context.tenantId = tenantId;
}

const CONTEXT_KEY = Symbol.for('connector-service.request-context');
const END_KEY = Symbol.for('connector-service.request-end');

/**
 * Runs `fn` once when the transport is done with the request: the HTTP response closed, or the
 * gRPC call answered or cancelled (whichever comes first).
 */
export function onRequestEnd(carrier: object, fn: () => void): void {
  const hooks = ((carrier as Record<symbol, (() => void)[] | undefined>)[END_KEY] ??= []);
  hooks.push(fn);
}

/** Called by the transports (request-context.middleware, grpc-options) when a request ends. */
export function endRequest(carrier: object): void {
  const hooks = (carrier as Record<symbol, (() => void)[] | undefined>)[END_KEY];
  if (!hooks) return;
  (carrier as Record<symbol, unknown>)[END_KEY] = undefined;
  for (const hook of hooks) hook();
}
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
