import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { registerSensitiveValues } from '@app/common/context/request-context';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  conversationFlow,
  customerFrom,
  exchangeFlow,
  unsupportedFlow,
  type Authentication,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type Credentials,
  type CustomerRecord,
  type ExistingCustomerCall,
  type RetrievedCustomer,
  type UpdateCustomerCall,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type ProcessorSession,
} from '../connector';
import { AccessTokenCache, type AccessToken } from '../execution/access-token-cache';
import { invalidResponse, processorError, withOutcomeUnknown } from '../http/processor-response';
import {
  AIRWALLEX_LIMITS,
  airwallexRecord,
  isAirwallexCustomer,
  isAirwallexCustomerList,
  isAirwallexError,
  isAirwallexLogin,
  suppliedAccessToken,
  toAirwallexCreateCustomerRequest,
  toAirwallexUpdateCustomerRequest,
  validateForAirwallex,
} from './airwallex.transformers';

const AIRWALLEX_CUSTOMERS_API = 'https://www.airwallex.com/docs/api/payments/customers';
const AIRWALLEX_ERRORS = 'https://www.airwallex.com/docs/payments__error-response-codes';

/** A token is used until this long before its `expires_at`, so it never expires in flight. */
export const AIRWALLEX_TOKEN_REFRESH_MARGIN_MS = 60_000;
/** Airwallex documents 30 minutes; used only when `expires_at` cannot be read. */
const DOCUMENTED_TOKEN_LIFETIME_MS = 30 * 60_000;
/** Customers sharing one merchant_customer_id, paged through when recovering a duplicate. */
export const AIRWALLEX_LOOKUP_MAX_PAGES = 10;

const descriptor: ConnectorDescriptor = {
  name: 'airwallex',
  configVariant: 'Airwallex',
  displayName: 'Airwallex',
  credentialFields: [
    { name: 'api_key', required: true, secret: true },
    { name: 'client_id', required: true, secret: false },
  ],
  legacyAuth: { type: 'body-key', fields: { 'x-api-key': 'api_key', 'x-key1': 'client_id' } },
  baseUrls: { sandbox: 'https://api-demo.airwallex.com/api/v1', live: 'https://api.airwallex.com/api/v1', alternates: ['https://api.sandbox.airwallex.com/api/v1'] },
  // The client id names the account; it outlives API-key rotation, so mappings do too. Keys look
  // the same in sandbox and production: only the host tells the mode.
  accountIdentity: (credentials) => credentials.client_id,
  accountIdOf: (credentials) => credentials.client_id,
  capabilities: {
    fieldsSent: [
      'merchant_customer_id → merchant_customer_id',
      'customer_name → first_name + last_name (split at the last space; the billing names when they spell it or there is no customer_name)',
      'email → email (else billing email)',
      'phone_number → phone_number (else billing phone with its calling code)',
      'address.billing_address → address{street (line1, line2, line3 joined), city, state, postcode, country_code}',
      'metadata → metadata',
      'connector_feature_data.access_token → Bearer token (skips the login)',
      'address.shipping_address → not sent: an Airwallex customer holds one address',
    ],
    idFormat: '`cus_…`',
    idempotency: `\`request_id\` in the body = the mapping’s idempotency key (≤ ${AIRWALLEX_LIMITS.requestId}); a mapping resumed after 24 h is first looked up by it; Bearer token from \`POST /authentication/login\`, cached per credentials until 1 min before \`expires_at\``,
    duplicates:
      'A reused `request_id` answers 400 `duplicate_request`; the connector then finds that customer by `merchant_customer_id` and `request_id` (`GET /pa/customers`) and returns it',
    replaysSafely: true,
    // Airwallex documents no retention for request_id: past a day a resumed mapping is looked up first.
    replayWindowHours: 24,
    // The list filter is not documented and the list's consistency neither: nothing found is no proof.
    lookupIsConclusive: false,
    lifecycle: {
      get: 'GET /api/v1/pa/customers/{id}',
      update: 'POST /api/v1/pa/customers/{id}/update with request_id (metadata: read first and merged)',
    },
    limits: [
      `merchant_customer_id ≤ ${AIRWALLEX_LIMITS.merchantCustomerId}`,
      `first_name, last_name ≤ ${AIRWALLEX_LIMITS.firstName}`,
      `email ≤ ${AIRWALLEX_LIMITS.email}`,
      `address: street ≤ ${AIRWALLEX_LIMITS.street}, city ≤ ${AIRWALLEX_LIMITS.city}, state ≤ ${AIRWALLEX_LIMITS.state}, postcode ≤ ${AIRWALLEX_LIMITS.postcode}, country required`,
      'connector_feature_data.access_token a string',
    ],
    claims: [
      {
        claim: 'a request_id used before answers 400 `duplicate_request` ("The request ID … has been used previously"), not a replay of the first answer',
        source: AIRWALLEX_ERRORS,
      },
      { claim: 'the customer endpoints are create, retrieve (GET /pa/customers/{id}), update (POST /pa/customers/{id}/update), generate_client_secret and list (GET /pa/customers): no delete', source: AIRWALLEX_CUSTOMERS_API },
      { claim: 'create takes request_id and merchant_customer_id (both required, ≤ 64), first/last name ≤ 128, email ≤ 256, address with country_code required', source: AIRWALLEX_CUSTOMERS_API },
      {
        claim: 'GET /pa/customers filters by `merchant_customer_id` and pages with page_num/page_size/has_more; the connector matches merchant_customer_id and request_id again on every item, so an ignored filter only makes the lookup slower or fail to find (then the mapping waits for an operator, or the create answers a conflict) — it never adopts another customer nor creates one',
      },
      { claim: 'request_id is remembered for at least 24 h (nothing documents its retention); a mapping resumed later is looked up before any new create' },
      { claim: 'an unknown customer id answers `resource_not_found` (400 in the error list, 404 for a missing resource)', source: AIRWALLEX_ERRORS },
      { claim: 'the update takes a request_id and the fields to change; metadata sent is read and merged first, so keys not named are kept whether Airwallex merges or replaces' },
      {
        claim: 'the client id names the account: regenerating the admin API key overwrites the key and "your Client ID will remain the same", so mappings scoped by it survive key rotation',
        source: 'https://www.airwallex.com/docs/developer-tools__manage-api-keys',
      },
    ],
  },
};

