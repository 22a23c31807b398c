import { createHash, randomInt } from 'node:crypto';
import { COUNTRY_ALPHA2_CODES } from '@app/common/domain/country-alpha2';
import { json, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** `CreateCustomerRequest` fields (release 2025-08-20) and their documented maximum lengths. */
const REQUEST_FIELDS: Readonly<Record<string, number | undefined>> = {
  idempotency_key: undefined,
  given_name: 300,
  family_name: 300,
  company_name: 500,
  nickname: 100,
  email_address: 254,
  address: undefined,
  phone_number: undefined,
  reference_id: 100,
  note: undefined,
  birthday: undefined,
  tax_ids: undefined,
};
const ADDRESS_FIELDS = new Set([
  'address_line_1', 'address_line_2', 'address_line_3', 'locality', 'sublocality', 'sublocality_2', 'sublocality_3',
  'administrative_district_level_1', 'administrative_district_level_2', 'administrative_district_level_3', 'postal_code',
  'country', 'first_name', 'last_name',
]);
/**
 * `UpdateCustomerRequest` fields (square npm 46.0.0): create's, with the same lengths, less
 * `idempotency_key` and plus `version`; `null` clears one.
 */
const { idempotency_key: _idempotencyKey, ...CREATE_FIELDS_KEPT_ON_UPDATE } = REQUEST_FIELDS;
export const SQUARE_UPDATE_FIELDS: Readonly<Record<string, number | undefined>> = { ...CREATE_FIELDS_KEPT_ON_UPDATE, version: undefined };
const AT_LEAST_ONE_OF = ['given_name', 'family_name', 'company_name', 'email_address', 'phone_number'];
// Square's Country enum is ISO 3166-1 alpha-2 plus ZZ (unknown).
const COUNTRIES = new Set<string>([...COUNTRY_ALPHA2_CODES, 'ZZ']);
const ID_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
const IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED';

type Body = Record<string, unknown>;

interface SquareErrorBody {
  category: string;
  code: string;
  detail: string;
  field?: string;
}

interface StoredResponse {
  requestHash: string;
  response: SandboxResponse;
}

interface StoredCustomer {
  account: string;
  customer: Body & { id: string; version: number; created_at: string };
  deleted?: boolean;
}

function squareErrors(status: number, ...errors: SquareErrorBody[]): SandboxResponse {
  return json(status, { errors });
}

function invalidRequest(code: string, detail: string, field?: string): SandboxResponse {
  return squareErrors(400, { category: 'INVALID_REQUEST_ERROR', code, detail, ...(field !== undefined && { field }) });
}

function squareId(): string {
  return Array.from({ length: 26 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
}

function notFound(detail: string): SandboxResponse {
  return squareErrors(404, { category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail });
}

function accountOf(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

/** The request without its key order, so a replay is recognised whatever order the fields come in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Body)[key])]));
}

/**
 * Square's customers as documented: Bearer access token, `Square-Version` header, JSON bodies
 * checked like the API (unknown parameters, types, documented lengths, email and phone shape, the
 * country enum, at least one identifying field on create). `CreateCustomer` honours
 * `idempotency_key`: the same key with the same body replays the first response; the key with
 * another body is `IDEMPOTENCY_KEY_REUSED`; Square never deduplicates by data. Retrieve, a sparse
 * `UpdateCustomer` (address fields merged, `null` clears, a stale `version` refused), delete
 * (then NOT_FOUND), SearchCustomers by exact `reference_id` (case-insensitive, oldest first) and
 * `GET /v2/merchants/me`. Tokens added with `addToken` belong to an existing merchant.
 */
export class SquareSimulator implements ProcessorSimulator {
  readonly name = 'square';
  private readonly customers = new Map<string, StoredCustomer>();
  private readonly idempotency = new Map<string, StoredResponse>();
  private readonly addedTokens = new Map<string, string>();

  customerCount(): number {
    return this.customers.size;
  }

  isAccountLookup(request: SandboxRequest): boolean {
    return request.method === 'GET' && request.path.split('?')[0] === '/v2/merchants/me';
  }

  reset(): void {
    this.customers.clear();
    this.idempotency.clear();
    this.addedTokens.clear();
  }

  /** `newToken` now also authenticates as `existingToken`'s merchant, as a renewed access token does. */
  addToken(existingToken: string, newToken: string): void {
    this.addedTokens.set(newToken, this.addedTokens.get(existingToken) ?? accountOf(existingToken));
  }

  /** Square's key retention is unpublished: this forgets every key, as if its window had passed. */
  expireIdempotencyKeys(): void {
    this.idempotency.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const path = request.path.split('?')[0];
    const customerId = /^\/v2\/customers\/([^/]+)$/.exec(path)?.[1];
    const route = `${request.method} ${customerId && customerId !== 'search' ? '/v2/customers/{id}' : path}`;
    const routes = ['POST /v2/customers', 'POST /v2/customers/search', 'GET /v2/customers/{id}', 'PUT /v2/customers/{id}', 'DELETE /v2/customers/{id}', 'GET /v2/merchants/me'];
    if (!routes.includes(route)) {
      return squareErrors(404, { category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: `API endpoint for URL path \`${request.path}\` and HTTP method \`${request.method}\` is not found.` });
    }
    const token = /^Bearer ([A-Za-z0-9_-]{16,})$/.exec(String(request.headers.authorization ?? ''));
    if (!token) {
      return squareErrors(401, { category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: 'This request could not be authorized.' });
    }
    const version = request.headers['square-version'];
    if (version !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(version))) {
      return invalidRequest('INVALID_SQUARE_VERSION_FORMAT', `Invalid Square-Version format: ${String(version)}`);
    }
    const account = this.addedTokens.get(token[1]) ?? accountOf(token[1]);
    const id = customerId && decodeURIComponent(customerId);
    if (route === 'GET /v2/merchants/me') return this.merchant(account);
    if (route === 'GET /v2/customers/{id}') return this.retrieve(account, id!);
    if (route === 'DELETE /v2/customers/{id}') return this.remove(account, id!);
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return invalidRequest('INVALID_CONTENT_TYPE', 'Content-Type must be application/json');
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return invalidRequest('EXPECTED_JSON_BODY', 'The request body is not a JSON object.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return invalidRequest('EXPECTED_JSON_BODY', 'The request body is not a JSON object.');
    }
    if (route === 'POST /v2/customers/search') return this.search(account, body as Body);
    if (route === 'PUT /v2/customers/{id}') return this.update(account, id!, body as Body);
    const idempotencyKey = (body as Body).idempotency_key;
    if (typeof idempotencyKey !== 'string' || idempotencyKey === '') return this.create(account, body as Body);

    const scopedKey = `${account}:${idempotencyKey}`;
    const requestHash = createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
    const stored = this.idempotency.get(scopedKey);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        return invalidRequest(IDEMPOTENCY_KEY_REUSED, 'The idempotency key can only be retried with the same request data.', 'idempotency_key');
      }
      return stored.response;
    }
    const response = this.create(account, body as Body);
    if (response.status === 200) this.idempotency.set(scopedKey, { requestHash, response });
    return response;
  }

  private create(account: string, body: Body): SandboxResponse {
    const problem = this.validate(body, REQUEST_FIELDS, true);
    if (problem) return problem;
    const id = squareId();
    const now = new Date().toISOString();
    const { idempotency_key: _key, address, ...fields } = body;
    const customer = {
      id,
      created_at: now,
      updated_at: now,
      ...fields,
      ...(address !== undefined && { address: this.storedAddress(address as Body) }),
      preferences: { email_unsubscribed: false },
      creation_source: 'THIRD_PARTY',
      version: 0,
    };
    this.customers.set(id, { account, customer });
    return json(200, { customer });
  }

  private held(account: string, id: string): StoredCustomer | undefined {
    const stored = this.customers.get(id);
    return stored && stored.account === account && !stored.deleted ? stored : undefined;
  }

  private retrieve(account: string, id: string): SandboxResponse {
    const stored = this.held(account, id);
    return stored ? json(200, { customer: stored.customer }) : notFound(`Customer with ID \`${id}\` not found.`);
  }

  private update(account: string, id: string, body: Body): SandboxResponse {
    const stored = this.held(account, id);
    if (!stored) return notFound(`Customer with ID \`${id}\` not found.`);
    const problem = this.validate(body, SQUARE_UPDATE_FIELDS, false);
    if (problem) return problem;
    const { version, address, ...fields } = body;
    if (version !== undefined && version !== stored.customer.version) {
      return squareErrors(409, { category: 'INVALID_REQUEST_ERROR', code: 'CONFLICT', detail: 'Version mismatch: the customer has changed since it was read.', field: 'version' });
    }
    const customer: Body = { ...stored.customer };
    for (const [field, value] of Object.entries(fields)) {
      if (value === null) delete customer[field];
      else customer[field] = value;
    }
    if (address === null) delete customer.address;
    else if (address !== undefined) {
      const merged = { ...((customer.address as Body | undefined) ?? {}), ...this.storedAddress(address as Body) };
      customer.address = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null));
    }
    stored.customer = { ...(customer as StoredCustomer['customer']), updated_at: new Date().toISOString(), version: stored.customer.version + 1 };
    return json(200, { customer: stored.customer });
  }

  private remove(account: string, id: string): SandboxResponse {
    const stored = this.held(account, id);
    if (!stored) return notFound(`Customer with ID \`${id}\` not found.`);
    stored.deleted = true;
    return json(200, {});
  }

  /** SearchCustomers with the one filter we use: `reference_id.exact`, matched case-insensitively, oldest first. */
  private search(account: string, body: Body): SandboxResponse {
    const exact = ((body.query as Body | undefined)?.filter as Body | undefined)?.reference_id as Body | undefined;
    if (typeof exact?.exact !== 'string') return invalidRequest('BAD_REQUEST', 'This simulator searches by `query.filter.reference_id.exact` only.', 'query');
    const wanted = exact.exact.toLowerCase();
    const customers = [...this.customers.values()]
      .filter((stored) => stored.account === account && !stored.deleted && String(stored.customer.reference_id ?? '').toLowerCase() === wanted)
      .map((stored) => stored.customer)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
    return json(200, customers.length > 0 ? { customers } : {});
  }

  private merchant(account: string): SandboxResponse {
    const id = account.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 13).padEnd(13, 'M');
    return json(200, { merchant: { id, business_name: 'Sandbox Seller', country: 'US', language_code: 'en-US', currency: 'USD', status: 'ACTIVE', main_location_id: `L${id}`, created_at: '2025-01-01T00:00:00Z' } });
  }

  /** `first_name` and `last_name` are ignored on create and update, as the contract says. */
  private storedAddress(address: Body): Body {
    const { first_name: _first, last_name: _last, ...stored } = address;
    return stored;
  }

  private validate(body: Body, fields: Readonly<Record<string, number | undefined>>, creating: boolean): SandboxResponse | undefined {
    for (const [field, value] of Object.entries(body)) {
      if (!(field in fields)) return invalidRequest('UNKNOWN_BODY_PARAMETER', `The body parameter \`${field}\` is not recognized.`, field);
      if (value === null && !creating) continue;
      if (field === 'version') {
        if (!Number.isInteger(value)) return invalidRequest('EXPECTED_INTEGER', 'Expected `version` to be an integer.', field);
        continue;
      }
      if (field === 'address' || field === 'tax_ids') {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalidRequest('EXPECTED_OBJECT', `Expected \`${field}\` to be an object.`, field);
        continue;
      }
      if (typeof value !== 'string') return invalidRequest('EXPECTED_STRING', `Expected \`${field}\` to be a string.`, field);
      const max = fields[field];
      if (max !== undefined && value.length > max) return invalidRequest('VALUE_TOO_LONG', `Field must not be greater than ${max} length`, field);
    }
    if (creating && !AT_LEAST_ONE_OF.some((field) => typeof body[field] === 'string' && body[field] !== '')) {
      return invalidRequest('MISSING_REQUIRED_PARAMETER', `At least one of ${AT_LEAST_ONE_OF.join(', ')} is required.`);
    }
    if (!creating && Object.keys(body).filter((field) => field !== 'version').length === 0) {
      return invalidRequest('NO_FIELDS_SET', 'At least one field must be set.');
    }
    if (typeof body.email_address === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.email_address)) {
      return invalidRequest('INVALID_EMAIL_ADDRESS', 'Expected email_address to be a valid email address', 'email_address');
    }
    if (typeof body.phone_number === 'string') {
      const digits = body.phone_number.replace(/\D/g, '').length;
      if (!/^\+?[0-9 ().-]+$/.test(body.phone_number) || digits < 9 || digits > 16) {
        return invalidRequest('INVALID_PHONE_NUMBER', 'Expected phone_number to be a valid phone number', 'phone_number');
      }
    }
    const address = (body.address ?? {}) as Body;
    for (const [field, value] of Object.entries(address)) {
      if (!ADDRESS_FIELDS.has(field)) return invalidRequest('UNKNOWN_BODY_PARAMETER', `The body parameter \`address.${field}\` is not recognized.`, `address.${field}`);
      if (value !== null && typeof value !== 'string') return invalidRequest('EXPECTED_STRING', `Expected \`address.${field}\` to be a string.`, `address.${field}`);
    }
    if (typeof address.country === 'string' && !COUNTRIES.has(address.country)) {
      return invalidRequest('INVALID_ENUM_VALUE', `\`${address.country}\` is not a valid enum value for \`address.country\`.`, 'address.country');
    }
    return undefined;
  }
}
