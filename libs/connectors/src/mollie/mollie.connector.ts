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
  backReferenceOf,
  isMollieAccount,
  isMollieCustomer,
  isMollieCustomerList,
  isMollieError,
  mergedMetadata,
  metadataBytes,
  MOLLIE_LIMITS,
  recordMetadata,
  toMollieCreateCustomerRequest,
  toMollieUpdateCustomerRequest,
  validateForMollie,
  type MollieCustomerResponse,
} from './mollie.transformers';

/**
 * How long Mollie replays a stored idempotent answer, as the official SDK warns: Mollie purges stored
 * responses "at some point" and re-attempts "should happen within an hour" (mollie-api-node
 * `src/types/parameters.ts`, `IdempotencyParameter`). The API guide says 24 h; the shorter one holds.
 */
export const MOLLIE_REPLAY_WINDOW_HOURS = 1;
/** `GET /v2/customers` pages read when looking for the customer of an unanswered attempt (250 each, Mollie's maximum). */
export const MOLLIE_LOOKUP_PAGE_SIZE = 250;
export const MOLLIE_LOOKUP_MAX_PAGES = 20;

const MOLLIE_SDK = 'mollie/mollie-api-node';
const MOLLIE_DOCS = 'mollie/api-documentation';

const descriptor: ConnectorDescriptor = {
  name: 'mollie',
  configVariant: 'Mollie',
  displayName: 'Mollie',
  credentialFields: [{ name: 'api_key', required: true, secret: true }],
  legacyAuth: { type: 'header-key', fields: { 'x-api-key': 'api_key' } },
  // One host for both modes: the key (test_/live_) decides.
  baseUrls: { sandbox: 'https://api.mollie.com/', live: 'https://api.mollie.com/' },
  accountIdentity: (credentials) => credentials.api_key,
  testModeOf: (credentials) => {
    const match = /^(test|live)_/.exec(credentials.api_key);
    return match ? match[1] === 'test' : undefined;
  },
  capabilities: {
    fieldsSent: [
      'customer_name → name',
      'email → email (international domain in Punycode)',
      'connector_feature_data.locale → locale',
      'metadata → metadata',
      'merchant_customer_id → metadata.merchant_customer_id',
      'test_mode → testmode (organization access tokens only)',
      'phone_number, address.* → not sent (Mollie customers hold neither)',
    ],
    idFormat: '`cst_…`',
    idempotency: `\`Idempotency-Key\` header, one key per mapping; Mollie replays the first answer (\`Idempotent-Replayed: true\`) until it purges it, which its SDK says may be after an hour (\`src/types/parameters.ts\`), so past ${MOLLIE_REPLAY_WINDOW_HOURS} h a resumed mapping is first looked up by merchant_customer_id in the customers' metadata; 400 for the key with other parameters, 409 while the first is in flight`,
    duplicates: 'Mollie never deduplicates; the mapping store and the key do',
    replaysSafely: true,
    replayWindowHours: MOLLIE_REPLAY_WINDOW_HOURS,
    lookupIsConclusive: true,
    lifecycle: {
      get: 'GET /v2/customers/{id}',
      update: 'PATCH /v2/customers/{id} (metadata: read first and merged, Mollie replaces it whole)',
      delete: 'DELETE /v2/customers/{id}',
    },
    limits: [`metadata JSON ≤ ${MOLLIE_LIMITS.metadataBytes} bytes (merchant_customer_id included)`, 'locale one of Mollie’s'],
    claims: [
      { claim: 'stored idempotent answers may be purged after an hour: re-attempts should happen within an hour', source: `${MOLLIE_SDK} src/types/parameters.ts (IdempotencyParameter)` },
      { claim: 'Idempotency-Key is honoured on POST only (ignored on GET, PATCH, DELETE); a reused key with other parameters answers 400, one in flight 409', source: `${MOLLIE_DOCS} source/overview/api-idempotency.rst` },
      {
        claim: `GET /v2/customers lists customers newest first, ${MOLLIE_LOOKUP_PAGE_SIZE} a page at most, with their metadata; Mollie advises inspecting its list endpoints to learn whether an unanswered request was executed, so reading the list to its end is conclusive (a lookup that stops after ${MOLLIE_LOOKUP_MAX_PAGES} pages reports the outcome unknown instead of "not found")`,
        source: `${MOLLIE_SDK} src/types/parameters.ts (SortParameter: "by default … newest first"); ${MOLLIE_DOCS} source/reference/v2/customers-api/list-customers.rst; source/overview/api-idempotency.rst`,
      },
      { claim: 'PATCH /v2/customers/{id} takes name, email, locale, metadata and answers the customer', source: `${MOLLIE_DOCS} source/reference/v2/customers-api/update-customer.rst` },
      {
        claim: 'metadata sent on update replaces what Mollie holds (so the connector reads and merges it first; if Mollie merged instead, the merged map sent is the same)',
      },
      { claim: 'DELETE /v2/customers/{id} answers 204; a deleted object answers 410 Gone, an unknown one 404', source: `${MOLLIE_DOCS} source/reference/v2/customers-api/delete-customer.rst; https://docs.mollie.com/overview/handling-errors` },
      { claim: 'GET /v2/profiles/me names the website profile of an API key; GET /v2/organizations/me the organization of an access token', source: `${MOLLIE_SDK} src/binders/profiles/ProfilesBinder.ts, src/binders/organizations/OrganizationsBinder.ts (getCurrent)` },
    ],
  },
};

