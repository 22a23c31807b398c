import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
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

/** Finix `POST /identities` (a buyer Identity): JSON, HTTP Basic user:password, pinned `Finix-Version`. */
export class FinixConnector implements Connector {
  readonly descriptor = descriptor;

  /** Identities belong to the application the API user belongs to; sandbox and live users differ. */
  accountIdentity(credentials: Credentials): string {
    return credentials.finix_user_name;
  }

  /** Sandbox and live API users look alike (`US…`): the base URL, not the credentials, decides. */
  testModeOf(): boolean | undefined {
    return undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForFinix(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const { finix_user_name, finix_password } = call.credentials;
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'identities'),
      headers: {
        authorization: `Basic ${Buffer.from(`${finix_user_name}:${finix_password}`).toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/hal+json',
        'finix-version': FINIX_API_VERSION,
      },
      body: JSON.stringify(toFinixCreateIdentityRequest(call.customer)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isFinixIdentity(body)) invalidResponse(descriptor, response, 'no Identity id');
      return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    const error = firstFinixError(body);
    if (!error) invalidResponse(descriptor, response, 'an error body without `_embedded.errors`');
    throw processorError(descriptor, response, { code: error.code ?? 'UNKNOWN', message: error.message ?? 'no message', param: error.field });
  }
}
