import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { json, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const API_KEY = /^Bearer ((test|live)_[A-Za-z0-9]{30}|access_[A-Za-z0-9]{20,})$/;
const PARAMETERS = ['name', 'email', 'locale', 'metadata', 'testmode'] as const;
const LOCALES = new Set([
  'en_US', 'en_GB', 'nl_NL', 'nl_BE', 'fr_FR', 'fr_BE', 'de_DE', 'de_AT', 'de_CH', 'es_ES', 'ca_ES',
  'pt_PT', 'it_IT', 'nb_NO', 'sv_SE', 'fi_FI', 'da_DK', 'is_IS', 'hu_HU', 'pl_PL', 'lv_LV', 'lt_LT',
]);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HAL_JSON = 'application/hal+json; charset=utf-8';

/** Every Mollie answer with a body is HAL JSON. */
const hal = (status: number, value: unknown): SandboxResponse => json(status, value, { 'content-type': HAL_JSON });

/** Mollie takes international domains only in their Punycode form. */
function isPunycodeEmail(value: unknown): boolean {
  if (typeof value !== 'string' || !EMAIL.test(value)) return false;
  const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase();
  return domainToASCII(domain) === domain;
}

interface StoredResponse {
  requestHash: string;
  storedAt: number;
  response?: SandboxResponse;
}

interface StoredCustomer {
  id: string;
  account: string;
  mode: 'test' | 'live';
  body: Record<string, unknown>;
  createdAt: string;
  deleted: boolean;
}

/**
 * How long a stored idempotent answer is replayed. The official SDK warns that Mollie purges them
 * "at some point" and that re-attempts should happen within an hour (mollie-api-node
 * `src/types/parameters.ts`, `IdempotencyParameter`), so the sandbox forgets them after an hour.
 */
export const MOLLIE_IDEMPOTENCY_RETENTION_MS = 60 * 60_000;
const MAX_PAGE_SIZE = 250;
const DEFAULT_PAGE_SIZE = 50;
const CUSTOMER_PATH = /^\/v2\/customers\/([^/?]+)$/;

function problem(status: number, title: string, detail: string, field?: string): SandboxResponse {
  return hal(status, {
    status,
    title,
    detail,
    ...(field !== undefined && { field }),
    _links: { documentation: { href: 'https://docs.mollie.com/overview/handling-errors', type: 'text/html' } },
  });
}

function customerLinks(id: string) {
  return {
    self: { href: `https://api.mollie.com/v2/customers/${id}`, type: 'application/hal+json' },
    dashboard: { href: `https://my.mollie.com/dashboard/customers/${id}`, type: 'text/html' },
    documentation: { href: 'https://docs.mollie.com/reference/v2/customers-api/get-customer', type: 'text/html' },
  };
}

/**
 * Mollie's Customers API as documented: Bearer API key (`test_`/`live_`) or organization access
 * token (which alone may send `testmode`). Create: JSON body checked like the API (unknown
 * parameters, email, locale, metadata ≤ 1 kB → 422 with `field`), 201 `application/hal+json`.
 * `Idempotency-Key` (POST only): the same key and body replays the first answer with
 * `Idempotent-Replayed: true` until the stored answer is purged (after an hour here, the SDK's
 * warning); the same key with another body → 400; while the first is in flight → 409. Mollie never
 * deduplicates customers by their data. Get, update (PATCH, the fields given replace the stored
 * ones, `metadata` whole), delete (204), list newest first (`from`, `limit` ≤ 250, `_links.next`);
 * an unknown customer answers 404, a deleted one 410 Gone. `GET /v2/profiles/me` (API keys) and
 * `GET /v2/organizations/me` (access tokens) name the account.
 */
export class MollieSimulator implements ProcessorSimulator {
  readonly name = 'mollie';
  private readonly customers = new Map<string, StoredCustomer>();
  private readonly idempotency = new Map<string, StoredResponse>();

  constructor(private now: () => number = Date.now) {}

  /** The clock stored idempotent answers age by (tests move it past the purge). */
  useClock(now: () => number): void {
    this.now = now;
  }

  customerCount(): number {
    return this.customers.size;
  }

  isAccountLookup(request: SandboxRequest): boolean {
    return request.method === 'GET' && ['/v2/profiles/me', '/v2/organizations/me'].includes(request.path.split('?')[0]);
  }

  reset(): void {
    this.customers.clear();
    this.idempotency.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const key = API_KEY.exec(String(request.headers.authorization ?? ''));
    if (!key) return problem(401, 'Unauthorized Request', 'Missing authentication, or failed to authenticate');
    const account = createHash('sha256').update(key[1]).digest('hex').slice(0, 16);
    const keyMode = key[2] as 'test' | 'live' | undefined;
    const url = new URL(request.path, 'http://mollie');
    const route = `${request.method} ${url.pathname}`;
    if (route === 'POST /v2/customers') return this.idempotent(account, keyMode, request);
    if (route === 'GET /v2/customers') return this.list(account, keyMode, url.searchParams);
    if (route === 'GET /v2/profiles/me' && keyMode) return this.me('profile', 'pfl_', account);
    if (route === 'GET /v2/organizations/me' && !keyMode) return this.me('organization', 'org_', account);
    const id = CUSTOMER_PATH.exec(url.pathname)?.[1];
    if (id === undefined) return problem(404, 'Not Found', 'The resource does not exist.');
    const found = this.customers.get(id);
    if (!found || found.account !== account || found.mode !== this.modeOf(keyMode, request.method === 'GET' ? url.searchParams.get('testmode') === 'true' : this.testmodeIn(request.body))) {
      return problem(404, 'Not Found', `No customer exists with token ${id}.`);
    }
    if (found.deleted) return problem(410, 'Gone', 'You are trying to access an object, which has previously been deleted');
    if (request.method === 'GET') return this.present(200, found);
    if (request.method === 'PATCH') return this.update(found, keyMode, request.body);
    if (request.method === 'DELETE') {
      found.deleted = true;
      return { status: 204, headers: {}, body: '' };
    }
    return problem(405, 'Method Not Allowed', `The method ${request.method} is not allowed on this resource.`);
  }

  private modeOf(keyMode: 'test' | 'live' | undefined, testmode: boolean): 'test' | 'live' {
    return keyMode ?? (testmode ? 'test' : 'live');
  }

  private testmodeIn(body: string): boolean {
    try {
      return (JSON.parse(body || '{}') as { testmode?: unknown }).testmode === true;
    } catch {
      return false;
    }
  }

  private me(resource: 'profile' | 'organization', prefix: string, account: string): SandboxResponse {
    return hal(200, { resource, id: `${prefix}${account.slice(0, 10)}`, name: 'Sandbox account' });
  }

  /** Newest first; `from` starts the page at that customer (included). */
  private list(account: string, keyMode: 'test' | 'live' | undefined, query: URLSearchParams): SandboxResponse {
    const limit = Number(query.get('limit') ?? DEFAULT_PAGE_SIZE);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) return problem(400, 'Bad Request', `The limit must be between 1 and ${MAX_PAGE_SIZE}.`, 'limit');
    const mode = this.modeOf(keyMode, query.get('testmode') === 'true');
    const all = [...this.customers.values()].filter((c) => c.account === account && c.mode === mode && !c.deleted).reverse();
    const from = query.get('from');
    const start = from === null ? 0 : all.findIndex((c) => c.id === from);
    if (start < 0) return problem(400, 'Bad Request', `Invalid offset: no customer ${from}.`, 'from');
    const page = all.slice(start, start + limit);
    const next = all[start + limit];
    return hal(200, {
      count: page.length,
      _embedded: { customers: page.map((c) => this.representation(c)) },
      _links: {
        self: { href: `https://api.mollie.com/v2/customers?limit=${limit}`, type: 'application/hal+json' },
        previous: null,
        next: next ? { href: `https://api.mollie.com/v2/customers?from=${next.id}&limit=${limit}`, type: 'application/hal+json' } : null,
        documentation: { href: 'https://docs.mollie.com/reference/v2/customers-api/list-customers', type: 'text/html' },
      },
    });
  }

  private update(customer: StoredCustomer, keyMode: 'test' | 'live' | undefined, rawBody: string): SandboxResponse {
    const parsed = this.parse(rawBody);
    if ('error' in parsed) return parsed.error;
    const params = parsed.params;
    const invalid = this.validate(params, keyMode, '');
    if (invalid) return invalid;
    const { testmode: _testmode, ...changes } = params;
    Object.assign(customer.body, changes);
    return this.present(200, customer);
  }

  private idempotent(account: string, keyMode: 'test' | 'live' | undefined, request: SandboxRequest): SandboxResponse {
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    if (idempotencyKey === undefined) return this.create(account, keyMode, request.body);

    const scopedKey = `${account}:${idempotencyKey}`;
    const requestHash = createHash('sha256').update(`${request.path}\n${request.body}`).digest('hex');
    const stored = this.idempotency.get(scopedKey);
    if (stored && this.now() - stored.storedAt >= MOLLIE_IDEMPOTENCY_RETENTION_MS) this.idempotency.delete(scopedKey);
    else if (stored) {
      if (stored.requestHash !== requestHash) {
        return problem(400, 'Bad Request', 'The Idempotency-Key was already used for a request with other parameters or to another endpoint.');
      }
      if (!stored.response) return problem(409, 'Conflict', 'A request with this Idempotency-Key is still being processed.');
      return { ...stored.response, headers: { ...stored.response.headers, 'idempotent-replayed': 'true' } };
    }
    const entry: StoredResponse = { requestHash, storedAt: this.now() };
    this.idempotency.set(scopedKey, entry);
    entry.response = this.create(account, keyMode, request.body);
    return entry.response;
  }

  private parse(rawBody: string): { params: Record<string, unknown> } | { error: SandboxResponse } {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return { error: problem(400, 'Bad Request', 'The request body is not valid JSON.') };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: problem(400, 'Bad Request', 'The request body must be a JSON object.') };
    return { params: body as Record<string, unknown> };
  }

  private create(account: string, keyMode: 'test' | 'live' | undefined, rawBody: string): SandboxResponse {
    const parsed = this.parse(rawBody);
    if ('error' in parsed) return parsed.error;
    const invalid = this.validate(parsed.params, keyMode);
    if (invalid) return invalid;
    const { testmode, ...fields } = parsed.params;
    const mode = keyMode ?? (testmode === true ? 'test' : 'live');
    const customer: StoredCustomer = { id: randomId('cst_', 10), account, mode, body: fields, createdAt: new Date(this.now()).toISOString(), deleted: false };
    this.customers.set(customer.id, customer);
    return this.present(201, customer);
  }

  private representation(customer: StoredCustomer): Record<string, unknown> {
    const { body } = customer;
    return {
      resource: 'customer',
      id: customer.id,
      mode: customer.mode,
      name: body.name ?? null,
      email: body.email ?? null,
      locale: body.locale ?? null,
      metadata: body.metadata ?? null,
      createdAt: customer.createdAt,
      _links: customerLinks(customer.id),
    };
  }

  private present(status: number, customer: StoredCustomer): SandboxResponse {
    return hal(status, this.representation(customer));
  }

  /** Create and update take the same parameters (`testmode` from access tokens only); create's refusal suggests one. */
  private validate(params: Record<string, unknown>, keyMode: 'test' | 'live' | undefined, suggestion = ' Did you mean: "name"?'): SandboxResponse | undefined {
    for (const name of Object.keys(params)) {
      const allowed = (PARAMETERS as readonly string[]).includes(name) && !(name === 'testmode' && keyMode !== undefined);
      if (!allowed) return problem(422, 'Unprocessable Entity', `Non-existent body parameter "${name}" for this API call.${suggestion}`, name);
    }
    if (params.name !== undefined && typeof params.name !== 'string') return problem(422, 'Unprocessable Entity', 'The name must be a string.', 'name');
    if (params.email !== undefined && !isPunycodeEmail(params.email)) {
      return problem(422, 'Unprocessable Entity', 'The email address is invalid.', 'email');
    }
    if (params.locale !== undefined && !LOCALES.has(params.locale as string)) return problem(422, 'Unprocessable Entity', 'The locale is invalid.', 'locale');
    if (params.metadata !== undefined && Buffer.byteLength(JSON.stringify(params.metadata), 'utf8') > 1024) {
      return problem(422, 'Unprocessable Entity', 'The metadata storage is currently limited to 1024 bytes.', 'metadata');
    }
    return undefined;
  }
}
