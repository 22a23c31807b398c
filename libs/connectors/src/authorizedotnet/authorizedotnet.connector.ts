import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  conversationFlow,
  customerFrom,
  exchangeFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type CustomerRecord,
  type DeletedCustomer,
  type DeleteCustomerCall,
  type ExistingCustomerCall,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type ProcessorSession,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import type { InboundResponse } from '../http/processor-http';
import { invalidResponse, parseJsonBody, processorError, withOutcomeUnknown } from '../http/processor-response';
import {
  AUTHORIZEDOTNET_DUPLICATE_CODE,
  AUTHORIZEDOTNET_LIMITS,
  AUTHORIZEDOTNET_NOT_FOUND_CODE,
  authorizedotnetMerchantCustomerId,
  authorizedotnetRecord,
  blamedElement,
  changesProfile,
  duplicateProfileId,
  isAuthorizedotnetResponse,
  mergedProfileUpdate,
  mergedShippingAddress,
  retrievedProfile,
  toAuthorizedotnetCreateCustomerProfileRequest,
  validateForAuthorizedotnet,
  withoutByteOrderMark,
  type AuthorizedotnetCreateCustomerProfileResponse,
  type AuthorizedotnetCreateCustomerShippingAddressRequest,
  type AuthorizedotnetDeleteCustomerProfileRequest,
  type AuthorizedotnetGetCustomerProfileRequest,
  type AuthorizedotnetGetCustomerProfileResponse,
  type AuthorizedotnetMerchantAuthentication,
  type AuthorizedotnetMessage,
  type AuthorizedotnetProfile,
  type AuthorizedotnetUpdateCustomerProfileRequest,
  type AuthorizedotnetUpdateCustomerShippingAddressRequest,
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
  E00040: ErrorReason.ConnectorNotFound,
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
  // Not a secret (Accept.js pages publish it), and a new transaction key keeps it.
  accountIdOf: (credentials) => credentials.name,
  capabilities: {
    fieldsSent: [
      `merchant_customer_id → profile.merchantCustomerId when ≤ ${AUTHORIZEDOTNET_LIMITS.merchantCustomerId} characters, else the first ${AUTHORIZEDOTNET_LIMITS.merchantCustomerId} characters of the stable customer reference (never the id cut short)`,
      'customer_name (else billing first + last name) → profile.description',
      'email (else billing email) → profile.email',
      'address.shipping_address → profile.shipToList[0] (first/last name, line1–line3 joined by spaces into address, city, state, zip, country, phone with its calling code, email)',
      'not sent: phone_number (a profile has no phone), the billing address itself (billTo belongs to payment profiles, which need card or bank data), metadata (no metadata on a profile)',
    ],
    idFormat: '`customerProfileId`, a numeric string (`1913038047`)',
    idempotency:
      'no idempotency key exists; a retry with the same merchantCustomerId, description and email meets the duplicate check, one with other details does not: a resumed attempt is first looked up by the merchantCustomerId it sent',
    duplicates: 'E00039 "A duplicate record with ID … already exists." only when merchantCustomerId, description and email all match a profile: read as success with that id',
    replaysSafely: true,
    replayRequiresSameDetails: true,
    lookupIsConclusive: false,
    lifecycle: {
      get: 'getCustomerProfileRequest (customerProfileId)',
      update: 'getCustomerProfileRequest, then updateCustomerProfileRequest with every profile field (merged) and update/createCustomerShippingAddressRequest for a shipping change',
      delete: 'deleteCustomerProfileRequest (E00040: already deleted)',
    },
    limits: [
      `merchantCustomerId ≤ ${AUTHORIZEDOTNET_LIMITS.merchantCustomerId} (longer ids replaced, not refused)`,
      `description (customer name) ≤ ${AUTHORIZEDOTNET_LIMITS.description}`,
      `email ≤ ${AUTHORIZEDOTNET_LIMITS.email}`,
      `shipping first/last name ≤ ${AUTHORIZEDOTNET_LIMITS.firstName}, line1–line3 joined ≤ ${AUTHORIZEDOTNET_LIMITS.address}, city ≤ ${AUTHORIZEDOTNET_LIMITS.city}, state ≤ ${AUTHORIZEDOTNET_LIMITS.state}, zip ≤ ${AUTHORIZEDOTNET_LIMITS.zip}, phone ≤ ${AUTHORIZEDOTNET_LIMITS.phoneNumber}`,
    ],
    claims: [
      {
        claim: 'field limits (merchantCustomerId 20, description 255, email 255, shipping names 50, address 60, city 40, state 40, zip 20, phone 25) and element order',
        source: 'AuthorizeNet/sdk-php AnetApiSchema.xsd (customerProfileBaseType, nameAndAddressType, customerAddressType)',
      },
      {
        claim: 'no CIM request takes an idempotency key (ANetApiRequest carries merchantAuthentication, clientId and refId only)',
        source: 'AuthorizeNet/sdk-php AnetApiSchema.xsd (ANetApiRequest)',
      },
      {
        claim: 'a new profile whose merchantCustomerId, description and email all match an existing one answers E00039 with the existing id only in the text; with other details a second profile is created',
        source:
          'https://developer.authorize.net/api/reference/features/customer_profiles.html (Duplicate Profile Verification); CIM XML guide, Duplicate Profile Verification (copy: https://1library.net/article/duplicate-profile-verification-merchant-web-services-api.ydo6o9ez); https://github.com/AuthorizeNet/sdk-dotnet/issues/264',
      },
      {
        claim: 'getCustomerProfileRequest finds a profile by merchantCustomerId (or email) instead of customerProfileId',
        source: 'AuthorizeNet/sdk-php AnetApiSchema.xsd (getCustomerProfileRequest); https://github.com/AuthorizeNet/sdk-java/pull/130 citing https://developer.authorize.net/api/reference/index.html#customer-profiles-get-customer-profile',
      },
      {
        claim:
          'that lookup is not a consistent read: a profile can answer E00040 for several seconds after it was created (replication), and lookups by merchantCustomerId have been reported to answer E00040 for existing profiles; so nothing found hands the mapping to an operator (lookupIsConclusive false), never a blind create',
        source: 'https://github.com/AuthorizeNet/sdk-php/issues/284 (quoting Authorize.net on replication latency); https://github.com/AuthorizeNet/sdk-php/issues/405',
      },
      {
        claim:
          'which profile getCustomerProfileRequest returns when several share a merchantCustomerId (earlier duplicates) is not documented; the one it returns is adopted, which cannot create another',
      },
      {
        claim: 'E00040 "The record cannot be found." answers an id the account does not hold: get reports it as not found, delete as already deleted',
        source: 'https://github.com/AuthorizeNet/sdk-php/issues/405',
      },
      {
        claim:
          'updateCustomerProfileRequest replaces merchantCustomerId, description and email (an element left out is cleared); the connector reads the profile first and sends every field, which is right whether or not the claim holds',
      },
      {
        claim:
          'updateCustomerProfileRequest holds no shipping address; an address is changed with updateCustomerShippingAddressRequest (by customerAddressId, replacing the address) or added with createCustomerShippingAddressRequest',
        source: 'AuthorizeNet/sdk-php AnetApiSchema.xsd (customerProfileInfoExType, updateCustomerShippingAddressRequest, createCustomerShippingAddressRequest)',
      },
      {
        claim: 'deleteCustomerProfileRequest deletes the profile with its payment profiles and shipping addresses',
        source: 'AuthorizeNet/sdk-php AnetApiSchema.xsd (deleteCustomerProfileRequest)',
      },
      {
        claim: 'the API Login ID is not a secret and names the account whatever its transaction key',
        source: 'AuthorizeNet/accept-sample-app acceptJSCaller.js (authData.apiLoginID in browser code)',
      },
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
    const [first = {}] = cimAnswer(answer).messages.message;
    return failure(answer.raw, first, undefined);
  },
};

function merchantAuthenticationOf(call: ProcessorCall): AuthorizedotnetMerchantAuthentication {
  return { name: call.credentials.name, transactionKey: call.credentials.transaction_key };
}

/** Every CIM answer: `messages` with a result code, HTTP 200 even for errors. */
function cimAnswer(answer: ProcessorAnswer): AuthorizedotnetCreateCustomerProfileResponse {
  if (!isAuthorizedotnetResponse(answer.body)) return invalidResponse(descriptor, answer.raw, 'a body without `messages`');
  return answer.body;
}

/** The answer's first message when it reports an error (its code checked), undefined for Ok. */
function refusalOf(answer: ProcessorAnswer): AuthorizedotnetMessage | undefined {
  const body = cimAnswer(answer);
  if (body.messages.resultCode === 'Ok') return undefined;
  const [first = {}] = body.messages.message;
  if (first.code === undefined) return invalidResponse(descriptor, answer.raw, `resultCode ${body.messages.resultCode} without a message code`);
  return first;
}

function refused(answer: ProcessorAnswer, message: AuthorizedotnetMessage): DomainError {
  return failure(answer.raw, message, reasonForCode(message.code!));
}

/**
 * `createCustomerProfileRequest` (CIM) to the one API endpoint. Authorize.net answers HTTP 200
 * for every API error, so the result code, not the status, says what happened.
 */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForAuthorizedotnet,
  request: (call) => ({
    method: 'POST',
    path: '',
    json: toAuthorizedotnetCreateCustomerProfileRequest(call.customer, merchantAuthenticationOf(call), call.reference),
  }),
  parse: (answer) => {
    const refusal = refusalOf(answer);
    if (!refusal) {
      const { customerProfileId } = answer.body as AuthorizedotnetCreateCustomerProfileResponse;
      if (typeof customerProfileId !== 'string' || !/^\d+$/.test(customerProfileId)) {
        return invalidResponse(descriptor, answer.raw, 'resultCode Ok but no numeric customerProfileId');
      }
      return customerFrom(answer, customerProfileId);
    }
    if (refusal.code === AUTHORIZEDOTNET_DUPLICATE_CODE) {
      // The profile exists: E00039's text is the only place its id is given.
      const existingId = duplicateProfileId(refusal.text);
      if (!existingId) return invalidResponse(descriptor, answer.raw, `${AUTHORIZEDOTNET_DUPLICATE_CODE} without the existing profile id`);
      return customerFrom(answer, existingId);
    }
    throw refused(answer, refusal);
  },
});

