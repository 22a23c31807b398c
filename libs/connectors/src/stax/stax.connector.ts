import { Injectable } from '@nestjs/common';
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
  type ProcessorAccount,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { customerAnswer, invalidResponse, lookupIncomplete, processorError } from '../http/processor-response';
import {
  earliestStaxCustomer,
  isStaxCustomer,
  isStaxCustomerPage,
  isStaxDeleted,
  isStaxSelf,
  STAX_LIMITS,
  staxCustomersReferencing,
  staxErrorDetails,
  staxRecord,
  toStaxCreateCustomerRequest,
  toStaxUpdateCustomerRequest,
  validateForStax,
  validateStaxUpdate,
  type StaxCustomer,
} from './stax.transformers';

/** Pages a back-reference lookup reads before giving up rather than deciding on part of the list. */
const LOOKUP_PAGE_LIMIT = 10;

const descriptor: ConnectorDescriptor = {
  name: 'stax',
  configVariant: 'Stax',
  displayName: 'Stax',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both: a Stax sandbox is a merchant account flagged as such, reached with its own key.
  baseUrls: { sandbox: 'https://apiprod.fattlabs.com/', live: 'https://apiprod.fattlabs.com/' },
  // Sandbox and live keys look alike: the merchant account, not the key, is the sandbox.
  accountIdentity: (credentials) => credentials.api_key,
  capabilities: {
    fieldsSent: [
      'customer_name → firstname + lastname (split at the last space; the billing names when they spell it or there is no customer_name)',
      'email → email (else the billing email)',
      'phone_number → phone, digits only (else the billing phone with its calling code)',
      'address.billing_address → address_1, address_2 (line2 + line3), address_city, address_state, address_zip, address_country (alpha-3)',
      'merchant_customer_id → reference',
      'metadata → notes (JSON)',
      'address.shipping_address → not sent: a Stax customer has one address',
    ],
    idFormat: 'UUID',
    idempotency: 'none for customers (Stax takes `idempotency_id` on charges only)',
    duplicates: 'Stax creates a customer per call (it offers merging duplicates afterwards); the mapping store prevents repeats, an unanswered call is looked up by `reference` before anything else',
    replaysSafely: false,
    lookupIsConclusive: false,
    limits: [
      'a name or an email required',
      `firstname, lastname, email ≤ ${STAX_LIMITS.name}`,
      `phone ${STAX_LIMITS.phoneDigitsMin}–${STAX_LIMITS.phoneDigitsMax} digits`,
      `address lines, city ≤ ${STAX_LIMITS.addressLine}`,
      `state ≤ ${STAX_LIMITS.state} (two-letter abbreviation)`,
      `zip ≤ ${STAX_LIMITS.zip}`,
      `metadata as JSON ≤ ${STAX_LIMITS.notes}`,
    ],
    lifecycle: {
      get: 'GET /customer/{id} (a soft-deleted customer answers `deleted_at`: not found)',
      update: 'GET /customer/{id}, then PUT /customer/{id} with every field we manage, the change merged in',
      delete: 'GET /customer/{id}, then DELETE /customer/{id} (a soft delete) unless already deleted',
    },
    claims: [
      {
        claim: `Limits of a customer: firstname, lastname, email, address lines, city and reference ≤ 255, state ≤ 2 (the two-letter abbreviation), zip ≤ 16, country ≤ 3, notes ≤ ${STAX_LIMITS.notes}; one of firstname, lastname, email or company required (we send no company: a name or an email)`,
        source: 'Stax API reference, Create Customer (https://docs.staxpayments.com/reference/create-customer)',
      },
      {
        claim:
          'A phone must match /[0-9]{10,15}/; the pattern is not anchored, we read it as 10–15 digits in all (inferred), so we may refuse a number Stax would take, never send one it refuses',
        source: 'Stax API reference, Create Customer (https://docs.staxpayments.com/reference/create-customer)',
      },
      {
        claim: 'Notes are internal, never shown to the customer: they carry the request metadata as JSON (Stax has no metadata field)',
        source: 'Stax API reference, Create Customer (https://docs.staxpayments.com/reference/create-customer)',
      },
      {
        claim:
          '`POST /customer` takes no idempotency key and is not deduplicated (customer matching is documented only for Stax.js `pay()`/`tokenize()`, https://api-docs.staxpayments.com/docs/customer-matching): an unanswered create is looked up before anything else',
      },
      {
        claim:
          'Whether `GET /customer` filters by `reference` is not documented beyond the parameter being listed (with the create fields’ descriptions): the lookup matches `reference` exactly itself and reads at most 10 pages (`page`, Laravel’s paginator, inferred from the answer’s `current_page`/`last_page`); nothing found (the filter ignored, the list not yet showing a new customer) hands the mapping to an operator instead of creating again',
      },
      {
        claim: 'Delete is a soft delete: the customer stays readable by id with `deleted_at` set and leaves the lists; get answers it as not found, delete reads first and reports it already deleted',
        source: 'Stax API reference, Delete a Customer (https://api-docs.staxpayments.com/reference/delete-a-customer)',
      },
      {
        claim:
          'An unknown id answers `{"id": "customer not found"}` (404 on get; the delete reference shows it on a 422 and lists 404): delete reads either as already gone; a 422 naming anything else stays an error',
        source: 'Stax API reference, Get a Customer’s Information and Delete a Customer (https://api-docs.staxpayments.com/reference/delete-a-customer)',
      },
      {
        claim:
          'Whether `PUT /customer/{id}` changes only the fields sent is not documented (its 422 example asks the body for a name, email or company): update reads the customer and sends every field we manage with the change merged in, and the company as held, so either reading keeps the customer whole; notes holding the merchant’s own text are never overwritten by metadata',
      },
      {
        claim: '`GET /self` answers the key’s user and merchant: mappings are scoped by `merchant.id`, so a rotated key keeps them',
        source: 'github.com/fattmerchantorg/fattmerchant-android-sdk cardpresent/src/main/java/com/fattmerchant/omni/networking/OmniApi.kt (getSelf), data/models/Self.kt; fattmerchant_python_client tests/mock_self.txt',
      },
    ],
  },
};

