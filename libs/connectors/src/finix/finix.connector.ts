import { Injectable } from '@nestjs/common';
import {
  exchangeFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type ProcessorProtocol,
} from '../connector';
import { customerAnswer, invalidResponse, processorError } from '../http/processor-response';
import { FINIX_LIMITS, firstFinixError, isFinixIdentity, toFinixCreateIdentityRequest, validateForFinix } from './finix.transformers';

/** Without the header Finix answers as version 2018-01-01; requests and tests are pinned to this one. */
export const FINIX_API_VERSION = '2022-02-01';

const descriptor: ConnectorDescriptor = {
  name: 'finix',
  configVariant: 'Finix',
  displayName: 'Finix',
  credentialFields: [
    { name: 'finix_user_name', required: true, secret: false },
    { name: 'finix_password', required: true, secret: true },
    { name: 'merchant_id', required: true, secret: false },
    { name: 'merchant_identity_id', required: true, secret: false },
  ],
  legacyAuth: {
    type: 'multi-auth-key',
    fields: { 'x-api-key': 'finix_user_name', 'x-api-secret': 'finix_password', 'x-key1': 'merchant_id', 'x-key2': 'merchant_identity_id' },
  },
  baseUrls: { sandbox: 'https://finix.sandbox-payments-api.com/', live: 'https://finix.live-payments-api.com/' },
  // Identities belong to the application the API user belongs to; sandbox and live users differ.
  // Sandbox and live API users look alike (`US…`): the base URL, not the credentials, decides the mode.
  accountIdentity: (credentials) => credentials.finix_user_name,
  capabilities: {
    fieldsSent: [
      'customer_name → entity.first_name + entity.last_name (split at the last space; the billing names when they spell it or there is no customer_name)',
      'email → entity.email (else the billing email)',
      'phone_number → entity.phone (else the billing phone with its calling code)',
      'address.billing_address → entity.personal_address (line3 joined to line2, country alpha-3)',
      'metadata → tags',
      'merchant_customer_id → tags.merchant_customer_id',
      'identity_roles: [BUYER], type: PERSONAL',
      'address.shipping_address → not sent: a buyer Identity has one personal address',
    ],
    idFormat: '`ID…` (24 characters)',
    idempotency: 'none for Identities (Finix takes `idempotency_id` on transfers, authorizations and reversals only)',
    duplicates: 'Finix creates an Identity per call; the mapping store prevents repeats, an unanswered call may leave one',
    replaysSafely: false,
    limits: [
      `first_name, last_name ≤ ${FINIX_LIMITS.firstName}`,
      `email ≤ ${FINIX_LIMITS.email}`,
      `address lines ≤ ${FINIX_LIMITS.addressLine}, city ≤ ${FINIX_LIMITS.city}, postal code ≤ ${FINIX_LIMITS.postalCode}, region two letters`,
      `tags ≤ ${FINIX_LIMITS.tags} (one is ours), key ≤ ${FINIX_LIMITS.tagKeyLength}, value ≤ ${FINIX_LIMITS.tagValueLength}`,
    ],
  },
};

/** HTTP Basic user:password, HAL JSON and the pinned `Finix-Version` on every request; errors in `_embedded.errors`. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => {
    const { finix_user_name, finix_password } = call.credentials;
    return {
      headers: {
        authorization: `Basic ${Buffer.from(`${finix_user_name}:${finix_password}`).toString('base64')}`,
        accept: 'application/hal+json',
        'finix-version': FINIX_API_VERSION,
      },
    };
  },
  error: (answer) => {
    const error = firstFinixError(answer.body);
    if (!error) return invalidResponse(descriptor, answer.raw, 'an error body without `_embedded.errors`');
    return processorError(descriptor, answer.raw, { code: error.code ?? 'UNKNOWN', message: error.message ?? 'no message', param: error.field });
  },
};

/** Finix `POST /identities`: a buyer Identity. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForFinix,
  request: (call) => ({ method: 'POST', path: 'identities', json: toFinixCreateIdentityRequest(call.customer) }),
  parse: customerAnswer(descriptor, isFinixIdentity, (body) => body.id, 'no Identity id'),
});

const flows: ConnectorFlows = { create };

/** Finix `POST /identities` (a buyer Identity): JSON, HTTP Basic user:password, pinned `Finix-Version`. */
@Injectable()
export class FinixConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
