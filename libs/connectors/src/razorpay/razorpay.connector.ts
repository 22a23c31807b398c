import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import {
  backReferenceOf,
  isRazorpayCustomer,
  isRazorpayError,
  RAZORPAY_LIMITS,
  toRazorpayCreateCustomerRequest,
  validateForRazorpay,
} from './razorpay.transformers';

const descriptor: ConnectorDescriptor = {
  name: 'razorpay',
  configVariant: 'Razorpay',
  displayName: 'Razorpay',
  credentialFields: [
    // The key id is public (Razorpay Checkout embeds it in web pages); the secret is not.
    { name: 'key_id', required: true, secret: false },
    { name: 'key_secret', required: true, secret: true },
  ],
  legacyAuth: { type: 'body-key', fields: { 'x-api-key': 'key_id', 'x-key1': 'key_secret' } },
  // One host for both modes: the key pair (rzp_test_/rzp_live_) decides.
  baseUrls: { sandbox: 'https://api.razorpay.com/', live: 'https://api.razorpay.com/' },
  capabilities: {
    fieldsSent: [
      'customer_name → name',
      'email → email',
      'phone_number → contact (digits and +)',
      'connector_feature_data.gstin → gstin',
      'metadata → notes',
      'merchant_customer_id → notes.merchant_customer_id',
      'address.* → not sent (Razorpay customers take no address on create)',
    ],
    idFormat: '`cust_…`',
    idempotency: 'no idempotency key; `fail_existing: "0"` makes a repeated create with the same email and contact return the first customer',
    duplicates:
      'Razorpay matches customers by email and contact; a match is returned (`fail_existing: "0"`), and refused as FAILED_PRECONDITION when its notes name another merchant_customer_id',
    replaysSafely: true,
    limits: [
      'email or phone_number required (the duplicate match needs one)',
      `name ${RAZORPAY_LIMITS.nameMin}–${RAZORPAY_LIMITS.nameMax} characters: letters, digits, spaces and ' - . _ ( ) @ /`,
      `email ≤ ${RAZORPAY_LIMITS.email}`,
      `contact ≤ ${RAZORPAY_LIMITS.contact} characters with ≥ ${RAZORPAY_LIMITS.contactMinDigits} digits`,
      `notes ≤ ${RAZORPAY_LIMITS.notesPairs} pairs (one is ours), value ≤ ${RAZORPAY_LIMITS.notesValueLength}`,
      `gstin ${RAZORPAY_LIMITS.gstin} letters and digits`,
    ],
  },
};

/** Razorpay's placeholder in error fields that carry nothing. */
const NOT_APPLICABLE = 'NA';

/**
 * Razorpay `POST /v1/customers`: JSON, Basic key_id:key_secret. With `fail_existing: "0"` a
 * retry sending the same details gets the customer of the first attempt back.
 */
export class RazorpayConnector implements Connector {
  readonly descriptor = descriptor;

  accountIdentity(credentials: Credentials): string {
    return credentials.key_id;
  }

  testModeOf(credentials: Credentials): boolean | undefined {
    const match = /^rzp_(test|live)_/.exec(credentials.key_id);
    return match ? match[1] === 'test' : undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForRazorpay(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const { key_id, key_secret } = call.credentials;
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'v1/customers'),
      headers: {
        authorization: `Basic ${Buffer.from(`${key_id}:${key_secret}`, 'utf8').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(toRazorpayCreateCustomerRequest(call.customer)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isRazorpayCustomer(body)) invalidResponse(descriptor, response, 'no customer id');
      const backReference = backReferenceOf(body);
      if (backReference !== undefined && backReference !== call.customer.merchantCustomerId) {
        // fail_existing matched a customer created for another merchant customer with the same email and contact.
        throw processorError(
          descriptor,
          response,
          {
            code: 'existing_customer_of_another_merchant_customer_id',
            message: `Razorpay returned its existing customer ${body.id}, created for another merchant_customer_id with the same email and contact`,
          },
          ErrorReason.ConnectorRequestRejected,
        );
      }
      return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    if (!isRazorpayError(body)) invalidResponse(descriptor, response, 'an error body without `error`');
    const { code, description, field, reason } = body.error;
    const hasReason = reason !== undefined && reason !== NOT_APPLICABLE;
    throw processorError(descriptor, response, {
      code: (hasReason ? reason : code) ?? `http_${response.status}`,
      message: description ?? 'no message',
      param: field,
      type: code,
    });
  }
}
