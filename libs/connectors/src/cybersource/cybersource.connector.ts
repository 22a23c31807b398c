import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import { cybersourceSignedHeaders } from './cybersource.signature';
import {
  CYBERSOURCE_LIMITS,
  cybersourceErrorDetails,
  isCybersourceCustomer,
  toCybersourceCreateCustomerRequest,
  validateForCybersource,
} from './cybersource.transformers';

/** The resource path at Cybersource; signed as the request target whatever prefix a base URL adds. */
export const CYBERSOURCE_CUSTOMERS_PATH = '/tms/v2/customers';

export const CYBERSOURCE_JSON = 'application/json;charset=utf-8';

const descriptor: ConnectorDescriptor = {
  name: 'cybersource',
  configVariant: 'Cybersource',
  displayName: 'Cybersource',
  credentialFields: [
    { name: 'api_key', required: true, secret: true },
    { name: 'merchant_account', required: true, secret: false },
    { name: 'api_secret', required: true, secret: true },
  ],
  legacyAuth: { type: 'signature-key', fields: { 'x-api-key': 'api_key', 'x-key1': 'merchant_account', 'x-api-secret': 'api_secret' } },
  baseUrls: { sandbox: 'https://apitest.cybersource.com/', live: 'https://api.cybersource.com/', alternates: ['https://api.in.cybersource.com'] },
  capabilities: {
    fieldsSent: [
      'merchant_customer_id → buyerInformation.merchantCustomerID',
      'email (else the billing email) → buyerInformation.email',
      'customer_name (else billing first + last name) → objectInformation.title',
      'metadata → merchantDefinedInformation[data1…data4] as "key=value"',
      'our stable reference → clientReferenceInformation.code',
      'not sent: phone_number and addresses (a TMS customer holds neither; shipping addresses are a separate resource)',
    ],
    idFormat: '32 uppercase hex characters (`F2F3ADA770102B51E053A2598D0A9078`)',
    idempotency: 'none: TMS takes no idempotency key; `clientReferenceInformation.code` carries our stable reference for reconciliation',
    duplicates: 'TMS never deduplicates (not by merchantCustomerID either): a retry after a lost answer creates another customer',
    replaysSafely: false,
    limits: [
      `merchantCustomerID ≤ ${CYBERSOURCE_LIMITS.merchantCustomerId}`,
      `email ≤ ${CYBERSOURCE_LIMITS.email}`,
      `title ≤ ${CYBERSOURCE_LIMITS.title}`,
      `metadata ≤ ${CYBERSOURCE_LIMITS.merchantDefinedFields} pairs, "key=value" ≤ ${CYBERSOURCE_LIMITS.merchantDefinedValue}, no "=" in keys, no e-mail address or card number`,
    ],
  },
};

/**
 * Cybersource Token Management Service `POST /tms/v2/customers`: JSON, authenticated by an HTTP
 * Signature (HMAC-SHA256 over host, date, request target, body digest and merchant id).
 */
export class CybersourceConnector implements Connector {
  readonly descriptor = descriptor;

  /** `now` dates (and so signs) each request; tests pin it. */
  constructor(private readonly now: () => Date = () => new Date()) {}

  accountIdentity(credentials: Credentials): string {
    // Test and production share a merchant id; keys are issued per environment, so the pair tells them apart.
    return `${credentials.merchant_account}\0${credentials.api_key}`;
  }

  testModeOf(_credentials: Credentials): boolean | undefined {
    return undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForCybersource(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const url = joinUrl(call.baseUrl, CYBERSOURCE_CUSTOMERS_PATH);
    const body = JSON.stringify(toCybersourceCreateCustomerRequest(call.customer, call.reference));
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url,
      headers: {
        'content-type': CYBERSOURCE_JSON,
        accept: CYBERSOURCE_JSON,
        ...cybersourceSignedHeaders({
          url,
          resourcePath: CYBERSOURCE_CUSTOMERS_PATH,
          body,
          date: this.now(),
          keyId: call.credentials.api_key,
          merchantId: call.credentials.merchant_account,
          sharedSecret: call.credentials.api_secret,
        }),
      },
      body,
    });
    const parsed = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isCybersourceCustomer(parsed)) invalidResponse(descriptor, response, 'no customer id');
      return { connectorCustomerId: parsed.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    const details = cybersourceErrorDetails(parsed, response.status);
    if (!details) invalidResponse(descriptor, response, 'an error body in none of Cybersource’s error shapes');
    // TMS answers 424 when the merchant's TMS profile is missing: a configuration refusal, not an outage.
    throw processorError(descriptor, response, details, response.status === 424 ? ErrorReason.ConnectorRequestRejected : undefined);
  }
}
