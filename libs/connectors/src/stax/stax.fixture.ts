import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, FULL_CUSTOMER, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const billing = FULL_CUSTOMER.billingAddress!;

export const fixture: ConnectorTestFixture = {
  // Stax API keys are JWTs.
  credentials: { api_key: 'eyJhbGciOiJIUzI1NiJ9.eyJtZXJjaGFudCI6ImZpeHR1cmUifQ.Rml4dHVyZVN0YXhTaWduYXR1cmU' },
  simulator: 'stax',
  idPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  errorCases: [
    { name: 'a field validation error (422)', fault: { status: 422, body: JSON.stringify({ email: ['The email must be a valid email address.'] }) }, reason: ErrorReason.ConnectorInvalidRequest, code: '422' },
    { name: 'a bad key (401)', fault: { status: 401, body: JSON.stringify({ error: 'Unauthorized' }) }, reason: ErrorReason.ConnectorAuthenticationFailed, code: '401' },
    { name: 'a refusal as a bare array (401)', fault: { status: 401, body: JSON.stringify(['not team admin']) }, reason: ErrorReason.ConnectorAuthenticationFailed, code: '401' },
    { name: 'a bad request with a message (400)', fault: { status: 400, body: JSON.stringify({ message: 'Bad Request' }) }, reason: ErrorReason.ConnectorInvalidRequest, code: '400' },
    { name: 'rate limiting (429)', fault: { status: 429, headers: { 'retry-after': '60' }, body: JSON.stringify({ message: 'Too Many Attempts.' }) }, reason: ErrorReason.ConnectorRateLimited, code: '429' },
    { name: 'a server error (500)', fault: { status: 500, body: JSON.stringify({ message: 'Server Error' }) }, reason: ErrorReason.ConnectorInternalError, code: '500' },
  ],
  limitCases: [
    {
      name: 'a customer with neither a name nor an email',
      customer: customerWith({ name: undefined, email: undefined, billingAddress: { ...billing, firstName: undefined, lastName: undefined, email: undefined } }),
      field: 'customer_name',
    },
    { name: 'a name over 255 characters', customer: customerWith({ name: `${'n'.repeat(256)} Lee` }), field: 'customer_name' },
    { name: 'a state that is not a two-letter abbreviation', customer: customerWith({ billingAddress: { ...billing, state: 'California' } }), field: 'address.billing_address.state' },
    { name: 'a zip code over 16 characters', customer: customerWith({ billingAddress: { ...billing, zipCode: '1'.repeat(17) } }), field: 'address.billing_address.zip_code' },
    { name: 'a phone of fewer than 10 digits', customer: customerWith({ phone: '+1 555 0123' }), field: 'phone_number' },
    { name: 'metadata over 21844 characters as JSON', customer: customerWith({ metadata: { note: 'v'.repeat(21844) } }), field: 'metadata' },
  ],
};
