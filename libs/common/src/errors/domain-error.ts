import { ErrorReason } from './error-reason';

export interface FieldViolation {
  /** Path in the request, snake_case as on the wire: `address.billing_address.email`. */
  field: string;
  description: string;
}

/** What the processor said, kept next to our normalized reason. */
export interface ConnectorErrorDetails {
  connector: string;
  code: string;
  message: string;
  httpStatus?: number;
  /** The request parameter the processor blamed, when it says (Stripe `param`). */
  param?: string;
  /** The processor's own error class (Stripe `type`, Square `category`). */
  type?: string;
  declineCode?: string;
}

export interface DomainErrorDetails {
  fieldViolations?: FieldViolation[];
  connector?: ConnectorErrorDetails;
  /** Seconds the caller should wait before retrying, from the processor's Retry-After. */
  retryAfterSeconds?: number;
  /**
   * The processor may have acted although we got no answer (timeout, reset connection, 5xx,
   * unreadable body): the reservation keeps its idempotency key so a retry replays.
   */
  outcomeUnknown?: boolean;
}

/**
 * The only error type services throw. Transports turn it into an HTTP body or a gRPC status
 * through `ERROR_TABLE`; nothing else decides a status code.
 */
export class DomainError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly details: DomainErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }

  static validation(fieldViolations: FieldViolation[]): DomainError {
    const summary = fieldViolations.map((v) => `${v.field}: ${v.description}`).join('; ');
    return new DomainError(ErrorReason.ValidationFailed, `Invalid request: ${summary}`, { fieldViolations });
  }

  static invalidField(field: string, description: string): DomainError {
    return DomainError.validation([{ field, description }]);
  }

  /** Prism's `Missing required field: <name>` (reference §2.4). */
  static missingRequiredField(field: string, description = 'is required'): DomainError {
    return new DomainError(ErrorReason.MissingRequiredField, `Missing required field: ${field}`, {
      fieldViolations: [{ field, description }],
    });
  }

  /** Prism's `Invalid data format: <name>` (reference §2.4). */
  static invalidDataFormat(field: string, description: string): DomainError {
    return new DomainError(ErrorReason.InvalidDataFormat, `Invalid data format: ${field}`, {
      fieldViolations: [{ field, description }],
    });
  }

  /** Prism's `Invalid connector configuration: <name>` (reference §2.4). */
  static invalidConnectorConfiguration(field: string, violations: FieldViolation[]): DomainError {
    return new DomainError(ErrorReason.InvalidConnectorConfiguration, `Invalid connector configuration: ${field}`, {
      fieldViolations: violations,
    });
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
