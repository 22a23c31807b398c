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
import { isShift4Customer, isShift4Error, toShift4CreateCustomerRequest, validateForShift4 } from './shift4.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'shift4',
  configVariant: 'Shift4',
  displayName: 'Shift4',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the secret key decides test or live.
  baseUrls: { sandbox: 'https://api.shift4.com/', live: 'https://api.shift4.com/' },
  accountIdentity: (credentials) => credentials.api_key,
  // Shift4 secret keys are `sk_test_…`/`sk_live_…` (SDK READMEs) or `pr_test_…` (API reference).
  testModeOf: (credentials) => {
    const match = /^(?:sk|pr)_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'email → email (else address.billing_address.email; required)',
      'customer_name → description (else billing first + last name)',
      'metadata → metadata',
      'merchant_customer_id → metadata.merchant_customer_id',
      'phone_number, address → not sent: a Shift4 customer has no phone or address field',
    ],
    idFormat: '`cust_…`',
    idempotency: '`Idempotency-Key` header, one key per mapping (a repeat answers the first response with `Idempotent-Replayed: true`)',
    duplicates: 'Shift4 never deduplicates (two customers may share an email); the mapping store and the key do',
    replaysSafely: true,
    limits: ['email required', 'metadata key `merchant_customer_id` reserved'],
  },
};

/** HTTP Basic with the secret key as user and no password; errors in Shift4's `error` object. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({
    headers: { authorization: `Basic ${Buffer.from(`${call.credentials.api_key}:`).toString('base64')}`, accept: 'application/json' },
  }),
  error: shift4Error,
};

/** Shift4 `POST /customers`: JSON, idempotency key per mapping. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForShift4,
  request: (call) => ({
    method: 'POST',
    path: 'customers',
    headers: { 'idempotency-key': call.idempotencyKey },
    json: toShift4CreateCustomerRequest(call.customer),
  }),
  parse: customerAnswer(descriptor, isShift4Customer, (body) => body.id),
});

const flows: ConnectorFlows = { create };

/** Shift4: JSON, HTTP Basic with the secret key as user and no password. */
@Injectable()
export class Shift4Connector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

function shift4Error(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  if (!isShift4Error(body)) return invalidResponse(descriptor, response, 'an error body without `error`');
  const { type, code, message } = body.error;
  return processorError(descriptor, response, { code: code ?? type ?? 'unknown', message: message ?? 'no message', type });
}
