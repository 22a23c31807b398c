import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const airwallexError = (code: string, message: string, source?: string) => JSON.stringify({ code, message, ...(source && { source }) });

/**
 * Each fault answers the first request of a create. The suite's earlier creates leave a cached
 * token, so that request is the create itself, not the login.
 */
export const fixture: ConnectorTestFixture = {
  credentials: { client_id: 'FixtureAirwallexClientId', api_key: 'fixture-airwallex-api-key-7c1e0b' },
  simulator: 'airwallex',
  // Airwallex base URLs end in /api/v1 (Prism's too); the simulator serves the same paths.
  baseUrl: (sandbox) => `${sandbox.baseUrl('airwallex')}api/v1`,
  idPattern: /^cus_[A-Za-z0-9]+$/,
  errorCases: [
    {
      name: 'a field failing validation (400 validation_error)',
      fault: { status: 400, body: airwallexError('validation_error', 'email is not a valid email address', 'email') },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'validation_error',
    },
    {
      name: 'a request_id used by a customer that cannot be found (400 duplicate_request)',
      fault: { status: 400, body: airwallexError('duplicate_request', 'The same request ID has already been used. Please try again with a different request ID.') },
      reason: ErrorReason.ConnectorConflict,
      code: 'duplicate_request',
    },
    { name: 'rate limiting (429, no documented body)', fault: { status: 429, body: '' }, reason: ErrorReason.ConnectorRateLimited, code: 'http_429' },
    {
      name: 'an Airwallex failure (500 internal_error)',
      fault: { status: 500, body: airwallexError('internal_error', 'An internal error was encountered. Please try again later.') },
      reason: ErrorReason.ConnectorInternalError,
      code: 'internal_error',
    },
    {
      name: 'an unavailable service (503 service_unavailable)',
      fault: { status: 503, body: airwallexError('service_unavailable', 'The system is temporarily unavailable. Please try again later. [54.07.01]') },
      reason: ErrorReason.ConnectorUnavailable,
      code: 'service_unavailable',
    },
    // Last: refusing the token twice (create, then the renewed login) leaves no token cached.
    {
      name: 'credentials refused on create and on the renewed login (401)',
      fault: { status: 401, body: airwallexError('unauthorized', 'Access denied, authentication failed'), times: 2 },
      reason: ErrorReason.ConnectorAuthenticationFailed,
      code: 'unauthorized',
    },
  ],
  limitCases: [
    { name: 'a merchant_customer_id over 64 characters', customer: customerWith({ merchantCustomerId: 'm'.repeat(65) }), field: 'merchant_customer_id' },
    { name: 'a first name over 128 characters', customer: customerWith({ name: `${'f'.repeat(129)} Lee` }), field: 'customer_name' },
    { name: 'an email over 256 characters', customer: customerWith({ email: `${'e'.repeat(245)}@example.com` }), field: 'email' },
    { name: 'a postcode over 10 characters', customer: customerWith({ billingAddress: { zipCode: '12345-67890', country: 'US' } }), field: 'address.billing_address.zip_code' },
    { name: 'a city over 100 characters', customer: customerWith({ billingAddress: { city: 'c'.repeat(101), country: 'US' } }), field: 'address.billing_address.city' },
    { name: 'an address without a country', customer: customerWith({ billingAddress: { line1: '1 Main Street' } }), field: 'address.billing_address.country_alpha2_code' },
    { name: 'an access token that is not a string', customer: customerWith({ featureData: { access_token: 42 } }), field: 'connector_feature_data.access_token' },
  ],
};
