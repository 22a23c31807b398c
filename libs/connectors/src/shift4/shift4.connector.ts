import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import { isShift4Customer, isShift4Error, toShift4CreateCustomerRequest, validateForShift4 } from './shift4.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'shift4',
  configVariant: 'Shift4',
  displayName: 'Shift4',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the secret key decides test or live.
  baseUrls: { sandbox: 'https://api.shift4.com/', live: 'https://api.shift4.com/' },
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

/** Shift4 `POST /customers`: JSON, HTTP Basic with the secret key as user and no password. */
export class Shift4Connector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.api_key;
  }

  /** Shift4 secret keys are `sk_test_…`/`sk_live_…` (SDK READMEs) or `pr_test_…` (API reference). */
  testModeOf(credentials: Credentials): boolean | undefined {
    const match = /^(?:sk|pr)_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForShift4(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'customers'),
      headers: {
        authorization: `Basic ${Buffer.from(`${call.credentials.api_key}:`).toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'idempotency-key': call.idempotencyKey,
      },
      body: JSON.stringify(toShift4CreateCustomerRequest(call.customer)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isShift4Customer(body)) invalidResponse(descriptor, response, 'no customer id');
      return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    if (!isShift4Error(body)) invalidResponse(descriptor, response, 'an error body without `error`');
    const { type, code, message } = body.error;
    throw processorError(descriptor, response, { code: code ?? type ?? 'unknown', message: message ?? 'no message', type });
  }
}
