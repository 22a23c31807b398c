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
  type ExistingCustomerCall,
  type FlowResult,
  type ProcessorAccount,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
  type DeletedCustomer,
} from '../connector';
import { encodeForm } from '../http/form-urlencoded';
import { customerAnswer, invalidResponse, processorError, withOutcomeUnknown } from '../http/processor-response';
import {
  backReferenceSearchQuery,
  earliestCustomer,
  isStripeAccount,
  isStripeCustomer,
  isStripeDeletedCustomer,
  isStripeError,
  isStripeSearchResult,
  STRIPE_LIMITS,
  stripeCustomerRecord,
  stripeUpdateNeedsHeldCustomer,
  toStripeCreateCustomerRequest,
  toStripeUpdateCustomerRequest,
  validateForStripe,
  validateForStripeUpdate,
  type StripeCustomerObject,
} from './stripe.transformers';

/** The API version our requests and the contract tests are pinned to. */
export const STRIPE_API_VERSION = '2026-07-29.dahlia';

const descriptor: ConnectorDescriptor = {
  name: 'stripe',
  configVariant: 'Stripe',
  displayName: 'Stripe',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the key decides test or live.
  baseUrls: { sandbox: 'https://api.stripe.com/', live: 'https://api.stripe.com/' },
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    const match = /^(?:sk|rk)_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'customer_name → name',
      'email → email',
      'phone_number → phone',
      'address.billing_address → address[…] (line3 joined to line2)',
      'address.shipping_address → shipping[name|phone|address[…]]',
      'metadata → metadata[…]',
      'merchant_customer_id → metadata[merchant_customer_id]',
    ],
    idFormat: '`cus_…`',
    idempotency:
      '`Idempotency-Key` header, one key per mapping (Stripe keeps keys ≥ 24 h); after that, a metadata search for our back-reference before creating again — a search that is unavailable or finds nothing proves nothing (eventually consistent, not offered in India), so the mapping goes to an operator; updates carry their own key',
    duplicates: 'Stripe never deduplicates; the mapping store and the key do',
    replaysSafely: true,
    replayWindowHours: 24,
    lookupIsConclusive: false,
    lifecycle: {
      get: 'GET /v1/customers/{id} (a deleted customer, `deleted: true`, is not found)',
      update: 'POST /v1/customers/{id} with an Idempotency-Key; reads the customer first when an address changes, to merge it',
      delete: 'DELETE /v1/customers/{id} (404 `resource_missing`: already deleted)',
    },
    claims: [
      {
        claim: 'Idempotency keys may be pruned once 24 h old; a reused key then creates again, and a key reused with other parameters is an `idempotency_error`',
        source: 'https://docs.stripe.com/idempotency',
      },
      {
        claim:
          'Customer search is eventually consistent (up to an hour behind during outages) and not available to merchants in India: a refused search is reported as outcome unknown and finding nothing is never taken as proof',
        source: 'https://docs.stripe.com/api/customers/search; stripe npm 23.2.0 `cjs/resources/Customers.js` (search)',
      },
      {
        claim: '`GET /v1/account` names the account a secret key belongs to; the mode is added to its id, so test and live keys of one account keep their mappings apart',
        source: 'stripe npm 23.2.0 `cjs/resources/Accounts.js` (`retrieveCurrent`)',
      },
      {
        claim: 'A deleted customer is still retrievable as `{ id, object: "customer", deleted: true }`: get answers not found',
        source: 'stripe/openapi `openapi/fixtures3.json` (`deleted_customer`); stripe npm 23.2.0 `cjs/resources/Customers.d.ts` (`DeletedCustomer`)',
      },
      {
        claim: 'Update leaves parameters not sent unchanged, and merges metadata keys (an empty value would unset one)',
        source: 'stripe npm 23.2.0 `cjs/resources/Customers.js` (`update`), `Customers.d.ts` (`CustomerUpdateParams.metadata`)',
      },
      {
        claim:
          'Update replaces `address` and `shipping` whole (fields not sent become null): an address change reads the customer first and merges, which costs one read if the claim is false',
      },
      { claim: 'GET and DELETE take no Idempotency-Key: they are idempotent by definition', source: 'https://docs.stripe.com/api/idempotent_requests' },
      {
        claim: 'Deleting a deleted customer answers 404 `resource_missing`; any other answer is read as it comes (a second `deleted: true` reports not already deleted, never an error)',
      },
    ],
    limits: [
      `name ≤ ${STRIPE_LIMITS.name}`,
      `email ≤ ${STRIPE_LIMITS.email}`,
      `phone ≤ ${STRIPE_LIMITS.phone}`,
      `metadata ≤ ${STRIPE_LIMITS.metadataKeys} keys (one is ours), key ≤ ${STRIPE_LIMITS.metadataKeyLength} without [ ], value ≤ ${STRIPE_LIMITS.metadataValueLength}`,
    ],
  },
};

