import { Injectable } from '@nestjs/common';
import { conversationFlow, type Connector, type ConnectorCustomer, type ConnectorDescriptor, type CreateCustomerCall, type ProcessorAnswer, type ProcessorProtocol } from '../connector';
import { invalidResponse, processorError } from '../http/processor-response';
import { ADYEN_SHOPPER_REFERENCE_LIMITS, toAdyenShopperReference } from './adyen.transformers';

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
  // Never called. Live Checkout hosts carry the company's prefix: {endpoint_prefix}-checkout-live.adyenpayments.com.
  baseUrls: { sandbox: 'https://checkout-test.adyen.com/', live: 'https://checkout-live.adyenpayments.com/' },
  // The merchant account, not the API key: Adyen scopes stored payment methods by
  // (merchantAccount, shopperReference), and a rotated key must keep yielding the same
  // references or the shopper's saved cards would be orphaned.
  accountIdentity: (credentials) => credentials.merchant_account,
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

/** Adyen: the "customer" is a shopperReference we choose; no processor call. */
@Injectable()
export class AdyenConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = { create };
}
