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
  type DeleteCustomerCall,
  type DeletedCustomer,
  type ExistingCustomerCall,
  type FlowResult,
  type ProcessorAccount,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { customerAnswer, invalidResponse, processorError, withOutcomeUnknown } from '../http/processor-response';
import {
  isSquareCustomerResponse,
  isSquareErrorResponse,
  isSquareMerchantResponse,
  isSquareSearchResponse,
  metadataInNote,
  SQUARE_LIMITS,
  squareCustomerRecord,
  squareReferenceId,
  squareUpdateNeedsHeldCustomer,
  toSquareCreateCustomerRequest,
  toSquareSearchByReference,
  toSquareUpdateCustomerRequest,
  validateForSquare,
  validateForSquareUpdate,
  type SquareCustomerObject,
} from './square.transformers';

/** The `Square-Version` our requests and the contract tests are pinned to: the contract's release. */
export const SQUARE_API_VERSION = '2025-08-20';

const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';
/** Pages of exact `reference_id` matches read when looking for an earlier attempt's customer. */
export const SQUARE_LOOKUP_MAX_PAGES = 10;
/**
 * Square publishes no retention for idempotency keys, so the shortest window any processor
 * reviewed here documents is assumed (Mollie: re-attempts within an hour); past it a resumed
 * attempt is looked up by its reference_id before anything is sent again.
 */
export const SQUARE_ASSUMED_REPLAY_WINDOW_HOURS = 1;

const descriptor: ConnectorDescriptor = {
  name: 'square',
  configVariant: 'Square',
  displayName: 'Square',
  credentialFields: [{ name: 'access_token', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'access_token' } },
  baseUrls: { sandbox: 'https://connect.squareupsandbox.com/', live: 'https://connect.squareup.com/' },
  // Square's sandbox and production access tokens share one format: the token does not tell the mode.
  accountIdentity: (credentials) => credentials.access_token,
  capabilities: {
    fieldsSent: [
      'customer_name → given_name (whole), or billing first_name/last_name → given_name/family_name when they are the name',
      'email → email_address (else the billing email)',
      'phone_number → phone_number (else the billing phone with its calling code)',
      'address.billing_address → address (line1–3, locality, administrative_district_level_1, postal_code, country); address.shipping_address only without a billing address (Square holds one address)',
      `merchant_customer_id → reference_id (ids over ${SQUARE_LIMITS.referenceId} characters: the stable mapping reference instead)`,
      'metadata → note (as a JSON object)',
    ],
    idFormat: 'Square-assigned, e.g. `JDKYHBWT1D4F8MFH63DBMEN8Y4`',
    idempotency: `\`idempotency_key\` in the JSON body, one per mapping: the same key and body replay the first customer; the key with another body is refused (IDEMPOTENCY_KEY_REUSED). Square documents no retention: ${SQUARE_ASSUMED_REPLAY_WINDOW_HOURS} h is assumed (the shortest window documented by any processor here), after which a resumed attempt is first searched by its reference_id`,
    duplicates: 'Square never deduplicates by data (and may later merge duplicates into a new id); the mapping store and the key do',
    replaysSafely: true,
    replayWindowHours: SQUARE_ASSUMED_REPLAY_WINDOW_HOURS,
    lookupIsConclusive: false,
    lifecycle: {
      get: 'GET /v2/customers/{id} (a merged profile answers with its new id)',
      update: 'PUT /v2/customers/{id}, sparse; a metadata change reads the customer first and merges the note, with its version',
      delete: 'DELETE /v2/customers/{id} (404 NOT_FOUND: already deleted)',
    },
    claims: [
      {
        claim: `Square documents no retention for idempotency keys (its forum: "We do not publish a retention period"); ${SQUARE_ASSUMED_REPLAY_WINDOW_HOURS} h is assumed, the shortest window any processor here documents (Mollie), so past it a resumed attempt is searched instead of replayed`,
        source: 'https://developer.squareup.com/docs/build-basics/common-api-patterns/idempotency; https://developer.squareup.com/forums/t/how-long-are-idempotency-keys-retained-for-the-createpayment-endpoint/28303',
      },
      {
        claim:
          'SearchCustomers finds a profile by exact reference_id (case-insensitively: the match is checked again exactly) and is eventually consistent (well under 30 s, a minute or longer during outages): finding nothing is never taken as proof',
        source: 'square npm 46.0.0 `reference.md` (customers.search), `api/types/CustomerFilter.d.ts` (referenceId)',
      },
      {
        claim: '`GET /v2/merchants/me` answers the merchant the access token belongs to; the mode is added to its id, so sandbox and production mappings never share a scope',
        source: 'square npm 46.0.0 `api/resources/merchants/client/requests/GetMerchantsRequest.d.ts`',
      },
      {
        claim: 'UpdateCustomer is sparse: fields not sent are kept, address fields too, `null` clears a field; `version` enables optimistic concurrency',
        source: 'square npm 46.0.0 `reference.md` (customers.update), `api/resources/customers/client/requests/UpdateCustomerRequest.d.ts`',
      },
      {
        claim: 'A merged profile must be updated and deleted by its new id; retrieving an old id answers the merged profile',
        source: 'square npm 46.0.0 `reference.md` (customers.update, customers.delete); https://developer.squareup.com/docs/customers-api/duplicated-customers',
      },
      { claim: 'UpdateCustomer and DeleteCustomer take no idempotency key', source: 'square npm 46.0.0 `UpdateCustomerRequest.d.ts`, `DeleteCustomersRequest.d.ts`' },
      { claim: 'Deleting an unknown or already deleted customer answers 404 NOT_FOUND: read as already deleted' },
    ],
    limits: [
      `at least one of customer_name, email, phone_number (or their billing-address fallbacks)`,
      `given_name, family_name ≤ ${SQUARE_LIMITS.givenName}`,
      `email_address ≤ ${SQUARE_LIMITS.emailAddress}`,
      `phone_number ${SQUARE_LIMITS.phoneMinDigits}–${SQUARE_LIMITS.phoneMaxDigits} digits`,
    ],
  },
};