/** The token cache key: a hash, so no credential is held as a map key. */
export function tokenCacheKey(baseUrl: string, credentials: Credentials): string {
  return createHash('sha256').update(baseUrl).update('\0').update(credentials.client_id).update('\0').update(credentials.api_key).digest('hex');
}

function airwallexError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isAirwallexError(body)) return invalidResponse(descriptor, response, 'an error body without `code`');
  const notFound = body.code === 'resource_not_found' || body.code === 'not_found';
  return processorError(descriptor, response, { code: body.code, message: body.message ?? 'no message', param: body.source || undefined }, notFound ? ErrorReason.ConnectorNotFound : undefined);
}

/** The customer of an answer, or none when Prism's caller passed its own token (`connector_feature_data.access_token`). */
function suppliedTokenOf(call: ProcessorCall): string | undefined {
  return 'customer' in call ? suppliedAccessToken((call as CreateCustomerCall).customer) : undefined;
}

/**
 * The customer an earlier attempt of this mapping created: listed by merchant_customer_id and
 * recognised by its request_id, which is this mapping's idempotency key.
 */
async function lookUp(call: CreateCustomerCall, session: ProcessorSession): Promise<ConnectorCustomer | undefined> {
  const merchantCustomerId = call.customer.merchantCustomerId;
  for (let page = 0; page < AIRWALLEX_LOOKUP_MAX_PAGES; page++) {
    const answer = await session.send({ method: 'GET', path: 'pa/customers', query: { merchant_customer_id: merchantCustomerId, page_num: String(page) } });
    if (!isAirwallexCustomerList(answer.body)) invalidResponse(descriptor, answer.raw, 'a customer list without `items`');
    // The filter is matched again here: the request_id is what proves the customer is ours.
    const customer = answer.body.items.find((item) => item.request_id === call.idempotencyKey && item.merchant_customer_id === merchantCustomerId);
    if (customer) return customerFrom(answer, customer.id);
    if (!answer.body.has_more) return undefined;
  }
  return undefined;
}

/**
 * `POST /pa/customers/create` with our idempotency key as `request_id`. `duplicate_request` means
 * a customer was created with this request_id before (a retry after a timeout, or a concurrent
 * attempt): Airwallex does not replay it, so it is looked up. Not found yet (the other attempt may
 * still be in flight), the outcome stays unknown and the reservation keeps its key for the next retry.
 */
