import { Injectable } from '@nestjs/common';
import {
  conversationFlow,
  unsupportedFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type Credentials,
  type ExistingCustomerCall,
  type FlowResult,
  type ProcessorAnswer,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { invalidResponse, processorError } from '../http/processor-response';
import { ADYEN_SHOPPER_REFERENCE_LIMITS, toAdyenShopperReference } from './adyen.transformers';

/** A live URL prefix as Adyen issues them (`1797a841fbb37ca7-AdyenDemo`): one DNS label, nothing that could leave adyenpayments.com. */
const ENDPOINT_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,50}[A-Za-z0-9])?$/;

/**
 * The live Checkout endpoint of the company's prefix, as the official Node library builds it
 * (`https://{prefix}-checkout-live.adyenpayments.com/checkout/`, adyen-node-api-library
 * `src/service.ts`). Test has one host for everyone.
 */
export function adyenLiveCheckoutUrl(credentials: Credentials): string | undefined {
  const prefix = credentials.endpoint_prefix;
  return prefix && ENDPOINT_PREFIX.test(prefix) ? `https://${prefix}-checkout-live.adyenpayments.com/checkout/` : undefined;
}

const DELETE_UNSUPPORTED =
  'Adyen keeps no shopper to delete: erasing a shopper’s data is a Data Protection API request per payment (POST /requestSubjectErasure takes that payment’s pspReference, which this service never holds; docs.adyen.com/development-resources/data-protection-api), and DELETE /storedPaymentMethods/{id} removes one stored token, not the shopperReference (docs.adyen.com/api-explorer/Checkout/71/delete/storedPaymentMethods/{storedPaymentMethodId})';

const descriptor: ConnectorDescriptor = {
  name: 'adyen',
  configVariant: 'Adyen',
  displayName: 'Adyen',
  credentialFields: [
    { name: 'api_key', required: true, secret: true },
    { name: 'merchant_account', required: true, secret: false },
    { name: 'review_key', required: false, secret: true },
    { name: 'dispute_base_url', required: false, secret: false },
    { name: 'endpoint_prefix', required: false, secret: false },
  ],
  // Prism has no legacy header form for Adyen; this one follows its body-key convention.
  legacyAuth: { type: 'body-key', fields: { 'x-api-key': 'api_key', 'x-key1': 'merchant_account' } },
  // Never called. Live Checkout hosts carry the company's prefix (`baseUrlFor`); Adyen has no live
  // Checkout host without one (the official library refuses), so this default cannot be reached.
  baseUrls: { sandbox: 'https://checkout-test.adyen.com/', live: 'https://checkout-live.adyenpayments.com/checkout/' },
  baseUrlFor: (credentials, testMode) => (testMode ? undefined : adyenLiveCheckoutUrl(credentials)),
  // The merchant account, not the API key: Adyen scopes stored payment methods by
  // (merchantAccount, shopperReference), and a rotated key must keep yielding the same
  // references or the shopper's saved cards would be orphaned.
  accountIdentity: (credentials) => credentials.merchant_account,
  accountIdOf: (credentials) => credentials.merchant_account,
  // The live URL prefix exists only for live accounts (Adyen: "empty for requests made in the
  // test environment"), so its presence means live. Keys look alike in both environments.
  testModeOf: (credentials) => (credentials.endpoint_prefix ? false : undefined),
  capabilities: {
    fieldsSent: [
      'nothing: Adyen has no customer object, so no request is made',
      'merchant_customer_id → not sent; the shopperReference is `cs_` + the mapping’s PII-free reference (Adyen forbids PII in it)',
      'customer_name, email, phone_number, address, metadata → not stored at Adyen: send them with each payment (shopperName, shopperEmail, telephoneNumber, billingAddress, deliveryAddress, metadata)',
    ],
    idFormat: `\`cs_\` + 26 base32 characters: a \`shopperReference\` (Adyen: ${ADYEN_SHOPPER_REFERENCE_LIMITS.min}–${ADYEN_SHOPPER_REFERENCE_LIMITS.max} characters)`,
    idempotency: 'none needed: no call is made, and the reference is derived from the mapping',
    duplicates: 'cannot occur: the same mapping always yields the same shopperReference',
    replaysSafely: true,
    limits: [],
    lifecycle: {
      get: 'no call: the shopperReference from the mapping, with an empty record (Adyen keeps no customer)',
      update: 'no call: Adyen holds no customer details to change (they go with each payment); answers the shopperReference',
    },
    claims: [
      {
        claim: 'Adyen has no customer object: a shopper is the merchant-chosen shopperReference (at least 3 characters, no personal data), and stored payment methods are keyed by merchantAccount and shopperReference',
        source: 'https://docs.adyen.com/api-explorer/Checkout/71/delete/storedPaymentMethods/_storedPaymentMethodId_; Adyen/adyen-node-api-library `src/typings/checkout/storedPaymentMethodResource.ts`',
      },
      {
        claim:
          'Shopper details (shopperEmail, shopperName, telephoneNumber, billingAddress, deliveryAddress) are fields of each payment request, and the stored-payment-method operations are create, list, delete and forward only: no call changes what Adyen holds of a shopper, so an update has nothing to change and succeeds without one',
        source: 'Adyen/adyen-node-api-library `src/services/checkout/recurringApi.ts`, `src/typings/checkout/paymentRequest.ts`',
      },
      {
        claim: 'Erasure is per payment (Data Protection API, pspReference) and token deletion removes one token: no call deletes a shopperReference, so delete is unsupported',
        source: 'https://docs.adyen.com/development-resources/data-protection-api',
      },
      {
        claim: 'Live Checkout endpoints are `https://{prefix}-checkout-live.adyenpayments.com/checkout/`; there is none without the prefix',
        source: 'Adyen/adyen-node-api-library `src/service.ts` (`createBaseUrl`)',
      },
    ],
  },
};

