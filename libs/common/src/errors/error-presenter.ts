import { HttpException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { ErrorReason } from './error-reason';
import { ERROR_TABLE } from './error-table';

/** Anything thrown, as a DomainError: framework exceptions by status, the rest as INTERNAL. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const status = error instanceof HttpException ? error.getStatus() : (error as { status?: unknown })?.status;
  if (typeof status === 'number') {
    if (status === 404) return new DomainError(ErrorReason.RouteNotFound, 'No such route');
    if (status === 413) {
      return new DomainError(ErrorReason.PayloadTooLarge, 'Request body too large', { fieldViolations: [{ field: 'body', description: 'exceeds MAX_REQUEST_BYTES' }] });
    }
    if ((error as { type?: string }).type === 'encoding.invalid') return DomainError.invalidDataFormat('body', 'is not valid UTF-8');
    // Nest turns body-parser's JSON SyntaxError into a bare 400 (routes-resolver mapExternalException).
    if (status === 400) return DomainError.invalidDataFormat('body', 'is not valid JSON');
    if (status === 415) return DomainError.invalidDataFormat('body', 'has an unsupported content encoding or charset');
  }
  return new DomainError(ErrorReason.Internal, 'Internal error', {}, { cause: error });
}

export interface HttpErrorBody {
  error: {
    code: string;
    message: string;
    reason: ErrorReason;
    request_id?: string;
    field_violations?: { field: string; description: string }[];
    connector?: { name: string; code: string; message: string; http_status?: number; param?: string; type?: string; decline_code?: string };
    retry_after_seconds?: number;
  };
}

/** The REST error body: Prism's `{"error":{"code","message"}}` plus our reason and details. */
export function httpErrorBody(error: DomainError, requestId: string | undefined): { status: number; body: HttpErrorBody } {
  const status = ERROR_TABLE[error.reason].http;
  const { fieldViolations, connector, retryAfterSeconds } = error.details;
  return {
    status,
    body: {
      error: {
        code: String(status),
        message: error.message,
        reason: error.reason,
        ...(requestId && { request_id: requestId }),
        ...(fieldViolations?.length && { field_violations: fieldViolations }),
        ...(connector && {
          connector: {
            name: connector.connector,
            code: connector.code,
            message: connector.message,
            ...(connector.httpStatus !== undefined && { http_status: connector.httpStatus }),
            ...(connector.param && { param: connector.param }),
            ...(connector.type && { type: connector.type }),
            ...(connector.declineCode && { decline_code: connector.declineCode }),
          },
        }),
        ...(retryAfterSeconds !== undefined && { retry_after_seconds: retryAfterSeconds }),
      },
    },
  };
}
