import { createHash } from 'node:crypto';
import { json, parseBracketForm, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** Top-level parameters of `POST /v1/customers` at API version 2026-07-29.dahlia. */
const KNOWN_PARAMETERS = new Set([
  'address', 'balance', 'business_name', 'cash_balance', 'description', 'email', 'expand', 'individual_name',
  'invoice_prefix', 'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'payment_method', 'phone',
  'preferred_locales', 'shipping', 'source', 'tax', 'tax_exempt', 'tax_id_data', 'test_clock',
]);
/** Top-level parameters of `POST /v1/customers/{id}` (stripe npm 23.2.0, `CustomerUpdateParams` in `cjs/resources/Customers.d.ts`). */
export const STRIPE_UPDATE_PARAMETERS: ReadonlySet<string> = new Set([
  'address', 'balance', 'business_name', 'cash_balance', 'default_source', 'description', 'email', 'expand',
  'individual_name', 'invoice_prefix', 'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'phone',
  'preferred_locales', 'shipping', 'source', 'tax', 'tax_exempt', 'validate',
]);
const ADDRESS_FIELDS = new Set(['city', 'country', 'line1', 'line2', 'postal_code', 'state']);
const NULL_ADDRESS = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

interface StoredResponse {
  parametersHash: string;
  response?: SandboxResponse;
}

type Params = Record<string, unknown>;

interface StoredCustomer {
  account: string;
  livemode: boolean;
  created: number;
  params: Params;
  deleted?: boolean;
}

interface Caller {
  account: string;
  livemode: boolean;
}

function stripeError(status: number, type: string, message: string, extra: Record<string, string> = {}): SandboxResponse {
  return json(status, { error: { type, message, ...extra } }, { 'request-id': randomId('req_') });
}

function invalidRequest(message: string, param: string, code: string): SandboxResponse {
  return stripeError(400, 'invalid_request_error', message, { code, param });
}

function noSuchCustomer(id: string): SandboxResponse {
  return stripeError(404, 'invalid_request_error', `No such customer: '${id}'`, { code: 'resource_missing', param: 'id' });
}

function accountOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Stripe's form encoding sends an empty value to unset a parameter. */
function unsetEmpty(value: unknown): unknown {
  return value === '' ? null : value;
}

/**
 * Stripe's customers as documented: Bearer secret key, form bodies with bracket notation, unknown
 * parameters and bad values refused (`parameter_unknown`, `email_invalid`, …), and idempotency
 * keys honoured on POSTs (same key + same parameters → the first response replayed with
 * `Idempotent-Replayed: true`; other parameters → `idempotency_error`; concurrent use → 409).
 * Stripe never deduplicates customers by data: without a key every create makes one. Retrieve,
 * update (metadata merged key by key, `address` and `shipping` replaced whole) and delete (the
 * customer stays retrievable as `deleted: true`; then 404 `resource_missing`), the metadata
 * search, and `GET /v1/account` for the key's account. Keys added with `addKey` belong to an
 * existing account, as a rolled key does.
 */
export class StripeSimulator implements ProcessorSimulator {
  readonly name = 'stripe';
  private readonly customers = new Map<string, StoredCustomer>();
  private readonly idempotency = new Map<string, StoredResponse>();
  private readonly rolledKeys = new Map<string, string>();

  customerCount(): number {
    return this.customers.size;
  }

  /** Customers whose metadata carries this merchant_customer_id (our back-reference). */
  customersFor(merchantCustomerId: string): string[] {
    return [...this.customers.entries()]
      .filter(([, customer]) => !customer.deleted && (customer.params.metadata as Record<string, string> | undefined)?.merchant_customer_id === merchantCustomerId)
      .map(([id]) => id);
  }

  /** `newKey` (a full `sk_…` key) now also authenticates as `existingKey`'s account, as after a key roll. */
  addKey(existingKey: string, newKey: string): void {
    this.rolledKeys.set(newKey, this.rolledKeys.get(existingKey) ?? accountOf(existingKey));
  }

  isAccountLookup(request: SandboxRequest): boolean {
    return request.method === 'GET' && request.path.split('?')[0] === '/v1/account';
  }

  reset(): void {
    this.customers.clear();
    this.idempotency.clear();
    this.rolledKeys.clear();
  }

  /** Stripe prunes keys once they are 24 h old: a later retry with the same key creates again. */
  expireIdempotencyKeys(): void {
    this.idempotency.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const key = /^Bearer ((sk|rk)_(test|live)_[A-Za-z0-9]{4,})$/.exec(String(request.headers.authorization ?? ''));
    const path = request.path.split('?')[0];
    const customerId = /^\/v1\/customers\/(cus_[A-Za-z0-9]+)$/.exec(path)?.[1];
    const route = `${request.method} ${customerId ? '/v1/customers/{id}' : path}`;
    const routes = ['POST /v1/customers', 'GET /v1/customers/search', 'GET /v1/account', 'GET /v1/customers/{id}', 'POST /v1/customers/{id}', 'DELETE /v1/customers/{id}'];
    if (!routes.includes(route)) {
      return customerId === undefined && /^\/v1\/customers\/[^/]+$/.test(path) && ['GET', 'POST', 'DELETE'].includes(request.method)
        ? noSuchCustomer(decodeURIComponent(path.slice('/v1/customers/'.length)))
        : stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${request.path}).`);
    }
    if (!key) return stripeError(401, 'invalid_request_error', 'Invalid API Key provided.');
    const caller: Caller = { account: this.rolledKeys.get(key[1]) ?? accountOf(key[1]), livemode: key[3] === 'live' };
    if (route === 'GET /v1/customers/search') return this.search(caller, request.path);
    if (route === 'GET /v1/account') return json(200, { id: `acct_${caller.account}`, object: 'account', country: 'US', default_currency: 'usd' });
    if (route === 'GET /v1/customers/{id}') return this.retrieve(caller, customerId!);
    if (route === 'DELETE /v1/customers/{id}') return this.remove(caller, customerId!);
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return invalidRequest('Invalid request: unsupported Content-Type.', 'content-type', 'parameter_invalid_string');
    }
    const params = parseBracketForm(request.body);
    const act = () => (customerId ? this.update(caller, customerId, params) : this.create(caller, params));
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    if (idempotencyKey === undefined) return act();

    const scopedKey = `${caller.account}:${idempotencyKey}`;
    const parametersHash = createHash('sha256').update(path).update('\0').update(request.body).digest('hex');
    const stored = this.idempotency.get(scopedKey);
    if (stored) {
      if (stored.parametersHash !== parametersHash) {
        return stripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`);
      }
      if (!stored.response) {
        return stripeError(409, 'invalid_request_error', 'There is currently another in-progress request using this Stripe-Idempotency-Key.', { code: 'idempotency_key_in_use' });
      }
      return { ...stored.response, headers: { ...stored.response.headers, 'idempotent-replayed': 'true', 'idempotency-key': idempotencyKey } };
    }
    const entry: StoredResponse = { parametersHash };
    this.idempotency.set(scopedKey, entry);
    const response = act();
    // Stripe does not save results of requests that failed validation; those keys stay usable.
    if (response.status === 400) this.idempotency.delete(scopedKey);
    else entry.response = response;
    return { ...response, headers: { ...response.headers, 'idempotency-key': idempotencyKey } };
  }

  /** `GET /v1/customers/search?query=metadata['key']:'value'` — the one query form we use. */
  private search(caller: Caller, path: string): SandboxResponse {
    const query = new URL(path, 'http://sandbox').searchParams.get('query') ?? '';
    const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query);
    if (!match) return invalidRequest(`Invalid search query: ${query}`, 'query', 'parameter_invalid_string');
    const [, field, escaped] = match;
    const value = escaped.replace(/\\(.)/g, '$1');
    const data = [...this.customers.entries()]
      .filter(([, c]) => this.visibleTo(caller, c) && !c.deleted && (c.params.metadata as Record<string, string> | undefined)?.[field] === value)
      .map(([id, c]) => ({ id, object: 'customer', created: c.created, metadata: c.params.metadata }));
    return json(200, { object: 'search_result', url: '/v1/customers/search', has_more: false, data });
  }

  private visibleTo(caller: Caller, customer: StoredCustomer): boolean {
    return customer.account === caller.account && customer.livemode === caller.livemode;
  }

  /** The caller's customer `id`, deleted or not. */
  private held(caller: Caller, id: string): StoredCustomer | undefined {
    const customer = this.customers.get(id);
    return customer && this.visibleTo(caller, customer) ? customer : undefined;
  }

  private deletedAnswer(id: string): SandboxResponse {
    return json(200, { id, object: 'customer', deleted: true }, { 'request-id': randomId('req_') });
  }

  private create(caller: Caller, params: Params): SandboxResponse {
    const problem = this.validate(params, KNOWN_PARAMETERS);
    if (problem) return problem;
    const id = randomId('cus_');
    this.customers.set(id, { ...caller, created: Math.floor(Date.now() / 1000), params });
    return this.customerAnswer(id);
  }

  private retrieve(caller: Caller, id: string): SandboxResponse {
    const customer = this.held(caller, id);
    if (!customer) return noSuchCustomer(id);
    return customer.deleted ? this.deletedAnswer(id) : this.customerAnswer(id);
  }

  private update(caller: Caller, id: string, params: Params): SandboxResponse {
    const customer = this.held(caller, id);
    if (!customer || customer.deleted) return noSuchCustomer(id);
    const problem = this.validate(params, STRIPE_UPDATE_PARAMETERS);
    if (problem) return problem;
    const { metadata, ...rest } = params;
    const merged: Params = { ...customer.params };
    for (const [name, value] of Object.entries(rest)) merged[name] = unsetEmpty(value);
    const heldMetadata = { ...((customer.params.metadata ?? {}) as Record<string, string>) };
    for (const [metadataKey, value] of Object.entries((metadata ?? {}) as Record<string, string>)) {
      if (value === '') delete heldMetadata[metadataKey];
      else heldMetadata[metadataKey] = value;
    }
    if (Object.keys(heldMetadata).length > 50) return invalidRequest('Invalid metadata: metadata cannot have more than 50 keys', 'metadata', 'parameter_invalid_empty');
    merged.metadata = heldMetadata;
    customer.params = merged;
    return this.customerAnswer(id);
  }

  private remove(caller: Caller, id: string): SandboxResponse {
    const customer = this.held(caller, id);
    if (!customer || customer.deleted) return noSuchCustomer(id);
    customer.deleted = true;
    return this.deletedAnswer(id);
  }

  private customerAnswer(id: string): SandboxResponse {
    const { created, livemode, params } = this.customers.get(id)!;
    const shipping = params.shipping as Params | null | undefined;
    return json(200, {
      id,
      object: 'customer',
      address: params.address ? { ...NULL_ADDRESS, ...(params.address as Params) } : null,
      created,
      email: params.email ?? null,
      name: params.name ?? null,
      phone: params.phone ?? null,
      shipping: shipping ? { name: shipping.name ?? null, phone: shipping.phone ?? null, address: { ...NULL_ADDRESS, ...(shipping.address as Params) } } : null,
      livemode,
      metadata: params.metadata ?? {},
    }, { 'request-id': randomId('req_'), 'stripe-version': '2026-07-29.dahlia' });
  }

  private validate(params: Params, known: ReadonlySet<string>): SandboxResponse | undefined {
    for (const name of Object.keys(params)) {
      if (!known.has(name)) return invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    }
    for (const [name, max] of [['name', 256], ['email', 512], ['phone', 20]] as const) {
      const value = params[name];
      if (typeof value === 'string' && value.length > max) {
        return invalidRequest(`Invalid string: ${name} must be at most ${max} characters`, name, 'string_too_long');
      }
    }
    if (typeof params.email === 'string' && params.email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(params.email)) {
      return invalidRequest(`Invalid email address: ${params.email}`, 'email', 'email_invalid');
    }
    for (const [name, address] of [['address', params.address], ['shipping[address]', (params.shipping as Params | undefined)?.address]] as const) {
      if (address === undefined || address === '') continue;
      for (const field of Object.keys(address as object)) {
        if (!ADDRESS_FIELDS.has(field)) return invalidRequest(`Received unknown parameter: ${name}[${field}]`, `${name}[${field}]`, 'parameter_unknown');
      }
    }
    if (params.shipping !== undefined && params.shipping !== '') {
      const shipping = params.shipping as Params;
      if (!shipping.name) return invalidRequest('Missing required param: shipping[name].', 'shipping[name]', 'parameter_missing');
      if (shipping.address === undefined) return invalidRequest('Missing required param: shipping[address].', 'shipping[address]', 'parameter_missing');
    }
    const metadata = (params.metadata ?? {}) as Record<string, string>;
    if (Object.keys(metadata).length > 50) return invalidRequest('Invalid metadata: metadata cannot have more than 50 keys', 'metadata', 'parameter_invalid_empty');
    for (const [key, value] of Object.entries(metadata)) {
      if (key.length > 40) return invalidRequest(`Invalid metadata: keys can be at most 40 characters`, `metadata[${key}]`, 'parameter_invalid_string');
      if (typeof value !== 'string' || value.length > 500) return invalidRequest('Invalid metadata: values can be at most 500 characters', `metadata[${key}]`, 'parameter_invalid_string');
    }
    return undefined;
  }
}
