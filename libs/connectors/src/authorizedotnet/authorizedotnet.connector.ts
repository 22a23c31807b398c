import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
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
import type { InboundResponse } from '../http/processor-http';
import { invalidResponse, parseJsonBody, processorError } from '../http/processor-response';
import {
  AUTHORIZEDOTNET_DUPLICATE_CODE,
  AUTHORIZEDOTNET_LIMITS,
  blamedElement,
  duplicateProfileId,
  isAuthorizedotnetResponse,
  toAuthorizedotnetCreateCustomerProfileRequest,
  validateForAuthorizedotnet,
  withoutByteOrderMark,
  type AuthorizedotnetMessage,
} from './authorizedotnet.transformers';

/**
 * Authorize.net's result codes → our reasons. It answers HTTP 200 for every API error, so the
 * code, not the status, says what happened. Codes not listed are refusals we do not classify:
 * CONNECTOR_REQUEST_REJECTED, nothing created.
 */
export const AUTHORIZEDOTNET_ERROR_REASONS: Readonly<Record<string, ErrorReason>> = {
  E00001: ErrorReason.ConnectorInternalError,
  E00002: ErrorReason.ConnectorInvalidRequest,
  E00003: ErrorReason.ConnectorInvalidRequest,
  E00004: ErrorReason.ConnectorInvalidRequest,
  E00005: ErrorReason.ConnectorAuthenticationFailed,
  E00006: ErrorReason.ConnectorAuthenticationFailed,
  E00007: ErrorReason.ConnectorAuthenticationFailed,
  E00008: ErrorReason.ConnectorPermissionDenied,
  E00009: ErrorReason.ConnectorRequestRejected,
  E00010: ErrorReason.ConnectorPermissionDenied,
  E00011: ErrorReason.ConnectorPermissionDenied,
  E00013: ErrorReason.ConnectorInvalidRequest,
  E00014: ErrorReason.ConnectorInvalidRequest,
  E00015: ErrorReason.ConnectorInvalidRequest,
  E00016: ErrorReason.ConnectorInvalidRequest,
  E00041: ErrorReason.ConnectorInvalidRequest,
  E00043: ErrorReason.ConnectorInvalidRequest,
  E00044: ErrorReason.ConnectorPermissionDenied,
  E00045: ErrorReason.ConnectorInvalidRequest,
  E00049: ErrorReason.ConnectorTimeout,
  E00053: ErrorReason.ConnectorUnavailable,
  E00059: ErrorReason.ConnectorAuthenticationFailed,
  E00104: ErrorReason.ConnectorUnavailable,
};

export const AUTHORIZEDOTNET_UNCLASSIFIED_ERROR_REASON = ErrorReason.ConnectorRequestRejected;

/** "An error occurred during processing" and "The operation timed out": the profile may exist. */
const OUTCOME_UNKNOWN_CODES: ReadonlySet<string> = new Set(['E00001', 'E00049']);

const descriptor: ConnectorDescriptor = {
  name: 'authorizedotnet',
  configVariant: 'Authorizedotnet',
  displayName: 'Authorize.net',
  credentialFields: [
    // The API Login ID names the account (Accept.js even publishes it); the key is the secret.
    { name: 'name', required: true, secret: false },
    { name: 'transaction_key', required: true, secret: true },
  ],
  legacyAuth: { type: 'body-key', fields: { 'x-api-key': 'name', 'x-key1': 'transaction_key' } },
  // One endpoint per environment; the base URL is the whole endpoint. Live is the Akamai
  // SureRoute host Authorize.net recommends and its SDKs use (api.authorize.net also serves).
  baseUrls: { sandbox: 'https://apitest.authorize.net/xml/v1/request.api', live: 'https://api2.authorize.net/xml/v1/request.api', alternates: ['https://api.authorize.net/xml/v1/request.api'] },
  // Sandbox and production API Login IDs look alike; only the endpoint tells them apart.
  accountIdentity: (credentials) => credentials.name,
  capabilities: {
    fieldsSent: [
      `merchant_customer_id → profile.merchantCustomerId when ≤ ${AUTHORIZEDOTNET_LIMITS.merchantCustomerId} characters, else the first ${AUTHORIZEDOTNET_LIMITS.merchantCustomerId} characters of the stable customer reference (never the id cut short)`,
      'customer_name (else billing first + last name) → profile.description',
      'email (else billing email) → profile.email',
      'address.shipping_address → profile.shipToList[0] (first/last name, line1–line3 joined by spaces into address, city, state, zip, country, phone with its calling code, email)',
      'not sent: phone_number (a profile has no phone), the billing address itself (billTo belongs to payment profiles, which need card or bank data), metadata (no metadata on a profile)',
    ],
    idFormat: '`customerProfileId`, a numeric string (`1913038047`)',
    idempotency: 'no idempotency key exists; every attempt of a mapping sends the same merchantCustomerId, description and email, so a retry meets the duplicate check',
    duplicates: 'E00039 "A duplicate record with ID … already exists." when merchantCustomerId and description (older guides: and email) match a profile: read as success with that id',
    replaysSafely: true,
    limits: [
      `merchantCustomerId ≤ ${AUTHORIZEDOTNET_LIMITS.merchantCustomerId} (longer ids replaced, not refused)`,
      `description (customer name) ≤ ${AUTHORIZEDOTNET_LIMITS.description}`,
      `email ≤ ${AUTHORIZEDOTNET_LIMITS.email}`,
      `shipping first/last name ≤ ${AUTHORIZEDOTNET_LIMITS.firstName}, line1–line3 joined ≤ ${AUTHORIZEDOTNET_LIMITS.address}, city ≤ ${AUTHORIZEDOTNET_LIMITS.city}, state ≤ ${AUTHORIZEDOTNET_LIMITS.state}, zip ≤ ${AUTHORIZEDOTNET_LIMITS.zip}, phone ≤ ${AUTHORIZEDOTNET_LIMITS.phoneNumber}`,
    ],
  },
};

