import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { DomainError, FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient, InboundResponse } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import {
  CHECKOUT_LIMITS,
  isCheckoutCustomer,
  isCheckoutError,
  isCustomerOf,
  toCheckoutCreateCustomerRequest,
  validateForCheckout,
} from './checkout.transformers';

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

const SANDBOX_KEY = /^sk_(?:sbox|test)_/;
/** Live secret keys carry no mode marker: `sk_` + the key itself (NAS base32, or a UUID on the previous platform). */
const LIVE_KEY = /^sk_(?:[a-z2-7]{26}[a-z2-7*#$=]|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const PREVIOUS_PLATFORM_KEY = /^sk_(?:test_)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

function checkoutError(response: InboundResponse): DomainError {
  // 401 (and some gateway answers) come with an empty body.
  if (response.body.trim() === '') return processorError(descriptor, response, { code: `http_${response.status}`, message: 'empty body' });
  const body = parseJsonBody(descriptor, response);
  if (!isCheckoutError(body)) return invalidResponse(descriptor, response, 'an error body without error_type or error_codes');
  const codes = body.error_codes ?? [];
  return processorError(descriptor, response, {
    code: codes[0] ?? body.error_type ?? `http_${response.status}`,
    message: codes.length > 0 ? codes.join(', ') : (body.error_type ?? 'no message'),
    type: body.error_type,
  });
}

/**
 * Checkout.com `POST /customers`: JSON, secret key. The endpoint takes no idempotency key, so a
 * retry first looks the email up and returns the customer an earlier attempt created.
 */
export class CheckoutConnector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.api_key;
  }

  testModeOf(credentials: Credentials): boolean | undefined {
    if (SANDBOX_KEY.test(credentials.api_key)) return true;
    return LIVE_KEY.test(credentials.api_key) ? false : undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForCheckout(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const request = toCheckoutCreateCustomerRequest(call.customer);
    const auth = { authorization: authorization(call.credentials.api_key) };
    if (request.email !== undefined) {
      const existing = await this.findCreatedBefore(call, request.email, auth, http);
      if (existing) return existing;
    }
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'customers'),
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!isSuccessStatus(response.status)) throw checkoutError(response);
    const body = parseJsonBody(descriptor, response);
    if (!isCheckoutCustomer(body)) invalidResponse(descriptor, response, 'no customer id');
    return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
  }

  /** The customer with this email, if an earlier attempt for this merchant customer created it. */
  private async findCreatedBefore(
    call: CreateCustomerCall,
    email: string,
    auth: Record<string, string>,
    http: ConnectorHttpClient,
  ): Promise<ConnectorCustomer | undefined> {
    const response = await http.send(descriptor.name, { method: 'GET', url: joinUrl(call.baseUrl, `customers/${emailSegment(email)}`), headers: auth });
    if (response.status === 404) return undefined;
    if (!isSuccessStatus(response.status)) throw checkoutError(response);
    const body = parseJsonBody(descriptor, response);
    if (!isCheckoutCustomer(body)) invalidResponse(descriptor, response, 'a customer without id');
    if (!isCustomerOf(body, call.customer.merchantCustomerId)) return undefined;
    return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
  }
}
