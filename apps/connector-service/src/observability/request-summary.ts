import { requestContextOf, requestFailureOf, type Transport } from '@app/common/context/request-context';
import { scopeLogFields } from '@app/common/logging/logger';

/** What one request did, for its log line and the request metrics. Ids and names only: no PII. */
export interface RequestSummary {
  requestId: string;
  transport: Transport;
  /** Low-cardinality name: `POST /v1/customers`, `types.CustomerService/Create`. */
  operation: string;
  /** HTTP status, or the gRPC status code. */
  status: number;
  caller?: string;
  tenantId?: string;
  merchantId?: string;
  connector?: string;
  connectorAccount?: string;
  /** `created`, `replayed`, `ok`, or the error reason (`VALIDATION_FAILED`, `CONNECTOR_TIMEOUT`, …). */
  outcome: string;
  durationMs: number;
  processorMs: number;
}

/** Probes and scrapes: logged at debug, not to drown the request lines. */
export const QUIET_OPERATIONS = new Set(['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'grpc.health.v1.Health/Check', 'grpc.health.v1.Health/Watch']);

/** Durations in the request line, to a tenth of a millisecond: a processor on the same network answers in less than one. */
export function roundedMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The parts of a summary read from what the request left on its transport object. */
export function summaryOf(
  carrier: object,
  base: Pick<RequestSummary, 'requestId' | 'transport' | 'operation' | 'status' | 'durationMs'>,
  fallbackOutcome: string,
): RequestSummary {
  const context = requestContextOf(carrier);
  return {
    ...base,
    caller: context?.caller,
    tenantId: context?.tenantId,
    merchantId: context?.merchantId,
    connector: context?.connector,
    connectorAccount: context?.connectorAccount,
    outcome: requestFailureOf(carrier) ?? context?.outcome ?? fallbackOutcome,
    processorMs: roundedMs(context?.processorMs ?? 0),
  };
}

/** The per-request log line's fields (snake_case, as every other line). */
export function summaryLogFields(summary: RequestSummary): Record<string, unknown> {
  return {
    request_id: summary.requestId,
    transport: summary.transport,
    operation: summary.operation,
    status: summary.status,
    ...scopeLogFields(summary),
    outcome: summary.outcome,
    duration_ms: summary.durationMs,
    processor_ms: summary.processorMs,
  };
}