/** A `getCustomerProfileResponse` profile, or undefined for E00040; other refusals are thrown. */
function profileFrom(answer: ProcessorAnswer): AuthorizedotnetProfile | undefined {
  const refusal = refusalOf(answer);
  if (refusal?.code === AUTHORIZEDOTNET_NOT_FOUND_CODE) return undefined;
  if (refusal) throw refused(answer, refusal);
  const profile = retrievedProfile(answer.body as AuthorizedotnetGetCustomerProfileResponse);
  return profile ?? invalidResponse(descriptor, answer.raw, 'resultCode Ok but no profile with a numeric customerProfileId');
}

/**
 * The profile an unanswered create of this mapping made, by the merchantCustomerId it sent: a
 * retry with other details would not meet E00039 and would create a second profile. E00040 is
 * "nothing found", which Authorize.net's replication lag keeps from proving nothing was made.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    const merchantCustomerId = authorizedotnetMerchantCustomerId(call.customer.merchantCustomerId, call.reference);
    try {
      const answer = await session.send({
        method: 'POST',
        path: '',
        json: { getCustomerProfileRequest: { merchantAuthentication: merchantAuthenticationOf(call), merchantCustomerId } } satisfies AuthorizedotnetGetCustomerProfileRequest,
      });
      const profile = profileFrom(answer);
      if (!profile) return undefined;
      if (profile.merchantCustomerId !== merchantCustomerId) return invalidResponse(descriptor, answer.raw, 'a profile with another merchantCustomerId than the one looked up');
      return customerFrom(answer, profile.customerProfileId);
    } catch (error) {
      throw withOutcomeUnknown(error);
    }
  },
});

async function retrieve(call: ExistingCustomerCall, session: ProcessorSession): Promise<{ answer: ProcessorAnswer; profile: AuthorizedotnetProfile }> {
  const answer = await session.send({
    method: 'POST',
    path: '',
    json: { getCustomerProfileRequest: { merchantAuthentication: merchantAuthenticationOf(call), customerProfileId: call.connectorCustomerId } } satisfies AuthorizedotnetGetCustomerProfileRequest,
  });
  const profile = profileFrom(answer);
  if (!profile) throw refused(answer, refusalOf(answer)!);
  return { answer, profile };
}

/** `getCustomerProfileRequest` by the profile id; E00040 is CONNECTOR_NOT_FOUND. */
const get = conversationFlow<ExistingCustomerCall, RetrievedCustomer>({
  run: async (call, session) => {
    const { answer, profile } = await retrieve(call, session);
    return { ...customerFrom(answer, profile.customerProfileId), record: authorizedotnetRecord(profile) };
  },
});

