import { createHash, randomUUID } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const NAME_FIELDS = ['firstname', 'lastname', 'email', 'company'] as const;
const MAX_LENGTHS: Readonly<Record<string, number>> = {
  firstname: 255, lastname: 255, email: 255, company: 255, address_1: 255, address_2: 255, address_city: 255,
  address_state: 2, address_zip: 16, address_country: 3, reference: 255, notes: 21844,
};

/** Laravel's validation answer: HTTP 422, every failing field with its messages. */
function validationFailed(errors: Record<string, string[]>): SandboxResponse {
  return json(422, errors);
}

function parseParams(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

/** Stax's answer to an id it does not know (API reference, Get a Customer's Information / Delete a Customer). */
const CUSTOMER_NOT_FOUND = { id: 'customer not found' };
const PAGE_SIZE = 50;

/**
 * The merchant a key belongs to: the `merchant` claim of the JWT's payload (a key rotated for the
 * same merchant names the same one), as a stable UUID; a key without that claim is its own merchant.
 */
function merchantOf(authorization: string): string {
  const token = authorization.slice('Bearer '.length);
  let claim: unknown;
  try {
    claim = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { merchant?: unknown }).merchant;
  } catch {
    claim = undefined;
  }
  const hex = createHash('sha256').update(typeof claim === 'string' ? `merchant:${claim}` : `key:${token}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

interface StoredCustomer {
  merchant: string;
  object: Record<string, unknown>;
}

/**
 * Stax's customers as its API reference describes them: a Bearer API key (a JWT); `POST /customer`
 * and `PUT /customer/{id}` with a JSON body validated the Laravel way (422 with
 * `{"<field>": ["<message>"]}`; a name, email or company required in the body; the documented
 * maximum lengths; the phone pattern /[0-9]{10,15}/), unknown fields ignored, the customer object
 * answered with 200; `GET /customer/{id}` (a soft-deleted customer still answered, `deleted_at`
 * set), `DELETE /customer/{id}` (a soft delete), `{"id": "customer not found"}` for an unknown id
 * (404 on get and update, 422 on delete as the reference's example shows); `GET /customer` as a
 * Laravel page of 50, filtered by `reference`, deleted customers left out; `GET /self` naming the
 * key's merchant. A `PUT` changes the fields it is sent (inferred: Stax does not say). Stax has no
 * idempotency for customers and does not deduplicate: every accepted create makes a customer.
 */
export class StaxSimulator implements ProcessorSimulator {
  readonly name = 'stax';
  private readonly customers = new Map<string, StoredCustomer>();

  customerCount(): number {
    return this.customers.size;
  }

  isAccountLookup(request: SandboxRequest): boolean {
    return request.method === 'GET' && request.path.split('?')[0] === '/self';
  }

  reset(): void {
    this.customers.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const url = new URL(request.path, 'http://stax');
    const route = /^\/(customer|self)(?:\/([^/]+))?$/.exec(url.pathname);
    const id = route?.[2] === undefined ? undefined : decodeURIComponent(route[2]);
    const known =
      route !== null &&
      (route[1] === 'self' ? request.method === 'GET' && id === undefined : id === undefined ? ['GET', 'POST'].includes(request.method) : ['GET', 'PUT', 'DELETE'].includes(request.method));
    if (!known) return json(404, { error: 'Not Found' });
    const authorization = String(request.headers.authorization ?? '');
    if (!/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(authorization)) {
      return json(401, { error: 'Unauthorized' });
    }
    const merchant = merchantOf(authorization);
    if (route[1] === 'self') return this.self(merchant);
    if (id === undefined) return request.method === 'GET' ? this.list(merchant, url.searchParams) : this.create(merchant, request.body);
    const stored = this.customers.get(id);
    const own = stored && stored.merchant === merchant ? stored : undefined;
    if (request.method === 'GET') return own ? json(200, own.object) : json(404, CUSTOMER_NOT_FOUND);
    if (request.method === 'PUT') return own ? this.update(own, request.body) : json(404, CUSTOMER_NOT_FOUND);
    if (!own || own.object.deleted_at !== null) return json(422, CUSTOMER_NOT_FOUND);
    own.object.deleted_at = timestamp();
    return json(200, own.object);
  }

  private create(merchant: string, body: string): SandboxResponse {
    const params = parseParams(body);
    const errors = this.validate(params);
    if (Object.keys(errors).length > 0) return validationFailed(errors);

    const id = randomUUID();
    const now = timestamp();
    const customer = { id, ...params, cc_emails: params.cc_emails ?? null, options: params.options ?? null, created_at: now, updated_at: now, deleted_at: null };
    this.customers.set(id, { merchant, object: customer });
    return json(200, customer);
  }

  private update(stored: StoredCustomer, body: string): SandboxResponse {
    const params = parseParams(body);
    const errors = this.validate(params);
    if (Object.keys(errors).length > 0) return validationFailed(errors);
    const { id: _id, created_at: _created, deleted_at: _deleted, ...changes } = params;
    Object.assign(stored.object, changes, { updated_at: timestamp() });
    return json(200, stored.object);
  }

  private list(merchant: string, query: URLSearchParams): SandboxResponse {
    const reference = query.get('reference');
    const matching = [...this.customers.values()]
      .filter((stored) => stored.merchant === merchant && stored.object.deleted_at === null && (reference === null || stored.object.reference === reference))
      .map((stored) => stored.object);
    const lastPage = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    const page = Math.min(Math.max(1, Number(query.get('page') ?? '1') || 1), lastPage);
    const data = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    return json(200, {
      total: matching.length,
      per_page: PAGE_SIZE,
      current_page: page,
      last_page: lastPage,
      next_page_url: page < lastPage ? `https://apiprod.fattlabs.com/customer?page=${page + 1}` : null,
      prev_page_url: page > 1 ? `https://apiprod.fattlabs.com/customer?page=${page - 1}` : null,
      from: data.length > 0 ? (page - 1) * PAGE_SIZE + 1 : null,
      to: data.length > 0 ? (page - 1) * PAGE_SIZE + data.length : null,
      data,
    });
  }

  /** The shape of the official python client's `tests/mock_self.txt`, trimmed. */
  private self(merchant: string): SandboxResponse {
    return json(200, {
      user: { id: randomUUID(), name: 'sandbox API key', is_api_key: true, team_role: 'admin', team_admin: true, deleted_at: null },
      merchant: { id: merchant, status: 'ACTIVE', company_name: 'Sandbox Merchant', display_name: 'Sandbox Merchant', deleted_at: null },
    });
  }

  private validate(params: Record<string, unknown>): Record<string, string[]> {
    const errors: Record<string, string[]> = {};
    if (NAME_FIELDS.every((field) => params[field] === undefined || params[field] === null || params[field] === '')) {
      for (const field of NAME_FIELDS) {
        const others = NAME_FIELDS.filter((other) => other !== field).join(' / ');
        errors[field] = [`The ${field} field is required when none of ${others} are present.`];
      }
    }
    for (const [field, max] of Object.entries(MAX_LENGTHS)) {
      const value = params[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') errors[field] = [`The ${field} must be a string.`];
      else if (value.length > max) errors[field] = [`The ${field} may not be greater than ${max} characters.`];
    }
    if (typeof params.email === 'string' && params.email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(params.email)) {
      errors.email = ['The email must be a valid email address.'];
    }
    if (params.phone !== undefined && params.phone !== null && !/[0-9]{10,15}/.test(String(params.phone))) {
      errors.phone = ['The phone format is invalid.'];
    }
    return errors;
  }
}