/** Bearer API key (a JWT) on every request; errors in Stax's several error shapes. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}`, accept: 'application/json' } }),
  error: staxError,
};

/** Stax `POST /customer`: JSON, no idempotency key (Stax has none for customers). */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForStax,
  request: (call) => ({ method: 'POST', path: 'customer', json: toStaxCreateCustomerRequest(call.customer) }),
  parse: customerAnswer(descriptor, isStaxCustomer, (body) => body.id),
});

const customerPath = (call: ExistingCustomerCall) => `customer/${encodeURIComponent(call.connectorCustomerId)}`;

/**
 * The customer an unanswered create made: Stax's customers whose `reference` is the merchant's
 * customer id (we set it on create), soft-deleted ones left out; the oldest when there are several.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    const reference = call.customer.merchantCustomerId;
    const matches: StaxCustomer[] = [];
    let last: ProcessorAnswer | undefined;
    for (let page = 1; page <= LOOKUP_PAGE_LIMIT; page += 1) {
      last = await session.send({ method: 'GET', path: 'customer', query: { reference, page: String(page) } });
      if (!isStaxCustomerPage(last.body)) return invalidResponse(descriptor, last.raw, 'a customer list without `data`');
      matches.push(...staxCustomersReferencing(last.body, reference));
      const { current_page: current = page, last_page: lastPage = page } = last.body;
      if (current >= lastPage || last.body.data.length === 0) {
        const found = earliestStaxCustomer(matches);
        return found && customerFrom(last, found.id);
      }
    }
    throw lookupIncomplete(descriptor, `Stax lists more than ${LOOKUP_PAGE_LIMIT} pages of customers for this reference; the customer of an unanswered attempt could not be looked up`, 'too many customers to look through', last?.status);
  },
});

/** Stax `GET /customer/{id}`; a soft-deleted customer (`deleted_at` set) is not found. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call) }),
  parse: retrieved,
});

/** Stax `PUT /customer/{id}` after a read: every field we manage, the change merged into what Stax holds. */
const update = conversationFlow<UpdateCustomerCall, RetrievedCustomer>({
  validate: validateStaxUpdate,
  run: async (call, session) => {
    const held = heldCustomer(await session.send({ method: 'GET', path: customerPath(call) }), call);
    const answer = await session.send({ method: 'PUT', path: customerPath(call), json: toStaxUpdateCustomerRequest(call.customer, held) });
    return retrieved(answer, call);
  },
});

