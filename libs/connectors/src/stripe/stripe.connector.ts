import { Injectable } from '@nestjs/common';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  customerFrom,
  exchangeFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type ProcessorAnswer,
  type ProcessorProtocol,
} from '../connector';
import { encodeForm } from '../http/form-urlencoded';
import { customerAnswer, invalidResponse, processorError } from '../http/processor-response';
import {
  backReferenceSearchQuery,
  earliestCustomer,
  isStripeCustomer,
  isStripeError,
  isStripeSearchResult,
  STRIPE_LIMITS,
  toStripeCreateCustomerRequest,
  validateForStripe,
} from './stripe.transformers';

/** The API version our requests and the contract tests are pinned to. */
export const STRIPE_API_VERSION = '2026-07-29.dahlia';

const descriptor: ConnectorDescriptor = {
  name: 'stripe',
  configVariant: 'Stripe',
  displayName: 'Stripe',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the key decides test or live.
  baseUrls: { sandbox: 'https://api.stripe.com/', live: 'https://api.stripe.com/' },
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    const match = /^(?:sk|rk)_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'customer_name → name',
      'email → email',
      'phone_number → phone',
      'address.billing_address → address[…] (line3 joined to line2)',
      'address.shipping_address → shipping[name|phone|address[…]]',
      'metadata → metadata[…]',
      'merchant_customer_id → metadata[merchant_customer_id]',
    ],
    idFormat: '`cus_…`',
    idempotency: '`Idempotency-Key` header, one key per mapping (Stripe keeps keys ≥ 24 h); after that, a metadata search for our back-reference before creating again',
    duplicates: 'Stripe never deduplicates; the mapping store and the key do',
    replaysSafely: true,
    replayWindowHours: 24,
    limits: [
      `name ≤ ${STRIPE_LIMITS.name}`,
      `email ≤ ${STRIPE_LIMITS.email}`,
      `phone ≤ ${STRIPE_LIMITS.phone}`,
      `metadata ≤ ${STRIPE_LIMITS.metadataKeys} keys (one is ours), key ≤ ${STRIPE_LIMITS.metadataKeyLength} without [ ], value ≤ ${STRIPE_LIMITS.metadataValueLength}`,
    ],
  },
};

/** Bearer secret key and the pinned API version on every request; errors in Stripe's `error` object. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}`, 'stripe-version': STRIPE_API_VERSION } }),
  error: stripeError,
};

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Stripe `POST /v1/customers`, form-encoded, one idempotency key per mapping. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForStripe,
  request: (call) => ({
    method: 'POST',
    path: 'v1/customers',
    headers: { ...FORM, 'idempotency-key': call.idempotencyKey },
    body: encodeForm(toStripeCreateCustomerRequest(call.customer)),
  }),
  parse: customerAnswer(descriptor, isStripeCustomer, (body) => body.id),
});

/**
 * Customer search by our metadata back-reference. Stripe's search is eventually consistent
 * (usually within a minute), which is fine here: it only runs once the 24 h replay window of
 * the idempotency key has passed. Several matches mean duplicates already exist; the oldest is
 * the one every later call should keep using.
 */
const findCreated = exchangeFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  request: (call) => ({
    method: 'GET',
    path: 'v1/customers/search',
    query: { query: backReferenceSearchQuery(call.customer.merchantCustomerId), limit: '100' },
  }),
  parse: (answer) => {
    if (!isStripeSearchResult(answer.body)) invalidResponse(descriptor, answer.raw, 'a search result without `data`');
    const found = earliestCustomer(answer.body);
    return found && customerFrom(answer, found.id);
  },
});

const flows: ConnectorFlows = { create, findCreated };

/** Stripe: form-encoded, Bearer secret key, pinned API version. */
@Injectable()
export class StripeConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

function stripeError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  if (!isStripeError(body)) return invalidResponse(descriptor, response, 'an error body without `error`');
  const { code, type, message, param, decline_code } = body.error;
  // The key already carried a request with other parameters, which may have created the customer:
  // a conflict whose outcome is unknown, never a refusal that frees the reservation.
  const idempotencyConflict = type === 'idempotency_error';
  return processorError(
    descriptor,
    response,
    { code: code ?? type ?? 'unknown', message: message ?? 'no message', type, param, declineCode: decline_code },
    idempotencyConflict ? ErrorReason.ConnectorConflict : undefined,
    idempotencyConflict ? { outcomeUnknown: true } : {},
  );
}