function squareError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isSquareErrorResponse(body)) return invalidResponse(descriptor, response, 'an error body without `errors`');
  const [first] = body.errors;
  const code = first.code ?? first.category ?? 'unknown';
  const details = {
    code,
    message: body.errors.map((error) => error.detail ?? error.code).filter(Boolean).join('; ') || 'no message',
    param: first.field,
    type: first.category,
  };
  if (code !== IDEMPOTENCY_KEY_REUSED) return processorError(descriptor, response, details);
  // The key already carried a request with other data (the customer changed between attempts of
  // one mapping): that first request may have created the customer, so keep the reservation.
  return processorError(descriptor, response, details, ErrorReason.ConnectorConflict, { outcomeUnknown: true });
}

/** Bearer access token and the pinned `Square-Version` on every request; errors in Square's `errors` list. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.access_token}`, 'square-version': SQUARE_API_VERSION } }),
  error: squareError,
};

/** Square `POST /v2/customers`: JSON, idempotency key in the body. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForSquare,
  request: (call) => ({ method: 'POST', path: 'v2/customers', json: toSquareCreateCustomerRequest(call.customer, call) }),
  parse: customerAnswer(descriptor, isSquareCustomerResponse, (body) => body.customer.id),
});

/**
 * The customer an earlier, unanswered create of this mapping made: searched by its reference_id
 * (exactly, since Square's filter ignores case), the oldest if duplicates exist. Search is
 * eventually consistent, so nothing found proves nothing, and any refusal keeps the outcome unknown.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    const referenceId = squareReferenceId(call.customer, call.reference);
    try {
      let cursor: string | undefined;
      for (let page = 0; page < SQUARE_LOOKUP_MAX_PAGES; page++) {
        const answer = await session.send({ method: 'POST', path: 'v2/customers/search', json: toSquareSearchByReference(referenceId, cursor) });
        if (!isSquareSearchResponse(answer.body)) invalidResponse(descriptor, answer.raw, 'a search answer without a customer list');
        const found = (answer.body.customers ?? []).find((customer) => customer.reference_id === referenceId);
        if (found) return customerFrom(answer, found.id);
        cursor = answer.body.cursor;
        if (!cursor) return undefined;
      }
      return undefined;
    } catch (error) {
      throw withOutcomeUnknown(error);
    }
  },
});

const customerPath = (id: string) => `v2/customers/${encodeURIComponent(id)}`;

function heldCustomer(answer: ProcessorAnswer): SquareCustomerObject {
  if (!isSquareCustomerResponse(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer');
  return answer.body.customer as SquareCustomerObject;
}

function retrievedCustomer(answer: ProcessorAnswer): RetrievedCustomer {
  const customer = heldCustomer(answer);
  return { ...customerFrom(answer, customer.id), record: squareCustomerRecord(customer) };
}

/** Square `GET /v2/customers/{id}` (RetrieveCustomer). An old id of merged profiles answers the merged one, with its id. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call.connectorCustomerId) }),
  parse: retrievedCustomer,
});

/**
 * Square `PUT /v2/customers/{id}` (UpdateCustomer), sparse. The merchant's metadata lives in the
 * note as one JSON object, so a metadata change reads the customer first, merges the keys and
 * sends the read `version`. A note that is not ours (edited at Square) is never overwritten.
 */
