import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { DomainError } from './domain-error';
import { ErrorReason } from './error-reason';
import { ERROR_TABLE } from './error-table';
import { httpErrorBody } from './error-presenter';

class FieldViolationDto {
  @ApiProperty({ example: 'email', description: 'Path in the request (snake_case), or the header name' }) field: string;
  @ApiProperty({ example: 'must be a valid email address' }) description: string;
}

class ConnectorErrorDto {
  @ApiProperty({ example: 'stripe', description: 'The processor (`x-connector` name)' }) name: string;
  @ApiProperty({ example: 'email_invalid', description: 'The processor’s own error code' }) code: string;
  @ApiProperty({ example: 'Invalid email address: ada@example', description: 'The processor’s own message' }) message: string;
  @ApiPropertyOptional({ example: 400, description: 'HTTP status the processor answered' }) http_status?: number;
  @ApiPropertyOptional({ example: 'email', description: 'The parameter the processor blamed' }) param?: string;
  @ApiPropertyOptional({ example: 'invalid_request_error', description: 'The processor’s error class' }) type?: string;
  @ApiPropertyOptional({ example: 'do_not_honor' }) decline_code?: string;
}

class ErrorDetailDto {
  @ApiProperty({ example: '400', description: 'The HTTP status, as text (Prism’s `code`)' }) code: string;
  @ApiProperty({ example: 'Invalid request: email: must be a valid email address' }) message: string;
  @ApiProperty({ enum: ErrorReason, enumName: 'ErrorReason', description: 'Machine-readable cause; one table maps each to its HTTP status and gRPC code' }) reason: ErrorReason;
  @ApiPropertyOptional({ example: '0190f0a4-5b6c-7d8e-9f01-23456789abcd', description: 'Also in the x-request-id response header' }) request_id?: string;
  @ApiPropertyOptional({ type: [FieldViolationDto] }) field_violations?: FieldViolationDto[];
  @ApiPropertyOptional({ type: ConnectorErrorDto, description: 'Present when the processor refused or failed' }) connector?: ConnectorErrorDto;
  @ApiPropertyOptional({ example: 2, description: 'From the processor’s Retry-After (also sent as the retry-after header)' }) retry_after_seconds?: number;
}

/** Every REST error: `{"error":{…}}` (Prism’s shape plus our reason and details). */
export class ErrorBodyDto {
  @ApiProperty({ type: ErrorDetailDto }) error: ErrorDetailDto;
}

const EXAMPLE_REQUEST_ID = '0190f0a4-5b6c-7d8e-9f01-23456789abcd';

/**
 * Documents the error answers of a route from sample errors, rendered by the real presenter: one
 * response per HTTP status (from the error table), one example per error.
 */
export function ApiErrorResponses(...samples: DomainError[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, DomainError[]>();
  for (const sample of samples) {
    const status = ERROR_TABLE[sample.reason].http;
    byStatus.set(status, [...(byStatus.get(status) ?? []), sample]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, errors]) =>
      ApiResponse({
        status,
        type: ErrorBodyDto,
        description: [...new Set(errors.map((error) => error.reason))].join(', '),
        examples: Object.fromEntries(errors.map((error, index) => [`${error.reason}${index > 0 ? `_${index}` : ''}`, { summary: error.message, value: httpErrorBody(error, EXAMPLE_REQUEST_ID).body }])),
      }),
    ),
  );
}

/** Sample errors shared by several routes. */
export const SAMPLE_ERRORS = {
  notFound: new DomainError(ErrorReason.RouteNotFound, 'No such route'),
  internal: new DomainError(ErrorReason.Internal, 'Internal error'),
  databaseUnavailable: new DomainError(ErrorReason.DatabaseUnavailable, 'The database is unavailable; retry later'),
  adminUnauthenticated: new DomainError(ErrorReason.AdminUnauthenticated, 'Missing or wrong admin token: send Authorization: Bearer <ADMIN_API_TOKEN>'),
  adminDisabled: new DomainError(ErrorReason.AdminDisabled, 'The admin API is disabled: set ADMIN_API_TOKEN to enable it'),
  callerUnauthenticated: new DomainError(ErrorReason.CallerUnauthenticated, 'Missing or unknown caller key: send authorization: Bearer <key> (CALLER_KEYS_FILE)'),
  callerForbidden: new DomainError(ErrorReason.CallerForbidden, 'Caller "shop-a" may not use connector account "stripe-us"'),
  callerRateLimited: new DomainError(ErrorReason.CallerRateLimited, 'Caller "shop-a" is over its rate limit (100/s): retry in 1 s', { retryAfterSeconds: 1 }),
};
