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

/** The JSON object a create or update carries, or the 422 Checkout.com answers instead. */
function objectBody(rawBody: string): { body: Record<string, unknown> } | { refusal: SandboxResponse } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { refusal: validationError('request_body_malformed') };
  }
  return isStringRecord(body) ? { body } : { refusal: validationError('request_body_malformed') };
}

export interface CheckoutSimulatorOptions {
  /**
   * Refuse a second customer with an email the account already holds (422
   * `customer_email_already_exists`, a code of this sandbox's own: Checkout.com documents neither the
   * uniqueness nor its answer). `false` plays the other possibility: duplicates allowed, and the
   * email lookup answers the oldest of them.
   */
  uniqueEmails?: boolean;
}

/**
 * Checkout.com's Customers API as its reference describes it: secret key (Bearer on the current
 * platform, bare on the previous one; anything else 401 with an empty body), `POST /customers`
 * validated like `StoreCustomerRequest` (422 `{request_id, error_type, error_codes}`), 201 `{id}`,
 * `GET /customers/{identifier}` by id or email (404 with an empty body when unknown),
 * `PATCH /customers/{id}` (`UpdateCustomerDetailsRequest`: the fields given replace the stored ones,
 * metadata whole; 204) and `DELETE /customers/{id}` (204; 404 when unknown).
 * `/customers` takes no idempotency key: a repeated create is a new create.
 */
export class CheckoutSimulator implements ProcessorSimulator {
  readonly name = 'checkout';
  private readonly customers = new Map<string, StoredCustomer>();
  /** See `CheckoutSimulatorOptions.uniqueEmails`; `reset()` restores the constructor's choice. */
  uniqueEmails: boolean;

  constructor(private readonly options: CheckoutSimulatorOptions = {}) {
    this.uniqueEmails = options.uniqueEmails ?? true;
  }

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
    this.uniqueEmails = this.options.uniqueEmails ?? true;
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const key = SECRET_KEY.exec(String(request.headers.authorization ?? ''));
    if (!key) return empty(401);
    const account = createHash('sha256').update(key[1] ?? key[2]).digest('hex').slice(0, 16);
    const [, collection, identifier, ...rest] = request.path.split('/');
    if (collection !== 'customers' || rest.length > 0) return empty(404);
    if (request.method === 'POST' && identifier === undefined) return this.create(account, request.body);
    if (request.method === 'GET' && identifier) return this.retrieve(account, decodeURIComponent(identifier));
    if (request.method === 'PATCH' && identifier) return this.update(account, identifier, request.body);
    if (request.method === 'DELETE' && identifier) {
      if (!this.owned(account, identifier)) return empty(404);
      this.customers.delete(identifier);
      return empty(204);
    }
    return empty(404);
  }

  private update(account: string, id: string, rawBody: string): SandboxResponse {
    const found = this.owned(account, id);
    if (!found) return empty(404);
    const parsed = objectBody(rawBody);
    if ('refusal' in parsed) return parsed.refusal;
    const { body } = parsed;
    const problems = this.validate({ email: found.email, ...body });
    if (problems.length > 0) return validationError(...problems);
    if (typeof body.email === 'string' && this.uniqueEmails && this.holder(account, body.email, id)) return validationError('customer_email_already_exists');
    if (body.email !== undefined) found.email = body.email as string;
    if (body.name !== undefined) found.name = body.name as string;
    if (body.phone !== undefined) found.phone = body.phone as StoredCustomer['phone'];
    if (body.metadata !== undefined) found.metadata = body.metadata as Record<string, string>;
    return empty(204);
  }

  /** The customer with this id, when the account holds it: other accounts' customers are not found. */
  private owned(account: string, id: string): StoredCustomer | undefined {
    const found = this.customers.get(id);
    return found?.account === account ? found : undefined;
  }

  /** The oldest customer of the account with this email, other than `except`. */
  private holder(account: string, email: string, except?: string): StoredCustomer | undefined {
    return [...this.customers.values()].find((customer) => customer.account === account && customer.id !== except && customer.email.toLowerCase() === email.toLowerCase());
  }

  private retrieve(account: string, identifier: string): SandboxResponse {
    const found = CUSTOMER_ID.test(identifier) ? this.owned(account, identifier) : this.holder(account, identifier);
    if (!found) return empty(404);
    return json(200, { id: found.id, email: found.email, name: found.name, phone: found.phone, metadata: found.metadata ?? {}, instruments: [] }, { 'cko-request-id': requestId() });
  }

  private create(account: string, rawBody: string): SandboxResponse {
    const parsed = objectBody(rawBody);
    if ('refusal' in parsed) return parsed.refusal;
    const { body } = parsed;
    const problems = this.validate(body);
    if (problems.length > 0) return validationError(...problems);
    const email = body.email as string;
    // Checkout.com documents the email as an identifier (`GET /customers/{email}`) but not its answer to a
    // second customer with the same email; by default the sandbox keeps emails unique and answers this 422.
    if (this.uniqueEmails && this.holder(account, email)) return validationError('customer_email_already_exists');
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
