import { Injectable } from '@nestjs/common';
import type { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  customerFrom,
  exchangeFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type ProcessorAnswer,
  type ProcessorProtocol,
} from '../connector';
import { invalidResponse, processorError } from '../http/processor-response';
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
  accountIdentity: (credentials) => credentials.key_id,
  testModeOf: (credentials) => {
    const match = /^rzp_(test|live)_/.exec(credentials.key_id);
    return match ? match[1] === 'test' : undefined;
  },
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

function razorpayError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isRazorpayError(body)) return invalidResponse(descriptor, response, 'an error body without `error`');
  const { code, description, field, reason } = body.error;
  const hasReason = reason !== undefined && reason !== NOT_APPLICABLE;
  return processorError(descriptor, response, {
    code: (hasReason ? reason : code) ?? `http_${response.status}`,
    message: description ?? 'no message',
    param: field,
    type: code,
  });
}

/** Basic key_id:key_secret on every request; errors in Razorpay's `error` object. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => {
    const { key_id, key_secret } = call.credentials;
    return { headers: { authorization: `Basic ${Buffer.from(`${key_id}:${key_secret}`, 'utf8').toString('base64')}` } };
  },
  error: razorpayError,
};

/**
 * Razorpay `POST /v1/customers`: JSON. With `fail_existing: "0"` a retry sending the same details
 * gets the customer of the first attempt back.
 */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForRazorpay,
  request: (call) => ({ method: 'POST', path: 'v1/customers', json: toRazorpayCreateCustomerRequest(call.customer) }),
  parse: (answer, call) => {
    if (!isRazorpayCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
    const backReference = backReferenceOf(answer.body);
    if (backReference !== undefined && backReference !== call.customer.merchantCustomerId) {
      // fail_existing matched a customer created for another merchant customer with the same email and contact.
      throw processorError(
        descriptor,
        answer.raw,
        {
          code: 'existing_customer_of_another_merchant_customer_id',
          message: `Razorpay returned its existing customer ${answer.body.id}, created for another merchant_customer_id with the same email and contact`,
        },
        ErrorReason.ConnectorRequestRejected,
      );
    }
    return customerFrom(answer, answer.body.id);
  },
});

const flows: ConnectorFlows = { create };

/** Razorpay: JSON, Basic key_id:key_secret; `fail_existing: "0"` makes a create replay safely. */
@Injectable()
export class RazorpayConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
