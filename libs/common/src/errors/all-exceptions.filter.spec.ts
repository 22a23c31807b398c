import { Metadata } from '@grpc/grpc-js';
import type { ArgumentsHost } from '@nestjs/common';
import { lastValueFrom, type Observable } from 'rxjs';
import { createAppLogger } from '../logging/logger';
import { captureLog, type CapturedLog } from '@app/testing/capturing-log';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { DomainError } from './domain-error';
import { ErrorReason } from './error-reason';
import { GrpcStatus } from './grpc-status';
import { decodeStatusDetails } from './grpc-status-details';

interface GrpcErrorShape {
  code: number;
  message: string;
  details: string;
  metadata: Metadata;
}

function grpcHost(metadata: Metadata, call: { requestId?: string } = {}): ArgumentsHost {
  return {
    getType: () => 'rpc',
    getArgByIndex: (index: number) => (index === 2 ? call : undefined),
    switchToRpc: () => ({ getContext: () => metadata }),
  } as unknown as ArgumentsHost;
}

function httpHost(requestId?: string) {
  const response = { setHeader: jest.fn(), status: jest.fn(), json: jest.fn() };
  response.status.mockReturnValue(response);
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ requestId }), getResponse: () => response }),
  } as unknown as ArgumentsHost;
  return { host, response };
}

const processorError = new DomainError(ErrorReason.ConnectorDeclined, 'Stripe returned HTTP 402 (card_declined): declined', {
  connector: { connector: 'stripe', code: 'card_declined', message: 'declined', httpStatus: 402, type: 'card_error', declineCode: 'do_not_honor', param: 'source' },
  retryAfterSeconds: 3,
});

describe(AllExceptionsFilter.name, () => {
  let log: CapturedLog;
  let sut: AllExceptionsFilter;

  beforeEach(() => {
    log = captureLog();
    sut = new AllExceptionsFilter(createAppLogger({ level: 'info', destination: log.stream }));
  });

  describe('on gRPC', () => {
    async function grpcErrorOf(exception: unknown, metadata = new Metadata(), call: { requestId?: string } = { requestId: 'req-g' }): Promise<GrpcErrorShape> {
      const result = sut.catch(exception, grpcHost(metadata, call)) as Observable<never>;
      return lastValueFrom(result).then(
        () => {
          throw new Error('the filter did not fail the call');
        },
        (error: GrpcErrorShape) => error,
      );
    }

    it.each<[string, unknown, GrpcStatus]>([
      ['a missing header', DomainError.missingRequiredField('x-connector'), GrpcStatus.INVALID_ARGUMENT],
      ['a bad connector configuration', DomainError.invalidConnectorConfiguration('x-auth', []), GrpcStatus.FAILED_PRECONDITION],
      ['a processor decline', processorError, GrpcStatus.FAILED_PRECONDITION],
      ['an unexpected Error (never UNKNOWN)', new Error('boom'), GrpcStatus.INTERNAL],
    ])('emits a numeric code for %s', async (_case, exception, code) => {
      const error = await grpcErrorOf(exception);

      expect(error.code).toBe(code);
      expect(typeof error.code).toBe('number');
    });

    it('keeps Prism’s message and adds the request id and google.rpc details', async () => {
      const error = await grpcErrorOf(DomainError.missingRequiredField('x-connector'));

      expect(error.details).toBe('Missing required field: x-connector');
      expect(error.metadata.get('x-request-id')).toEqual(['req-g']);
      expect(decodeStatusDetails(error.metadata.get('grpc-status-details-bin')[0] as Buffer)).toEqual({
        code: GrpcStatus.INVALID_ARGUMENT,
        message: 'Missing required field: x-connector',
        errorInfo: { reason: ErrorReason.MissingRequiredField, domain: 'connector-service', metadata: { request_id: 'req-g' } },
        fieldViolations: [{ field: 'x-connector', description: 'is required' }],
      });
    });

    it('puts the processor’s details into ErrorInfo metadata and the retry delay into RetryInfo', async () => {
      const error = await grpcErrorOf(processorError);

      expect(decodeStatusDetails(error.metadata.get('grpc-status-details-bin')[0] as Buffer)).toMatchObject({
        errorInfo: {
          reason: ErrorReason.ConnectorDeclined,
          metadata: {
            request_id: 'req-g',
            connector: 'stripe',
            connector_code: 'card_declined',
            connector_message: 'declined',
            connector_http_status: '402',
            connector_param: 'source',
            connector_type: 'card_error',
            connector_decline_code: 'do_not_honor',
          },
        },
        retryDelaySeconds: 3,
      });
    });

    it('takes the request id from the metadata when the call has none yet', async () => {
      const metadata = new Metadata();
      metadata.set('x-request-id', 'caller-req-7');

      const error = await grpcErrorOf(DomainError.missingRequiredField('x-connector'), metadata, {});

      expect(error.metadata.get('x-request-id')).toEqual(['caller-req-7']);
    });

    it('hides an unexpected error’s message from the caller but logs it', async () => {
      const error = await grpcErrorOf(new Error('pool exhausted'));

      expect(error.details).toBe('Internal error');
      expect(log.records()).toEqual([expect.objectContaining({ level: 'error', msg: 'unexpected error', reason: ErrorReason.Internal, err: expect.objectContaining({ message: 'pool exhausted' }) })]);
    });
  });

  describe('on HTTP', () => {
    it('writes the status and error body, with Retry-After for a processor error', () => {
      const { host, response } = httpHost('req-h');

      sut.catch(processorError, host);

      expect(response.setHeader).toHaveBeenCalledWith('retry-after', '3');
      expect(response.status).toHaveBeenCalledWith(402);
      expect(response.json).toHaveBeenCalledWith({
        error: expect.objectContaining({
          code: '402',
          reason: ErrorReason.ConnectorDeclined,
          request_id: 'req-h',
          connector: expect.objectContaining({ name: 'stripe', code: 'card_declined', http_status: 402 }),
        }),
      });
    });

    it('answers 500 without details for an unexpected error', () => {
      const { host, response } = httpHost('req-h');

      sut.catch(new Error('pool exhausted'), host);

      expect(response.setHeader).not.toHaveBeenCalled();
      expect(response.status).toHaveBeenCalledWith(500);
      expect(response.json).toHaveBeenCalledWith({ error: { code: '500', message: 'Internal error', reason: ErrorReason.Internal, request_id: 'req-h' } });
    });

    it('logs a refused request at info with its reason and request id', () => {
      const { host } = httpHost('req-h');

      sut.catch(DomainError.invalidField('email', 'must be a valid email address'), host);

      expect(log.records()).toEqual([expect.objectContaining({ level: 'info', msg: 'request refused', request_id: 'req-h', reason: ErrorReason.ValidationFailed })]);
    });
  });
});
