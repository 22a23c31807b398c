import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@app/common/errors/domain-error';
import { ApiErrorResponses, SAMPLE_ERRORS } from '@app/common/errors/error-body.dto';
import { ErrorReason } from '@app/common/errors/error-reason';
import { CreateProfilesRequestDto, UpdateProfilesRequestDto } from './profiles.dto';

const SCOPE_HEADERS = [
  ApiHeader({ name: 'x-merchant-id', required: false, description: 'Merchant scope; default DefaultMerchantId' }),
  ApiHeader({ name: 'x-tenant-id', required: false, description: 'Tenant scope; default public' }),
];
const CUSTOMER = ApiParam({ name: 'merchant_customer_id', description: 'The merchant’s own id of the customer', example: 'user-42' });
const OPERATION_SCHEMA = {
  type: 'object',
  properties: {
    operation_id: { type: 'string' },
    kind: { type: 'string', enum: ['create', 'update', 'erase'] },
    status: { type: 'string', enum: ['running', 'completed'] },
    merchant_customer_id: { type: 'string' },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          connector: { type: 'string' },
          account: { type: 'string' },
          status: { type: 'string', enum: ['pending', 'succeeded', 'failed', 'not_supported', 'unreachable'] },
          outcome: { type: 'string', enum: ['created', 'replayed', 'updated', 'unchanged', 'deleted', 'already_deleted', 'already_erased', 'forgotten'] },
          connector_customer_id: { type: 'string' },
          error_reason: { type: 'string' },
          error_code: { type: 'string' },
          attempts: { type: 'integer' },
          next_attempt_at: { type: 'string', format: 'date-time' },
        },
      },
    },
    created_at: { type: 'string', format: 'date-time' },
    completed_at: { type: 'string', format: 'date-time' },
    replayed: { type: 'boolean' },
  },
};
const ERRORS = [
  DomainError.validation([{ field: 'accounts[0]', description: 'no connector account "stripe-us" is configured' }]),
  new DomainError(ErrorReason.MappingNotFound, 'No processor profile of merchant customer user-42'),
  new DomainError(ErrorReason.IdempotencyKeyReused, 'This idempotency-key already started another operation (other parameters): send a new key for a new request'),
  SAMPLE_ERRORS.databaseUnavailable,
  SAMPLE_ERRORS.internal,
];

export function ApiProfiles() {
  return applyDecorators(
    ApiTags('customer profiles'),
    ApiOperation({ summary: 'Every processor profile of a merchant customer', description: 'With live=true, each processor is asked for the customer as it holds it now (named accounts only: the service holds their credentials).' }),
    CUSTOMER,
    ...SCOPE_HEADERS,
    ApiResponse({ status: 200, description: 'The profiles (connector, account, processor id, state, created/updated, and live details when asked)' }),
    ApiErrorResponses(SAMPLE_ERRORS.databaseUnavailable, SAMPLE_ERRORS.internal),
  );
}

const DESCRIPTIONS = {
  create: ['Create the customer at several named accounts', CreateProfilesRequestDto],
  update: ['Update the customer at every processor profile', UpdateProfilesRequestDto],
  erase: ['Erase the customer everywhere (GDPR)', undefined],
} as const;

export function ApiStartProfileOperation(kind: 'create' | 'update' | 'erase') {
  const [summary, body] = DESCRIPTIONS[kind];
  return applyDecorators(
    ApiTags('customer profiles'),
    ApiOperation({
      summary,
      description:
        'A durable operation: its steps are stored before any processor is called, run concurrently, retried when a processor fails for a while, and resumed after a restart. ' +
        '200 when every step has ended, 202 while some still run: poll the operation. Send idempotency-key: a repeat returns the same operation.',
    }),
    CUSTOMER,
    ...SCOPE_HEADERS,
    ApiHeader({ name: 'idempotency-key', required: false, description: 'A repeat with the same key returns the same operation (another request under it: 409)' }),
    ...(body ? [ApiBody({ type: body })] : []),
    ApiResponse({ status: 200, description: 'Every step has ended', schema: OPERATION_SCHEMA }),
    ApiResponse({ status: 202, description: 'Some steps still run or wait for a retry', schema: OPERATION_SCHEMA }),
    ApiErrorResponses(...ERRORS),
  );
}

export function ApiProfileOperations() {
  return applyDecorators(
    ApiTags('customer profiles'),
    ApiOperation({ summary: 'The newest operations on a merchant customer' }),
    CUSTOMER,
    ...SCOPE_HEADERS,
    ApiResponse({ status: 200, schema: { type: 'object', properties: { operations: { type: 'array', items: OPERATION_SCHEMA } } } }),
    ApiErrorResponses(SAMPLE_ERRORS.databaseUnavailable, SAMPLE_ERRORS.internal),
  );
}

export function ApiProfileOperation() {
  return applyDecorators(
    ApiTags('customer profiles'),
    ApiOperation({ summary: 'One operation and each step’s outcome' }),
    CUSTOMER,
    ApiParam({ name: 'operation_id', description: 'The operation’s id' }),
    ...SCOPE_HEADERS,
    ApiResponse({ status: 200, description: 'Every step has ended', schema: OPERATION_SCHEMA }),
    ApiResponse({ status: 202, description: 'Some steps still run', schema: OPERATION_SCHEMA }),
    ApiErrorResponses(new DomainError(ErrorReason.OperationNotFound, 'No operation 0193… for this merchant customer'), SAMPLE_ERRORS.databaseUnavailable, SAMPLE_ERRORS.internal),
  );
}
