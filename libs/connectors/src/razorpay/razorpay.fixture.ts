import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const razorpayError = (code: string, description: string, extra: Record<string, string> = {}) =>
  JSON.stringify({ error: { code, description, source: 'NA', step: 'NA', reason: 'NA', metadata: {}, ...extra } });

export const fixture: ConnectorTestFixture = {
  credentials: { key_id: 'rzp_test_Fx7mQ2rT9vK4nB', key_secret: 'Wq3LzT8vRk2NcY6hPb9sDm4F' },
  simulator: 'razorpay',
  idPattern: /^cust_[A-Za-z0-9]{14}$/,
  errorCases: [
    {
      name: 'an invalid contact (400, reason kept)',
      fault: { status: 400, body: razorpayError('BAD_REQUEST_ERROR', 'Contact number should be at least 8 digits, including country code', { source: 'business', reason: 'invalid_contact_number', field: 'contact' }) },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'invalid_contact_number',
    },
    {
      name: 'an existing customer refused (400, no reason: the code stands in)',
      fault: { status: 400, body: razorpayError('BAD_REQUEST_ERROR', 'Customer already exists for the merchant') },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'BAD_REQUEST_ERROR',
    },
    { name: 'a bad key pair (401)', fault: { status: 401, body: razorpayError('BAD_REQUEST_ERROR', 'Authentication failed') }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'BAD_REQUEST_ERROR' },
    { name: 'rate limiting (429)', fault: { status: 429, headers: { 'retry-after': '1' }, body: razorpayError('BAD_REQUEST_ERROR', 'Too many requests') }, reason: ErrorReason.ConnectorRateLimited, code: 'BAD_REQUEST_ERROR' },
    { name: 'a Razorpay-side failure (500)', fault: { status: 500, body: razorpayError('SERVER_ERROR', 'The server encountered an error. The incident has been reported to admins.') }, reason: ErrorReason.ConnectorInternalError, code: 'SERVER_ERROR' },
    { name: 'a gateway failure (502)', fault: { status: 502, body: razorpayError('GATEWAY_ERROR', 'Payment processing failed due to error at bank or wallet gateway') }, reason: ErrorReason.ConnectorUnavailable, code: 'GATEWAY_ERROR' },
  ],
  limitCases: [
    { name: 'neither email nor phone (no duplicate match possible)', customer: customerWith({ email: undefined, phone: undefined, billingAddress: undefined }), field: 'email' },
    { name: 'a name under 3 characters', customer: customerWith({ name: 'Al' }), field: 'customer_name' },
    { name: 'a name over 50 characters', customer: customerWith({ name: 'n'.repeat(51) }), field: 'customer_name' },
    { name: 'a name with a character Razorpay refuses', customer: customerWith({ name: 'Ann #1' }), field: 'customer_name' },
    { name: 'an email over 64 characters', customer: customerWith({ email: `${'e'.repeat(53)}@example.com` }), field: 'email' },
    { name: 'a contact over 15 characters', customer: customerWith({ phone: '+44 20 7123 4567 890' }), field: 'phone_number' },
    { name: 'a contact under 8 digits', customer: customerWith({ phone: '+1 555 01' }), field: 'phone_number' },
    { name: '15 metadata pairs (one is ours)', customer: customerWith({ metadata: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, 'v'])) }), field: 'metadata' },
    { name: 'a metadata value over 256 characters', customer: customerWith({ metadata: { note: 'v'.repeat(257) } }), field: 'metadata.note' },
    { name: 'a GSTIN that is not 15 letters and digits', customer: customerWith({ featureData: { gstin: '29-XAbbA4369J1P' } }), field: 'connector_feature_data.gstin' },
  ],
};
