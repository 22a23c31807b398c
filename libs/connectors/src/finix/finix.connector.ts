import { Injectable } from '@nestjs/common';
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
  type ExistingCustomerCall,
  type ProcessorAnswer,
  type ProcessorProtocol,
  type RetrievedCustomer,
  type UpdateCustomerCall,
} from '../connector';
import { customerAnswer, invalidResponse, lookupIncomplete, processorError } from '../http/processor-response';
import {
  earliestFinixIdentity,
  FINIX_LIMITS,
  finixRecord,
  firstFinixError,
  identitiesOf,
  identitiesReferencing,
  isFinixIdentity,
  isFinixIdentityList,
  toFinixCreateIdentityRequest,
  toFinixUpdateIdentityRequest,
  validateForFinix,
  type FinixIdentity,
} from './finix.transformers';

/** Pages of 100 a back-reference lookup reads before giving up rather than deciding on part of the list. */
const LOOKUP_PAGE_LIMIT = 10;

/** The official SDK's API reference, where the claims below are read (finix-nodejs @4e699df, 2024-01). */
const FINIX_OPENAPI = 'github.com/finix-payments/finix-nodejs openapi/finix-api.yaml (Finix-Version 2022-02-01)';

/** Without the header Finix answers as version 2018-01-01; requests and tests are pinned to this one. */
export const FINIX_API_VERSION = '2022-02-01';

const descriptor: ConnectorDescriptor = {
  name: 'finix',
  configVariant: 'Finix',
  displayName: 'Finix',
  credentialFields: [
    { name: 'finix_user_name', required: true, secret: false },
    { name: 'finix_password', required: true, secret: true },
    { name: 'merchant_id', required: true, secret: false },
    { name: 'merchant_identity_id', required: true, secret: false },
  ],
  legacyAuth: {
    type: 'multi-auth-key',
    fields: { 'x-api-key': 'finix_user_name', 'x-api-secret': 'finix_password', 'x-key1': 'merchant_id', 'x-key2': 'merchant_identity_id' },
  },
  baseUrls: { sandbox: 'https://finix.sandbox-payments-api.com/', live: 'https://finix.live-payments-api.com/' },
  // Identities belong to the application the API user belongs to; sandbox and live users differ.
  // Sandbox and live API users look alike (`US…`): the base URL, not the credentials, decides the mode.
  accountIdentity: (credentials) => credentials.finix_user_name,
  // A new API key is a new API user: the merchant (one application's) stays across rotations.
  accountIdOf: (credentials) => credentials.merchant_id,
  capabilities: {
    fieldsSent: [
      'customer_name → entity.first_name + entity.last_name (split at the last space; the billing names when they spell it or there is no customer_name)',
      'email → entity.email (else the billing email)',
      'phone_number → entity.phone (else the billing phone with its calling code)',
      'address.billing_address → entity.personal_address (line3 joined to line2, country alpha-3)',
      'metadata → tags',
      'merchant_customer_id → tags.merchant_customer_id',
      'identity_roles: [BUYER], type: PERSONAL',
      'address.shipping_address → not sent: a buyer Identity has one personal address',
    ],
    idFormat: '`ID…` (24 characters)',
    idempotency: 'none for Identities (Finix takes `idempotency_id` on transfers, authorizations and reversals only)',
    duplicates: 'Finix creates an Identity per call; the mapping store prevents repeats, an unanswered call is looked up by email and our back-reference tag',
    replaysSafely: false,
    lookupIsConclusive: false,
    limits: [
      `first_name, last_name ≤ ${FINIX_LIMITS.firstName}`,
      `email ≤ ${FINIX_LIMITS.email}`,
      `address lines ≤ ${FINIX_LIMITS.addressLine}, city ≤ ${FINIX_LIMITS.city}, postal code ≤ ${FINIX_LIMITS.postalCode}, region two letters`,
      `tags ≤ ${FINIX_LIMITS.tags} (one is ours), key ≤ ${FINIX_LIMITS.tagKeyLength}, value ≤ ${FINIX_LIMITS.tagValueLength}`,
    ],
    lifecycle: {
      get: 'GET /identities/{id}',
      update: 'GET /identities/{id}, then PUT /identities/{id} with the buyer fields we manage and every tag, the change merged in',
    },
    claims: [
      {
        claim:
          'Buyer Identities are created with `identity_roles: [BUYER]` and `type: PERSONAL`: neither field is in the create request the official SDK publishes (entity, tags, additional_underwriting_data) nor in the buyer requests of Finix’s quickstarts; if Finix refuses them, the create fails with a 4xx and nothing is created, never a duplicate',
      },
      {
        claim: 'Every field of a buyer Identity is optional; `business_type` would make it a merchant Identity (underwriting)',
        source: `${FINIX_OPENAPI}: createIdentity; https://docs.finix.com/guides/online-payments/online-payments-quickstart (Buyer Identity Data)`,
      },
      {
        claim:
          'Limits of a buyer entity: first_name, last_name ≤ 20, email ≤ 100, address lines ≤ 35, city ≤ 20, region two letters, postal code ≤ 7; tags ≤ 50 pairs, key ≤ 40, value ≤ 500',
        source: `https://docs.finix.com/api/identities/createidentity; ${FINIX_OPENAPI}: UpdateIdentityRequest field descriptions, Tags`,
      },
      {
        claim: 'Identities cannot be deleted: `/identities/{id}` offers GET and PUT only, and no official SDK has a delete',
        source: `${FINIX_OPENAPI}: paths./identities/{identity_id}; finix-nodejs src/api/identitiesApi.ts`,
      },
      {
        claim: 'An unknown Identity answers 404 `NOT_FOUND` in `_embedded.errors`',
        source: `${FINIX_OPENAPI}: ErrorNotFound, Error404NotFoundList`,
      },
      {
        claim:
          'Whether `PUT /identities/{id}` merges or replaces the entity and tags is not documented: update reads the Identity and sends every buyer field we manage and every tag with the change merged in, so either reading keeps the Identity whole',
      },
      {
        claim: '`GET /identities` filters by exact `email` (partial emails are not supported) and pages by cursor (`page.next_cursor`, `after_cursor`)',
        source: `${FINIX_OPENAPI}: listIdentities, QueryEmail, QueryAfterCursor, PageCursor`,
      },
      {
        claim:
          'The lookup finds an unanswered create’s Identity by its email and our `merchant_customer_id` tag (tags are not searchable): without an email, with an email changed on the retry, or with a list not yet showing a new Identity (consistency undocumented), it finds nothing, and nothing found hands the mapping to an operator instead of creating again',
      },
      {
        claim:
          'An API key is an API user (user name and password); a new key is a new user, while the merchant the credentials name stays: mappings are scoped by `merchant_id` (Identities belong to the merchant’s application, whose id `GET /merchants/{id}` answers, so this scope is never wider than Finix’s own)',
        source: `https://docs.finix.com/guides/platform-payments/platform-quickstart (Create API Key); ${FINIX_OPENAPI}: Merchant.application`,
      },
    ],
  },
};