const create = conversationFlow<CreateCustomerCall, ConnectorCustomer>({
  validate: validateForAirwallex,
  run: async (call, session) => {
    const answer = await session.send(
      { method: 'POST', path: 'pa/customers/create', json: toAirwallexCreateCustomerRequest(call.customer, call.idempotencyKey) },
      { accepts: [400] },
    );
    if (answer.status === 400) {
      if (!isAirwallexError(answer.body) || answer.body.code !== 'duplicate_request') throw airwallexError(answer);
      let found: ConnectorCustomer | undefined;
      try {
        found = await lookUp(call, session);
      } catch (lookupError) {
        throw withOutcomeUnknown(lookupError);
      }
      if (found) return found;
      const { code, message, source } = answer.body;
      throw processorError(descriptor, answer.raw, { code, message: message ?? 'no message', param: source || undefined }, ErrorReason.ConnectorConflict, { outcomeUnknown: true });
    }
    if (!isAirwallexCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
    return customerFrom(answer, answer.body.id);
  },
});

const findCreated = conversationFlow<CreateCustomerCall, ConnectorCustomer | undefined>({
  run: async (call, session) => {
    try {
      return await lookUp(call, session);
    } catch (error) {
      // Whatever refused the lookup, the earlier attempt may still have created the customer.
      throw withOutcomeUnknown(error);
    }
  },
});

const customerPath = (call: ExistingCustomerCall) => `pa/customers/${encodeURIComponent(call.connectorCustomerId)}`;

function retrieved(answer: ProcessorAnswer): RetrievedCustomer {
  if (!isAirwallexCustomer(answer.body)) invalidResponse(descriptor, answer.raw, 'no customer id');
  return { ...customerFrom(answer, answer.body.id), record: airwallexRecord(answer.body) };
}

/** `GET /api/v1/pa/customers/{id}`; `resource_not_found` is ConnectorNotFound. */
const get = exchangeFlow<ExistingCustomerCall, RetrievedCustomer>({
  request: (call) => ({ method: 'GET', path: customerPath(call) }),
  parse: (answer) => retrieved(answer),
});

/**
 * `POST /api/v1/pa/customers/{id}/update` with the step's idempotency key as request_id and the
 * fields that change. A change naming metadata keys reads the customer first and sends the merged
 * map. A `duplicate_request` answer means this request_id already went through (a retry after a
 * lost answer): the customer is read and returned.
 */
const update = conversationFlow<UpdateCustomerCall, ConnectorCustomer & { record?: CustomerRecord }>({
  validate: validateForAirwallex,
  run: async (call, session) => {
    let heldMetadata: Record<string, unknown> | null | undefined;
    if (Object.keys(call.customer.metadata).length > 0) {
      const held = await session.send({ method: 'GET', path: customerPath(call) });
      if (!isAirwallexCustomer(held.body)) invalidResponse(descriptor, held.raw, 'no customer id');
      heldMetadata = held.body.metadata;
    }
    const answer = await session.send(
      { method: 'POST', path: `${customerPath(call)}/update`, json: toAirwallexUpdateCustomerRequest(call.customer, call.idempotencyKey, heldMetadata) },
      { accepts: [400] },
    );
    if (answer.status === 400) {
      if (!isAirwallexError(answer.body) || answer.body.code !== 'duplicate_request') throw airwallexError(answer);
      return retrieved(await session.send({ method: 'GET', path: customerPath(call) }));
    }
    return retrieved(answer);
  },
});

const flows: ConnectorFlows = {
  create,
  findCreated,
  get,
  update,
  delete: unsupportedFlow(`Airwallex has no customer delete: its Customers API offers create, retrieve, update, generate_client_secret and list (${AIRWALLEX_CUSTOMERS_API})`),
};

/**
 * Airwallex: JSON with a Bearer access token obtained from `POST /api/v1/authentication/login`,
 * cached per credentials and endpoint in the injected token cache.
 */
@Injectable()
export class AirwallexConnector implements Connector {
  readonly descriptor = descriptor;
  readonly flows = flows;
  readonly protocol: ProcessorProtocol;

  constructor(private readonly tokens: AccessTokenCache) {
    this.protocol = { authenticate: (call, _request, session) => this.authenticate(call, session), error: airwallexError };
  }

  /**
   * The caller's token when it passed one, else a cached one, else a new login. A 401 on a cached
   * token (revoked, or expired early) drops it and renews it once: safe for create because its
   * request_id makes a second create answer `duplicate_request` instead of creating another customer.
   */
  private async authenticate(call: ProcessorCall, session: ProcessorSession): Promise<Authentication> {
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const supplied = suppliedTokenOf(call);
    if (supplied) {
      registerSensitiveValues(supplied);
      return { headers: bearer(supplied) };
    }
    const key = tokenCacheKey(call.baseUrl, call.credentials);
    const cached = this.tokens.fresh(key, AIRWALLEX_TOKEN_REFRESH_MARGIN_MS);
    if (!cached) return { headers: bearer((await this.login(call, session, key)).token) };
    registerSensitiveValues(cached.token);
    return {
      headers: bearer(cached.token),
      renew: async () => {
        this.tokens.forget(key, cached.token);
        return bearer((await this.login(call, session, key)).token);
      },
    };
  }

  private async login(call: ProcessorCall, session: ProcessorSession, key: string): Promise<AccessToken> {
    const token = await this.tokens.obtain(key, () => this.requestToken(call, session));
    registerSensitiveValues(token.token);
    return token;
  }

  private async requestToken(call: ProcessorCall, session: ProcessorSession): Promise<AccessToken> {
    const answer = await session.send(
      {
        method: 'POST',
        path: 'authentication/login',
        headers: { 'content-type': 'application/json', 'x-client-id': call.credentials.client_id, 'x-api-key': call.credentials.api_key },
      },
      { authenticate: false },
    );
    if (!isAirwallexLogin(answer.body)) invalidResponse(descriptor, answer.raw, 'a login answer without `token`');
    registerSensitiveValues(answer.body.token);
    const expiresAt = answer.body.expires_at === undefined ? Number.NaN : Date.parse(answer.body.expires_at);
    return { token: answer.body.token, expiresAtMs: Number.isNaN(expiresAt) ? this.tokens.now() + DOCUMENTED_TOKEN_LIFETIME_MS : expiresAt };
  }
}
