import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient, InboundResponse } from '../http/connector-http-client';
import { encodeForm } from '../http/form-urlencoded';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
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

/** Stripe `POST /v1/customers`: form-encoded, Bearer secret key, pinned API version. */
export class StripeConnector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.api_key;
  }

  testModeOf(credentials: Credentials): boolean | undefined {
    const match = /^(?:sk|rk)_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForStripe(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'v1/customers'),
      headers: { ...stripeHeaders(call), 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': call.idempotencyKey },
      body: encodeForm(toStripeCreateCustomerRequest(call.customer)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isStripeCustomer(body)) invalidResponse(descriptor, response, 'no customer id');
      return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    throw stripeError(response, body);
  }

  /**
   * Customer search by our metadata back-reference. Stripe's search is eventually consistent
   * (usually within a minute), which is fine here: it only runs once the 24 h replay window of
   * the idempotency key has passed. Several matches mean duplicates already exist; the oldest is
   * the one every later call should keep using.
   */
  async findCreatedCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer | undefined> {
    const url = new URL(joinUrl(call.baseUrl, 'v1/customers/search'));
    url.searchParams.set('query', backReferenceSearchQuery(call.customer.merchantCustomerId));
    url.searchParams.set('limit', '100');
    const response = await http.send(descriptor.name, { method: 'GET', url: url.toString(), headers: stripeHeaders(call) });
    const body = parseJsonBody(descriptor, response);
    if (!isSuccessStatus(response.status)) throw stripeError(response, body);
    if (!isStripeSearchResult(body)) invalidResponse(descriptor, response, 'a search result without `data`');
    const found = earliestCustomer(body);
    return found && { connectorCustomerId: found.id, httpStatus: response.status, responseHeaders: response.headers };
  }
}

function stripeHeaders(call: CreateCustomerCall): Record<string, string> {
  return { authorization: `Bearer ${call.credentials.api_key}`, 'stripe-version': STRIPE_API_VERSION };
}

function stripeError(response: InboundResponse, body: unknown) {
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
