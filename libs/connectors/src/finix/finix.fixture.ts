import { ErrorReason } from '@app/common/errors/error-reason';
import { customerWith, FULL_CUSTOMER, type ConnectorTestFixture } from '@app/testing/connectors/connector-test-fixture';

const billing = FULL_CUSTOMER.billingAddress!;
const finixError = (code: string, message: string, field?: string) =>
  JSON.stringify({ total: 1, _embedded: { errors: [{ code, message, ...(field && { field }), logref: 'c5a0d4bb0ba83f44' }] } });

export const fixture: ConnectorTestFixture = {
  credentials: {
    finix_user_name: 'USfixtureFinixUser0000001',
    finix_password: '3f8e7c1a-fixture-finix-password',
    merchant_id: 'MUfixtureFinixMerchant001',
    merchant_identity_id: 'IDfixtureFinixMerchant001',
  },
  simulator: 'finix',
  idPattern: /^ID[A-Za-z0-9]{22}$/,
  errorCases: [
    { name: 'an invalid field (422)', fault: { status: 422, body: finixError('INVALID_FIELD', 'Postal code can not be more than 7 characters', 'entity.personal_address.postal_code') }, reason: ErrorReason.ConnectorInvalidRequest, code: 'INVALID_FIELD' },
    { name: 'an unreadable request (400)', fault: { status: 400, body: finixError('BAD_REQUEST', 'Request body is not valid JSON') }, reason: ErrorReason.ConnectorInvalidRequest, code: 'BAD_REQUEST' },
    { name: 'a bad user or password (401)', fault: { status: 401, body: finixError('UNKNOWN', 'Unauthorized') }, reason: ErrorReason.ConnectorAuthenticationFailed, code: 'UNKNOWN' },
    { name: 'missing permissions (403)', fault: { status: 403, body: finixError('FORBIDDEN', 'Forbidden') }, reason: ErrorReason.ConnectorPermissionDenied, code: 'FORBIDDEN' },
    { name: 'rate limiting (429)', fault: { status: 429, body: finixError('TOO_MANY_REQUESTS', 'Too many requests') }, reason: ErrorReason.ConnectorRateLimited, code: 'TOO_MANY_REQUESTS' },
    { name: 'a server error (500)', fault: { status: 500, body: finixError('SERVER_ERROR', 'We had a problem with our server') }, reason: ErrorReason.ConnectorInternalError, code: 'SERVER_ERROR' },
  ],
  limitCases: [
    { name: 'a first name over 20 characters', customer: customerWith({ name: `${'A'.repeat(21)} Lee`, billingAddress: { ...billing, firstName: undefined, lastName: undefined } }), field: 'customer_name' },
    { name: 'a postal code over 7 characters', customer: customerWith({ billingAddress: { ...billing, zipCode: '94107-1234' } }), field: 'address.billing_address.zip_code' },
    { name: 'a city over 20 characters', customer: customerWith({ billingAddress: { ...billing, city: 'San Francisco Bay Area' } }), field: 'address.billing_address.city' },
    { name: 'a region that is not a two-letter code', customer: customerWith({ billingAddress: { ...billing, state: 'California' } }), field: 'address.billing_address.state' },
    { name: 'a tag key over 40 characters', customer: customerWith({ metadata: { ['k'.repeat(41)]: 'v' } }), field: `metadata.${'k'.repeat(41)}` },
    { name: 'a tag value over 500 characters', customer: customerWith({ metadata: { note: 'v'.repeat(501) } }), field: 'metadata.note' },
    { name: '50 metadata keys (one tag is ours)', customer: customerWith({ metadata: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }), field: 'metadata' },
  ],
};
