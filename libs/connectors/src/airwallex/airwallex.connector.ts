import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { registerSensitiveValues } from '@app/common/context/request-context';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import {
  conversationFlow,
  customerFrom,
  type Authentication,
  type Connector,
  type ConnectorCustomer,
  type ConnectorDescriptor,
  type ConnectorFlows,
  type CreateCustomerCall,
  type Credentials,
  type ProcessorAnswer,
  type ProcessorCall,
  type ProcessorProtocol,
  type ProcessorSession,
} from '../connector';
import { AccessTokenCache, type AccessToken } from '../execution/access-token-cache';
import { invalidResponse, processorError } from '../http/processor-response';
import {
  AIRWALLEX_LIMITS,
  isAirwallexCustomer,
  isAirwallexCustomerList,
  isAirwallexError,
  isAirwallexLogin,
  suppliedAccessToken,
  toAirwallexCreateCustomerRequest,
  validateForAirwallex,
} from './airwallex.transformers';

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
    limits: [
      `merchant_customer_id ≤ ${AIRWALLEX_LIMITS.merchantCustomerId}`,
      `first_name, last_name ≤ ${AIRWALLEX_LIMITS.firstName}`,
      `email ≤ ${AIRWALLEX_LIMITS.email}`,
      `address: street ≤ ${AIRWALLEX_LIMITS.street}, city ≤ ${AIRWALLEX_LIMITS.city}, state ≤ ${AIRWALLEX_LIMITS.state}, postcode ≤ ${AIRWALLEX_LIMITS.postcode}, country required`,
      'connector_feature_data.access_token a string',
    ],
  },
};

/** The token cache key: a hash, so no credential is held as a map key. */
export function tokenCacheKey(baseUrl: string, credentials: Credentials): string {
  return createHash('sha256').update(baseUrl).update('\0').update(credentials.client_id).update('\0').update(credentials.api_key).digest('hex');
}

/** The same error, with what we now know of whether a customer may exist. */
function withOutcome(error: unknown, outcomeUnknown: boolean): unknown {
  if (!(error instanceof DomainError)) return error;
  return new DomainError(error.reason, error.message, { ...error.details, outcomeUnknown }, { cause: error });
}

function airwallexError(answer: ProcessorAnswer): DomainError {
  const { body, raw: response } = answer;
  if (!isAirwallexError(body)) return invalidResponse(descriptor, response, 'an error body without `code`');
  return processorError(descriptor, response, { code: body.code, message: body.message ?? 'no message', param: body.source || undefined });
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
        throw withOutcome(lookupError, true);
      }
      if (found) return found;
      const { code, message, source } = answer.body;
      throw withOutcome(processorError(descriptor, answer.raw, { code, message: message ?? 'no message', param: source || undefined }, ErrorReason.ConnectorConflict), true);
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
      throw withOutcome(error, true);
    }
  },
});

const flows: ConnectorFlows = { create, findCreated };

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
