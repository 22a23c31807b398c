import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@app/common/errors/domain-error';
import { ApiErrorResponses, SAMPLE_ERRORS } from '@app/common/errors/error-body.dto';
import { ErrorReason } from '@app/common/errors/error-reason';
import { CreateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { CreateCustomerResponseDto } from '../dto/create-customer-response.dto';

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
