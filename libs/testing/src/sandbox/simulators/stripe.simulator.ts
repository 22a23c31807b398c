import { createHash } from 'node:crypto';
import { json, parseBracketForm, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** Top-level parameters of `POST /v1/customers` at API version 2026-07-29.dahlia. */
const KNOWN_PARAMETERS = new Set([
  'address', 'balance', 'business_name', 'cash_balance', 'description', 'email', 'expand', 'individual_name',
  'invoice_prefix', 'invoice_settings', 'metadata', 'name', 'next_invoice_sequence', 'payment_method', 'phone',
  'preferred_locales', 'shipping', 'source', 'tax', 'tax_exempt', 'tax_id_data', 'test_clock',
]);
const ADDRESS_FIELDS = new Set(['city', 'country', 'line1', 'line2', 'postal_code', 'state']);

interface StoredResponse {
  parametersHash: string;
  response?: SandboxResponse;
}

function stripeError(status: number, type: string, message: string, extra: Record<string, string> = {}): SandboxResponse {
  return json(status, { error: { type, message, ...extra } }, { 'request-id': randomId('req_') });
}

function invalidRequest(message: string, param: string, code: string): SandboxResponse {
  return stripeError(400, 'invalid_request_error', message, { code, param });
}

/**
 * Stripe's create-customer as documented: Bearer secret key, form body with bracket notation,
 * unknown parameters and bad values refused (`parameter_unknown`, `email_invalid`, …), and
 * idempotency keys honoured (same key + same parameters → the first response replayed with
 * `Idempotent-Replayed: true`; other parameters → `idempotency_error`; concurrent use → 409).
 * Stripe never deduplicates customers by data: without a key every call creates one.
 */
export class StripeSimulator implements ProcessorSimulator {
  readonly name = 'stripe';
  private readonly customers = new Map<string, { account: string; livemode: boolean; created: number; params: Record<string, unknown> }>();
  private readonly idempotency = new Map<string, StoredResponse>();

  customerCount(): number {
    return this.customers.size;
  }

  /** Customers whose metadata carries this merchant_customer_id (our back-reference). */
  customersFor(merchantCustomerId: string): string[] {
    return [...this.customers.entries()]
      .filter(([, customer]) => (customer.params.metadata as Record<string, string> | undefined)?.merchant_customer_id === merchantCustomerId)
      .map(([id]) => id);
  }

  reset(): void {
    this.customers.clear();
    this.idempotency.clear();
  }

  /** Stripe prunes keys once they are 24 h old: a later retry with the same key creates again. */
  expireIdempotencyKeys(): void {
    this.idempotency.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const key = /^Bearer (sk|rk)_(test|live)_[A-Za-z0-9]{4,}$/.exec(String(request.headers.authorization ?? ''));
    const route = `${request.method} ${request.path.split('?')[0]}`;
    if (route !== 'POST /v1/customers' && route !== 'GET /v1/customers/search') {
      return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${request.path}).`);
    }
    if (!key) return stripeError(401, 'invalid_request_error', 'Invalid API Key provided.');
    if (route === 'GET /v1/customers/search') return this.search(createHash('sha256').update(key[0]).digest('hex').slice(0, 16), request.path);
    if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return invalidRequest('Invalid request: unsupported Content-Type.', 'content-type', 'parameter_invalid_string');
    }
    const account = createHash('sha256').update(key[0]).digest('hex').slice(0, 16);
    const params = parseBracketForm(request.body);
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    if (idempotencyKey === undefined) return this.create(account, key[2] === 'live', params);

    const scopedKey = `${account}:${idempotencyKey}`;
    const parametersHash = createHash('sha256').update(request.body).digest('hex');
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
    const response = this.create(account, key[2] === 'live', params);
    // Stripe does not save results of requests that failed validation; those keys stay usable.
    if (response.status === 400) this.idempotency.delete(scopedKey);
    else entry.response = response;
    return { ...response, headers: { ...response.headers, 'idempotency-key': idempotencyKey } };
  }

  /** `GET /v1/customers/search?query=metadata['key']:'value'` — the one query form we use. */
  private search(account: string, path: string): SandboxResponse {
    const query = new URL(path, 'http://sandbox').searchParams.get('query') ?? '';
    const match = /^metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query);
    if (!match) return invalidRequest(`Invalid search query: ${query}`, 'query', 'parameter_invalid_string');
    const [, field, escaped] = match;
    const value = escaped.replace(/\\(.)/g, '$1');
    const data = [...this.customers.entries()]
      .filter(([, c]) => c.account === account && (c.params.metadata as Record<string, string> | undefined)?.[field] === value)
      .map(([id, c]) => ({ id, object: 'customer', created: c.created, metadata: c.params.metadata }));
    return json(200, { object: 'search_result', url: '/v1/customers/search', has_more: false, data });
  }

  private create(account: string, livemode: boolean, params: Record<string, unknown>): SandboxResponse {
    const problem = this.validate(params);
    if (problem) return problem;
    const id = randomId('cus_');
    const created = Math.floor(Date.now() / 1000);
    this.customers.set(id, { account, livemode, created, params });
    return json(200, {
      id,
      object: 'customer',
      created,
      email: params.email ?? null,
      name: params.name ?? null,
      phone: params.phone ?? null,
      livemode,
      metadata: params.metadata ?? {},
    }, { 'request-id': randomId('req_'), 'stripe-version': '2026-07-29.dahlia' });
  }

  private validate(params: Record<string, unknown>): SandboxResponse | undefined {
    for (const name of Object.keys(params)) {
      if (!KNOWN_PARAMETERS.has(name)) return invalidRequest(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    }
    for (const [name, max] of [['name', 256], ['email', 512], ['phone', 20]] as const) {
      const value = params[name];
      if (typeof value === 'string' && value.length > max) {
        return invalidRequest(`Invalid string: ${name} must be at most ${max} characters`, name, 'string_too_long');
      }
    }
    if (typeof params.email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(params.email)) {
      return invalidRequest(`Invalid email address: ${params.email}`, 'email', 'email_invalid');
    }
    for (const [name, address] of [['address', params.address], ['shipping[address]', (params.shipping as Record<string, unknown> | undefined)?.address]] as const) {
      if (address === undefined) continue;
      for (const field of Object.keys(address as object)) {
        if (!ADDRESS_FIELDS.has(field)) return invalidRequest(`Received unknown parameter: ${name}[${field}]`, `${name}[${field}]`, 'parameter_unknown');
      }
    }
    if (params.shipping !== undefined && !(params.shipping as Record<string, unknown>).name) {
      return invalidRequest('Missing required param: shipping[name].', 'shipping[name]', 'parameter_missing');
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
