import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@app/common/errors/domain-error';
import { ApiErrorResponses, SAMPLE_ERRORS } from '@app/common/errors/error-body.dto';
import { ErrorReason } from '@app/common/errors/error-reason';
import { CreateCustomerRequestDto, UpdateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { CreateCustomerResponseDto, CustomerAnswerDto, DeleteCustomerAnswerDto } from '../dto/create-customer-response.dto';

const CONFIG_EXAMPLE = '{"config":{"Stripe":{"api_key":"sk_test_…","base_url":"https://api.stripe.com/"}}}';

/** The headers of a Create, on both transports (gRPC metadata of the same names). */
export const CREATE_HEADERS = [
  {
    name: 'authorization',
    description: 'Bearer <caller key>: required when the service has CALLER_KEYS_FILE (README, Callers and tenants). The key decides the tenant, the merchants, the named accounts and whether inline credentials may be sent.',
    example: 'Bearer <caller key>',
  },
  {
    name: 'x-connector-config',
    description: `Connector and credentials, Prism’s form: ${CONFIG_EXAMPLE}. The variant’s fields are the processor’s credentials (README, Processors) plus an optional base_url (allow-listed origins only). Ignored when x-connector-account is sent.`,
    example: CONFIG_EXAMPLE,
  },
  {
    name: 'x-connector-account',
    description: 'Name of an operator-configured account (CONNECTOR_ACCOUNTS_FILE): the service holds its credentials. Takes precedence over every other connector header; an unknown name is refused (400, INVALID_DATA_FORMAT naming this header).',
    example: 'stripe-eu',
  },
  { name: 'x-connector', description: 'Prism’s legacy form: connector name (with x-auth and its key headers), when neither header above is sent', example: 'stripe' },
  { name: 'x-auth', description: 'Prism’s legacy form: header-key, body-key, signature-key, multi-auth-key', example: 'header-key' },
  { name: 'x-api-key', description: 'Prism’s legacy form: first key (also x-key1, x-key2, x-api-secret)' },
  { name: 'x-merchant-id', description: 'Merchant scope of the mapping; default DefaultMerchantId', example: 'acme' },
  { name: 'x-tenant-id', description: 'Tenant scope of the mapping; default public. With caller keys the tenant is the key’s: leave this out or name that tenant (another is refused, 403)', example: 'public' },
  { name: 'x-request-id', description: 'Echoed in the response (generated when absent or unusable): 1–128 printable ASCII characters', example: 'req-42' },
];

const RESPONSE_HEADERS = {
  'x-request-id': { description: 'The request id', schema: { type: 'string' } },
  'x-idempotent-replayed': { description: '`false` when this call created the customer, `true` when the stored mapping was returned', schema: { type: 'string', enum: ['true', 'false'] } },
  'x-profile-differs': { description: '`true` when a replay carried details other than those last sent to the processor', schema: { type: 'string', enum: ['true', 'false'] } },
  'x-previously-erased-at': { description: 'Present when this call created a new customer because an earlier one was erased (RFC 3339)', schema: { type: 'string', format: 'date-time' } },
};

const CREATE_ERRORS = [
  DomainError.validation([{ field: 'email', description: 'must be a valid email address' }]),
  DomainError.missingRequiredField('x-connector', 'send x-connector-config, x-connector-account (a configured account), or x-connector with x-auth and its key headers'),
  DomainError.invalidDataFormat('x-connector-account', 'no connector account "stripe-us" is configured'),
  DomainError.invalidConnectorConfiguration('X-Connector-Config', [{ field: 'x-connector-config.config.Stripe.api_key', description: 'is required' }]),
  new DomainError(ErrorReason.BaseUrlNotAllowed, 'base_url not allowed: origin https://evil.example is not in CONNECTOR_BASE_URL_ALLOWLIST', {
    fieldViolations: [{ field: 'x-connector-config.config.Stripe.base_url', description: 'origin https://evil.example is not in CONNECTOR_BASE_URL_ALLOWLIST' }],
  }),
  SAMPLE_ERRORS.callerUnauthenticated,
  SAMPLE_ERRORS.callerForbidden,
  SAMPLE_ERRORS.callerRateLimited,
  new DomainError(ErrorReason.PayloadTooLarge, 'Request body too large', { fieldViolations: [{ field: 'body', description: 'exceeds MAX_REQUEST_BYTES' }] }),
  new DomainError(ErrorReason.ConnectorAuthenticationFailed, 'Stripe returned HTTP 401 (api_key_invalid): Invalid API Key provided', {
    connector: { connector: 'stripe', code: 'api_key_invalid', message: 'Invalid API Key provided', httpStatus: 401, type: 'invalid_request_error' },
  }),
  new DomainError(ErrorReason.ConnectorInvalidRequest, 'Stripe returned HTTP 400 (email_invalid): Invalid email address', {
    connector: { connector: 'stripe', code: 'email_invalid', message: 'Invalid email address', httpStatus: 400, param: 'email', type: 'invalid_request_error' },
  }),
  new DomainError(ErrorReason.CreateInProgress, 'Another request is creating this customer at this processor account; retry shortly'),
  new DomainError(ErrorReason.ConnectorRateLimited, 'Stripe returned HTTP 429 (rate_limit): Too many requests', {
    connector: { connector: 'stripe', code: 'rate_limit', message: 'Too many requests', httpStatus: 429 },
    retryAfterSeconds: 2,
  }),
  new DomainError(ErrorReason.ConnectorInternalError, 'Stripe returned HTTP 500 (api_error): Something went wrong', {
    connector: { connector: 'stripe', code: 'api_error', message: 'Something went wrong', httpStatus: 500 },
  }),
  new DomainError(ErrorReason.ConnectorUnavailable, 'stripe could not be reached (ECONNREFUSED)'),
  new DomainError(ErrorReason.ConnectorTimeout, 'stripe did not answer within 20000 ms'),
  SAMPLE_ERRORS.databaseUnavailable,
  SAMPLE_ERRORS.internal,
];

/** OpenAPI of `POST /v1/customers` (`prismRoute`: Prism's route, always 200). */
export function ApiCreateCustomer(prismRoute = false): MethodDecorator {
  return applyDecorators(
    ApiTags('customers'),
    ApiOperation({
      summary: prismRoute ? 'Create a customer (Prism’s route; always 200)' : 'Create a customer at a processor, once',
      description:
        'REST form of gRPC `types.CustomerService/Create`: the body is Prism’s `CustomerServiceCreateRequest` in proto JSON (snake_case). ' +
        'A repeated Create for the same merchant customer at the same processor account returns the stored mapping without calling the processor.',
    }),
    ApiBody({ type: CreateCustomerRequestDto, examples: {
      minimal: { summary: 'Only the key', value: { merchant_customer_id: 'user-42', test_mode: true } },
      full: {
        summary: 'With contact details and an address',
        value: {
          merchant_customer_id: 'user-42',
          customer_name: 'Ann Lee',
          email: 'ann@example.com',
          phone_number: '+49 30 1234567',
          address: { billing_address: { line1: '1 Main St', city: 'Berlin', zip_code: '10115', country_alpha2_code: 'DE' } },
          metadata: '{"plan":"pro"}',
          test_mode: true,
        },
      },
    } }),
    ...CREATE_HEADERS.map((header) => ApiHeader({ ...header, required: false })),
    ...(prismRoute
      ? [ApiResponse({ status: 200, type: CreateCustomerResponseDto, headers: RESPONSE_HEADERS, description: 'Created now, or the stored mapping (see x-idempotent-replayed)' })]
      : [
          ApiResponse({ status: 201, type: CreateCustomerResponseDto, headers: RESPONSE_HEADERS, description: 'This call created the customer at the processor' }),
          ApiResponse({ status: 200, type: CreateCustomerResponseDto, headers: RESPONSE_HEADERS, description: 'The mapping existed: the stored customer, no processor call' }),
        ]),
    ApiErrorResponses(...CREATE_ERRORS),
  );
}

const EXISTING_ERRORS = [
  DomainError.missingRequiredField('connector_customer_id', 'send connector_customer_id, or merchant_customer_id to read it from the stored mapping'),
  new DomainError(ErrorReason.MappingNotFound, 'No customer user-42 at this Stripe account'),
  new DomainError(ErrorReason.ConnectorNotImplemented, 'Paystack does not support customer deletion: Paystack’s API has no customer delete'),
  new DomainError(ErrorReason.CreateInProgress, 'A Create of this customer at this processor account has not finished; retry shortly'),
  SAMPLE_ERRORS.databaseUnavailable,
  SAMPLE_ERRORS.internal,
];

const PATH_AND_HEADERS = [
  ApiParam({ name: 'merchant_customer_id', description: 'The merchant’s own id of the customer', example: 'user-42' }),
  ...CREATE_HEADERS.map((header) => ApiHeader({ ...header, required: false })),
];

/** GET /v1/customers/{merchant_customer_id}: Prism's Get. */
export function ApiGetCustomer() {
  return applyDecorators(
    ApiTags('customers'),
    ApiOperation({ summary: 'Get the customer from the processor', description: 'Prism’s CustomerService/Get: the processor’s id comes from the stored mapping (or connector_customer_id); the processor is asked now.' }),
    ...PATH_AND_HEADERS,
    ApiQuery({ name: 'connector_customer_id', required: false, description: 'The processor’s id (optional: the stored mapping gives it)' }),
    ApiResponse({ status: 200, type: CustomerAnswerDto, headers: { 'x-request-id': RESPONSE_HEADERS['x-request-id'] } }),
    ApiErrorResponses(...EXISTING_ERRORS),
  );
}

/** PATCH /v1/customers/{merchant_customer_id}: Prism's Update. */
export function ApiUpdateCustomer() {
  return applyDecorators(
    ApiTags('customers'),
    ApiOperation({ summary: 'Update the customer at the processor', description: 'Prism’s CustomerService/Update: only the fields given change. Skipped (x-profile-unchanged: true) when the processor already holds them.' }),
    ...PATH_AND_HEADERS,
    ApiBody({ type: UpdateCustomerRequestDto, examples: { email: { summary: 'A new email', value: { email: 'ann.lee@example.com' } } } }),
    ApiResponse({
      status: 200,
      type: CustomerAnswerDto,
      headers: { 'x-request-id': RESPONSE_HEADERS['x-request-id'], 'x-profile-unchanged': { description: '`true` when nothing was sent: the processor already holds this change', schema: { type: 'string', enum: ['true', 'false'] } } },
    }),
    ApiErrorResponses(DomainError.validation([{ field: 'email', description: 'must be a valid email address' }]), ...EXISTING_ERRORS),
  );
}

/** DELETE /v1/customers/{merchant_customer_id}: Prism's Delete. */
export function ApiDeleteCustomer() {
  return applyDecorators(
    ApiTags('customers'),
    ApiOperation({ summary: 'Delete the customer at the processor', description: 'Prism’s CustomerService/Delete: deleted at the processor, then the stored mapping is erased (no merchant_customer_id kept in clear); a later Create makes a new customer.' }),
    ...PATH_AND_HEADERS,
    ApiQuery({ name: 'connector_customer_id', required: false, description: 'The processor’s id (optional: the stored mapping gives it)' }),
    ApiResponse({
      status: 200,
      type: DeleteCustomerAnswerDto,
      headers: { 'x-request-id': RESPONSE_HEADERS['x-request-id'], 'x-already-deleted': { description: '`true` when the processor no longer knew the customer (a retry)', schema: { type: 'string', enum: ['true', 'false'] } } },
    }),
    ApiErrorResponses(...EXISTING_ERRORS),
  );
}
