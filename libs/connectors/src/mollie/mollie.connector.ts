import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import { isMollieCustomer, isMollieError, MOLLIE_LIMITS, toMollieCreateCustomerRequest, validateForMollie } from './mollie.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'mollie',
  configVariant: 'Mollie',
  displayName: 'Mollie',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the key (test_/live_) decides.
  baseUrls: { sandbox: 'https://api.mollie.com/', live: 'https://api.mollie.com/' },
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

/** Mollie `POST /v2/customers`: JSON, Bearer API key, idempotency key per mapping. */
export class MollieConnector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.api_key;
  }

  testModeOf(credentials: Credentials): boolean | undefined {
    const match = /^(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForMollie(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const apiKey = call.credentials.api_key;
    const request = { ...toMollieCreateCustomerRequest(call.customer), ...(ACCESS_TOKEN.test(apiKey) && { testmode: call.testMode }) };
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'v2/customers'),
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': call.idempotencyKey,
      },
      body: JSON.stringify(request),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isMollieCustomer(body)) invalidResponse(descriptor, response, 'no customer id');
      return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    if (!isMollieError(body)) invalidResponse(descriptor, response, 'an error body without title or detail');
    throw processorError(descriptor, response, {
      code: body.title ?? `http_${response.status}`,
      message: body.detail ?? body.title ?? 'no message',
      param: body.field,
    });
  }
}