/** Bearer secret key and the pinned API version on every request; errors in Stripe's `error` object. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}`, 'stripe-version': STRIPE_API_VERSION } }),
  error: stripeError,
};

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Stripe `POST /v1/customers`, form-encoded, one idempotency key per mapping. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForStripe,
  request: (call) => ({
    method: 'POST',
    path: 'v1/customers',
    headers: { ...FORM, 'idempotency-key': call.idempotencyKey },
    body: encodeForm(toStripeCreateCustomerRequest(call.customer)),
  }),
  parse: customerAnswer(descriptor, isStripeCustomer, (body) => body.id),
});

/**
 * Customer search by our metadata back-reference, once the 24 h replay window of the key has
 * passed. Several matches mean duplicates already exist; the oldest is the one every later call
 * should keep using. Any refusal — search is not offered to every account (India) — leaves the
 * earlier attempt's outcome unknown: it must never free the mapping for a blind create.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    try {
      const answer = await session.send({
        method: 'GET',
        path: 'v1/customers/search',
        query: { query: backReferenceSearchQuery(call.customer.merchantCustomerId), limit: '100' },
      });
      if (!isStripeSearchResult(answer.body)) invalidResponse(descriptor, answer.raw, 'a search result without `data`');
      const found = earliestCustomer(answer.body);
      return found && customerFrom(answer, found.id);
    } catch (error) {
      throw withOutcomeUnknown(error);
    }
  },
});

const customerPath = (id: string) => `v1/customers/${encodeURIComponent(id)}`;

/** The customer an answer carries; a deleted one (`deleted: true`) is not found, like an unknown id. */
function heldCustomer(answer: ProcessorAnswer): StripeCustomerObject {
  if (isStripeDeletedCustomer(answer.body)) {
    throw processorError(descriptor, answer.raw, { code: 'deleted', message: `customer ${answer.body.id} is deleted` }, ErrorReason.ConnectorNotFound, { outcomeUnknown: false });
  }
  if (!isStripeCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
  return answer.body as StripeCustomerObject;
}

function retrievedCustomer(answer: ProcessorAnswer): RetrievedCustomer {
  const customer = heldCustomer(answer);
  return { ...customerFrom(answer, customer.id), record: stripeCustomerRecord(customer) };
}

/** Stripe `GET /v1/customers/{id}`. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call.connectorCustomerId) }),
  parse: retrievedCustomer,
});

/**
 * Stripe `POST /v1/customers/{id}`, form-encoded, with the update step's idempotency key. Stripe
 * replaces an address it is sent whole, so an address change reads the customer first and sends
 * the given fields merged over the ones it holds.
 */
const update = conversationFlow<UpdateCustomerCall, FlowResult<'update'>>({
  validate: validateForStripeUpdate,
  run: async (call, session) => {
    const held = stripeUpdateNeedsHeldCustomer(call.customer) ? heldCustomer(await session.send({ method: 'GET', path: customerPath(call.connectorCustomerId) })) : undefined;
    const request = toStripeUpdateCustomerRequest(call.customer, held);
    if (request.shipping && !request.shipping.name) {
      throw DomainError.invalidField('address.shipping_address.first_name', 'Stripe requires a name with a shipping address, and holds none for this customer: give first_name/last_name or customer_name');
    }
    const answer = await session.send({
      method: 'POST',
      path: customerPath(call.connectorCustomerId),
      headers: { ...FORM, 'idempotency-key': call.idempotencyKey },
      body: encodeForm(request),
    });
    return retrievedCustomer(answer);
  },
});

/** Stripe `DELETE /v1/customers/{id}`: permanent. A customer Stripe no longer knows was deleted before. */
const remove = exchangeFlow<DeleteCustomerCall, DeletedCustomer>({
  request: (call) => ({ method: 'DELETE', path: customerPath(call.connectorCustomerId) }),
  accepts: [404],
  parse: (answer) => {
    const outcome = { httpStatus: answer.status, responseHeaders: answer.headers };
    if (answer.status === 404) {
      if (isStripeError(answer.body) && answer.body.error.code === 'resource_missing') return { ...outcome, alreadyDeleted: true };
      throw stripeError(answer);
    }
    if (!isStripeDeletedCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'a deletion answer without `deleted: true`');
    return { ...outcome, alreadyDeleted: false };
  },
});

/**
 * Stripe `GET /v1/account`: the account the key belongs to. Test and live keys of one account
 * share its id while their customers are apart, so the id carries the key's mode.
 */
const identifyAccount = exchangeFlow<ProcessorCall, ProcessorAccount>({
  request: () => ({ method: 'GET', path: 'v1/account' }),
  parse: (answer, call) => {
    if (!isStripeAccount(answer.body)) invalidResponse(descriptor, answer.raw, 'an account without an `acct_` id');
    const testMode = descriptor.testModeOf?.(call.credentials) ?? call.testMode;
    return { accountId: `${answer.body.id}:${testMode ? 'test' : 'live'}` };
  },
});

const flows: ConnectorFlows = { create, findCreated, get, update, delete: remove, identifyAccount };

/** Stripe: form-encoded, Bearer secret key, pinned API version. */
@Injectable()
export class StripeConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

function stripeError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  if (!isStripeError(body)) return invalidResponse(descriptor, response, 'an error body without `error`');
  const { code, type, message, param, decline_code } = body.error;
  // The key already carried a request with other parameters, which may have created the customer:
  // a conflict whose outcome is unknown, never a refusal that frees the reservation.
  const idempotencyConflict = type === 'idempotency_error';
  return processorError(
    descriptor,
    response,
    { code: code ?? type ?? 'unknown', message: message ?? 'no message', type, param, declineCode: decline_code },
    idempotencyConflict ? ErrorReason.ConnectorConflict : undefined,
    idempotencyConflict ? { outcomeUnknown: true } : {},
  );
}
