import { createHash } from 'node:crypto';
import { json, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** Parameters of `POST /customers` (https://dev.shift4.com/docs/api#customer-create; shift4-java CustomerRequest). */
const KNOWN_PARAMETERS = new Set(['email', 'phoneNumber', 'description', 'card', 'paymentMethod', 'metadata', 'billing']);
/** Parameters of `POST /customers/{id}` (https://dev.shift4.com/docs/api#customer-update; shift4-java CustomerUpdateRequest: no phoneNumber). */
const KNOWN_UPDATE_PARAMETERS = new Set(['email', 'description', 'card', 'defaultCardId', 'defaultPaymentMethodId', 'metadata', 'billing']);
/** shift4-java `request/BillingRequest.java` and `request/AddressRequest.java`: every field a string. */
const BILLING_FIELDS = new Set(['name', 'address', 'vat', 'email', 'phone']);
const ADDRESS_FIELDS = new Set(['line1', 'line2', 'zip', 'city', 'state', 'country']);

/**
 * How long a key is honoured. Shift4 documents no retention (API reference, six official SDKs):
 * the simulator forgets keys after the shortest plausible window, the one the connector assumes.
 */
export const SHIFT4_KEY_RETENTION_MS = 60 * 60 * 1000;

/** shift4-node spec/integration/customersSpec.js: the answer to a key reused with other parameters. */
export const SHIFT4_IDEMPOTENCY_MISMATCH = 'Idempotent key used for request with different parameters.';

function shift4Error(status: number, type: string, message: string, code?: string): SandboxResponse {
  return json(status, { error: { type, message, ...(code && { code }) } });
}

function invalidRequest(message: string): SandboxResponse {
  return shift4Error(400, 'invalid_request', message);
}

function notFound(id: string): SandboxResponse {
  return shift4Error(404, 'invalid_request', `Customer '${id}' does not exist`);
}

function secretKeyOf(authorization: string | undefined): string | undefined {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (!basic) return undefined;
  const [user, password] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
  return password === '' && /^(?:sk|pr)_(?:test|live)_[A-Za-z0-9]{4,}$/.test(user) ? user : undefined;
}

function parseObject(rawBody: string): Record<string, unknown> | SandboxResponse {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return invalidRequest('Request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalidRequest('Request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** An object (absent allowed) holding only `known` fields, each a string but for `nested`. */
function checkStrings(value: unknown, path: string, known: Set<string>, nested?: string): SandboxResponse | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalidRequest(`${path}: must be an object`);
  for (const [name, field] of Object.entries(value)) {
    if (!known.has(name)) return invalidRequest(`Unrecognized parameter: ${path}.${name}`);
    if (name !== nested && typeof field !== 'string') return invalidRequest(`${path}.${name}: must be a string`);
  }
  return undefined;
}

function isResponse(value: unknown): value is SandboxResponse {
  return typeof value === 'object' && value !== null && typeof (value as SandboxResponse).status === 'number' && typeof (value as SandboxResponse).body === 'string';
}

interface StoredCustomer {
  account: string;
  /** Creation order, for the newest-first list. */
  seq: number;
  object: Record<string, unknown>;
}

interface StoredReplay {
  fingerprint: string;
  response: SandboxResponse;
  storedAt: number;
}

/**
 * Shift4's customers as documented and as the official SDKs' integration tests show them: HTTP
 * Basic with the secret key and an empty password; `POST /customers` (email required; `phoneNumber`
 * and `billing` as shift4-java's CustomerRequest has them, each shown only when given), `GET`,
 * `POST` (update: the given fields change, `metadata` is replaced whole — shift4-php
 * CustomerTest::testUpdateCustomer — and so is `billing`, the harsher reading of what Shift4 leaves
 * undocumented; no `phoneNumber`) and `DELETE /customers/{id}` (answering `{id}`; the customer
 * stays readable with `deleted: true`), `GET /customers` newest first with `email`, `deleted`,
 * `limit` and `startingAfterId`; errors as `{error:{type, message, code?}}`, 404 for an unknown id.
 * The `Idempotency-Key` header is honoured per account on creates and updates: the first
 * successful answer is replayed with `Idempotent-Replayed: true` (shift4-ruby specs), the same key
 * with other parameters is refused (`invalid_request`, shift4-node customersSpec), and a key is
 * forgotten after `SHIFT4_KEY_RETENTION_MS`. Without a key every create makes a customer: Shift4
 * lets several customers share an email.
 */
export class Shift4Simulator implements ProcessorSimulator {
  readonly name = 'shift4';
  private readonly customers = new Map<string, StoredCustomer>();
  private readonly replays = new Map<string, StoredReplay>();
  private seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
    this.replays.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const url = new URL(request.path, 'http://shift4');
    const route = /^\/customers(?:\/([^/]+))?$/.exec(url.pathname);
    const method = request.method;
    if (!route || !['GET', 'POST', 'DELETE'].includes(method) || (method === 'DELETE' && !route[1])) {
      return shift4Error(404, 'invalid_request', `Unrecognized request URL (${method}: ${url.pathname})`);
    }
    const secretKey = secretKeyOf(request.headers.authorization);
    if (!secretKey) return shift4Error(401, 'invalid_request', 'Provided API key is invalid');
    const account = createHash('sha256').update(secretKey).digest('hex').slice(0, 16);
    const id = route[1] === undefined ? undefined : decodeURIComponent(route[1]);

    if (method === 'GET') return id === undefined ? this.list(account, url.searchParams) : this.retrieve(account, id);
    if (method === 'DELETE') return this.delete(account, id!);
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) return invalidRequest('Request body must be JSON');
    return this.idempotently(account, request, () => (id === undefined ? this.create(account, request.body) : this.update(account, id, request.body)));
  }

  private idempotently(account: string, request: SandboxRequest, act: () => SandboxResponse): SandboxResponse {
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    if (idempotencyKey === undefined) return act();
    const replayKey = `${account}:${idempotencyKey}`;
    const fingerprint = createHash('sha256').update(request.path).update('\0').update(request.body).digest('hex');
    const stored = this.replays.get(replayKey);
    if (stored && this.now() - stored.storedAt <= SHIFT4_KEY_RETENTION_MS) {
      if (stored.fingerprint !== fingerprint) return invalidRequest(SHIFT4_IDEMPOTENCY_MISMATCH);
      return { ...stored.response, headers: { ...stored.response.headers, 'idempotent-replayed': 'true' } };
    }
    const response = act();
    if (response.status === 200) this.replays.set(replayKey, { fingerprint, response, storedAt: this.now() });
    else this.replays.delete(replayKey);
    return response;
  }

  private create(account: string, rawBody: string): SandboxResponse {
    const params = parseObject(rawBody);
    if (isResponse(params)) return params;
    for (const name of Object.keys(params)) {
      if (!KNOWN_PARAMETERS.has(name)) return invalidRequest(`Unrecognized parameter: ${name}`);
    }
    if (typeof params.email !== 'string' || params.email === '') return invalidRequest('email: must not be empty');
    const problem = this.checkFields(params);
    if (problem) return problem;

    const id = randomId('cust_', 24);
    const object = {
      id,
      created: Math.floor(this.now() / 1000),
      deleted: false,
      email: params.email,
      description: params.description ?? null,
      ...(params.phoneNumber !== undefined && { phoneNumber: params.phoneNumber }),
      metadata: params.metadata ?? {},
      ...(params.billing !== undefined && { billing: params.billing }),
      cards: [],
    };
    this.customers.set(id, { account, seq: (this.seq += 1), object });
    return json(200, object);
  }

  /** The account's customer `id`, deleted or not. */
  private held(account: string, id: string): StoredCustomer | undefined {
    const stored = this.customers.get(id);
    return stored?.account === account ? stored : undefined;
  }

  private update(account: string, id: string, rawBody: string): SandboxResponse {
    const stored = this.held(account, id);
    if (!stored) return notFound(id);
    const params = parseObject(rawBody);
    if (isResponse(params)) return params;
    for (const name of Object.keys(params)) {
      if (!KNOWN_UPDATE_PARAMETERS.has(name)) return invalidRequest(`Unrecognized parameter: ${name}`);
    }
    if (params.email !== undefined && (typeof params.email !== 'string' || params.email === '')) return invalidRequest('email: must not be empty');
    const problem = this.checkFields(params);
    if (problem) return problem;
    for (const field of ['email', 'description', 'metadata', 'billing'] as const) {
      if (params[field] !== undefined) stored.object[field] = params[field];
    }
    return json(200, stored.object);
  }

  private checkFields(params: Record<string, unknown>): SandboxResponse | undefined {
    if (typeof params.email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(params.email)) return invalidRequest('email: not a well-formed email address');
    if (params.description !== undefined && typeof params.description !== 'string') return invalidRequest('description: must be a string');
    if (params.phoneNumber !== undefined && typeof params.phoneNumber !== 'string') return invalidRequest('phoneNumber: must be a string');
    if (params.billing !== undefined) {
      const problem = checkStrings(params.billing, 'billing', BILLING_FIELDS, 'address') ?? checkStrings((params.billing as Record<string, unknown>).address, 'billing.address', ADDRESS_FIELDS);
      if (problem) return problem;
    }
    const metadata = params.metadata;
    if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || Object.values(metadata).some((value) => typeof value !== 'string'))) {
      return invalidRequest('metadata: must be an object of string values');
    }
    return undefined;
  }

  private retrieve(account: string, id: string): SandboxResponse {
    const stored = this.held(account, id);
    return stored ? json(200, stored.object) : notFound(id);
  }

  private delete(account: string, id: string): SandboxResponse {
    const stored = this.held(account, id);
    if (!stored) return notFound(id);
    // Shift4 documents no answer for deleting a deleted customer: the simulator repeats the first.
    stored.object.deleted = true;
    return json(200, { id });
  }

  private list(account: string, query: URLSearchParams): SandboxResponse {
    const limit = Number(query.get('limit') ?? '10');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalidRequest('limit: must be between 1 and 100');
    const email = query.get('email');
    const deleted = query.get('deleted') === 'true';
    const newestFirst = [...this.customers.values()]
      .filter((stored) => stored.account === account && stored.object.deleted === deleted && (email === null || stored.object.email === email))
      .sort((a, b) => b.seq - a.seq);
    const after = query.get('startingAfterId');
    const start = after === null ? 0 : newestFirst.findIndex((stored) => stored.object.id === after) + 1;
    const page = newestFirst.slice(start, start + limit);
    return json(200, { list: page.map((stored) => stored.object), hasMore: start + limit < newestFirst.length });
  }
}
