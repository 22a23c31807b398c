import { ErrorReason } from '@app/common/errors/error-reason';
import { checkSquareCreateCustomerBody } from '@app/testing/contracts/square-contract';
import { customerWith, FULL_CUSTOMER, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const squareErrors = (...errors: Record<string, string>[]) => JSON.stringify({ errors });

export const fixture: ConnectorTestFixture = {
  credentials: { access_token: 'EAAAl0SandboxFixtureAccessToken_9f8e7d6c5b4a' },
  simulator: 'square',
  idPattern: /^[A-Z0-9]+$/,
  errorCases: [
    {
      name: 'an invalid email (400)',
      fault: { status: 400, body: squareErrors({ category: 'INVALID_REQUEST_ERROR', code: 'INVALID_EMAIL_ADDRESS', detail: 'Expected email_address to be a valid email address', field: 'email_address' }) },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'INVALID_EMAIL_ADDRESS',
    },
    {
      name: 'a value too long (400)',
      fault: { status: 400, body: squareErrors({ category: 'INVALID_REQUEST_ERROR', code: 'VALUE_TOO_LONG', detail: 'Field must not be greater than 300 length', field: 'given_name' }) },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'VALUE_TOO_LONG',
    },
    {
      name: 'the idempotency key reused with other data (400)',
      fault: { status: 400, body: squareErrors({ category: 'INVALID_REQUEST_ERROR', code: 'IDEMPOTENCY_KEY_REUSED', detail: 'The idempotency key can only be retried with the same request data.', field: 'idempotency_key' }) },
      reason: ErrorReason.ConnectorConflict,
      code: 'IDEMPOTENCY_KEY_REUSED',
    },
    {
      name: 'a bad token (401)',
      fault: { status: 401, body: squareErrors({ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: 'This request could not be authorized.' }) },
      reason: ErrorReason.ConnectorAuthenticationFailed,
      code: 'UNAUTHORIZED',
    },
    {
      name: 'a token without CUSTOMERS_WRITE (403)',
      fault: { status: 403, body: squareErrors({ category: 'AUTHENTICATION_ERROR', code: 'INSUFFICIENT_SCOPES', detail: 'The merchant has not given your application sufficient permissions to do this.' }) },
      reason: ErrorReason.ConnectorPermissionDenied,
      code: 'INSUFFICIENT_SCOPES',
    },
    {
      name: 'rate limiting (429)',
      fault: { status: 429, body: squareErrors({ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED', detail: 'Rate limited.' }) },
      reason: ErrorReason.ConnectorRateLimited,
      code: 'RATE_LIMITED',
    },
    {
      name: 'a Square-side failure (500)',
      fault: { status: 500, body: squareErrors({ category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR', detail: 'An internal error has occurred.' }) },
      reason: ErrorReason.ConnectorInternalError,
      code: 'INTERNAL_SERVER_ERROR',
    },
    {
      name: 'an unavailable service (503)',
      fault: { status: 503, body: squareErrors({ category: 'API_ERROR', code: 'SERVICE_UNAVAILABLE', detail: 'Service Unavailable' }) },
      reason: ErrorReason.ConnectorUnavailable,
      code: 'SERVICE_UNAVAILABLE',
    },
  ],
  limitCases: [
    {
      name: 'no name, email or phone anywhere',
      customer: { merchantCustomerId: FULL_CUSTOMER.merchantCustomerId, billingAddress: { line1: '1 Main Street', country: 'US' }, metadata: {}, featureData: {} },
      field: 'customer_name',
    },
    { name: 'a customer_name over 300 characters', customer: customerWith({ name: 'n'.repeat(301) }), field: 'customer_name' },
    { name: 'an email over 254 characters', customer: customerWith({ email: `${'e'.repeat(243)}@example.com` }), field: 'email' },
    { name: 'a phone with more than 16 digits', customer: customerWith({ phone: '+1 415 555 0123 456 789' }), field: 'phone_number' },
    { name: 'a phone with fewer than 9 digits', customer: customerWith({ phone: '+1 555 01' }), field: 'phone_number' },
  ],
  contractProblems: (request) => checkSquareCreateCustomerBody(request.body).errors.map((e) => `${e.instancePath} ${e.message}`),
};
