import { decodeStatusDetails, encodeStatusDetails, ERROR_DOMAIN, type StatusDetailsInput } from './grpc-status-details';
import { GrpcStatus } from './grpc-status';

describe(encodeStatusDetails.name, () => {
  it('round-trips ErrorInfo, BadRequest and RetryInfo through decodeStatusDetails', () => {
    const input: StatusDetailsInput = {
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      message: 'Stripe returned HTTP 429 (rate_limit): Too many requests',
      reason: 'CONNECTOR_RATE_LIMITED',
      metadata: { request_id: 'req-1', connector: 'stripe', connector_code: 'rate_limit' },
      fieldViolations: [
        { field: 'address.billing_address.email', description: 'must be an email address' },
        { field: 'metadata.tier', description: 'is too long' },
      ],
      retryAfterSeconds: 7,
    };

    expect(decodeStatusDetails(encodeStatusDetails(input))).toEqual({
      code: GrpcStatus.RESOURCE_EXHAUSTED,
      message: input.message,
      errorInfo: { reason: 'CONNECTOR_RATE_LIMITED', domain: ERROR_DOMAIN, metadata: input.metadata },
      fieldViolations: input.fieldViolations,
      retryDelaySeconds: 7,
    });
  });

  it('carries only ErrorInfo when there are no violations and no retry delay', () => {
    const decoded = decodeStatusDetails(
      encodeStatusDetails({ code: GrpcStatus.INVALID_ARGUMENT, message: 'Missing required field: x-connector', reason: 'MISSING_REQUIRED_FIELD', metadata: {}, fieldViolations: [] }),
    );

    expect(decoded).toEqual({
      code: GrpcStatus.INVALID_ARGUMENT,
      message: 'Missing required field: x-connector',
      errorInfo: { reason: 'MISSING_REQUIRED_FIELD', domain: 'connector-service', metadata: {} },
      fieldViolations: [],
    });
  });

  it.each([
    [0.2, 1],
    [2.5, 3],
    [0, 0],
  ])('rounds a Retry-After of %p s up to whole seconds (%p)', (retryAfterSeconds, expected) => {
    const decoded = decodeStatusDetails(encodeStatusDetails({ code: GrpcStatus.UNAVAILABLE, message: 'm', reason: 'r', metadata: {}, retryAfterSeconds }));

    expect(decoded.retryDelaySeconds).toBe(expected);
  });

  it('names the standard google.rpc types, so generic clients can read the details', () => {
    const encoded = encodeStatusDetails({ code: 3, message: 'm', reason: 'r', metadata: {}, fieldViolations: [{ field: 'f', description: 'd' }], retryAfterSeconds: 1 });
    const text = encoded.toString('latin1');

    for (const type of ['google.rpc.ErrorInfo', 'google.rpc.BadRequest', 'google.rpc.RetryInfo']) {
      expect(text).toContain(`type.googleapis.com/${type}`);
    }
  });
});
