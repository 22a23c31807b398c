import { ErrorReason } from '@app/common/errors/error-reason';
import { authorizedotnetRequestSchemaProblem } from '@app/testing/sandbox/simulators/authorizedotnet.simulator';
import { joinUrl } from '../http/join-url';
import { customerWith, FULL_CUSTOMER, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

/** Authorize.net's answer to a failed call: HTTP 200, a byte order mark, resultCode Error. */
export const authorizedotnetErrorBody = (code: string, text: string) =>
  `\ufeff${JSON.stringify({ messages: { resultCode: 'Error', message: [{ code, text }] } })}`;

export const fixture: ConnectorTestFixture = {
  credentials: { name: 'sim4AnetLogin', transaction_key: '7rB2kQ9zX4mV6pL3' },
  simulator: 'authorizedotnet',
  // The base URL is the whole endpoint, as Prism's `base_url` for Authorize.net is.
  baseUrl: (sandbox) => joinUrl(sandbox.baseUrl('authorizedotnet'), 'xml/v1/request.api'),
  idPattern: /^\d+$/,
  errorCases: [
    {
      name: 'failed authentication (E00007)',
      fault: { status: 200, body: authorizedotnetErrorBody('E00007', 'User authentication failed due to invalid authentication values.') },
      reason: ErrorReason.ConnectorAuthenticationFailed,
      code: 'E00007',
    },
    {
      name: 'a schema violation (E00003)',
      fault: {
        status: 200,
        body: authorizedotnetErrorBody(
          'E00003',
          "The 'AnetApi/xml/v1/schema/AnetApiSchema.xsd:zip' element is invalid - The value '123456789012345678901' is invalid according to its datatype 'String' - The actual length is greater than the MaxLength value.",
        ),
      },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'E00003',
    },
    { name: 'an invalid email (E00013)', fault: { status: 200, body: authorizedotnetErrorBody('E00013', 'email is invalid.') }, reason: ErrorReason.ConnectorInvalidRequest, code: 'E00013' },
    {
      name: 'CIM not enabled on the account (E00044)',
      fault: { status: 200, body: authorizedotnetErrorBody('E00044', 'Customer Information Manager is not enabled.') },
      reason: ErrorReason.ConnectorPermissionDenied,
      code: 'E00044',
    },
    {
      name: 'a processing error (E00001)',
      fault: { status: 200, body: authorizedotnetErrorBody('E00001', 'An error occurred during processing. Please try again.') },
      reason: ErrorReason.ConnectorInternalError,
      code: 'E00001',
    },
    { name: 'maintenance (E00104)', fault: { status: 200, body: authorizedotnetErrorBody('E00104', 'Server in maintenance') }, reason: ErrorReason.ConnectorUnavailable, code: 'E00104' },
    {
      name: 'an unclassified code',
      fault: { status: 200, body: authorizedotnetErrorBody('E00052', 'The maximum number of elements for an array shipToList is 100.') },
      reason: ErrorReason.ConnectorRequestRejected,
      code: 'E00052',
    },
    {
      name: 'an edge HTML 503',
      fault: { status: 503, headers: { 'content-type': 'text/html' }, body: '<html><body>Service Unavailable</body></html>' },
      reason: ErrorReason.ConnectorUnavailable,
      code: 'http_503',
    },
  ],
  limitCases: [
    { name: 'a name (description) over 255 characters', customer: customerWith({ name: 'n'.repeat(256) }), field: 'customer_name' },
    { name: 'an email over 255 characters', customer: customerWith({ email: `${'e'.repeat(244)}@example.com` }), field: 'email' },
    {
      name: 'a shipping first name over 50 characters',
      customer: customerWith({ shippingAddress: { ...FULL_CUSTOMER.shippingAddress, firstName: 'f'.repeat(51) } }),
      field: 'address.shipping_address.first_name',
    },
    {
      name: 'shipping lines that do not fit one 60-character address',
      customer: customerWith({ shippingAddress: { ...FULL_CUSTOMER.shippingAddress, line1: 'l'.repeat(40), line2: 'm'.repeat(20) } }),
      field: 'address.shipping_address.line2',
    },
    { name: 'a shipping city over 40 characters', customer: customerWith({ shippingAddress: { ...FULL_CUSTOMER.shippingAddress, city: 'c'.repeat(41) } }), field: 'address.shipping_address.city' },
    { name: 'a shipping zip over 20 characters', customer: customerWith({ shippingAddress: { ...FULL_CUSTOMER.shippingAddress, zipCode: '1'.repeat(21) } }), field: 'address.shipping_address.zip_code' },
    {
      name: 'a shipping phone over 25 characters with its calling code',
      customer: customerWith({ shippingAddress: { ...FULL_CUSTOMER.shippingAddress, phoneNumber: '4'.repeat(24), phoneCountryCode: '+1' } }),
      field: 'address.shipping_address.phone_number',
    },
  ],
  contractProblems: (request) => {
    const problem = authorizedotnetRequestSchemaProblem(request.body);
    return problem ? [problem] : [];
  },
};
