import { Injectable } from '@nestjs/common';
import type { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  conversationFlow,
  customerFrom,
  exchangeFlow,
  unsupportedFlow,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type CustomerRecord,
  type ExistingCustomerCall,
  type ProcessorAnswer,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { invalidResponse, processorError } from '../http/processor-response';
import {
  backReferenceOf,
  isRazorpayCollection,
  isRazorpayCustomer,
  isRazorpayError,
  RAZORPAY_LIMITS,
  recordNotes,
  toRazorpayCreateCustomerRequest,
  toRazorpayEditCustomerRequest,
  validateForRazorpay,
  validateRazorpayEdit,
  type RazorpayCustomerResponse,
} from './razorpay.transformers';

/** `GET /v1/customers` pages read when looking for the customer of an unanswered attempt (100 each, the most `count` takes). */
export const RAZORPAY_LOOKUP_PAGE_SIZE = 100;
export const RAZORPAY_LOOKUP_MAX_PAGES = 10;

const RAZORPAY_API = 'https://razorpay.com/docs/api/customers';
const RAZORPAY_NODE = 'razorpay/razorpay-node';

const descriptor: ConnectorDescriptor = {
  name: 'razorpay',
  configVariant: 'Razorpay',
  displayName: 'Razorpay',
  credentialFields: [
    // The key id is public (Razorpay Checkout embeds it in web pages); the secret is not.
    { name: 'key_id', required: true, secret: false },
    { name: 'key_secret', required: true, secret: true },
  ],
  legacyAuth: { type: 'body-key', fields: { 'x-api-key': 'key_id', 'x-key1': 'key_secret' } },
  // One host for both modes: the key pair (rzp_test_/rzp_live_) decides.
  baseUrls: { sandbox: 'https://api.razorpay.com/', live: 'https://api.razorpay.com/' },
  accountIdentity: (credentials) => credentials.key_id,
  testModeOf: (credentials) => {
    const match = /^rzp_(test|live)_/.exec(credentials.key_id);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'customer_name → name',
      'email → email',
      'phone_number → contact (digits and +)',
      'connector_feature_data.gstin → gstin',
      'metadata → notes',
      'merchant_customer_id → notes.merchant_customer_id',
      'address.* → not sent (Razorpay customers take no address on create)',
    ],
    idFormat: '`cust_…`',
    idempotency: 'no idempotency key; `fail_existing: "0"` makes a repeated create with the same email and contact return the first customer',
    duplicates:
      'Razorpay matches customers by email and contact; a match is returned (`fail_existing: "0"`), and refused as FAILED_PRECONDITION when its notes name another merchant_customer_id',
    replaysSafely: true,
    // The safety net is the email + contact match: a retry carrying other details is a new customer.
    replayRequiresSameDetails: true,
    lifecycle: {
      get: 'GET /v1/customers/{id}',
      update: 'GET, then PUT /v1/customers/{id} with name, email and contact (what the change leaves out is sent as Razorpay holds it)',
    },
    limits: [
      'email or phone_number required (the duplicate match needs one)',
      `name required, ${RAZORPAY_LIMITS.nameMin}–${RAZORPAY_LIMITS.nameMax} characters: letters, digits, spaces and . ' / @ ( ), starting and ending with a letter, digit, . or )`,
      `email ≤ ${RAZORPAY_LIMITS.email}`,
      `contact ≤ ${RAZORPAY_LIMITS.contact} characters with ≥ ${RAZORPAY_LIMITS.contactMinDigits} digits`,
      `notes ≤ ${RAZORPAY_LIMITS.notesPairs} pairs (one is ours), value ≤ ${RAZORPAY_LIMITS.notesValueLength}`,
      `gstin ${RAZORPAY_LIMITS.gstin} letters and digits`,
      'update: name, email and contact only (notes and GSTIN cannot be edited)',
    ],
    claims: [
      { claim: '`name` is required on create; `email`, `contact`, `fail_existing`, `gstin`, `notes` are optional', source: `${RAZORPAY_API}/create; ${RAZORPAY_NODE} documents/customer.md (name*)` },
      {
        claim: "a name is 3–50 characters, alphanumeric with . ' / @ ( ) (no - or _); spaces between words as in the documented example",
        source: `${RAZORPAY_API}/create`,
      },
      { claim: 'a name must start and end with a letter, digit, `.` or `)` (stricter than documented: a refusal before the call, never a duplicate)' },
      {
        claim: 'with `fail_existing: "0"` a create matching an existing customer returns it; the match is on email and contact together (edits must keep that pair unique), so a retry with other details creates another customer',
        source: `${RAZORPAY_API}/create; ${RAZORPAY_API}/edit ("the combination of the values in the email and contact attributes is unique")`,
      },
      { claim: 'no idempotency key on /v1/customers', source: `${RAZORPAY_API}/create; ${RAZORPAY_NODE} lib/resources/customers.js` },
      { claim: 'PUT /v1/customers/{id} edits name, email and contact', source: `${RAZORPAY_API}/edit; ${RAZORPAY_NODE} lib/types/customers.d.ts (RazorpayCustomerUpdateRequestBody)` },
      {
        claim: 'no customer delete: the Customers API has create, edit, fetch and fetch-all; the SDK deletes only tokens and bank accounts',
        source: `${RAZORPAY_API}; ${RAZORPAY_NODE} lib/resources/customers.js`,
      },
      { claim: 'an unknown or foreign customer id answers 400 "The id provided does not exist" (or "id is not a valid id")', source: `${RAZORPAY_API}/fetch-with-id` },
      {
        claim: `GET /v1/customers lists customers (count ≤ ${RAZORPAY_LOOKUP_PAGE_SIZE}, skip) with their notes; its order and consistency are not documented, so a lookup of ${RAZORPAY_LOOKUP_MAX_PAGES} pages that finds nothing is not proof (lookupIsConclusive stays false)`,
        source: `${RAZORPAY_NODE} lib/resources/customers.js (all: count, skip)`,
      },
      { claim: 'no endpoint names the account of a key pair; a regenerated key pair has a new key_id, so mappings stay scoped by key_id' },
    ],
  },
};

