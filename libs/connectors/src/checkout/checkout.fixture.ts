import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const validationError = (...codes: string[]) => JSON.stringify({ request_id: '0HL80RJLS76I7', error_type: 'request_invalid', error_codes: codes });

/**
 * Every create first looks the email up, so an injected answer meets that lookup: Checkout.com
 * answers its GET with the same statuses and bodies as its POST.
 */
export const fixture: ConnectorTestFixture = {
  credentials: { api_key: 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e' },
  simulator: 'checkout',
  idPattern: /^cus_[a-z2-7]{26}$/,
  errorCases: [
    { name: 'a bad key (401, empty body)', fault: { status: 401, body: '' }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'http_401' },
    { name: 'invalid data (422)', fault: { status: 422, body: validationError('email_invalid') }, reason: ErrorReason.ConnectorInvalidRequest, code: 'email_invalid' },
    { name: 'rate limiting (429)', fault: { status: 429, headers: { 'retry-after': '1' }, body: '' }, reason: ErrorReason.ConnectorRateLimited, code: 'http_429' },
    { name: 'an internal error (500)', fault: { status: 500, body: '' }, reason: ErrorReason.ConnectorInternalError, code: 'http_500' },
  ],
  limitCases: [
    { name: 'no email at all', customer: customerWith({ email: undefined, billingAddress: { ...customerWith({}).billingAddress, email: undefined } }), field: 'email' },
    { name: 'an email over 255 characters', customer: customerWith({ email: `${'e'.repeat(244)}@example.com` }), field: 'email' },
    { name: 'a name over 255 characters', customer: customerWith({ name: 'n'.repeat(256) }), field: 'customer_name' },
    { name: 'a phone with an unknown calling code', customer: customerWith({ phone: '+999 123 4567' }), field: 'phone_number' },
    { name: 'a phone number under 6 digits after its calling code', customer: customerWith({ phone: '+44 1234' }), field: 'phone_number' },
    { name: '10 metadata pairs (one is ours)', customer: customerWith({ metadata: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'])) }), field: 'metadata' },
    { name: 'a metadata key over 100 characters', customer: customerWith({ metadata: { ['k'.repeat(101)]: 'v' } }), field: `metadata.${'k'.repeat(101)}` },
    { name: 'a metadata value over 100 characters', customer: customerWith({ metadata: { note: 'v'.repeat(101) } }), field: 'metadata.note' },
    { name: 'a merchant_customer_id over 100 characters', customer: customerWith({ merchantCustomerId: 'm'.repeat(101) }), field: 'merchant_customer_id' },
  ],
};
