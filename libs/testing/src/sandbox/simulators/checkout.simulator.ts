import { createHash, randomBytes } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const SECRET_KEY = /^(?:Bearer (sk_(?:sbox_)?[a-z2-7]{26}[a-z2-7*#$=])|(sk_(?:test_)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))$/;
const CUSTOMER_ID = /^cus_[a-z2-7]{26}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

interface StoredCustomer {
  id: string;
  account: string;
  email: string;
  name?: string;
  phone?: { country_code?: string; number?: string };
  metadata?: Record<string, string>;
}

function customerId(): string {
  return `cus_${[...randomBytes(26)].map((byte) => BASE32[byte & 31]).join('')}`;
}

function requestId(): string {
  return randomBytes(16).toString('hex');
}

function empty(status: number): SandboxResponse {
  return { status, headers: { 'cko-request-id': requestId() }, body: '' };
}

function validationError(...codes: string[]): SandboxResponse {
  const id = requestId();
  return json(422, { request_id: id, error_type: 'request_invalid', error_codes: codes }, { 'cko-request-id': id });
}

function isStringRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checkout.com's Customers API as its reference describes it: secret key (Bearer on the current
 * platform, bare on the previous one; anything else 401 with an empty body), `POST /customers`
 * validated like `StoreCustomerRequest` (422 `{request_id, error_type, error_codes}`), 201 `{id}`,
 * and `GET /customers/{identifier}` by id or email (404 with an empty body when unknown).
 * `/customers` takes no idempotency key: a repeated create is a new create.
 */
export class CheckoutSimulator implements ProcessorSimulator {
  readonly name = 'checkout';
  private readonly customers = new Map<string, StoredCustomer>();

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const key = SECRET_KEY.exec(String(request.headers.authorization ?? ''));
    if (!key) return empty(401);
    const account = createHash('sha256').update(key[1] ?? key[2]).digest('hex').slice(0, 16);
    const [, collection, identifier, ...rest] = request.path.split('/');
    if (collection !== 'customers' || rest.length > 0) return empty(404);
    if (request.method === 'POST' && identifier === undefined) return this.create(account, request.body);
    if (request.method === 'GET' && identifier) return this.retrieve(account, decodeURIComponent(identifier));
    return empty(404);
  }

  private retrieve(account: string, identifier: string): SandboxResponse {
    const found = CUSTOMER_ID.test(identifier)
      ? this.customers.get(identifier)
      : [...this.customers.values()].find((customer) => customer.email.toLowerCase() === identifier.toLowerCase());
    if (!found || found.account !== account) return empty(404);
    return json(200, { id: found.id, email: found.email, name: found.name, phone: found.phone, metadata: found.metadata ?? {}, instruments: [] }, { 'cko-request-id': requestId() });
  }

  private create(account: string, rawBody: string): SandboxResponse {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return validationError('request_body_malformed');
    }
    if (!isStringRecord(body)) return validationError('request_body_malformed');
    const problems = this.validate(body);
    if (problems.length > 0) return validationError(...problems);
    const email = body.email as string;
    // Checkout.com documents the email as an identifier (`GET /customers/{email}`) but not its answer to a
    // second customer with the same email; the sandbox keeps emails unique and answers this 422.
    if ([...this.customers.values()].some((customer) => customer.account === account && customer.email.toLowerCase() === email.toLowerCase())) {
      return validationError('customer_email_already_exists');
    }
    const id = customerId();
    this.customers.set(id, {
      id,
      account,
      email,
      name: body.name as string | undefined,
      phone: body.phone as StoredCustomer['phone'],
      metadata: body.metadata as Record<string, string> | undefined,
    });
    return json(201, { id }, { 'cko-request-id': requestId() });
  }

  private validate(body: Record<string, unknown>): string[] {
    const problems: string[] = [];
    if (body.email === undefined || body.email === '') problems.push('email_required');
    else if (typeof body.email !== 'string' || body.email.length > 255 || !EMAIL.test(body.email)) problems.push('email_invalid');
    if (body.name !== undefined && (typeof body.name !== 'string' || body.name.length > 255)) problems.push('customer_name_invalid');
    if (body.phone !== undefined) {
      const phone = isStringRecord(body.phone) ? body.phone : {};
      const code = phone.country_code;
      if (code !== undefined && (typeof code !== 'string' || code.length < 1 || code.length > 7)) problems.push('phone_country_code_length_invalid');
      if (typeof phone.number !== 'string' || phone.number.length < 6 || phone.number.length > 25) problems.push('phone_number_length_invalid');
    }
    if (body.metadata !== undefined) {
      const entries = isStringRecord(body.metadata) ? Object.entries(body.metadata) : undefined;
      if (!entries || entries.length > 10 || entries.some(([key, value]) => key.length > 100 || String(value).length > 100)) {
        problems.push('metadata_invalid');
      }
    }
    return problems;
  }
}
