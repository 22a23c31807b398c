import { Injectable } from '@nestjs/common';
import type { DomainError } from '@app/common/errors/domain-error';
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
import { isPaystackCustomerResponse, isPaystackErrorResponse, toPaystackCreateCustomerRequest, validateForPaystack } from './paystack.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'paystack',
  configVariant: 'Paystack',
  displayName: 'Paystack',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the secret key (sk_test_ / sk_live_) decides.
  baseUrls: { sandbox: 'https://api.paystack.co/', live: 'https://api.paystack.co/' },
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    const match = /^sk_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'email → email (else the billing email; required)',
      'customer_name → first_name (whole), or billing first_name/last_name → first_name/last_name when they are the name',
      'phone_number → phone (else the billing phone with its calling code)',
      'metadata → metadata (a JSON string)',
      'merchant_customer_id → metadata.merchant_customer_id',
      'address.billing_address, address.shipping_address: not sent (Paystack customers hold no address)',
    ],
    idFormat: '`CUS_…` (`customer_code`)',
    idempotency: 'none for customers; a retry sends the same email, which Paystack answers with the customer it already holds',
    duplicates:
      'one customer per email per integration: a create with a known email returns the existing customer (its data unchanged), so merchant customers sharing an email share one Paystack customer',
    replaysSafely: true,
    limits: ['email required'],
  },
};

function paystackError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isPaystackErrorResponse(body)) return invalidResponse(descriptor, response, 'an error body without `status: false`');
  return processorError(descriptor, response, {
    // Paystack's older errors carry only a message; its status then stands in for a code.
    code: body.code ?? body.type ?? `http_${response.status}`,
    message: body.message ?? 'no message',
    type: body.type,
  });
}

/** Bearer secret key on every request; errors as `status: false` with a message. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}` } }),
  error: paystackError,
};

/** Paystack `POST /customer`: JSON; the email identifies the customer. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForPaystack,
  request: (call) => ({ method: 'POST', path: 'customer', json: toPaystackCreateCustomerRequest(call.customer) }),
  parse: customerAnswer(descriptor, isPaystackCustomerResponse, (body) => body.data.customer_code, 'no customer_code'),
});

const flows: ConnectorFlows = { create };

/** Paystack: JSON, Bearer secret key; the email identifies the customer. */
@Injectable()
export class PaystackConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
