import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, FULL_CUSTOMER, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const graphQLError = (errorClass: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ data: { createCustomer: null }, errors: [{ message, extensions: { errorClass, ...extra } }], extensions: { requestId: 'req-fixture' } });

export const fixture: ConnectorTestFixture = {
  credentials: { public_key: 'fixturepubkey001', private_key: '0123456789abcdef0123456789abcdef', merchant_account_id: 'fixture_usd' },
  simulator: 'braintree',
  idPattern: /^Y3VzdG9tZXJf[A-Za-z0-9+/]+={0,2}$/,
  errorCases: [
    {
      name: 'an invalid email (VALIDATION on HTTP 200)',
      fault: { status: 200, body: graphQLError('VALIDATION', 'Email is an invalid format.', { legacyCode: '81604', inputPath: ['input', 'customer', 'email'] }) },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: '81604',
    },
    { name: 'bad API keys (401 AUTHENTICATION)', fault: { status: 401, body: graphQLError('AUTHENTICATION', 'Authentication credentials are invalid.') }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'AUTHENTICATION' },
    { name: 'a key without the role (403 AUTHORIZATION)', fault: { status: 403, body: graphQLError('AUTHORIZATION', 'User does not have the required permissions.') }, reason: ErrorReason.ConnectorPermissionDenied, code: 'AUTHORIZATION' },
    { name: 'an unsupported client (426 UNSUPPORTED_CLIENT)', fault: { status: 426, body: graphQLError('UNSUPPORTED_CLIENT', 'Upgrade required.') }, reason: ErrorReason.ConnectorRequestRejected, code: 'UNSUPPORTED_CLIENT' },
    { name: 'rate limiting (429 RESOURCE_LIMIT)', fault: { status: 429, headers: { 'retry-after': '2' }, body: graphQLError('RESOURCE_LIMIT', 'Too many requests.') }, reason: ErrorReason.ConnectorRateLimited, code: 'RESOURCE_LIMIT' },
    { name: 'an internal error on HTTP 200', fault: { status: 200, body: graphQLError('INTERNAL', 'An internal error occurred.') }, reason: ErrorReason.ConnectorInternalError, code: 'INTERNAL' },
    { name: 'a server error (500 INTERNAL)', fault: { status: 500, body: graphQLError('INTERNAL', 'An internal error occurred.') }, reason: ErrorReason.ConnectorInternalError, code: 'INTERNAL' },
    { name: 'an unavailable service (503 SERVICE_AVAILABILITY)', fault: { status: 503, body: graphQLError('SERVICE_AVAILABILITY', 'Service unavailable.') }, reason: ErrorReason.ConnectorUnavailable, code: 'SERVICE_AVAILABILITY' },
  ],
  limitCases: [
    { name: 'a customer_name over 255 characters', customer: customerWith({ name: 'n'.repeat(256) }), field: 'customer_name' },
    {
      name: 'a billing first name over 255 characters standing in for the name',
      customer: customerWith({ name: undefined, billingAddress: { ...FULL_CUSTOMER.billingAddress, firstName: 'f'.repeat(256) } }),
      field: 'address.billing_address.first_name',
    },
    {
      name: 'a billing last name over 255 characters standing in for the name',
      customer: customerWith({ name: undefined, billingAddress: { ...FULL_CUSTOMER.billingAddress, lastName: 'l'.repeat(256) } }),
      field: 'address.billing_address.last_name',
    },
    { name: 'an email over 255 characters', customer: customerWith({ email: `${'e'.repeat(244)}@example.com` }), field: 'email' },
    { name: 'a phone over 255 characters', customer: customerWith({ phone: `+1${'5'.repeat(254)}` }), field: 'phone_number' },
  ],
};
