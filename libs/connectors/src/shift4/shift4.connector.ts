import { Injectable } from '@nestjs/common';
import { customerEmail } from '@app/common/domain/customer-fields';
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
  type ProcessorAnswer,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { customerAnswer, invalidResponse, lookupIncomplete, processorError } from '../http/processor-response';
import {
  customersReferencing,
  earliestShift4Customer,
  isShift4Customer,
  isShift4CustomerList,
  isShift4Error,
  shift4PhoneChange,
  shift4Record,
  toShift4CreateCustomerRequest,
  toShift4UpdateCustomerRequest,
  updateReadsShift4CustomerFirst,
  validateForShift4,
  validateShift4Update,
  type Shift4Customer,
} from './shift4.transformers';

/**
 * How long Shift4 keeps an idempotency key is documented nowhere (API reference, official SDKs):
 * the shortest window any processor here documents (Mollie, about an hour) is assumed.
 */
export const SHIFT4_ASSUMED_REPLAY_WINDOW_HOURS = 1;

/** shift4-node spec/integration/customersSpec.js: the refusal of a key reused with other parameters. */
const IDEMPOTENCY_MISMATCH = /^Idempotent key used for request with different parameters/i;

/** Pages of 100 a back-reference lookup reads before giving up rather than deciding on part of the list. */
const LOOKUP_PAGE_LIMIT = 10;

const descriptor: ConnectorDescriptor = {
  name: 'shift4',
  configVariant: 'Shift4',
  displayName: 'Shift4',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the secret key decides test or live.
  baseUrls: { sandbox: 'https://api.shift4.com/', live: 'https://api.shift4.com/' },
  accountIdentity: (credentials) => credentials.api_key,
  // Shift4 secret keys are `sk_test_…`/`sk_live_…` (SDK READMEs) or `pr_test_…` (API reference).
  testModeOf: (credentials) => {
    const match = /^(?:sk|pr)_(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'email → email (else address.billing_address.email; required)',
      'customer_name → description (else billing first + last name)',
      'metadata → metadata',
      'merchant_customer_id → metadata.merchant_customer_id',
      'phone_number → phoneNumber on create, as given (E.164; Shift4 documents no format); its update takes no phone, so an update to another phone is refused',
      'address.billing_address → billing[name (billing first + last name, else customer_name)|email|phone (with its calling code)|address[line1|line2 (line3 joined)|zip|city|state|country]], on create and update (merged with what Shift4 holds)',
      'address.shipping_address → not sent (a Shift4 customer has no shipping address)',
    ],
    idFormat: '`cust_…`',
    idempotency: `\`Idempotency-Key\` header, one key per mapping (a repeat answers the first response with \`Idempotent-Replayed: true\`; the same key with other parameters is refused); Shift4 documents no retention, ${SHIFT4_ASSUMED_REPLAY_WINDOW_HOURS} h assumed, then a lookup by email and our metadata back-reference`,
    duplicates: 'Shift4 never deduplicates (two customers may share an email); the mapping store and the key do',
    replaysSafely: true,
    replayWindowHours: SHIFT4_ASSUMED_REPLAY_WINDOW_HOURS,
    lookupIsConclusive: false,
    limits: ['email required', 'metadata key `merchant_customer_id` reserved', 'phone_number cannot change on update'],
    lifecycle: {
      get: 'GET /customers/{id} (a deleted customer answers `deleted: true`: not found)',
      update:
        'POST /customers/{id} with the idempotency key (GET first when metadata or the billing address changes, sent merged with what Shift4 holds, or when a phone is named, which must match the one held)',
      delete: 'GET /customers/{id}, then DELETE /customers/{id} unless already deleted',
    },
    claims: [
      {
        claim: 'A repeated `Idempotency-Key` answers the first response again, flagged `Idempotent-Replayed: true`, on creates and updates',
        source: 'github.com/shift4developer/shift4-ruby spec/integration/customers_spec.rb; shift4-node spec/integration/customersSpec.js',
      },
      {
        claim:
          'The same key with other parameters is refused (`invalid_request`, "Idempotent key used for request with different parameters."): read as a conflict whose outcome is unknown (the first attempt may have created the customer), never as a refusal that frees the key',
        source: 'github.com/shift4developer/shift4-node spec/integration/customersSpec.js; shift4-php tests/CustomerTest.php',
      },
      {
        claim: `How long a key is kept is not documented (API reference https://dev.shift4.com/docs/api, shift4-node/java/php/python/ruby/net): ${SHIFT4_ASSUMED_REPLAY_WINDOW_HOURS} h is assumed, the shortest window a processor here documents (Mollie); past it an unanswered create is looked up before any new one`,
      },
      {
        claim: '`GET /customers` filters by `email`, newest first, and leaves deleted customers out unless `deleted=true`',
        source: 'github.com/shift4developer/shift4-node spec/integration/customersSpec.js ("should list customers"); shift4-java request/CustomerListRequest.java',
      },
      {
        claim:
          'The lookup finds our customer by its email and our metadata back-reference (metadata is not searchable): a retry whose email changed, or a list that does not yet show a new customer (consistency undocumented), finds nothing, so nothing found hands the mapping to an operator instead of creating again',
      },
      {
        claim: 'An update replaces `metadata` whole: an update that changes metadata reads the customer first and sends the merged map with our back-reference',
        source: 'github.com/shift4developer/shift4-php tests/CustomerTest.php (testUpdateCustomer); tests/utils/Data.php',
      },
      {
        claim: 'A deleted customer stays readable with `deleted: true`; `DELETE` answers `{id}`',
        source: 'github.com/shift4developer/shift4-java src/test/java/com/shift4/CustomerTest.java (shouldDeleteCustomer); shift4-node customersSpec ("should delete customer")',
      },
      {
        claim:
          'What deleting a deleted customer answers is not documented: delete reads the customer first and reports it already deleted without a second `DELETE`; a 404 in Shift4’s error shape on either call also means already gone',
      },
      {
        claim:
          'No endpoint names the account behind a secret key (none in any official SDK): mappings stay scoped by the key, so after a key rotation a returning customer gets a new Shift4 customer (never another account’s id)',
        source: 'github.com/shift4developer/shift4-java src/main/java/com/shift4/Shift4Gateway.java (every resource path)',
      },
      {
        claim:
          'A create takes `phoneNumber` and `billing` {name, email, phone, vat, address {line1, line2, zip, city, state, country}} (JSON named after the Java fields); an update takes `billing` but no `phoneNumber`. `vat` is never sent (we hold none; an update keeps the held one). Only shift4-java shows these fields: shift4-node (2024-08), shift4-php (2025-04) and shift4-python (2024-08) do not mention them',
        source:
          'github.com/shift4developer/shift4-java src/main/java/com/shift4/request/CustomerRequest.java, request/CustomerUpdateRequest.java, request/BillingRequest.java, request/AddressRequest.java, util/ObjectSerializer.java (field visibility), response/Customer.java, response/Billing.java, response/Address.java',
      },
      {
        claim:
          'Shift4’s update cannot change a phone (shift4-java CustomerUpdateRequest has no `phoneNumber`): an update naming a phone reads the customer first and is refused on `phone_number` when it differs from the held one, rather than answered as done',
        source: 'github.com/shift4developer/shift4-java src/main/java/com/shift4/request/CustomerUpdateRequest.java',
      },
      {
        claim:
          'No format or length is documented for `phoneNumber`, `billing.phone` or the address fields (the SDK holds plain strings; its test sends a 9-digit billing phone and country "SE"): phone_number goes as given (E.164), the billing phone with its calling code, the country as its alpha-2 code, and no limit is enforced',
        source: 'github.com/shift4developer/shift4-java src/test/java/com/shift4/CustomerTest.java (shouldCreateAndRetrieveCustomerWithBillingAddress)',
      },
      {
        claim:
          'Whether an update’s `billing` replaces the held block or merges into it is not documented (the SDK test sends a whole block): update reads the customer first and sends the held block with the change over it, right either way',
        source: 'github.com/shift4developer/shift4-java src/test/java/com/shift4/CustomerTest.java (shouldUpdateBillingAddress)',
      },
      {
        claim: 'An email is required to create a customer (every official SDK test creates with one): refused before the call, so if Shift4 accepts none we only refuse more',
      },
    ],
  },
};

