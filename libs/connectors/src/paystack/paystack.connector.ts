import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import { isPaystackCustomerResponse, isPaystackErrorResponse, toPaystackCreateCustomerRequest, validateForPaystack } from './paystack.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'paystack',
  configVariant: 'Paystack',
  displayName: 'Paystack',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the secret key (sk_test_ / sk_live_) decides.
  baseUrls: { sandbox: 'https://api.paystack.co/', live: 'https://api.paystack.co/' },
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

/** Paystack `POST /customer`: JSON, Bearer secret key; the email identifies the customer. */
export class PaystackConnector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.api_key;
  }

  testModeOf(credentials: Credentials): boolean | undefined {
    const match = /^sk_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForPaystack(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'customer'),
      headers: {
        authorization: `Bearer ${call.credentials.api_key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(toPaystackCreateCustomerRequest(call.customer)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isPaystackCustomerResponse(body)) invalidResponse(descriptor, response, 'no customer_code');
      return { connectorCustomerId: body.data.customer_code, httpStatus: response.status, responseHeaders: response.headers };
    }
    if (!isPaystackErrorResponse(body)) invalidResponse(descriptor, response, 'an error body without `status: false`');
    throw processorError(descriptor, response, {
      // Paystack's older errors carry only a message; its status then stands in for a code.
      code: body.code ?? body.type ?? `http_${response.status}`,
      message: body.message ?? 'no message',
      type: body.type,
    });
  }
}