const ACCESS_TOKEN = /^access_/;

/** Bearer API key (or organization access token) on every request; errors as Mollie's problem JSON. */
const protocol: ProcessorProtocol = {
  authenticate: (call) => ({ headers: { authorization: `Bearer ${call.credentials.api_key}` } }),
  error: mollieError,
};

const usesAccessToken = (call: ProcessorCall) => ACCESS_TOKEN.test(call.credentials.api_key);
/** Organization access tokens name the mode on every call; API keys carry it and Mollie refuses the field with them. */
const testmodeQuery = (call: ProcessorCall) => (usesAccessToken(call) ? { testmode: String(call.testMode) } : undefined);
const testmodeBody = (call: ProcessorCall) => (usesAccessToken(call) ? { testmode: call.testMode } : {});
const customerPath = (call: ExistingCustomerCall) => `v2/customers/${encodeURIComponent(call.connectorCustomerId)}`;

function recordOf(body: MollieCustomerResponse): CustomerRecord {
  return { name: body.name ?? undefined, email: body.email ?? undefined, metadata: recordMetadata(body.metadata) };
}

function retrieved(answer: ProcessorAnswer): RetrievedCustomer {
  if (!isMollieCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
  return { ...customerFrom(answer, answer.body.id), record: recordOf(answer.body) };
}

/** Mollie `POST /v2/customers`: JSON, idempotency key per mapping. */
const create = exchangeFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForMollie,
  request: (call) => ({
    method: 'POST',
    path: 'v2/customers',
    headers: { 'idempotency-key': call.idempotencyKey },
    json: { ...toMollieCreateCustomerRequest(call.customer), ...testmodeBody(call) },
  }),
  parse: customerAnswer(descriptor, isMollieCustomer, (body) => body.id),
});

/**
 * The customer an unanswered attempt of this mapping created: customers are listed newest first and
 * recognised by the merchant_customer_id in their metadata. Several (duplicates made before) → the
 * oldest on the page that holds them. A list read to its end without a match proves none exists; a
 * lookup that stops at its page limit cannot tell, and says so instead of answering "not found".
 */
const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    let from: string | undefined;
    for (let page = 0; page < MOLLIE_LOOKUP_MAX_PAGES; page++) {
      const query: Record<string, string> = { limit: String(MOLLIE_LOOKUP_PAGE_SIZE), ...testmodeQuery(call), ...(from !== undefined && { from }) };
      const answer = await session.send({ method: 'GET', path: 'v2/customers', query });
      if (!isMollieCustomerList(answer.body)) invalidResponse(descriptor, answer.raw, 'a customer list without `_embedded.customers`');
      const ours = answer.body._embedded.customers.filter((customer) => backReferenceOf(customer) === call.customer.merchantCustomerId);
      if (ours.length > 0) return customerFrom(answer, ours[ours.length - 1].id);
      const next = answer.body._links?.next?.href;
      if (!next) return undefined;
      from = new URL(next).searchParams.get('from') ?? undefined;
      if (from === undefined) invalidResponse(descriptor, answer.raw, 'a next page link without `from`');
    }
    throw lookupIncomplete(descriptor, `Mollie holds more than ${MOLLIE_LOOKUP_MAX_PAGES * MOLLIE_LOOKUP_PAGE_SIZE} newer customers; whether an earlier attempt created this one is not known`, `no match in the newest ${MOLLIE_LOOKUP_MAX_PAGES} pages`);
  },
});

