import { ErrorReason } from '@app/common/errors/error-reason';
import { checkPaystackCreateCustomerBody } from '@app/testing/contracts/paystack-contract';
import { customerWith, FULL_CUSTOMER, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const paystackError = (message: string, extra: Record<string, unknown> = {}) => JSON.stringify({ status: false, message, ...extra });

export const fixture: ConnectorTestFixture = {
  credentials: { api_key: 'sk_test_4f1c2a9e0b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a' },
  simulator: 'paystack',
  idPattern: /^CUS_[a-z0-9]+$/,
  // Paystack's CustomerUpdate takes first_name, last_name, phone and metadata, not the email (paystack.yaml).
  updateChange: { phone: '+2348012345678' },
  errorCases: [
    {
      name: 'an invalid email (400, typed)',
      fault: { status: 400, body: paystackError('Invalid Email Address Passed', { type: 'validation_error', meta: { nextStep: 'Provide a valid email address' } }) },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'validation_error',
    },
    { name: 'a bad key (401)', fault: { status: 401, body: paystackError('Invalid key') }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'http_401' },
    { name: 'a missing route (404)', fault: { status: 404, body: paystackError('Not found') }, reason: ErrorReason.ConnectorNotFound, code: 'http_404' },
    { name: 'a Paystack-side failure (500)', fault: { status: 500, body: paystackError('An error occurred', { type: 'api_error' }) }, reason: ErrorReason.ConnectorInternalError, code: 'api_error' },
    { name: 'an unavailable service (503)', fault: { status: 503, body: paystackError('Service unavailable') }, reason: ErrorReason.ConnectorUnavailable, code: 'http_503' },
  ],
  limitCases: [
    { name: 'no email anywhere', customer: customerWith({ email: undefined, billingAddress: { ...FULL_CUSTOMER.billingAddress, email: undefined } }), field: 'email' },
    { name: 'the back-reference metadata key holding another id', customer: customerWith({ metadata: { merchant_customer_id: 'someone-else' } }), field: 'metadata.merchant_customer_id' },
  ],
  contractProblems: (request) => checkPaystackCreateCustomerBody(request.body).errors.map((e) => `${e.instancePath} ${e.message}`),
};
