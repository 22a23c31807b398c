import { ErrorReason } from '@app/common/errors/error-reason';
import { CYBERSOURCE_SANDBOX_KEYS } from '@app/testing/sandbox/simulators/cybersource.simulator';
import { customerWith, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const [sandboxKey] = CYBERSOURCE_SANDBOX_KEYS;

const tmsError = (type: string, message: string, fields: string[] = []) =>
  JSON.stringify({ errors: [{ type, message, ...(fields.length > 0 && { details: fields.map((name) => ({ name, location: 'body' })) }) }] });

export const fixture: ConnectorTestFixture = {
  credentials: { api_key: sandboxKey.keyId, merchant_account: sandboxKey.merchantId, api_secret: sandboxKey.sharedSecret },
  simulator: 'cybersource',
  idPattern: /^[0-9A-F]{32}$/,
  errorCases: [
    {
      name: 'invalid fields (400)',
      fault: { status: 400, body: tmsError('invalidFields', 'Invalid values for the following fields', ['buyerInformation.email']) },
      reason: ErrorReason.ConnectorInvalidRequest,
      code: 'invalidFields',
    },
    { name: 'a signature that does not verify (401)', fault: { status: 401, body: '{"response":{"rmsg":"Authentication Failed"}}' }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'http_401' },
    { name: 'TMS not enabled for the merchant (403)', fault: { status: 403, body: tmsError('forbidden', 'Request not permitted') }, reason: ErrorReason.ConnectorPermissionDenied, code: 'forbidden' },
    { name: 'a token id in use (409)', fault: { status: 409, body: tmsError('conflict', 'Action cannot be performed as the token is in use') }, reason: ErrorReason.ConnectorConflict, code: 'conflict' },
    { name: 'a missing TMS profile (424)', fault: { status: 424, body: tmsError('notFound', 'Profile not found') }, reason: ErrorReason.ConnectorRequestRejected, code: 'notFound' },
    { name: 'a TMS failure (500)', fault: { status: 500, body: tmsError('internalError', 'An unexpected error occurred') }, reason: ErrorReason.ConnectorInternalError, code: 'internalError' },
    {
      name: 'a gateway failure in the flat shape (502)',
      fault: { status: 502, body: JSON.stringify({ submitTimeUtc: '2026-01-15T10:30:00Z', status: 'SERVER_ERROR', reason: 'SYSTEM_ERROR', message: 'Error - General system failure.' }) },
      reason: ErrorReason.ConnectorUnavailable,
      code: 'SYSTEM_ERROR',
    },
  ],
  limitCases: [
    { name: 'a merchant customer id over 100 characters', customer: customerWith({ merchantCustomerId: 'm'.repeat(101) }), field: 'merchant_customer_id' },
    { name: 'a name over 60 characters', customer: customerWith({ name: 'n'.repeat(61) }), field: 'customer_name' },
    { name: 'an email over 255 characters', customer: customerWith({ email: `${'e'.repeat(244)}@example.com` }), field: 'email' },
    { name: 'five metadata pairs', customer: customerWith({ metadata: { a: '1', b: '2', c: '3', d: '4', e: '5' } }), field: 'metadata' },
    { name: 'a "key=value" over 100 characters', customer: customerWith({ metadata: { note: 'v'.repeat(96) } }), field: 'metadata.note' },
    { name: 'an e-mail address in metadata', customer: customerWith({ metadata: { contact: 'ann@example.com' } }), field: 'metadata.contact' },
  ],
};
