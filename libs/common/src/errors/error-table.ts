import { ErrorReason } from './error-reason';
import { GrpcStatus } from './grpc-status';

export interface TransportStatus {
  http: number;
  grpc: GrpcStatus;
}

/**
 * The one table from domain error to transport status. Exhaustive by type: adding a reason
 * without a row does not compile. Our own errors follow Prism's gRPC→HTTP table; processor
 * errors keep the processor's meaning (a processor 500 is our 502, still gRPC INTERNAL).
 */
export const ERROR_TABLE: Readonly<Record<ErrorReason, TransportStatus>> = {
  [ErrorReason.ValidationFailed]: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorReason.MissingRequiredField]: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorReason.InvalidDataFormat]: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorReason.InvalidConnectorConfiguration]: { http: 412, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorReason.BaseUrlNotAllowed]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorReason.PayloadTooLarge]: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorReason.RouteNotFound]: { http: 404, grpc: GrpcStatus.UNIMPLEMENTED },
  [ErrorReason.AdminUnauthenticated]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorReason.AdminDisabled]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorReason.CallerUnauthenticated]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorReason.CallerForbidden]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorReason.CallerRateLimited]: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorReason.MappingNotFound]: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  [ErrorReason.UnknownService]: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  [ErrorReason.CreateInProgress]: { http: 409, grpc: GrpcStatus.ABORTED },
  // Not to be retried until an operator resolves the mapping (gRPC's own rule for FAILED_PRECONDITION).
  [ErrorReason.CreateOutcomeUnknown]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  // The first attempt's outcome is still unknown and only a retry with its details is safe.
  [ErrorReason.CreateRetryDiffers]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  // The caller's idempotency-key already named an operation with other parameters.
  [ErrorReason.IdempotencyKeyReused]: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  [ErrorReason.OperationNotFound]: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  [ErrorReason.MappingNotPending]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorReason.DatabaseUnavailable]: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorReason.ShuttingDown]: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorReason.Internal]: { http: 500, grpc: GrpcStatus.INTERNAL },

  [ErrorReason.ConnectorInvalidRequest]: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorReason.ConnectorAuthenticationFailed]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorReason.ConnectorDeclined]: { http: 402, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorReason.ConnectorPermissionDenied]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorReason.ConnectorNotFound]: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  [ErrorReason.ConnectorConflict]: { http: 409, grpc: GrpcStatus.ABORTED },
  [ErrorReason.ConnectorRequestRejected]: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorReason.ConnectorRateLimited]: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorReason.ConnectorInternalError]: { http: 502, grpc: GrpcStatus.INTERNAL },
  [ErrorReason.ConnectorNotImplemented]: { http: 501, grpc: GrpcStatus.UNIMPLEMENTED },
  [ErrorReason.ConnectorUnavailable]: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorReason.ConnectorTimeout]: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  [ErrorReason.ConnectorInvalidResponse]: { http: 502, grpc: GrpcStatus.UNAVAILABLE },
};

/**
 * A processor's HTTP status → our reason. Prism's table (reference §8) with our corrections:
 * 402 → FAILED_PRECONDITION, 409 → ABORTED, 422 → INVALID_ARGUMENT, 502 → UNAVAILABLE.
 * Statuses not listed fall into their class on purpose: other 4xx mean the processor refused
 * this request (FAILED_PRECONDITION), other 5xx mean it is not serving (UNAVAILABLE).
 */
const PROCESSOR_STATUS_REASONS: Readonly<Record<number, ErrorReason>> = {
  400: ErrorReason.ConnectorInvalidRequest,
  401: ErrorReason.ConnectorAuthenticationFailed,
  402: ErrorReason.ConnectorDeclined,
  403: ErrorReason.ConnectorPermissionDenied,
  404: ErrorReason.ConnectorNotFound,
  408: ErrorReason.ConnectorTimeout,
  409: ErrorReason.ConnectorConflict,
  422: ErrorReason.ConnectorInvalidRequest,
  424: ErrorReason.ConnectorUnavailable,
  429: ErrorReason.ConnectorRateLimited,
  500: ErrorReason.ConnectorInternalError,
  501: ErrorReason.ConnectorNotImplemented,
  502: ErrorReason.ConnectorUnavailable,
  503: ErrorReason.ConnectorUnavailable,
  504: ErrorReason.ConnectorTimeout,
};

export function reasonForProcessorStatus(httpStatus: number): ErrorReason {
  const listed = PROCESSOR_STATUS_REASONS[httpStatus];
  if (listed) return listed;
  if (httpStatus >= 400 && httpStatus < 500) return ErrorReason.ConnectorRequestRejected;
  if (httpStatus >= 500) return ErrorReason.ConnectorUnavailable;
  // A non-error status reaching the error path means the processor answered outside its contract.
  return ErrorReason.ConnectorInvalidResponse;
}

export function transportStatusOf(reason: ErrorReason): TransportStatus {
  return ERROR_TABLE[reason];
}
