import { HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { httpErrorBody, toDomainError } from './error-presenter';
import { ErrorReason } from './error-reason';

describe(toDomainError.name, () => {
  it('passes a DomainError through unchanged', () => {
    const error = DomainError.invalidField('email', 'must be a valid email address');

    expect(toDomainError(error)).toBe(error);
  });

  it.each<[string, unknown, ErrorReason, string]>([
    ['an unknown route', new NotFoundException(), ErrorReason.RouteNotFound, 'No such route'],
    ['a too-large body (Nest)', new PayloadTooLargeException(), ErrorReason.PayloadTooLarge, 'Request body too large'],
    ['a too-large body (body-parser)', Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }), ErrorReason.PayloadTooLarge, 'Request body too large'],
    ['malformed JSON', Object.assign(new SyntaxError('Unexpected token'), { status: 400 }), ErrorReason.InvalidDataFormat, 'Invalid data format: body'],
    ['an unsupported charset', new HttpException('Unsupported', 415), ErrorReason.InvalidDataFormat, 'Invalid data format: body'],
    ['a plain Error', new Error('db exploded: password=hunter2'), ErrorReason.Internal, 'Internal error'],
    ['a thrown string', 'boom', ErrorReason.Internal, 'Internal error'],
    ['undefined', undefined, ErrorReason.Internal, 'Internal error'],
  ])('turns %s into %s', (_case, thrown, reason, message) => {
    expect(toDomainError(thrown)).toMatchObject({ reason, message });
  });

  it('keeps the original error as the cause of an internal error, without exposing its message', () => {
    const original = new Error('db exploded: password=hunter2');

    const error = toDomainError(original);

    expect(error.cause).toBe(original);
    expect(error.message).not.toContain('hunter2');
  });
});

describe(httpErrorBody.name, () => {
  it('writes Prism’s code and message plus our reason and field violations', () => {
    const error = DomainError.validation([{ field: 'address.billing_address.email', description: 'must be a valid email address' }]);

    expect(httpErrorBody(error, 'req-1')).toEqual({
      status: 400,
      body: {
        error: {
          code: '400',
          message: 'Invalid request: address.billing_address.email: must be a valid email address',
          reason: ErrorReason.ValidationFailed,
          request_id: 'req-1',
          field_violations: [{ field: 'address.billing_address.email', description: 'must be a valid email address' }],
        },
      },
    });
  });

  it('adds the processor’s details and retry delay to a processor error', () => {
    const error = new DomainError(ErrorReason.ConnectorRateLimited, 'Stripe returned HTTP 429 (rate_limit): slow down', {
      connector: { connector: 'stripe', code: 'rate_limit', message: 'slow down', httpStatus: 429, type: 'invalid_request_error' },
      retryAfterSeconds: 7,
    });

    expect(httpErrorBody(error, 'req-2')).toEqual({
      status: 429,
      body: {
        error: {
          code: '429',
          message: 'Stripe returned HTTP 429 (rate_limit): slow down',
          reason: ErrorReason.ConnectorRateLimited,
          request_id: 'req-2',
          connector: { name: 'stripe', code: 'rate_limit', message: 'slow down', http_status: 429, type: 'invalid_request_error' },
          retry_after_seconds: 7,
        },
      },
    });
  });

  it('leaves out what the error does not have', () => {
    expect(httpErrorBody(new DomainError(ErrorReason.Internal, 'Internal error'), undefined).body).toEqual({
      error: { code: '500', message: 'Internal error', reason: ErrorReason.Internal },
    });
  });
});
