import { DomainError, type ConnectorErrorDetails } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { reasonForProcessorStatus } from '@app/common/errors/error-table';
import { customerFrom, type ConnectorCustomer, type ConnectorDescriptor, type ProcessorAnswer } from '../connector';
import type { InboundResponse } from './connector-http-client';

export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Parses a JSON body; an unreadable one is the processor breaking its contract. */
export function parseJsonBody(descriptor: ConnectorDescriptor, response: InboundResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    return invalidResponse(descriptor, response, 'a body that is not JSON');
  }
}

/**
 * The processor answered but not as its contract says. On a 2xx the customer may exist, so
 * the outcome is unknown and the reservation keeps its idempotency key. An error status with
 * an unreadable body (a proxy's HTML 503 page) still means what its status means.
 */
export function invalidResponse(descriptor: ConnectorDescriptor, response: InboundResponse, what: string): never {
  if (response.status >= 400) throw processorError(descriptor, response, { code: `http_${response.status}`, message: `answered with ${what}` });
  throw new DomainError(
    ErrorReason.ConnectorInvalidResponse,
    `${descriptor.displayName} answered HTTP ${response.status} with ${what}`,
    { outcomeUnknown: true, connector: { connector: descriptor.name, code: 'invalid_response', message: what, httpStatus: response.status } },
  );
}

/** Seconds from a Retry-After header (delta-seconds or HTTP-date), if it holds one. */
export function retryAfterSeconds(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * A processor's error answer as our domain error: the reason comes from its HTTP status (one
 * table), the processor's own code, message and status are kept as they were.
 */
export function processorError(
  descriptor: ConnectorDescriptor,
  response: InboundResponse,
  details: Omit<ConnectorErrorDetails, 'connector' | 'httpStatus'>,
  reason: ErrorReason = reasonForProcessorStatus(response.status),
  options: { outcomeUnknown?: boolean } = {},
): DomainError {
  const connector: ConnectorErrorDetails = { connector: descriptor.name, httpStatus: response.status, ...details };
  const message = `${descriptor.displayName} returned HTTP ${response.status} (${details.code}): ${details.message}`;
  // 5xx and 409 (a concurrent request holding the same idempotency key) may hide a customer
  // created by this or another attempt; 4xx otherwise mean nothing was created. A processor that
  // reports errors on HTTP 200, or an idempotency-key conflict on a 400, says more than its status.
  const outcomeUnknown = options.outcomeUnknown ?? ((response.status >= 500 && response.status !== 501) || response.status === 409);
  return new DomainError(reason, message, { connector, retryAfterSeconds: retryAfterSeconds(response.headers), outcomeUnknown });
}

/**
 * A flow's `parse` for an answer that is one customer: its id, read by `idOf` from a body `isCustomer`
 * accepts. Any other 2xx body breaks the processor's contract (outcome unknown: it may have created one).
 */
export function customerAnswer<B>(descriptor: ConnectorDescriptor, isCustomer: (body: unknown) => body is B, idOf: (body: B) => string, missing = 'no customer id') {
  return (answer: ProcessorAnswer): ConnectorCustomer => {
    if (!isCustomer(answer.body)) invalidResponse(descriptor, answer.raw, missing);
    return customerFrom(answer, idOf(answer.body));
  };
}

/**
 * A failure of a lookup made for an unanswered create: whatever it says, the create may still have
 * made the customer, so the outcome stays unknown (the mapping keeps its idempotency key).
 */
export function withOutcomeUnknown(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.details.outcomeUnknown) return error;
  return new DomainError(error.reason, error.message, { ...error.details, outcomeUnknown: true }, { cause: error });
}

/**
 * A lookup for an unanswered create's customer that could not look everywhere (more pages than it
 * reads): the customer may exist, so the create's outcome stays unknown rather than retried blind.
 */
export function lookupIncomplete(descriptor: ConnectorDescriptor, message: string, detail: string, httpStatus?: number): DomainError {
  return new DomainError(ErrorReason.CreateOutcomeUnknown, message, { outcomeUnknown: true, connector: { connector: descriptor.name, code: 'lookup_incomplete', message: detail, httpStatus } });
}