/** HTTP Basic with the secret key as user and no password; errors in Shift4's `error` object. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({
    headers: { authorization: `Basic ${Buffer.from(`${call.credentials.api_key}:`).toString('base64')}`, accept: 'application/json' },
  }),
  error: shift4Error,
};

const customerPath = (call: ExistingCustomerCall) => `customers/${encodeURIComponent(call.connectorCustomerId)}`;

/** Shift4 `POST /customers`: JSON, idempotency key per mapping. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForShift4,
  request: (call) => ({
    method: 'POST',
    path: 'customers',
    headers: { 'idempotency-key': call.idempotencyKey },
    json: toShift4CreateCustomerRequest(call.customer),
  }),
  parse: customerAnswer(descriptor, isShift4Customer, (body) => body.id),
});

/**
 * The customer an unanswered create made, found by its email and our metadata back-reference
 * (Shift4 cannot search metadata). Several matches mean duplicates exist already: the oldest is kept.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    const email = customerEmail(call.customer).value;
    if (email === undefined) return undefined;
    const matches: Shift4Customer[] = [];
    let startingAfterId: string | undefined;
    let last: ProcessorAnswer | undefined;
    for (let page = 0; page < LOOKUP_PAGE_LIMIT; page += 1) {
      last = await session.send({ method: 'GET', path: 'customers', query: { email, limit: '100', ...(startingAfterId && { startingAfterId }) } });
      if (!isShift4CustomerList(last.body)) return invalidResponse(descriptor, last.raw, 'a customer list without `list`');
      matches.push(...customersReferencing(last.body, call.customer.merchantCustomerId));
      const lastOnPage = last.body.list.at(-1);
      if (!last.body.hasMore || !lastOnPage) {
        const found = earliestShift4Customer(matches);
        return found && customerFrom(last, found.id);
      }
      startingAfterId = lastOnPage.id;
    }
    throw lookupIncomplete(descriptor, `Shift4 lists more than ${LOOKUP_PAGE_LIMIT * 100} customers under this email; the customer of an unanswered attempt could not be looked up`, 'too many customers share the email', last?.status);
  },
});

/** Shift4 `GET /customers/{id}`; a customer answered with `deleted: true` is not found. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call) }),
  parse: retrieved,
});

/**
 * Shift4 `POST /customers/{id}` with the step's idempotency key: the fields the change names.
 * Metadata is replaced whole by Shift4 (and billing may be), so a change to either reads the
 * customer first and merges; a phone, which the update cannot send, must match the held one.
 */