/** `GET /v2/customers/{id}`: an unknown customer is 404, a deleted one 410 (both ConnectorNotFound). */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call), query: testmodeQuery(call) }),
  parse: (answer) => retrieved(answer),
});

/**
 * `PATCH /v2/customers/{id}` with the fields that change. Mollie replaces the stored metadata with
 * the one sent, so a change that names metadata keys reads the customer first and sends the merged
 * map. Mollie ignores idempotency keys on PATCH (a repeat is harmless), so none is sent.
 */
const update = conversationFlow<UpdateCustomerCall, ConnectorCustomer & { record?: CustomerRecord }>({
  validate: validateForMollie,
  run: async (call, session) => {
    const body: Record<string, unknown> = { ...toMollieUpdateCustomerRequest(call.customer), ...testmodeBody(call) };
    if (Object.keys(call.customer.metadata).length > 0) {
      const held = await session.send({ method: 'GET', path: customerPath(call), query: testmodeQuery(call) });
      if (!isMollieCustomer(held.body)) invalidResponse(descriptor, held.raw, 'no customer id');
      const metadata = mergedMetadata(held.body.metadata, call.customer);
      const bytes = metadataBytes(metadata);
      if (bytes > MOLLIE_LIMITS.metadataBytes) {
        throw DomainError.invalidField('metadata', `Mollie stores at most ${MOLLIE_LIMITS.metadataBytes} bytes of metadata JSON; with the keys Mollie already holds it would be ${bytes}`);
      }
      body.metadata = metadata;
    }
    return retrieved(await session.send({ method: 'PATCH', path: customerPath(call), json: body }));
  },
});

/** `DELETE /v2/customers/{id}`: 204; 404 or 410 mean it is already gone (a retry after a lost answer). */
const remove = exchangeFlow<DeleteCustomerCall, DeletedCustomer>({
  request: (call) => ({ method: 'DELETE', path: customerPath(call), ...(usesAccessToken(call) && { json: testmodeBody(call) }) }),
  accepts: [404, 410],
  parse: (answer) => ({ httpStatus: answer.status, responseHeaders: answer.headers, alreadyDeleted: answer.status === 404 || answer.status === 410 }),
});

/**
 * The website profile an API key belongs to (`GET /v2/profiles/me`), or the organization of an
 * access token (`GET /v2/organizations/me`), with the mode: a profile's test and live customers are apart.
 */
const identifyAccount = exchangeFlow<ProcessorCall, ProcessorAccount>({
  request: (call) => ({ method: 'GET', path: usesAccessToken(call) ? 'v2/organizations/me' : 'v2/profiles/me' }),
  parse: (answer, call) => {
    if (!isMollieAccount(answer.body)) invalidResponse(descriptor, answer.raw, 'an account without id');
    const mode = (descriptor.testModeOf?.(call.credentials) ?? call.testMode) ? 'test' : 'live';
    return { accountId: `${answer.body.id}:${mode}` };
  },
});

const flows: ConnectorFlows = { create, findCreated, get, update, delete: remove, identifyAccount };

/** Mollie: JSON, Bearer API key, idempotency key per mapping. */
@Injectable()
export class MollieConnector implements Connector {
  readonly descriptor = descriptor;
  readonly protocol = protocol;
  readonly flows = flows;
}

function mollieError(answer: ProcessorAnswer) {
  const { body, raw: response } = answer;
  if (!isMollieError(body)) return invalidResponse(descriptor, response, 'an error body without title or detail');
  return processorError(
    descriptor,
    response,
    { code: body.title ?? `http_${response.status}`, message: body.detail ?? body.title ?? 'no message', param: body.field },
    // 410: the customer was deleted; for every flow that is a customer the processor no longer knows.
    response.status === 410 ? ErrorReason.ConnectorNotFound : undefined,
  );
}
