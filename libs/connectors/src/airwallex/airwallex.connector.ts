import { createHash } from 'node:crypto';
import { registerSensitiveValues } from '@app/common/context/request-context';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { Connector, ConnectorCustomer, ConnectorDescriptor, CreateCustomerCall, Credentials } from '../connector';
import type { ConnectorHttpClient, InboundResponse, OutboundRequest } from '../http/connector-http-client';
import { joinUrl } from '../http/join-url';
import { invalidResponse, isSuccessStatus, parseJsonBody, processorError } from '../http/processor-response';
import {
  AIRWALLEX_LIMITS,
  isAirwallexCustomer,
  isAirwallexCustomerList,
  isAirwallexError,
  isAirwallexLogin,
  suppliedAccessToken,
  toAirwallexCreateCustomerRequest,
  validateForAirwallex,
  type AirwallexErrorResponse,
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

interface AccessToken {
  token: string;
  expiresAtMs: number;
}

/** Where a request's Bearer token came from: a reused cached one may be refused and renewed once. */
interface Authorization {
  token: string;
  renewable: boolean;
}

/** The token cache key: a hash, so no credential is held as a map key. */
export function tokenCacheKey(baseUrl: string, credentials: Credentials): string {
  return createHash('sha256').update(baseUrl).update('\0').update(credentials.client_id).update('\0').update(credentials.api_key).digest('hex');
}

/** The same error, with what we now know of whether a customer may exist. */
function withOutcome(error: unknown, outcomeUnknown: boolean): unknown {
  if (!(error instanceof DomainError)) return error;
  return new DomainError(error.reason, error.message, { ...error.details, outcomeUnknown }, { cause: error });
}

/**
 * Airwallex `POST /api/v1/pa/customers/create`, JSON with a Bearer access token obtained from
 * `POST /api/v1/authentication/login`. The instance is shared by every request: its only state
 * is the token cache (per credentials and endpoint) and the logins in flight.
 */
export class AirwallexConnector implements Connector {
  readonly descriptor = descriptor;
  private readonly tokens = new Map<string, AccessToken>();
  private readonly logins = new Map<string, Promise<AccessToken>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The client id names the account; it outlives API-key rotation, so mappings do too. */
  accountIdentity(credentials: Credentials): string {
    return credentials.client_id;
  }

  /** Airwallex keys look the same in sandbox and production: only the host tells. */
  testModeOf(): boolean | undefined {
    return undefined;
  }

  validateCustomer(customer: CustomerProfile): FieldViolation[] {
    return validateForAirwallex(customer);
  }

  async createCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer> {
    const authorization = await this.authorization(call, http);
    const { response, authorization: used } = await this.sendAuthorized(call, http, authorization, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'pa/customers/create'),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(toAirwallexCreateCustomerRequest(call.customer, call.idempotencyKey)),
    });
    const body = parseJsonBody(descriptor, response);
    if (isSuccessStatus(response.status)) {
      if (!isAirwallexCustomer(body)) invalidResponse(descriptor, response, 'no customer id');
      return { connectorCustomerId: body.id, httpStatus: response.status, responseHeaders: response.headers };
    }
    if (!isAirwallexError(body)) invalidResponse(descriptor, response, 'an error body without `code`');
    if (body.code === 'duplicate_request') return this.recoverDuplicate(call, http, used, response, body);
    throw this.errorFrom(response, body);
  }

  /**
   * The customer an earlier attempt of this mapping created: listed by merchant_customer_id and
   * recognised by its request_id, which is this mapping's idempotency key.
   */
  async findCreatedCustomer(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<ConnectorCustomer | undefined> {
    try {
      return await this.lookUp(call, http, await this.authorization(call, http));
    } catch (error) {
      // Whatever refused the lookup, the earlier attempt may still have created the customer.
      throw withOutcome(error, true);
    }
  }

  /**
   * `duplicate_request` means a customer was created with this request_id before (a retry
   * after a timeout, or a concurrent attempt): Airwallex does not replay it, so it is looked up.
   * Not found yet (the other attempt may still be in flight), the outcome stays unknown and the
   * reservation keeps its key for the next retry.
   */
  private async recoverDuplicate(
    call: CreateCustomerCall,
    http: ConnectorHttpClient,
    authorization: Authorization,
    duplicate: InboundResponse,
    error: AirwallexErrorResponse,
  ): Promise<ConnectorCustomer> {
    let found: ConnectorCustomer | undefined;
    try {
      found = await this.lookUp(call, http, authorization);
    } catch (lookupError) {
      throw withOutcome(lookupError, true);
    }
    if (found) return found;
    throw withOutcome(
      processorError(descriptor, duplicate, { code: error.code, message: error.message ?? 'no message', param: error.source || undefined }, ErrorReason.ConnectorConflict),
      true,
    );
  }

  private async lookUp(call: CreateCustomerCall, http: ConnectorHttpClient, authorization: Authorization): Promise<ConnectorCustomer | undefined> {
    const merchantCustomerId = call.customer.merchantCustomerId;
    let current = authorization;
    for (let page = 0; page < AIRWALLEX_LOOKUP_MAX_PAGES; page++) {
      const query = new URLSearchParams({ merchant_customer_id: merchantCustomerId, page_num: String(page) });
      const { response, authorization: used } = await this.sendAuthorized(call, http, current, { method: 'GET', url: joinUrl(call.baseUrl, `pa/customers?${query}`), headers: {} });
      current = used;
      const body = parseJsonBody(descriptor, response);
      if (!isSuccessStatus(response.status)) {
        if (!isAirwallexError(body)) invalidResponse(descriptor, response, 'an error body without `code`');
        throw this.errorFrom(response, body);
      }
      if (!isAirwallexCustomerList(body)) invalidResponse(descriptor, response, 'a customer list without `items`');
      // The filter is matched again here: the request_id is what proves the customer is ours.
      const customer = body.items.find((item) => item.request_id === call.idempotencyKey && item.merchant_customer_id === merchantCustomerId);
      if (customer) return { connectorCustomerId: customer.id, httpStatus: response.status, responseHeaders: response.headers };
      if (!body.has_more) return undefined;
    }
    return undefined;
  }

  /**
   * Sends with the Bearer token. A 401 on a cached token (revoked, or expired early) drops it,
   * logs in once more and sends once more: safe for create because its request_id makes a
   * second create answer `duplicate_request` instead of creating another customer.
   */
  private async sendAuthorized(
    call: CreateCustomerCall,
    http: ConnectorHttpClient,
    authorization: Authorization,
    outbound: OutboundRequest,
  ): Promise<{ response: InboundResponse; authorization: Authorization }> {
    const send = (token: string) => http.send(descriptor.name, { ...outbound, headers: { ...outbound.headers, authorization: `Bearer ${token}` } });
    const response = await send(authorization.token);
    if (response.status !== 401 || !authorization.renewable) return { response, authorization };

    const key = tokenCacheKey(call.baseUrl, call.credentials);
    if (this.tokens.get(key)?.token === authorization.token) this.tokens.delete(key);
    const renewed: Authorization = { token: (await this.login(call, http, key)).token, renewable: false };
    return { response: await send(renewed.token), authorization: renewed };
  }

  /** The caller's token when it passed one (Prism's `connector_feature_data`), else ours. */
  private async authorization(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<Authorization> {
    const supplied = suppliedAccessToken(call.customer);
    if (supplied) {
      registerSensitiveValues(supplied);
      return { token: supplied, renewable: false };
    }
    const key = tokenCacheKey(call.baseUrl, call.credentials);
    const cached = this.tokens.get(key);
    if (cached && this.now() < cached.expiresAtMs - AIRWALLEX_TOKEN_REFRESH_MARGIN_MS) {
      registerSensitiveValues(cached.token);
      return { token: cached.token, renewable: true };
    }
    return { token: (await this.login(call, http, key)).token, renewable: false };
  }

  /** One login per credentials at a time: concurrent requests share its answer. */
  private async login(call: CreateCustomerCall, http: ConnectorHttpClient, key: string): Promise<AccessToken> {
    let login = this.logins.get(key);
    if (!login) {
      login = this.requestToken(call, http)
        .then((token) => {
          this.remember(key, token);
          return token;
        })
        .finally(() => this.logins.delete(key));
      this.logins.set(key, login);
    }
    const token = await login;
    registerSensitiveValues(token.token);
    return token;
  }

  private async requestToken(call: CreateCustomerCall, http: ConnectorHttpClient): Promise<AccessToken> {
    const response = await http.send(descriptor.name, {
      method: 'POST',
      url: joinUrl(call.baseUrl, 'authentication/login'),
      headers: { 'content-type': 'application/json', 'x-client-id': call.credentials.client_id, 'x-api-key': call.credentials.api_key },
    });
    const parsed = parseJsonBody(descriptor, response);
    if (!isSuccessStatus(response.status)) {
      if (!isAirwallexError(parsed)) invalidResponse(descriptor, response, 'an error body without `code`');
      throw this.errorFrom(response, parsed);
    }
    if (!isAirwallexLogin(parsed)) invalidResponse(descriptor, response, 'a login answer without `token`');
    registerSensitiveValues(parsed.token);
    const expiresAt = parsed.expires_at === undefined ? Number.NaN : Date.parse(parsed.expires_at);
    return { token: parsed.token, expiresAtMs: Number.isNaN(expiresAt) ? this.now() + DOCUMENTED_TOKEN_LIFETIME_MS : expiresAt };
  }

  private remember(key: string, token: AccessToken): void {
    const now = this.now();
    for (const [cachedKey, cached] of this.tokens) if (cached.expiresAtMs <= now) this.tokens.delete(cachedKey);
    this.tokens.set(key, token);
  }

  private errorFrom(response: InboundResponse, body: AirwallexErrorResponse): DomainError {
    return processorError(descriptor, response, { code: body.code, message: body.message ?? 'no message', param: body.source || undefined });
  }
}
