import { Inject, Injectable, Optional } from '@nestjs/common';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  exchangeFlow,
  type Authentication,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type OutgoingRequest,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
} from '../connector';
import { CLOCK, type Clock } from '../execution/access-token-cache';
import { joinUrl } from '../http/join-url';
import { customerAnswer, invalidResponse, processorError } from '../http/processor-response';
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
  // Test and production share a merchant id; keys are issued per environment, so the pair tells them apart.
  accountIdentity: (credentials) => `${credentials.merchant_account}\0${credentials.api_key}`,
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
 * The request target Cybersource signs: the path at Cybersource, without the prefix a base URL
 * (a proxy's `/cybersource`) adds, and the query.
 */
function resourcePathOf(call: ProcessorCall, request: OutgoingRequest): string {
  const url = new URL(request.url);
  const basePath = new URL(joinUrl(call.baseUrl, '')).pathname;
  const path = url.pathname.startsWith(basePath) ? `/${url.pathname.slice(basePath.length)}` : url.pathname;
  return `${path}${url.search}`;
}

function cybersourceError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  const details = cybersourceErrorDetails(body, response.status);
  if (!details) return invalidResponse(descriptor, response, 'an error body in none of Cybersource’s error shapes');
  // TMS answers 424 when the merchant's TMS profile is missing: a configuration refusal, not an outage.
  return processorError(descriptor, response, details, response.status === 424 ? ErrorReason.ConnectorRequestRejected : undefined);
}

/** Token Management Service `POST /tms/v2/customers`. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForCybersource,
  request: (call) => ({
    method: 'POST',
    path: CYBERSOURCE_CUSTOMERS_PATH,
    headers: { 'content-type': CYBERSOURCE_JSON },
    json: toCybersourceCreateCustomerRequest(call.customer, call.reference),
  }),
  parse: customerAnswer(descriptor, isCybersourceCustomer, (body) => body.id),
});

const flows: ConnectorFlows = { create };

/**
 * Cybersource Token Management Service: JSON, authenticated by an HTTP Signature (HMAC-SHA256
 * over host, date, request target, body digest and merchant id).
 */
@Injectable()
export class CybersourceConnector implements Connector {
  readonly descriptor = descriptor;
  readonly flows = flows;
  readonly protocol: ProcessorProtocol;

  /** `now` dates (and so signs) each request; tests pin it. */
  constructor(@Optional() @Inject(CLOCK) private readonly now: Clock = Date.now) {
    this.protocol = { authenticate: (call, request) => this.authenticate(call, request), error: cybersourceError };
  }

  private authenticate(call: ProcessorCall, request: OutgoingRequest): Authentication {
    return {
      headers: {
        accept: CYBERSOURCE_JSON,
        ...cybersourceSignedHeaders({
          method: request.method,
          url: request.url,
          resourcePath: resourcePathOf(call, request),
          body: request.body ?? '',
          date: new Date(this.now()),
          keyId: call.credentials.api_key,
          merchantId: call.credentials.merchant_account,
          sharedSecret: call.credentials.api_secret,
        }),
      },
    };
  }
}
