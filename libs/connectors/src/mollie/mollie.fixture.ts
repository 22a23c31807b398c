import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const mollieError = (status: number, title: string, detail: string, field?: string) =>
  JSON.stringify({ status, title, detail, ...(field && { field }), _links: { documentation: { href: 'https://docs.mollie.com/overview/handling-errors', type: 'text/html' } } });

export const fixture: ConnectorTestFixture = {
  credentials: { api_key: 'test_Fx7mQ2rT9vK4nB8cW3yL6pD1sH5gJ0' },
  simulator: 'mollie',
  idPattern: /^cst_[A-Za-z0-9]+$/,
  errorCases: [
    { name: 'an idempotency key reused with other parameters (400)', fault: { status: 400, body: mollieError(400, 'Bad Request', 'The Idempotency-Key was already used for a request with other parameters.') }, reason: ErrorReason.ConnectorInvalidRequest, code: 'Bad Request' },
    { name: 'a bad key (401)', fault: { status: 401, body: mollieError(401, 'Unauthorized Request', 'Missing authentication, or failed to authenticate') }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'Unauthorized Request' },
    { name: 'a key in flight (409)', fault: { status: 409, body: mollieError(409, 'Conflict', 'A request with this Idempotency-Key is still being processed.') }, reason: ErrorReason.ConnectorConflict, code: 'Conflict' },
    { name: 'an invalid field (422)', fault: { status: 422, body: mollieError(422, 'Unprocessable Entity', 'The locale is invalid.', 'locale') }, reason: ErrorReason.ConnectorInvalidRequest, code: 'Unprocessable Entity' },
    { name: 'rate limiting (429)', fault: { status: 429, headers: { 'retry-after': '1' }, body: mollieError(429, 'Too Many Requests', 'You have exceeded the rate limit.') }, reason: ErrorReason.ConnectorRateLimited, code: 'Too Many Requests' },
    { name: 'a Mollie-side failure (500)', fault: { status: 500, body: mollieError(500, 'Internal Server Error', 'An internal server error occurred while processing your request.') }, reason: ErrorReason.ConnectorInternalError, code: 'Internal Server Error' },
  ],
  limitCases: [
    { name: 'metadata over 1 kB of JSON', customer: customerWith({ metadata: { note: 'x'.repeat(1000) } }), field: 'metadata' },
    { name: 'a locale Mollie does not know', customer: customerWith({ featureData: { locale: 'en_AU' } }), field: 'connector_feature_data.locale' },
    { name: 'the reserved metadata key with another id', customer: customerWith({ metadata: { merchant_customer_id: 'someone-else' } }), field: 'metadata.merchant_customer_id' },
  ],
};