const update = conversationFlow<UpdateCustomerCall, FlowResult<'update'>>({
  validate: validateForSquareUpdate,
  run: async (call, session) => {
    let held: SquareCustomerObject | undefined;
    if (squareUpdateNeedsHeldCustomer(call.customer)) {
      held = heldCustomer(await session.send({ method: 'GET', path: customerPath(call.connectorCustomerId) }));
      if (metadataInNote(held.note) === undefined) {
        throw DomainError.invalidField('metadata', 'Square holds a note for this customer that is not metadata (edited at Square); it is not overwritten');
      }
    }
    const body = toSquareUpdateCustomerRequest(call.customer, held);
    // Nothing to change: Square refuses an empty update, so the customer is read instead.
    if (Object.keys(body).length === 0) return retrievedCustomer(await session.send({ method: 'GET', path: customerPath(call.connectorCustomerId) }));
    const answer = await session.send({ method: 'PUT', path: customerPath(held?.id ?? call.connectorCustomerId), json: body });
    return retrievedCustomer(answer);
  },
});

/** Square `DELETE /v2/customers/{id}` (DeleteCustomer). Square's NOT_FOUND means it was deleted before. */
const remove = exchangeFlow<DeleteCustomerCall, DeletedCustomer>({
  request: (call) => ({ method: 'DELETE', path: customerPath(call.connectorCustomerId) }),
  accepts: [404],
  parse: (answer) => {
    const outcome = { httpStatus: answer.status, responseHeaders: answer.headers };
    if (answer.status !== 404) return { ...outcome, alreadyDeleted: false };
    if (isSquareErrorResponse(answer.body) && answer.body.errors[0].code === 'NOT_FOUND') return { ...outcome, alreadyDeleted: true };
    throw squareError(answer);
  },
});

/**
 * Square `GET /v2/merchants/me` (RetrieveMerchant): the merchant the token belongs to. Its id
 * carries the mode, so sandbox and production mappings can never share a scope.
 */
const identifyAccount = exchangeFlow<ProcessorCall, ProcessorAccount>({
  request: () => ({ method: 'GET', path: 'v2/merchants/me' }),
  parse: (answer, call) => {
    if (!isSquareMerchantResponse(answer.body)) invalidResponse(descriptor, answer.raw, 'no merchant id');
    return { accountId: `${answer.body.merchant.id}:${call.testMode ? 'test' : 'live'}` };
  },
});

const flows: ConnectorFlows = { create, findCreated, get, update, delete: remove, identifyAccount };

/** Square: JSON, Bearer access token, pinned `Square-Version`, idempotency key in the body. */
@Injectable()
export class SquareConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