/** Adyen's API key header and its documented error body (`status`, `errorCode`, `message`, `errorType`). */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { 'x-api-key': call.credentials.api_key } }),
  error: (answer: ProcessorAnswer) => {
    const body = answer.body as { errorCode?: unknown; message?: unknown; errorType?: unknown } | null;
    if (typeof body?.errorCode !== 'string') return invalidResponse(descriptor, answer.raw, 'an error body without `errorCode`');
    return processorError(descriptor, answer.raw, {
      code: body.errorCode,
      message: typeof body.message === 'string' ? body.message : 'no message',
      type: typeof body.errorType === 'string' ? body.errorType : undefined,
    });
  },
};

/** Choosing the shopperReference: no processor call, so no processor limit applies. */
const create = conversationFlow<CreateCustomerCall, ConnectorCustomer>({
  run: async (call) => ({ connectorCustomerId: toAdyenShopperReference(call.reference), httpStatus: 200, responseHeaders: {} }),
});

/** The mapping's shopperReference: Adyen keeps nothing else about a shopper that a call could read. */
const get = conversationFlow<ExistingCustomerCall, RetrievedCustomer>({
  run: async (call) => ({ connectorCustomerId: call.connectorCustomerId, httpStatus: 200, responseHeaders: {}, record: {} }),
});

/**
 * Nothing at Adyen holds the changed details — create stored none, and shopper details travel with
 * each payment — so the shopperReference stands as it is, and the change reaches Adyen with the
 * next payment the merchant sends.
 */
const update = conversationFlow<UpdateCustomerCall, FlowResult<'update'>>({
  run: async (call) => ({ connectorCustomerId: call.connectorCustomerId, httpStatus: 200, responseHeaders: {}, record: {} }),
});

const flows: ConnectorFlows = { create, get, update, delete: unsupportedFlow(DELETE_UNSUPPORTED) };

/** Adyen: the "customer" is a shopperReference we choose; no processor call. */
@Injectable()
export class AdyenConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
