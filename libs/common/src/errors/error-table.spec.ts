import { ErrorReason } from './error-reason';
import { ERROR_TABLE, reasonForProcessorStatus, transportStatusOf } from './error-table';
import { GrpcStatus } from './grpc-status';

describe(reasonForProcessorStatus.name, () => {
  it.each([
    [400, ErrorReason.ConnectorInvalidRequest, GrpcStatus.INVALID_ARGUMENT],
    [401, ErrorReason.ConnectorAuthenticationFailed, GrpcStatus.UNAUTHENTICATED],
    [402, ErrorReason.ConnectorDeclined, GrpcStatus.FAILED_PRECONDITION],
    [403, ErrorReason.ConnectorPermissionDenied, GrpcStatus.PERMISSION_DENIED],
    [404, ErrorReason.ConnectorNotFound, GrpcStatus.NOT_FOUND],
    [408, ErrorReason.ConnectorTimeout, GrpcStatus.DEADLINE_EXCEEDED],
    [409, ErrorReason.ConnectorConflict, GrpcStatus.ABORTED],
    [410, ErrorReason.ConnectorRequestRejected, GrpcStatus.FAILED_PRECONDITION],
    [422, ErrorReason.ConnectorInvalidRequest, GrpcStatus.INVALID_ARGUMENT],
    [424, ErrorReason.ConnectorUnavailable, GrpcStatus.UNAVAILABLE],
    [429, ErrorReason.ConnectorRateLimited, GrpcStatus.RESOURCE_EXHAUSTED],
    [499, ErrorReason.ConnectorRequestRejected, GrpcStatus.FAILED_PRECONDITION],
    [500, ErrorReason.ConnectorInternalError, GrpcStatus.INTERNAL],
    [501, ErrorReason.ConnectorNotImplemented, GrpcStatus.UNIMPLEMENTED],
    [502, ErrorReason.ConnectorUnavailable, GrpcStatus.UNAVAILABLE],
    [503, ErrorReason.ConnectorUnavailable, GrpcStatus.UNAVAILABLE],
    [504, ErrorReason.ConnectorTimeout, GrpcStatus.DEADLINE_EXCEEDED],
    [520, ErrorReason.ConnectorUnavailable, GrpcStatus.UNAVAILABLE],
    [200, ErrorReason.ConnectorInvalidResponse, GrpcStatus.UNAVAILABLE],
    [302, ErrorReason.ConnectorInvalidResponse, GrpcStatus.UNAVAILABLE],
  ])('maps processor HTTP %i to %s (gRPC %i)', (status, reason, grpc) => {
    expect(reasonForProcessorStatus(status)).toBe(reason);
    expect(transportStatusOf(reason).grpc).toBe(grpc);
  });

  it('never maps a processor status to gRPC UNKNOWN or OK', () => {
    const statuses = Array.from({ length: 500 }, (_, index) => index + 100);

    const grpcCodes = new Set(statuses.map((status) => transportStatusOf(reasonForProcessorStatus(status)).grpc));

    expect(grpcCodes).not.toContain(GrpcStatus.UNKNOWN);
    expect(grpcCodes).not.toContain(GrpcStatus.OK);
  });
});

describe('ERROR_TABLE', () => {
  it('has exactly one row per ErrorReason', () => {
    expect(Object.keys(ERROR_TABLE).sort()).toEqual(Object.values(ErrorReason).sort());
  });

  it.each(Object.values(ErrorReason))('gives %s an HTTP error status and a numeric gRPC code other than OK and UNKNOWN', (reason) => {
    const { http, grpc } = transportStatusOf(reason);

    expect(http).toBeGreaterThanOrEqual(400);
    expect(http).toBeLessThan(600);
    expect(Object.values(GrpcStatus)).toContain(grpc);
    expect([GrpcStatus.OK, GrpcStatus.UNKNOWN]).not.toContain(grpc);
  });

  it.each([
    [ErrorReason.ValidationFailed, 400, GrpcStatus.INVALID_ARGUMENT],
    [ErrorReason.MissingRequiredField, 400, GrpcStatus.INVALID_ARGUMENT],
    [ErrorReason.InvalidDataFormat, 400, GrpcStatus.INVALID_ARGUMENT],
    [ErrorReason.InvalidConnectorConfiguration, 412, GrpcStatus.FAILED_PRECONDITION],
    [ErrorReason.BaseUrlNotAllowed, 403, GrpcStatus.PERMISSION_DENIED],
    [ErrorReason.ConnectorTimeout, 504, GrpcStatus.DEADLINE_EXCEEDED],
  ])('maps %s to HTTP %i and gRPC %i', (reason, http, grpc) => {
    expect(ERROR_TABLE[reason]).toEqual({ http, grpc });
  });
});
