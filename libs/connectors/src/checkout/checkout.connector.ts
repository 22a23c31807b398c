import { Injectable } from '@nestjs/common';
import type { DomainError } from '@app/common/errors/domain-error';
import {
  conversationFlow,
  customerFrom,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type ProcessorAnswer,
  type ProcessorProtocol,
  type ProcessorSession,
} from '../connector';
import type { InboundResponse } from '../http/processor-http';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import {
  CHECKOUT_LIMITS,
  isCheckoutCustomer,
  isCheckoutError,
  isCustomerOf,
  toCheckoutCreateCustomerRequest,
  validateForCheckout,
} from './checkout.transformers';

const SANDBOX_KEY = /^sk_(?:sbox|test)_/;
/** Live secret keys carry no mode marker: `sk_` + the key itself (NAS base32, or a UUID on the previous platform). */
const LIVE_KEY = /^sk_(?:[a-z2-7]{26}[a-z2-7*#$=]|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const PREVIOUS_PLATFORM_KEY = /^sk_(?:test_)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const descriptor: ConnectorDescriptor = {
  name: 'checkout',
  // Prism has no typed Checkout variant (reference §2.2); this one is ours, named as Prism would.
  configVariant: 'Checkout',
  displayName: 'Checkout.com',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  // Prism's signature-key carries the public key (x-api-key), processing channel (x-key1) and the
  // secret key (x-api-secret); only the secret key authorizes /customers.
  legacyAuth: { type: 'signature-key', fields: { 'x-api-secret': 'api_key' } },
  baseUrls: { sandbox: 'https://api.sandbox.checkout.com/', live: 'https://api.checkout.com/' },
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    if (SANDBOX_KEY.test(credentials.api_key)) return true;
    return LIVE_KEY.test(credentials.api_key) ? false : undefined;
  },
  capabilities: {
    fieldsSent: [
      'email → email (required)',
      'customer_name → name',
      'phone_number → phone{country_code, number} (split at the E.164 calling code)',
      'metadata → metadata',
      'merchant_customer_id → metadata.merchant_customer_id',
      'address.* → not sent (Checkout.com customers hold no address)',
    ],
    idFormat: '`cus_…`',
    idempotency: 'none for /customers (`Cko-Idempotency-Key` covers payments only); `GET /customers/{email}` first, and a customer whose metadata.merchant_customer_id is ours is returned instead of created',
    duplicates: 'the email identifies a customer (`GET /customers/{email}`); one created for another merchant_customer_id is not adopted: the create goes ahead and Checkout.com answers',
    replaysSafely: true,
    limits: [
      `email required, ≤ ${CHECKOUT_LIMITS.email}`,
      `name ≤ ${CHECKOUT_LIMITS.name}`,
      `phone: a known calling code, number ${CHECKOUT_LIMITS.phoneNumberMin}–${CHECKOUT_LIMITS.phoneNumberMax}`,
      `metadata ≤ ${CHECKOUT_LIMITS.metadataPairs} pairs (one is ours), key and value ≤ ${CHECKOUT_LIMITS.metadataValueLength}`,
      `merchant_customer_id ≤ ${CHECKOUT_LIMITS.metadataValueLength}`,
    ],
  },
};

/** The previous (ABC) platform takes the bare secret key; the current one a Bearer token. */
function authorization(apiKey: string): string {
  return PREVIOUS_PLATFORM_KEY.test(apiKey) ? apiKey : `Bearer ${apiKey}`;
}

/**
 * The email as a path segment. `@` stays literal (it is a valid path character) so the shared
 * client's log scrubbing recognises the address in the logged URL.
 */
function emailSegment(email: string): string {
  return encodeURIComponent(email).replace(/%40/g, '@');
}

/** An error body that is not JSON, kept for `checkoutError` to refuse once the status says the body matters. */
const UNREADABLE = Symbol('not JSON');

/**
 * Error bodies are read only once the status says they matter: 401s (and some gateway answers)
 * come with an empty body, and a lookup's 404 means "no such customer" whatever its body holds.
 */
function decodeCheckout(response: InboundResponse): unknown {
  if (isSuccessStatus(response.status)) return parseJsonBody(descriptor, response);
  if (response.body.trim() === '') return undefined;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return UNREADABLE;
  }
}

function checkoutError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  // 401 (and some gateway answers) come with an empty body.
  if (body === undefined) return processorError(descriptor, response, { code: `http_${response.status}`, message: 'empty body' });
  if (body === UNREADABLE) return invalidResponse(descriptor, response, 'a body that is not JSON');
  if (!isCheckoutError(body)) return invalidResponse(descriptor, response, 'an error body without error_type or error_codes');
  const codes = body.error_codes ?? [];
  return processorError(descriptor, response, {
    code: codes[0] ?? body.error_type ?? `http_${response.status}`,
    message: codes.length > 0 ? codes.join(', ') : (body.error_type ?? 'no message'),
    type: body.error_type,
  });
}

/** The secret key on every request, bare or as Bearer token by its platform. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: authorization(call.credentials.api_key) } }),
  decode: decodeCheckout,
  error: checkoutError,
};

/** The customer with this email, if an earlier attempt for this merchant customer created it. */
async function findCreatedBefore(call: CreateCustomerCall, email: string, session: ProcessorSession): Promise<ConnectorCustomer | undefined> {
  const answer = await session.send({ method: 'GET', path: `customers/${emailSegment(email)}` }, { accepts: [404] });
  if (answer.status === 404) return undefined;
  if (!isCheckoutCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'a customer without id');
  if (!isCustomerOf(answer.body, call.customer.merchantCustomerId)) return undefined;
  return customerFrom(answer, answer.body.id);
}

/**
 * `POST /customers`, JSON. The endpoint takes no idempotency key, so a retry first looks the
 * email up and returns the customer an earlier attempt created.
 */
const create = conversationFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForCheckout,
  run: async (call, session) => {
    const request = toCheckoutCreateCustomerRequest(call.customer);
    if (request.email !== undefined) {
      const existing = await findCreatedBefore(call, request.email, session);
      if (existing) return existing;
    }
    const answer = await session.send({ method: 'POST', path: 'customers', json: request });
    if (!isCheckoutCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
    return customerFrom(answer, answer.body.id);
  },
});

const flows: ConnectorFlows = { create };

/**
 * Checkout.com `POST /customers`: JSON, secret key. The endpoint takes no idempotency key, so a
 * retry first looks the email up and returns the customer an earlier attempt created.
 */
@Injectable()
export class CheckoutConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
