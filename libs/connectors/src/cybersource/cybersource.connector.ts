import { Inject, Injectable, Optional } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  conversationFlow,
  customerFrom,
  exchangeFlow,
  type Authentication,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type CustomerRecord,
  type DeletedCustomer,
  type DeleteCustomerCall,
  type ExistingCustomerCall,
  type OutgoingRequest,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type ProcessorRequest,
  type ProcessorSession,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { CLOCK, type Clock } from '../execution/access-token-cache';
import { joinUrl } from '../http/join-url';
import { customerAnswer, invalidResponse, parseJsonBody, processorError } from '../http/processor-response';
import type { InboundResponse } from '../http/processor-http';
import { cybersourceSignedHeaders } from './cybersource.signature';
import {
  CYBERSOURCE_LIMITS,
  cybersourceCustomerOf,
  cybersourceErrorDetails,
  cybersourceRecord,
  isCybersourceCustomer,
  tmsErrorType,
  toCybersourceCreateCustomerRequest,
  toCybersourcePatchCustomerRequest,
  validateForCybersource,
  type CybersourceCustomer,
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
  // The merchant id names the account whatever key signs; test and live share it, so the service adds the mode.
  accountIdOf: (credentials) => credentials.merchant_account,
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
    lifecycle: {
      get: 'GET /tms/v2/customers/{id}',
      update: 'GET /tms/v2/customers/{id} (ETag), then PATCH /tms/v2/customers/{id} with If-Match and each changed object whole',
      delete: 'DELETE /tms/v2/customers/{id} (404 notFound: already deleted)',
    },
    limits: [
      `merchantCustomerID ≤ ${CYBERSOURCE_LIMITS.merchantCustomerId}`,
      `email ≤ ${CYBERSOURCE_LIMITS.email}`,
      `title ≤ ${CYBERSOURCE_LIMITS.title}`,
      `metadata ≤ ${CYBERSOURCE_LIMITS.merchantDefinedFields} pairs, "key=value" ≤ ${CYBERSOURCE_LIMITS.merchantDefinedValue}, no "=" in keys, no e-mail address or card number`,
    ],
    claims: [
      {
        claim: 'a customer is read, changed and deleted at GET, PATCH and DELETE /tms/v2/customers/{customerId}; DELETE answers with no body and removes its payment instruments and shipping addresses too',
        source: 'CyberSource/cybersource-rest-client-node docs/CustomerApi.md',
      },
      {
        claim:
          'TMS customer requests take no idempotency key (CustomerApi sends only profile-id, and if-match on PATCH; the SDK\'s one idempotency header, v-c-idempotency-id, belongs to merchant boarding) and never deduplicate, and there is no customer search: a lost create goes to an operator',
        source: 'CyberSource/cybersource-rest-client-node src/api/CustomerApi.js, docs/CustomerApi.md, docs/MerchantBoardingApi.md',
      },
      {
        claim: 'GET and DELETE are signed over "host date request-target v-c-merchant-id" with no Digest header; POST, PUT and PATCH add the digest of the body',
        source: 'CyberSource/cybersource-rest-client-node src/authentication/http/HTTPSigToken.js, src/authentication/http/SignatureParameterGenerator.js, src/ApiClient.js',
      },
      {
        claim: 'PATCH takes an optional If-Match with the ETag of a GET; a stale one is refused (412, type conflict)',
        source: 'CyberSource/cybersource-rest-client-node docs/CustomerApi.md (ifMatch), src/api/CustomerApi.js, docs/InlineResponse412Errors.md',
      },
      {
        claim:
          'how PATCH merges a partial nested object or the merchantDefinedInformation array is not documented: the connector reads the customer first and sends each object it changes whole, merged, under If-Match, which is right whether TMS merges or replaces; sensitive1–4 are never sent back (GET may show them masked) (inferred)',
      },
      {
        claim:
          'an unknown customer answers 404 (type notFound) and 410 (notAvailable) exists: get reports both as not found, delete reads only a 404 notFound as already deleted; a 410 or another 404 body stays an error rather than a possibly false "deleted" (the meaning of 410 is inferred)',
        source: 'CyberSource/cybersource-rest-client-node docs/InlineResponse404Errors.md, docs/InlineResponse410Errors.md, src/api/CustomerApi.js',
      },
      {
        claim: 'merchant-defined fields are data1–data4 and sensitive1–sensitive4, and must not carry personal data',
        source: 'CyberSource/cybersource-rest-client-node docs/Tmsv2tokenizeTokenInformationCustomerMerchantDefinedInformation.md',
      },
      {
        claim:
          `the limits (merchantCustomerID ${CYBERSOURCE_LIMITS.merchantCustomerId}, email ${CYBERSOURCE_LIMITS.email}, title ${CYBERSOURCE_LIMITS.title}, merchant-defined value ${CYBERSOURCE_LIMITS.merchantDefinedValue}) come from a third-party DTO; the official SDK models carry none (inferred): at worst a value Cybersource would take is refused before any call, never sent twice`,
      },
      {
        claim: 'the merchant id (v-c-merchant-id) names the account for every key that signs for it, in test and production alike',
        source: 'CyberSource/cybersource-rest-client-node src/ApiClient.js (v-c-merchant-id from the merchant configuration)',
      },
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

/** Statuses whose TMS meaning says more than the status table (424, 410, 412). */
const TMS_STATUS_REASONS: Readonly<Record<number, ErrorReason>> = {
  // The merchant's TMS profile is missing: a configuration refusal, not an outage.
  424: ErrorReason.ConnectorRequestRejected,
  410: ErrorReason.ConnectorNotFound,
  // A PATCH whose If-Match no longer matches: someone changed the customer since we read it.
  412: ErrorReason.ConnectorConflict,
};

function cybersourceError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  const details = cybersourceErrorDetails(body, response.status);
  if (!details) return invalidResponse(descriptor, response, 'an error body in none of Cybersource’s error shapes');
  return processorError(descriptor, response, details, TMS_STATUS_REASONS[response.status]);
}

/** JSON, except the empty body of a refusal a gateway sends without one. */
function decodeBody(response: InboundResponse): unknown {
  return response.body === '' ? undefined : parseJsonBody(descriptor, response);
}

const customerPath = (id: string) => `${CYBERSOURCE_CUSTOMERS_PATH}/${encodeURIComponent(id)}`;

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

function retrievedFrom(answer: ProcessorAnswer): CybersourceCustomer {
  return cybersourceCustomerOf(answer.body) ?? invalidResponse(descriptor, answer.raw, 'no customer id');
}

const getRequest = (call: ExistingCustomerCall): ProcessorRequest => ({ method: 'GET', path: customerPath(call.connectorCustomerId) });

/** `GET /tms/v2/customers/{id}`: 404 and 410 are CONNECTOR_NOT_FOUND. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: getRequest,
  parse: (answer) => {
    const customer = retrievedFrom(answer);
    return { ...customerFrom(answer, customer.id), record: cybersourceRecord(customer) };
  },
});

/**
 * Read, then `PATCH` what changes: each changed object whole, merged with the copy read, under
 * If-Match with the read's ETag so a concurrent change is refused (412) instead of overwritten.
 * Nothing TMS holds changes (phone, addresses): the read is the answer.
 */
async function patch(call: UpdateCustomerCall, session: ProcessorSession): Promise<ConnectorCustomer & { record?: CustomerRecord }> {
  const read = await session.send(getRequest(call));
  const existing = retrievedFrom(read);
  const body = toCybersourcePatchCustomerRequest(existing, call.customer, call.merchantCustomerId);
  if (Array.isArray(body)) throw DomainError.validation(body);
  if (Object.keys(body).length === 0) return { ...customerFrom(read, existing.id), record: cybersourceRecord(existing) };
  const etag = read.headers.etag;
  const answer = await session.send({
    method: 'PATCH',
    path: customerPath(call.connectorCustomerId),
    headers: { 'content-type': CYBERSOURCE_JSON, ...(etag !== undefined && { 'if-match': etag }) },
    json: body,
  });
  const updated = retrievedFrom(answer);
  return { ...customerFrom(answer, updated.id), record: cybersourceRecord(updated) };
}

const update = conversationFlow<UpdateCustomerCall, ConnectorCustomer & { record?: CustomerRecord }>({ validate: validateForCybersource, run: patch });

/** `DELETE /tms/v2/customers/{id}`: a TMS 404 notFound means it is already gone (a retry after a lost answer). */
const remove = exchangeFlow<DeleteCustomerCall, DeletedCustomer>({
  request: (call) => ({ method: 'DELETE', path: customerPath(call.connectorCustomerId) }),
  accepts: [404],
  parse: (answer) => {
    if (answer.status === 404 && tmsErrorType(answer.body) !== 'notFound') throw cybersourceError(answer);
    return { httpStatus: answer.status, responseHeaders: answer.headers, alreadyDeleted: answer.status === 404 };
  },
});

const flows: ConnectorFlows = { create, get, update, delete: remove };

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
    this.protocol = { authenticate: (call, request) => this.authenticate(call, request), decode: decodeBody, error: cybersourceError };
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
