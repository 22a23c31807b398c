import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient, InboundResponse } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import { isSquareCustomerResponse, isSquareErrorResponse, SQUARE_LIMITS, toSquareCreateCustomerRequest, validateForSquare, type SquareErrorResponse } from './square.transformers';

/** The `Square-Version` our requests and the contract tests are pinned to: the contract's release. */
export const SQUARE_API_VERSION = '2025-08-20';

const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';

const descriptor: ConnectorDescriptor = {
  name: 'square',
  configVariant: 'Square',
  displayName: 'Square',
  credentialFields: [{ name: 'access_token', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'access_token' } },
  baseUrls: { sandbox: 'https://connect.squareupsandbox.com/', live: 'https://connect.squareup.com/' },
  capabilities: {
    fieldsSent: [
      'customer_name → given_name (whole), or billing first_name/last_name → given_name/family_name when they are the name',
      'email → email_address (else the billing email)',
      'phone_number → phone_number (else the billing phone with its calling code)',
      'address.billing_address → address (line1–3, locality, administrative_district_level_1, postal_code, country); address.shipping_address only without a billing address (Square holds one address)',
      `merchant_customer_id → reference_id (ids over ${SQUARE_LIMITS.referenceId} characters: the stable mapping reference instead)`,
      'metadata → note (as a JSON object)',
    ],
    idFormat: 'Square-assigned, e.g. `JDKYHBWT1D4F8MFH63DBMEN8Y4`',
    idempotency: '`idempotency_key` in the JSON body, one per mapping: the same key and body replay the first customer; the key with another body is refused (IDEMPOTENCY_KEY_REUSED)',
    duplicates: 'Square never deduplicates by data (and may later merge duplicates into a new id); the mapping store and the key do',
    replaysSafely: true,
    limits: [
      `at least one of customer_name, email, phone_number (or their billing-address fallbacks)`,
      `given_name, family_name ≤ ${SQUARE_LIMITS.givenName}`,
      `email_address ≤ ${SQUARE_LIMITS.emailAddress}`,
      `phone_number ${SQUARE_LIMITS.phoneMinDigits}–${SQUARE_LIMITS.phoneMaxDigits} digits`,
    ],
  },
};

function squareError(response: InboundResponse, body: SquareErrorResponse): DomainError {
  const [first] = body.errors;
  const code = first.code ?? first.category ?? 'unknown';
  const details = {
    code,
    message: body.errors.map((error) => error.detail ?? error.code).filter(Boolean).join('; ') || 'no message',
    param: first.field,
    type: first.category,
  };
  if (code !== IDEMPOTENCY_KEY_REUSED) return processorError(descriptor, response, details);
  // The key already carried a request with other data (the customer changed between attempts of
  // one mapping): that first request may have created the customer, so keep the reservation.
  const conflict = processorError(descriptor, response, details, ErrorReason.ConnectorConflict);
  return new DomainError(conflict.reason, conflict.message, { ...conflict.details, outcomeUnknown: true });
}

/** Square `POST /v2/customers`: JSON, Bearer access token, pinned `Square-Version`, idempotency key in the body. */
export class SquareConnector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.access_token;
  }

  /** Square's sandbox and production access tokens share one format: the token does not tell. */
  testModeOf(_credentials: Credentials): boolean | undefined {
    return undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForSquare(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'v2/customers'),
      headers: {
        authorization: `Bearer ${call.credentials.access_token}`,
        'content-type': 'application/json',
        'square-version': SQUARE_API_VERSION,
      },
      body: JSON.stringify(toSquareCreateCustomerRequest(call.customer, call)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isSquareCustomerResponse(body)) invalidResponse(descriptor, response, 'no customer id');
      return { connectorCustomerId: body.customer.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    if (!isSquareErrorResponse(body)) invalidResponse(descriptor, response, 'an error body without `errors`');
    throw squareError(response, body);
  }
}
