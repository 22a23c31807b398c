import { createHash } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const API_KEY = /^Bearer ((test|live)_[A-Za-z0-9]{30}|access_[A-Za-z0-9]{20,})$/;
const PARAMETERS = ['name', 'email', 'locale', 'metadata', 'testmode'] as const;
const LOCALES = new Set([
  'en_US', 'en_GB', 'nl_NL', 'nl_BE', 'fr_FR', 'fr_BE', 'de_DE', 'de_AT', 'de_CH', 'es_ES', 'ca_ES',
  'pt_PT', 'it_IT', 'nb_NO', 'sv_SE', 'fi_FI', 'da_DK', 'is_IS', 'hu_HU', 'pl_PL', 'lv_LV', 'lt_LT',
]);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HAL_JSON = 'application/hal+json; charset=utf-8';

/** Mollie takes international domains only in their Punycode form. */
function isPunycodeEmail(value: unknown): boolean {
  if (typeof value !== 'string' || !EMAIL.test(value)) return false;
  const domain = value.slice(value.lastIndexOf('@') + 1).toLowerCase();
  return domainToASCII(domain) === domain;
}

interface StoredResponse {
  requestHash: string;
  response?: SandboxResponse;
}

function problem(status: number, title: string, detail: string, field?: string): SandboxResponse {
  return {
    status,
    headers: { 'content-type': HAL_JSON },
    body: JSON.stringify({
      status,
      title,
      detail,
      ...(field !== undefined && { field }),
      _links: { documentation: { href: 'https://docs.mollie.com/overview/handling-errors', type: 'text/html' } },
    }),
  };
}

/**
 * Mollie's Create customer as documented: Bearer API key (`test_`/`live_`) or organization
 * access token (which alone may send `testmode`), JSON body checked like the API (unknown
 * parameters, email, locale, metadata ≤ 1 kB → 422 with `field`), 201 `application/hal+json`.
 * `Idempotency-Key`: the same key and body within 24 h replays the first answer with
 * `Idempotent-Replayed: true`; the same key with another body → 400; while the first is in
 * flight → 409. Mollie never deduplicates customers by their data.
 */
export class MollieSimulator implements ProcessorSimulator {
  readonly name = 'mollie';
  private readonly customers = new Map<string, { account: string; mode: 'test' | 'live'; body: Record<string, unknown> }>();
  private readonly idempotency = new Map<string, StoredResponse>();

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
    this.idempotency.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.method !== 'POST' || request.path !== '/v2/customers') return problem(404, 'Not Found', 'The resource does not exist.');
    const key = API_KEY.exec(String(request.headers.authorization ?? ''));
    if (!key) return problem(401, 'Unauthorized Request', 'Missing authentication, or failed to authenticate');
    const account = createHash('sha256').update(key[1]).digest('hex').slice(0, 16);
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    if (idempotencyKey === undefined) return this.create(account, key[2] as 'test' | 'live' | undefined, request.body);

    const scopedKey = `${account}:${idempotencyKey}`;
    const requestHash = createHash('sha256').update(`${request.path}\n${request.body}`).digest('hex');
    const stored = this.idempotency.get(scopedKey);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        return problem(400, 'Bad Request', 'The Idempotency-Key was already used for a request with other parameters or to another endpoint.');
      }
      if (!stored.response) return problem(409, 'Conflict', 'A request with this Idempotency-Key is still being processed.');
      return { ...stored.response, headers: { ...stored.response.headers, 'idempotent-replayed': 'true' } };
    }
    const entry: StoredResponse = { requestHash };
    this.idempotency.set(scopedKey, entry);
    entry.response = this.create(account, key[2] as 'test' | 'live' | undefined, request.body);
    return entry.response;
  }

  private create(account: string, keyMode: 'test' | 'live' | undefined, rawBody: string): SandboxResponse {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return problem(400, 'Bad Request', 'The request body is not valid JSON.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return problem(400, 'Bad Request', 'The request body must be a JSON object.');
    const params = body as Record<string, unknown>;
    const invalid = this.validate(params, keyMode);
    if (invalid) return invalid;
    const mode = keyMode ?? (params.testmode === true ? 'test' : 'live');
    const id = randomId('cst_', 10);
    this.customers.set(id, { account, mode, body: params });
    return {
      status: 201,
      headers: { 'content-type': HAL_JSON },
      body: JSON.stringify({
        resource: 'customer',
        id,
        mode,
        name: params.name ?? null,
        email: params.email ?? null,
        locale: params.locale ?? null,
        metadata: params.metadata ?? null,
        createdAt: new Date().toISOString(),
        _links: {
          self: { href: `https://api.mollie.com/v2/customers/${id}`, type: 'application/hal+json' },
          dashboard: { href: `https://my.mollie.com/dashboard/customers/${id}`, type: 'text/html' },
          documentation: { href: 'https://docs.mollie.com/reference/v2/customers-api/create-customer', type: 'text/html' },
        },
      }),
    };
  }

  private validate(params: Record<string, unknown>, keyMode: 'test' | 'live' | undefined): SandboxResponse | undefined {
    for (const name of Object.keys(params)) {
      const allowed = (PARAMETERS as readonly string[]).includes(name) && !(name === 'testmode' && keyMode !== undefined);
      if (!allowed) return problem(422, 'Unprocessable Entity', `Non-existent body parameter "${name}" for this API call. Did you mean: "name"?`, name);
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
