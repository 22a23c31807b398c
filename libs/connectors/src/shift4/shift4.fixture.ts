import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, FULL_CUSTOMER, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const shift4Error = (type: string, message: string, code?: string) => JSON.stringify({ error: { type, message, ...(code && { code }) } });

/** The fields of shift4-java `request/CustomerRequest.java`, `BillingRequest.java`, `AddressRequest.java` (JSON named after them). */
const CUSTOMER_REQUEST = ['email', 'phoneNumber', 'description', 'card', 'paymentMethod', 'metadata', 'billing'];
const BILLING_REQUEST = ['name', 'address', 'vat', 'email', 'phone'];
const ADDRESS_REQUEST = ['line1', 'line2', 'zip', 'city', 'state', 'country'];

function unknownFields(value: unknown, known: string[], path: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value)
    .filter((name) => !known.includes(name))
    .map((name) => `${path}${name} is not a field of shift4-java's request classes`);
}

/** A create body against shift4-java's CustomerRequest: only its fields, nested as it nests them. */
function createProblems(rawBody: string): string[] {
  const body = JSON.parse(rawBody) as Record<string, unknown>;
  const billing = body.billing as Record<string, unknown> | undefined;
  return [...unknownFields(body, CUSTOMER_REQUEST, ''), ...unknownFields(billing, BILLING_REQUEST, 'billing.'), ...unknownFields(billing?.address, ADDRESS_REQUEST, 'billing.address.')];
}

export const fixture: ConnectorTestFixture = {
  credentials: { api_key: 'sk_test_FixtureShift4Key' },
  simulator: 'shift4',
  idPattern: /^cust_[A-Za-z0-9]+$/,
  errorCases: [
    { name: 'an invalid request (400)', fault: { status: 400, body: shift4Error('invalid_request', 'email: not a well-formed email address') }, reason: ErrorReason.ConnectorInvalidRequest, code: 'invalid_request' },
    { name: 'a bad key (401)', fault: { status: 401, body: shift4Error('invalid_request', 'Provided API key is invalid') }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'invalid_request' },
    { name: 'a card error (402)', fault: { status: 402, body: shift4Error('card_error', 'The card was declined.', 'card_declined') }, reason: ErrorReason.ConnectorDeclined, code: 'card_declined' },
    { name: 'rate limiting (429)', fault: { status: 429, body: shift4Error('rate_limit_error', 'Too many requests') }, reason: ErrorReason.ConnectorRateLimited, code: 'rate_limit_error' },
    { name: 'a gateway failure (500)', fault: { status: 500, body: shift4Error('gateway_error', 'Something went wrong on our side') }, reason: ErrorReason.ConnectorInternalError, code: 'gateway_error' },
  ],
  limitCases: [
    {
      name: 'a customer without any email',
      customer: customerWith({ email: undefined, billingAddress: { ...FULL_CUSTOMER.billingAddress, email: undefined } }),
      field: 'email',
    },
    {
      name: 'the reserved metadata key holding another id',
      customer: customerWith({ metadata: { merchant_customer_id: 'someone-else' } }),
      field: 'metadata.merchant_customer_id',
    },
  ],
  contractProblems: (request) => (request.method === 'POST' && new URL(request.path, 'http://shift4').pathname === '/customers' ? createProblems(request.body) : []),
};