/** Sends one CIM request and throws its refusal; the answer when it is Ok. */
async function sendOk(session: ProcessorSession, json: unknown): Promise<ProcessorAnswer> {
  const answer = await session.send({ method: 'POST', path: '', json });
  const refusal = refusalOf(answer);
  if (refusal) throw refused(answer, refusal);
  return answer;
}

/**
 * Read, merge, write: the profile update replaces every field, so the profile is read first and
 * the change merged into it; a shipping address change updates the profile's first address
 * (whole, merged the same way) or adds one. Authorize.net takes no key: repeating the same
 * update sets the same values.
 */
const update = conversationFlow<UpdateCustomerCall, ConnectorCustomer & { record?: CustomerRecord }>({
  validate: validateForAuthorizedotnet,
  run: async (call, session) => {
    const merchantAuthentication = merchantAuthenticationOf(call);
    const { answer: read, profile } = await retrieve(call, session);
    let last = read;
    const merged = changesProfile(call.customer) ? mergedProfileUpdate(profile, call.customer) : profile;
    if (merged !== profile) last = await sendOk(session, { updateCustomerProfileRequest: { merchantAuthentication, profile: merged } } satisfies AuthorizedotnetUpdateCustomerProfileRequest);
    let shipToList = profile.shipToList;
    const shipping = call.customer.shippingAddress;
    if (shipping) {
      const [current, ...others] = profile.shipToList ?? [];
      const address = mergedShippingAddress(current, shipping);
      const request: AuthorizedotnetUpdateCustomerShippingAddressRequest | AuthorizedotnetCreateCustomerShippingAddressRequest = current?.customerAddressId
        ? { updateCustomerShippingAddressRequest: { merchantAuthentication, customerProfileId: profile.customerProfileId, address } }
        : { createCustomerShippingAddressRequest: { merchantAuthentication, customerProfileId: profile.customerProfileId, address } };
      last = await sendOk(session, request);
      shipToList = [address, ...others];
    }
    return { ...customerFrom(last, profile.customerProfileId), record: authorizedotnetRecord({ ...profile, ...merged, shipToList }) };
  },
});

/** `deleteCustomerProfileRequest`; E00040 means the profile is already gone (a retry after a lost answer). */
const remove = exchangeFlow<DeleteCustomerCall, DeletedCustomer>({
  request: (call) => ({
    method: 'POST',
    path: '',
    json: { deleteCustomerProfileRequest: { merchantAuthentication: merchantAuthenticationOf(call), customerProfileId: call.connectorCustomerId } } satisfies AuthorizedotnetDeleteCustomerProfileRequest,
  }),
  parse: (answer) => {
    const refusal = refusalOf(answer);
    if (refusal && refusal.code !== AUTHORIZEDOTNET_NOT_FOUND_CODE) throw refused(answer, refusal);
    return { httpStatus: answer.status, responseHeaders: answer.headers, alreadyDeleted: refusal !== undefined };
  },
});

const flows: ConnectorFlows = { create, findCreated, get, update, delete: remove };

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
