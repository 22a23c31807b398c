import { Injectable } from '@nestjs/common';
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
import { isStaxCustomer, STAX_LIMITS, staxErrorDetails, toStaxCreateCustomerRequest, validateForStax } from './stax.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'stax',
  configVariant: 'Stax',
  displayName: 'Stax',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both: a Stax sandbox is a merchant account flagged as such, reached with its own key.
  baseUrls: { sandbox: 'https://apiprod.fattlabs.com/', live: 'https://apiprod.fattlabs.com/' },
  // Sandbox and live keys look alike: the merchant account, not the key, is the sandbox.
  accountIdentity: (credentials) => credentials.api_key,
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

/** Bearer API key (a JWT) on every request; errors in Stax's several error shapes. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}`, accept: 'application/json' } }),
  error: staxError,
};

/** Stax `POST /customer`: JSON, no idempotency key (Stax has none for customers). */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForStax,
  request: (call) => ({ method: 'POST', path: 'customer', json: toStaxCreateCustomerRequest(call.customer) }),
  parse: customerAnswer(descriptor, isStaxCustomer, (body) => body.id),
});

const flows: ConnectorFlows = { create };

/** Stax (Fattmerchant): JSON, Bearer API key (a JWT). */
@Injectable()
export class StaxConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

function staxError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  const details = staxErrorDetails(body, response.status);
  if (!details) return invalidResponse(descriptor, response, 'an error body without a message');
  return processorError(descriptor, response, details);
}
