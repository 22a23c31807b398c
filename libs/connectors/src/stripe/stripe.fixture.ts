import { ErrorReason } from '@app/common/errors/error-reason';
import { checkStripeCreateCustomerBody } from '@app/testing/contracts/stripe-contract';
import { customerWith, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const stripeError = (type: string, message: string, extra: Record<string, string> = {}) => JSON.stringify({ error: { type, message, ...extra } });

export const fixture: ConnectorTestFixture = {
  credentials: { api_key: 'sk_test_51FixtureStripeKey' },
  simulator: 'stripe',
  idPattern: /^cus_[A-Za-z0-9]+$/,
  errorCases: [
    { name: 'an invalid email (400)', fault: { status: 400, body: stripeError('invalid_request_error', 'Invalid email address: x', { code: 'email_invalid', param: 'email' }) }, reason: ErrorReason.ConnectorInvalidRequest, code: 'email_invalid' },
    { name: 'a bad key (401)', fault: { status: 401, body: stripeError('invalid_request_error', 'Invalid API Key provided.') }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'invalid_request_error' },
    { name: 'a declined request (402)', fault: { status: 402, body: stripeError('card_error', 'Your card was declined.', { code: 'card_declined' }) }, reason: ErrorReason.ConnectorDeclined, code: 'card_declined' },
    { name: 'a key in use (409)', fault: { status: 409, body: stripeError('invalid_request_error', 'in progress', { code: 'idempotency_key_in_use' }) }, reason: ErrorReason.ConnectorConflict, code: 'idempotency_key_in_use' },
    { name: 'rate limiting (429)', fault: { status: 429, headers: { 'retry-after': '2' }, body: stripeError('invalid_request_error', 'Too many requests', { code: 'rate_limit' }) }, reason: ErrorReason.ConnectorRateLimited, code: 'rate_limit' },
    { name: 'an API error (500)', fault: { status: 500, body: stripeError('api_error', 'Something went wrong on our end.') }, reason: ErrorReason.ConnectorInternalError, code: 'api_error' },
  ],
  limitCases: [
    { name: 'a name over 256 characters', customer: customerWith({ name: 'n'.repeat(257) }), field: 'customer_name' },
    { name: 'a phone over 20 characters', customer: customerWith({ phone: '+1 415 555 0123 4567 89' }), field: 'phone_number' },
    { name: 'a metadata key over 40 characters', customer: customerWith({ metadata: { ['k'.repeat(41)]: 'v' } }), field: `metadata.${'k'.repeat(41)}` },
    { name: 'a metadata key with brackets', customer: customerWith({ metadata: { 'a[b]': 'v' } }), field: 'metadata.a[b]' },
    { name: 'a metadata value over 500 characters', customer: customerWith({ metadata: { note: 'v'.repeat(501) } }), field: 'metadata.note' },
    { name: '50 metadata keys (one is ours)', customer: customerWith({ metadata: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }), field: 'metadata' },
  ],
  contractProblems: (request) => checkStripeCreateCustomerBody(request.body).errors.map((e) => `${e.instancePath} ${e.message}`),
};