/**
 * The credentials travel in the body (`merchantAuthentication`), so no header authenticates.
 * Answers start with a byte order mark; an error status still carries `messages` when the API
 * answered it, else (an edge HTML page) it is read by its status.
 */
const protocol: ProcessorProtocol = {
  authenticate: () => ({ headers: {} }),
  decode: (response) => parseJsonBody(descriptor, { ...response, body: withoutByteOrderMark(response.body) }),
  error: (answer: ProcessorAnswer) => {
    if (!isAuthorizedotnetResponse(answer.body)) return invalidResponse(descriptor, answer.raw, 'a body without `messages`');
    const [first = {}] = answer.body.messages.message;
    return failure(answer.raw, first, undefined);
  },
};

/**
 * `createCustomerProfileRequest` (CIM) to the one API endpoint. Authorize.net answers HTTP 200
 * for every API error, so the result code, not the status, says what happened.
 */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForAuthorizedotnet,
  request: (call) => ({
    method: 'POST',
    path: '',
    json: toAuthorizedotnetCreateCustomerProfileRequest(call.customer, { name: call.credentials.name, transactionKey: call.credentials.transaction_key }, call.reference),
  }),
  parse: (answer) => {
    const { body, raw: response } = answer;
    if (!isAuthorizedotnetResponse(body)) return invalidResponse(descriptor, response, 'a body without `messages`');
    const [first = {}] = body.messages.message;
    if (body.messages.resultCode === 'Ok') {
      if (typeof body.customerProfileId !== 'string' || !/^\d+$/.test(body.customerProfileId)) {
        return invalidResponse(descriptor, response, 'resultCode Ok but no numeric customerProfileId');
      }
      return customerFrom(answer, body.customerProfileId);
    }
    if (first.code === undefined) return invalidResponse(descriptor, response, `resultCode ${body.messages.resultCode} without a message code`);
    if (first.code === AUTHORIZEDOTNET_DUPLICATE_CODE) {
      // The profile exists: E00039's text is the only place its id is given.
      const existingId = duplicateProfileId(first.text);
      if (!existingId) return invalidResponse(descriptor, response, `${AUTHORIZEDOTNET_DUPLICATE_CODE} without the existing profile id`);
      return customerFrom(answer, existingId);
    }
    throw failure(response, first, reasonForCode(first.code));
  },
});

const flows: ConnectorFlows = { create };

/** Authorize.net `createCustomerProfileRequest` (CIM): JSON to the one API endpoint, credentials in the body. */
@Injectable()
export class AuthorizedotnetConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

export function reasonForCode(code: string): ErrorReason {
  return Object.hasOwn(AUTHORIZEDOTNET_ERROR_REASONS, code) ? AUTHORIZEDOTNET_ERROR_REASONS[code] : AUTHORIZEDOTNET_UNCLASSIFIED_ERROR_REASON;
}

/** A refusal keeping Authorize.net's code and text; `reason` undefined maps by HTTP status. */
function failure(response: InboundResponse, message: AuthorizedotnetMessage, reason: ErrorReason | undefined): DomainError {
  const code = message.code ?? `http_${response.status}`;
  const error = processorError(descriptor, response, { code, message: message.text ?? 'no message', param: blamedElement(message.text) }, reason);
  if (!OUTCOME_UNKNOWN_CODES.has(code) || error.details.outcomeUnknown) return error;
  return new DomainError(error.reason, error.message, { ...error.details, outcomeUnknown: true });
}