/** Razorpay's placeholder in error fields that carry nothing. */
const NOT_APPLICABLE = 'NA';
/** Razorpay answers an unknown (or another merchant's) customer id with a 400 saying so. */
const UNKNOWN_CUSTOMER = /^(?:The id provided does not exist|\S+ is not a valid id)/;

function razorpayError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isRazorpayError(body)) return invalidResponse(descriptor, response, 'an error body without `error`');
  const { code, description, field, reason } = body.error;
  const hasReason = reason !== undefined && reason !== NOT_APPLICABLE;
  return processorError(
    descriptor,
    response,
    { code: (hasReason ? reason : code) ?? `http_${response.status}`, message: description ?? 'no message', param: field, type: code },
    UNKNOWN_CUSTOMER.test(description ?? '') ? ErrorReason.ConnectorNotFound : undefined,
  );
}

/** Basic key_id:key_secret on every request; errors in Razorpay's `error` object. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => {
    const { key_id, key_secret } = call.credentials;
    return { headers: { authorization: `Basic ${Buffer.from(`${key_id}:${key_secret}`, 'utf8').toString('base64')}` } };
  },
  error: razorpayError,
};

/**
 * Razorpay `POST /v1/customers`: JSON. With `fail_existing: "0"` a retry sending the same details
 * gets the customer of the first attempt back.
 */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForRazorpay,
  request: (call) => ({ method: 'POST', path: 'v1/customers', json: toRazorpayCreateCustomerRequest(call.customer) }),
  parse: (answer, call) => {
    if (!isRazorpayCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
    const backReference = backReferenceOf(answer.body);
    if (backReference !== undefined && backReference !== call.customer.merchantCustomerId) {
      // fail_existing matched a customer created for another merchant customer with the same email and contact.
      throw processorError(
        descriptor,
        answer.raw,
        {
          code: 'existing_customer_of_another_merchant_customer_id',
          message: `Razorpay returned its existing customer ${answer.body.id}, created for another merchant_customer_id with the same email and contact`,
        },
        ErrorReason.ConnectorRequestRejected,
      );
    }
    return customerFrom(answer, answer.body.id);
  },
});

const customerPath = (call: ExistingCustomerCall) => `v1/customers/${encodeURIComponent(call.connectorCustomerId)}`;

function recordOf(body: RazorpayCustomerResponse): CustomerRecord {
  return { name: body.name ?? undefined, email: body.email ?? undefined, phone: body.contact ?? undefined, metadata: recordNotes(body.notes) };
}

function heldCustomer(answer: ProcessorAnswer): RazorpayCustomerResponse {
  if (!isRazorpayCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
  return answer.body;
}

function retrieved(answer: ProcessorAnswer): RetrievedCustomer {
  const customer = heldCustomer(answer);
  return { ...customerFrom(answer, customer.id), record: recordOf(customer) };
}

/**
 * The customer an unanswered attempt created, by the merchant_customer_id in its notes, over the
 * customer list. Razorpay documents neither the list's order nor its consistency, and no filter, so
 * nothing found after the pages read proves nothing: the connector does not declare the lookup conclusive.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    for (let page = 0; page < RAZORPAY_LOOKUP_MAX_PAGES; page++) {
      const answer = await session.send({
        method: 'GET',
        path: 'v1/customers',
        query: { count: String(RAZORPAY_LOOKUP_PAGE_SIZE), skip: String(page * RAZORPAY_LOOKUP_PAGE_SIZE) },
      });
      if (!isRazorpayCollection(answer.body)) invalidResponse(descriptor, answer.raw, 'a collection without `items`');
      const ours = answer.body.items.find((customer) => backReferenceOf(customer) === call.customer.merchantCustomerId);
      if (ours) return customerFrom(answer, ours.id);
      if (answer.body.items.length < RAZORPAY_LOOKUP_PAGE_SIZE) return undefined;
    }
    return undefined;
  },
});

/** `GET /v1/customers/{id}`. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call) }),
  parse: retrieved,
});

/**
 * `PUT /v1/customers/{id}` (Edit Customer Details) takes name, email and contact. Whether a field
 * left out is kept or cleared is not documented, so the customer is read first and every one of the
 * three goes out: what the change names, else what Razorpay holds. No idempotency key exists; a
 * repeated edit sets the same values.
 */
const update = conversationFlow<UpdateCustomerCall, ConnectorCustomer & { record?: CustomerRecord }>({
  validate: validateRazorpayEdit,
  run: async (call, session) => {
    const held = heldCustomer(await session.send({ method: 'GET', path: customerPath(call) }));
    const answer = await session.send({ method: 'PUT', path: customerPath(call), json: toRazorpayEditCustomerRequest(call.customer, held) });
    return retrieved(answer);
  },
});

const flows: ConnectorFlows = {
  create,
  findCreated,
  get,
  update,
  delete: unsupportedFlow(
    `Razorpay has no customer delete: its Customers API offers create, edit, fetch and fetch-all (${RAZORPAY_API}); razorpay-node deletes only a customer's tokens and bank accounts (lib/resources/customers.js)`,
  ),
};

/** Razorpay: JSON, Basic key_id:key_secret; `fail_existing: "0"` makes a create replay safely. */
@Injectable()
export class RazorpayConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}