const update = conversationFlow<UpdateCustomerCall, RetrievedCustomer>({
  validate: validateShift4Update,
  run: async (call, session) => {
    const held = updateReadsShift4CustomerFirst(call.customer) ? heldCustomer(await session.send({ method: 'GET', path: customerPath(call) }), call) : undefined;
    if (held && shift4PhoneChange(call.customer, held) !== undefined) {
      throw DomainError.invalidField('phone_number', 'Shift4 cannot change a customer’s phone: its update takes no phoneNumber (shift4-java CustomerUpdateRequest)');
    }
    const answer = await session.send({
      method: 'POST',
      path: customerPath(call),
      headers: { 'idempotency-key': call.idempotencyKey },
      json: toShift4UpdateCustomerRequest(call.customer, held),
    });
    return retrieved(answer, call);
  },
});

/**
 * Shift4 `DELETE /customers/{id}`, after a read: a deleted customer stays readable with
 * `deleted: true`, and what a second `DELETE` answers is not documented.
 */
const deleteCustomer = conversationFlow<DeleteCustomerCall, DeletedCustomer>({
  run: async (call, session) => {
    const current = await session.send({ method: 'GET', path: customerPath(call) }, { accepts: [404] });
    if (isGone(current)) return deletion(current, true);
    const answer = await session.send({ method: 'DELETE', path: customerPath(call) }, { accepts: [404] });
    if (isGone(answer)) return deletion(answer, true);
    if (!isShift4Customer(answer.body)) return invalidResponse(descriptor, answer.raw, 'a deletion without the customer id');
    return deletion(answer, false);
  },
});

const flows: ConnectorFlows = { create, findCreated, get, update, delete: deleteCustomer };

/** Shift4: JSON, HTTP Basic with the secret key as user and no password. */
@Injectable()
export class Shift4Connector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

/** The customer an answer carries; one flagged deleted is not found. */
function heldCustomer(answer: ProcessorAnswer, call: ExistingCustomerCall): Shift4Customer {
  const body = answer.body;
  if (!isShift4Customer(body)) return invalidResponse(descriptor, answer.raw, 'no customer id');
  const customer = body as Shift4Customer;
  if (customer.deleted === true) {
    throw processorError(descriptor, answer.raw, { code: 'customer_deleted', message: `customer ${call.connectorCustomerId} is deleted` }, ErrorReason.ConnectorNotFound, { outcomeUnknown: false });
  }
  return customer;
}

function retrieved(answer: ProcessorAnswer, call: ExistingCustomerCall): RetrievedCustomer {
  const customer = heldCustomer(answer, call);
  return { ...customerFrom(answer, customer.id), record: shift4Record(customer) };
}

/** A 404 in Shift4's own error shape, or a customer flagged deleted: nothing left to delete. */
function isGone(answer: ProcessorAnswer): boolean {
  if (answer.status === 404) {
    if (!isShift4Error(answer.body)) throw shift4Error(answer);
    return true;
  }
  if (!isShift4Customer(answer.body)) return invalidResponse(descriptor, answer.raw, 'no customer id');
  return (answer.body as Shift4Customer).deleted === true;
}

function deletion(answer: ProcessorAnswer, alreadyDeleted: boolean): DeletedCustomer {
  return { httpStatus: answer.status, responseHeaders: answer.headers, alreadyDeleted };
}

function shift4Error(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  if (!isShift4Error(body)) return invalidResponse(descriptor, response, 'an error body without `error`');
  const { type, code, message } = body.error;
  const details = { code: code ?? type ?? 'unknown', message: message ?? 'no message', type };
  // The key already carried another request, which may have created the customer: a conflict whose
  // outcome is unknown, never a refusal that frees the reservation for a new key.
  if (IDEMPOTENCY_MISMATCH.test(message ?? '')) return processorError(descriptor, response, details, ErrorReason.ConnectorConflict, { outcomeUnknown: true });
  return processorError(descriptor, response, details);
}
