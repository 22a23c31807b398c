import { createHash, randomBytes } from 'node:crypto';
import { json, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** Airwallex documents a 30-minute access token. */
const TOKEN_LIFETIME_MS = 30 * 60_000;
/** The simulator's list paging; small, so tests reach a second page cheaply. */
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

const CREATE_FIELDS = new Set(['request_id', 'merchant_customer_id', 'first_name', 'last_name', 'email', 'phone_number', 'business_name', 'address', 'metadata', 'additional_info']);
const ADDRESS_FIELDS = new Set(['street', 'city', 'state', 'postcode', 'country_code']);
const STRING_LIMITS: readonly [string, number][] = [
  ['request_id', 64],
  ['merchant_customer_id', 64],
  ['first_name', 128],
  ['last_name', 128],
  ['business_name', 128],
  ['email', 256],
];
const ADDRESS_LIMITS: readonly [string, number][] = [
  ['street', 1000],
  ['city', 100],
  ['state', 100],
  ['postcode', 10],
];

interface StoredCustomer {
  account: string;
  body: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

function airwallexError(status: number, code: string, message: string, source?: string): SandboxResponse {
  return json(status, { code, message, ...(source && { source }) }, { 'x-awx-traceid': randomBytes(16).toString('hex') });
}

const validationError = (source: string, message: string) => airwallexError(400, 'validation_error', message, source);
const unauthorized = () => airwallexError(401, 'unauthorized', 'Access denied, authentication failed');

/** The JSON object a create or update carries, or the validation error Airwallex answers instead. */
function objectBody(request: SandboxRequest): { fields: Record<string, unknown> } | { refusal: SandboxResponse } {
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return { refusal: validationError('body', 'The request body is not valid JSON') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refusal: validationError('body', 'The request body must be a JSON object') };
  return { fields: body as Record<string, unknown> };
}

/** Airwallex's timestamp format: `2026-05-12T00:00:00+0000`. */
function airwallexTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/**
 * Airwallex Payments' customer API as documented: `POST /api/v1/authentication/login` with
 * `x-client-id` and `x-api-key` answers a 30-minute token; `POST /api/v1/pa/customers/create`
 * takes it as Bearer, checks the body (required `request_id` and `merchant_customer_id`, field
 * lengths, an address needs `country_code`) and answers 201 with the customer. A `request_id`
 * used before on the account answers 400 `duplicate_request`: Airwallex never replays. `GET
 * /api/v1/pa/customers` lists the account's customers, filtered by `merchant_customer_id`, in
 * pages (`page_num`, `page_size`, `has_more`). `GET /api/v1/pa/customers/{id}` retrieves one
 * (404 `resource_not_found` when unknown), `POST /api/v1/pa/customers/{id}/update` changes the fields
 * given (request_id required, merchant_customer_id fixed). There is no delete.
 */
export class AirwallexSimulator implements ProcessorSimulator {
  readonly name = 'airwallex';
  private readonly tokens = new Map<string, { account: string; expiresAt: number }>();
  private readonly customers = new Map<string, StoredCustomer>();
  private readonly requestIds = new Map<string, string>();
  private loginCount = 0;

  constructor(private readonly now: () => number = Date.now) {}

  customerCount(): number {
    return this.customers.size;
  }

  /** Logins answered with a token since the last reset. */
  logins(): number {
    return this.loginCount;
  }

  /** Every token issued so far stops working, as after its 30 minutes. */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  reset(): void {
    this.tokens.clear();
    this.customers.clear();
    this.requestIds.clear();
    this.loginCount = 0;
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const url = new URL(request.path, 'http://airwallex');
    const route = `${request.method} ${url.pathname}`;
    if (route === 'POST /api/v1/authentication/login') return this.login(request);
    if (route === 'POST /api/v1/pa/customers/create') return this.withAccount(request, (account) => this.create(account, request));
    if (route === 'GET /api/v1/pa/customers') return this.withAccount(request, (account) => this.list(account, url.searchParams));
    const customer = /^\/api\/v1\/pa\/customers\/([^/]+)(\/update)?$/.exec(url.pathname);
    if (customer && customer[1] !== 'create') {
      const [, id, update] = customer;
      if (request.method === 'GET' && !update) return this.withAccount(request, (account) => this.retrieve(account, id));
      if (request.method === 'POST' && update) return this.withAccount(request, (account) => this.update(account, id, request));
    }
    return airwallexError(404, 'not_found', 'The requested endpoint does not exist');
  }

  private login(request: SandboxRequest): SandboxResponse {
    const clientId = request.headers['x-client-id'];
    const apiKey = request.headers['x-api-key'];
    if (typeof clientId !== 'string' || clientId === '' || typeof apiKey !== 'string' || apiKey === '') return unauthorized();
    const token = randomBytes(24).toString('base64url');
    const expiresAt = this.now() + TOKEN_LIFETIME_MS;
    this.tokens.set(token, { account: createHash('sha256').update(clientId).digest('hex').slice(0, 16), expiresAt });
    this.loginCount++;
    return json(201, { token, expires_at: airwallexTime(expiresAt) });
  }

  private withAccount(request: SandboxRequest, handler: (account: string) => SandboxResponse): SandboxResponse {
    const bearer = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''));
    const token = bearer && this.tokens.get(bearer[1]);
    if (!token || token.expiresAt <= this.now()) return unauthorized();
    return handler(token.account);
  }

  private create(account: string, request: SandboxRequest): SandboxResponse {
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return validationError('content-type', 'Content-Type must be application/json');
    }
    const body = objectBody(request);
    if ('refusal' in body) return body.refusal;
    const { fields } = body;
    const problem = this.validate(fields) ?? this.usedRequestId(account, fields);
    if (problem) return problem;

    const id = randomId('cus_', 22);
    const createdAt = airwallexTime(this.now());
    this.customers.set(id, { account, body: fields, createdAt, updatedAt: createdAt });
    this.requestIds.set(`${account}:${fields.request_id as string}`, id);
    return json(201, this.present(id, this.customers.get(id)!));
  }

  /** A request_id is used once per account, by create and update alike: Airwallex never replays. */
  private usedRequestId(account: string, fields: Record<string, unknown>): SandboxResponse | undefined {
    if (!this.requestIds.has(`${account}:${fields.request_id as string}`)) return undefined;
    return airwallexError(400, 'duplicate_request', `The request_id ${fields.request_id as string} has been used. Please try again with a different request_id.`);
  }

  private owned(account: string, id: string): StoredCustomer | undefined {
    const customer = this.customers.get(id);
    return customer && customer.account === account ? customer : undefined;
  }

  private retrieve(account: string, id: string): SandboxResponse {
    const customer = this.owned(account, id);
    return customer ? json(200, this.present(id, customer)) : airwallexError(404, 'resource_not_found', `The resource with ID ${id} cannot be found.`);
  }

  /**
   * The fields given replace the stored ones (metadata whole; Airwallex does not document whether it
   * merges). A request_id used before on the account answers `duplicate_request`, as on create.
   */
  private update(account: string, id: string, request: SandboxRequest): SandboxResponse {
    const customer = this.owned(account, id);
    if (!customer) return airwallexError(404, 'resource_not_found', `The resource with ID ${id} cannot be found.`);
    const body = objectBody(request);
    if ('refusal' in body) return body.refusal;
    const { fields } = body;
    if ('merchant_customer_id' in fields) return validationError('merchant_customer_id', 'merchant_customer_id cannot be updated');
    const problem = this.validate({ merchant_customer_id: customer.body.merchant_customer_id, ...fields }) ?? this.usedRequestId(account, fields);
    if (problem) return problem;
    this.requestIds.set(`${account}:${fields.request_id as string}`, id);
    const { request_id: _requestId, ...changes } = fields;
    customer.body = { ...customer.body, ...changes };
    customer.updatedAt = airwallexTime(this.now());
    return json(200, this.present(id, customer));
  }

  /** `merchant_customer_id` filters; `page_num` (from 0) and `page_size` page. */
  private list(account: string, query: URLSearchParams): SandboxResponse {
    const merchantCustomerId = query.get('merchant_customer_id');
    const pageNum = Number(query.get('page_num') ?? '0');
    const pageSize = Number(query.get('page_size') ?? String(DEFAULT_PAGE_SIZE));
    if (!Number.isInteger(pageNum) || pageNum < 0) return validationError('page_num', 'page_num must be a non-negative integer');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) return validationError('page_size', `page_size must be between 1 and ${MAX_PAGE_SIZE}`);
    const matching = [...this.customers.entries()].filter(
      ([, customer]) => customer.account === account && (merchantCustomerId === null || customer.body.merchant_customer_id === merchantCustomerId),
    );
    const page = matching.slice(pageNum * pageSize, (pageNum + 1) * pageSize).map(([id, customer]) => this.present(id, customer));
    return json(200, { has_more: matching.length > (pageNum + 1) * pageSize, items: page });
  }

  private present(id: string, customer: StoredCustomer): Record<string, unknown> {
    return {
      id,
      ...customer.body,
      client_secret: randomBytes(24).toString('base64url'),
      created_at: customer.createdAt,
      updated_at: customer.updatedAt,
    };
  }

  private validate(fields: Record<string, unknown>): SandboxResponse | undefined {
    for (const name of Object.keys(fields)) {
      if (!CREATE_FIELDS.has(name)) return validationError(name, `${name} is not a recognised field`);
    }
    for (const required of ['request_id', 'merchant_customer_id']) {
      if (typeof fields[required] !== 'string' || fields[required] === '') return validationError(required, `${required} must be provided`);
    }
    for (const [name, max] of STRING_LIMITS) {
      const value = fields[name];
      if (value === undefined) continue;
      if (typeof value !== 'string') return validationError(name, `${name} must be a string`);
      if (value.length > max) return validationError(name, `${name} must be at most ${max} characters`);
    }
    if (typeof fields.email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(fields.email)) return validationError('email', 'email is not a valid email address');
    if (fields.phone_number !== undefined && typeof fields.phone_number !== 'string') return validationError('phone_number', 'phone_number must be a string');
    if (fields.address !== undefined) {
      const problem = this.validateAddress(fields.address);
      if (problem) return problem;
    }
    if (fields.metadata !== undefined) {
      const metadata = fields.metadata;
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return validationError('metadata', 'metadata must be an object');
      for (const [key, value] of Object.entries(metadata)) {
        if (typeof value !== 'string') return validationError(`metadata.${key}`, 'metadata values must be strings');
      }
    }
    return undefined;
  }

  private validateAddress(address: unknown): SandboxResponse | undefined {
    if (typeof address !== 'object' || address === null || Array.isArray(address)) return validationError('address', 'address must be an object');
    const fields = address as Record<string, unknown>;
    for (const name of Object.keys(fields)) {
      if (!ADDRESS_FIELDS.has(name)) return validationError(`address.${name}`, `address.${name} is not a recognised field`);
    }
    if (typeof fields.country_code !== 'string' || !/^[A-Z]{2}$/.test(fields.country_code)) {
      return validationError('address.country_code', 'address.country_code must be a two-letter ISO 3166-1 code');
    }
    for (const [name, max] of ADDRESS_LIMITS) {
      const value = fields[name];
      if (value === undefined) continue;
      if (typeof value !== 'string') return validationError(`address.${name}`, `address.${name} must be a string`);
      if (value.length > max) return validationError(`address.${name}`, `address.${name} must be at most ${max} characters`);
    }
    return undefined;
  }
}
