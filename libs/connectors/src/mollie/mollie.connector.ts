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
import { isMollieCustomer, isMollieError, MOLLIE_LIMITS, toMollieCreateCustomerRequest, validateForMollie } from './mollie.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'mollie',
  configVariant: 'Mollie',
  displayName: 'Mollie',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the key (test_/live_) decides.
  baseUrls: { sandbox: 'https://api.mollie.com/', live: 'https://api.mollie.com/' },
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    const match = /^(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'customer_name → name',
      'email → email (international domain in Punycode)',
      'connector_feature_data.locale → locale',
      'metadata → metadata',
      'merchant_customer_id → metadata.merchant_customer_id',
      'test_mode → testmode (organization access tokens only)',
      'phone_number, address.* → not sent (Mollie customers hold neither)',
    ],
    idFormat: '`cst_…`',
    idempotency: '`Idempotency-Key` header, one key per mapping; Mollie replays the first answer for 24 h (`Idempotent-Replayed: true`), 400 for the key with other parameters, 409 while the first is in flight',
    duplicates: 'Mollie never deduplicates; the mapping store and the key do',
    replaysSafely: true,
    limits: [`metadata JSON ≤ ${MOLLIE_LIMITS.metadataBytes} bytes (merchant_customer_id included)`, 'locale one of Mollie’s'],
  },
};

const ACCESS_TOKEN = /^access_/;

/** Bearer API key (or organization access token) on every request; errors as Mollie's problem JSON. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}` } }),
  error: mollieError,
};

/** Mollie `POST /v2/customers`: JSON, idempotency key per mapping. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForMollie,
  request: (call) => ({
    method: 'POST',
    path: 'v2/customers',
    headers: { 'idempotency-key': call.idempotencyKey },
    json: { ...toMollieCreateCustomerRequest(call.customer), ...(ACCESS_TOKEN.test(call.credentials.api_key) && { testmode: call.testMode }) },
  }),
  parse: customerAnswer(descriptor, isMollieCustomer, (body) => body.id),
});

const flows: ConnectorFlows = { create };

/** Mollie: JSON, Bearer API key, idempotency key per mapping. */
@Injectable()
export class MollieConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

function mollieError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  if (!isMollieError(body)) return invalidResponse(descriptor, response, 'an error body without title or detail');
  return processorError(descriptor, response, {
    code: body.title ?? `http_${response.status}`,
    message: body.detail ?? body.title ?? 'no message',
    param: body.field,
  });
}
