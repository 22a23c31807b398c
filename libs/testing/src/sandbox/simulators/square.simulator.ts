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

function squareErrors(status: number, ...errors: SquareErrorBody[]): SandboxResponse {
  return json(status, { errors });
}

function invalidRequest(code: string, detail: string, field?: string): SandboxResponse {
  return squareErrors(400, { category: 'INVALID_REQUEST_ERROR', code, detail, ...(field !== undefined && { field }) });
}

function squareId(): string {
  return Array.from({ length: 26 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
}

/** The request without its key order, so a replay is recognised whatever order the fields come in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Body)[key])]));
}

/**
 * Square's `CreateCustomer` as documented: Bearer access token, `Square-Version` header, a JSON
 * body checked like the API (unknown parameters, types, documented lengths, email and phone
 * shape, the country enum, at least one identifying field), and `idempotency_key` honoured:
 * the same key with the same body replays the first response; the key with another body is
 * `IDEMPOTENCY_KEY_REUSED`. Square never deduplicates by data: every new key creates a profile.
 */
export class SquareSimulator implements ProcessorSimulator {
  readonly name = 'square';
  private readonly customers = new Map<string, { account: string; body: Body }>();
  private readonly idempotency = new Map<string, StoredResponse>();

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
    this.idempotency.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.method !== 'POST' || request.path !== '/v2/customers') {
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
    const account = createHash('sha256').update(token[1]).digest('hex').slice(0, 16);
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
    const problem = this.validate(body);
    if (problem) return problem;
    const id = squareId();
    this.customers.set(id, { account, body });
    const now = new Date().toISOString();
    const { idempotency_key: _key, address, ...fields } = body;
    return json(200, {
      customer: {
        id,
        created_at: now,
        updated_at: now,
        ...fields,
        ...(address !== undefined && { address: this.storedAddress(address as Body) }),
        preferences: { email_unsubscribed: false },
        creation_source: 'THIRD_PARTY',
        version: 0,
      },
    });
  }

  /** `first_name` and `last_name` are ignored on create, as the contract says. */
  private storedAddress(address: Body): Body {
    const { first_name: _first, last_name: _last, ...stored } = address;
    return stored;
  }

  private validate(body: Body): SandboxResponse | undefined {
    for (const [field, value] of Object.entries(body)) {
      if (!(field in REQUEST_FIELDS)) return invalidRequest('UNKNOWN_BODY_PARAMETER', `The body parameter \`${field}\` is not recognized.`, field);
      if (field === 'address' || field === 'tax_ids') {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalidRequest('EXPECTED_OBJECT', `Expected \`${field}\` to be an object.`, field);
        continue;
      }
      if (typeof value !== 'string') return invalidRequest('EXPECTED_STRING', `Expected \`${field}\` to be a string.`, field);
      const max = REQUEST_FIELDS[field];
      if (max !== undefined && value.length > max) return invalidRequest('VALUE_TOO_LONG', `Field must not be greater than ${max} length`, field);
    }
    if (!AT_LEAST_ONE_OF.some((field) => typeof body[field] === 'string' && body[field] !== '')) {
      return invalidRequest('MISSING_REQUIRED_PARAMETER', `At least one of ${AT_LEAST_ONE_OF.join(', ')} is required.`);
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