/** Stax `DELETE /customer/{id}` (a soft delete) after a read: a deleted customer stays readable with `deleted_at`. */
const deleteCustomer = conversationFlow<DeleteCustomerCall, DeletedCustomer>({
  run: async (call, session) => {
    const current = await session.send({ method: 'GET', path: customerPath(call) }, { accepts: [404] });
    if (isGone(current)) return deletion(current, true);
    const answer = await session.send({ method: 'DELETE', path: customerPath(call) }, { accepts: [404, 422] });
    // A 2xx answers the customer just soft-deleted, `deleted_at` set: deleted now, not before.
    if (answer.status === 404 || answer.status === 422) return deletion(answer, isGone(answer));
    if (!isStaxCustomer(answer.body)) return invalidResponse(descriptor, answer.raw, 'a deletion without the customer');
    return deletion(answer, false);
  },
});

/** Stax `GET /self`: the merchant the API key belongs to. */
const identifyAccount = exchangeFlow<ProcessorCall, ProcessorAccount>({
  request: () => ({ method: 'GET', path: 'self' }),
  parse: (answer) => {
    if (!isStaxSelf(answer.body)) return invalidResponse(descriptor, answer.raw, 'no `merchant.id`');
    return { accountId: answer.body.merchant.id };
  },
});

const flows: ConnectorFlows = { create, findCreated, get, update, delete: deleteCustomer, identifyAccount };

/** Stax (Fattmerchant): JSON, Bearer API key (a JWT). */
@Injectable()
export class StaxConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

/** The customer an answer carries; a soft-deleted one is not found. */
function heldCustomer(answer: ProcessorAnswer, call: ExistingCustomerCall): StaxCustomer {
  if (!isStaxCustomer(answer.body)) return invalidResponse(descriptor, answer.raw, 'no customer id');
  const customer = answer.body as StaxCustomer;
  if (isStaxDeleted(customer)) {
    throw processorError(descriptor, answer.raw, { code: 'customer_deleted', message: `customer ${call.connectorCustomerId} is deleted` }, ErrorReason.ConnectorNotFound, { outcomeUnknown: false });
  }
  return customer;
}

function retrieved(answer: ProcessorAnswer, call: ExistingCustomerCall): RetrievedCustomer {
  const customer = heldCustomer(answer, call);
  return { ...customerFrom(answer, customer.id), record: staxRecord(customer) };
}

/** Stax's "customer not found" (404, or the 422 its delete reference shows), or a soft-deleted customer. */
function isGone(answer: ProcessorAnswer): boolean {
  if (answer.status === 404 || answer.status === 422) {
    const details = staxErrorDetails(answer.body, answer.status);
    // Only the documented `{"id": "customer not found"}`: a route's 404 (a wrong base URL) is no proof.
    if (details?.param !== 'id' || !/not found/i.test(details.message)) throw staxError(answer);
    return true;
  }
  if (!isStaxCustomer(answer.body)) return invalidResponse(descriptor, answer.raw, 'no customer id');
  return isStaxDeleted(answer.body as StaxCustomer);
}

function deletion(answer: ProcessorAnswer, alreadyDeleted: boolean): DeletedCustomer {
  return { httpStatus: answer.status, responseHeaders: answer.headers, alreadyDeleted };
}

function staxError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  const details = staxErrorDetails(body, response.status);
  if (!details) return invalidResponse(descriptor, response, 'an error body without a message');
  return processorError(descriptor, response, details);
}
