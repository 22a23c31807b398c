import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import { isStaxCustomer, STAX_LIMITS, staxErrorDetails, toStaxCreateCustomerRequest, validateForStax } from './stax.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'stax',
  configVariant: 'Stax',
  displayName: 'Stax',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both: a Stax sandbox is a merchant account flagged as such, reached with its own key.
  baseUrls: { sandbox: 'https://apiprod.fattlabs.com/', live: 'https://apiprod.fattlabs.com/' },
  capabilities: {
    fieldsSent: [
      'customer_name → firstname + lastname (split at the last space; the billing names when they spell it or there is no customer_name)',
      'email → email (else the billing email)',
      'phone_number → phone, digits only (else the billing phone with its calling code)',
      'address.billing_address → address_1, address_2 (line2 + line3), address_city, address_state, address_zip, address_country (alpha-3)',
      'merchant_customer_id → reference',
      'metadata → notes (JSON)',
      'address.shipping_address → not sent: a Stax customer has one address',
    ],
    idFormat: 'UUID',
    idempotency: 'none for customers (Stax takes `idempotency_id` on charges only)',
    duplicates: 'Stax creates a customer per call (it offers merging duplicates afterwards); the mapping store prevents repeats, an unanswered call may leave one',
    replaysSafely: false,
    limits: [
      'a name or an email required',
      `firstname, lastname, email ≤ ${STAX_LIMITS.name}`,
      `phone ${STAX_LIMITS.phoneDigitsMin}–${STAX_LIMITS.phoneDigitsMax} digits`,
      `address lines, city ≤ ${STAX_LIMITS.addressLine}`,
      `state ≤ ${STAX_LIMITS.state} (two-letter abbreviation)`,
      `zip ≤ ${STAX_LIMITS.zip}`,
      `metadata as JSON ≤ ${STAX_LIMITS.notes}`,
    ],
  },
};

/** Stax (Fattmerchant) `POST /customer`: JSON, Bearer API key (a JWT). */
export class StaxConnector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.api_key;
  }

  /** Sandbox and live keys look alike: the merchant account, not the key, is the sandbox. */
  testModeOf(): boolean | undefined {
    return undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForStax(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'customer'),
      headers: {
        authorization: `Bearer ${call.credentials.api_key}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(toStaxCreateCustomerRequest(call.customer)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isStaxCustomer(body)) invalidResponse(descriptor, response, 'no customer id');
      return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    const details = staxErrorDetails(body, response.status);
    if (!details) invalidResponse(descriptor, response, 'an error body without a message');
    throw processorError(descriptor, response, details);
  }
}
