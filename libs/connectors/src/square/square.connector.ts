import { Injectable } from '@nestjs/common';
import type { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  exchangeFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type ProcessorAnswer,
  type ProcessorProtocol,
} from '../connector';
import { customerAnswer, invalidResponse, processorError } from '../http/processor-response';
import { isSquareCustomerResponse, isSquareErrorResponse, SQUARE_LIMITS, toSquareCreateCustomerRequest, validateForSquare } from './square.transformers';

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
  // Square's sandbox and production access tokens share one format: the token does not tell the mode.
  accountIdentity: (credentials) => credentials.access_token,
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

function squareError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isSquareErrorResponse(body)) return invalidResponse(descriptor, response, 'an error body without `errors`');
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
  return processorError(descriptor, response, details, ErrorReason.ConnectorConflict, { outcomeUnknown: true });
}

/** Bearer access token and the pinned `Square-Version` on every request; errors in Square's `errors` list. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.access_token}`, 'square-version': SQUARE_API_VERSION } }),
  error: squareError,
};

/** Square `POST /v2/customers`: JSON, idempotency key in the body. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForSquare,
  request: (call) => ({ method: 'POST', path: 'v2/customers', json: toSquareCreateCustomerRequest(call.customer, call) }),
  parse: customerAnswer(descriptor, isSquareCustomerResponse, (body) => body.customer.id),
});

const flows: ConnectorFlows = { create };

/** Square: JSON, Bearer access token, pinned `Square-Version`, idempotency key in the body. */
@Injectable()
export class SquareConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