/** HTTP Basic user:password, HAL JSON and the pinned `Finix-Version` on every request; errors in `_embedded.errors`. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => {
    const { finix_user_name, finix_password } = call.credentials;
    return {
      headers: {
        authorization: `Basic ${Buffer.from(`${finix_user_name}:${finix_password}`).toString('base64')}`,
        accept: 'application/hal+json',
        'finix-version': FINIX_API_VERSION,
      },
    };
  },
  error: (answer) => {
    const error = firstFinixError(answer.body);
    if (!error) return invalidResponse(descriptor, answer.raw, 'an error body without `_embedded.errors`');
    return processorError(descriptor, answer.raw, { code: error.code ?? 'UNKNOWN', message: error.message ?? 'no message', param: error.field });
  },
};

/** Finix `POST /identities`: a buyer Identity. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForFinix,
  request: (call) => ({ method: 'POST', path: 'identities', json: toFinixCreateIdentityRequest(call.customer) }),
  parse: customerAnswer(descriptor, isFinixIdentity, (body) => body.id, 'no Identity id'),
});

const identityPath = (call: ExistingCustomerCall) => `identities/${encodeURIComponent(call.connectorCustomerId)}`;

/**
 * The Identity an unanswered create made: Identities under the customer's email carrying our
 * back-reference tag; the oldest when several do. Without an email there is nothing to search by.
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    const email = toFinixCreateIdentityRequest(call.customer).entity.email;
    if (email === undefined) return undefined;
    const matches: FinixIdentity[] = [];
    let afterCursor: string | undefined;
    let last: ProcessorAnswer | undefined;
    for (let page = 0; page < LOOKUP_PAGE_LIMIT; page += 1) {
      last = await session.send({ method: 'GET', path: 'identities', query: { email, limit: '100', ...(afterCursor && { after_cursor: afterCursor }) } });
      if (!isFinixIdentityList(last.body)) return invalidResponse(descriptor, last.raw, 'an Identity list without `_embedded` or `page`');
      matches.push(...identitiesReferencing(last.body, call.customer.merchantCustomerId));
      const next = last.body.page?.next_cursor;
      if (!next || identitiesOf(last.body).length === 0) {
        const found = earliestFinixIdentity(matches);
        return found && customerFrom(last, found.id);
      }
      afterCursor = next;
    }
    throw lookupIncomplete(descriptor, `Finix lists more than ${LOOKUP_PAGE_LIMIT * 100} Identities under this email; the Identity of an unanswered attempt could not be looked up`, 'too many Identities share the email', last?.status);
  },
});

/** Finix `GET /identities/{id}`. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: identityPath(call) }),
  parse: retrieved,
});

/** Finix `PUT /identities/{id}` after a read: the buyer fields we manage and every tag, the change merged in. */
const update = conversationFlow<UpdateCustomerCall, RetrievedCustomer>({
  validate: validateForFinix,
  run: async (call, session) => {
    const current = identityOf(await session.send({ method: 'GET', path: identityPath(call) }));
    const answer = await session.send({ method: 'PUT', path: identityPath(call), json: toFinixUpdateIdentityRequest(call.customer, current) });
    return retrieved(answer);
  },
});

const deleteIdentity = unsupportedFlow(
  'Finix Identities cannot be deleted: its API reference offers only GET and PUT on /identities/{id} (official finix-nodejs openapi/finix-api.yaml, src/api/identitiesApi.ts)',
);

const flows: ConnectorFlows = { create, findCreated, get, update, delete: deleteIdentity };

/** Finix `POST /identities` (a buyer Identity): JSON, HTTP Basic user:password, pinned `Finix-Version`. */
@Injectable()
export class FinixConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

function identityOf(answer: ProcessorAnswer): FinixIdentity {
  if (!isFinixIdentity(answer.body)) return invalidResponse(descriptor, answer.raw, 'no Identity id');
  return answer.body as FinixIdentity;
}

function retrieved(answer: ProcessorAnswer): RetrievedCustomer {
  const identity = identityOf(answer);
  return { ...customerFrom(answer, identity.id), record: finixRecord(identity) };
}
