import { createHash, randomInt } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const STRING_FIELDS = ['email', 'first_name', 'last_name', 'phone', 'metadata'] as const;
/** `CustomerUpdate` (PaystackOSS/openapi): no email. Anything else is refused here, stricter than Paystack documents. */
const UPDATE_FIELDS = new Set(['first_name', 'last_name', 'phone', 'metadata']);
const CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

interface PaystackCustomer {
  id: number;
  customer_code: string;
  integration: number;
  domain: 'test' | 'live';
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

function paystackError(status: number, message: string, extra: Record<string, unknown> = {}): SandboxResponse {
  return json(status, { status: false, message, ...extra });
}

function validationError(message: string, nextStep: string): SandboxResponse {
  return paystackError(400, message, { meta: { nextStep }, type: 'validation_error' });
}

function customerCode(): string {
  return `CUS_${Array.from({ length: 15 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')}`;
}

function parseBody(request: SandboxRequest): Record<string, unknown> | undefined {
  const contentType = String(request.headers['content-type'] ?? '');
  try {
    if (contentType.startsWith('application/json')) {
      const body: unknown = JSON.parse(request.body);
      return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    }
    if (contentType.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(request.body));
  } catch {
    return undefined;
  }
  return undefined;
}

function parseMetadata(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return {};
  try {
    const metadata: unknown = JSON.parse(value as string);
    return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Paystack's customers as documented: Bearer secret key (`sk_test_…` / `sk_live_…`, `domain`
 * follows it), JSON or form bodies, `metadata` as a stringified JSON object, answers
 * `{status, message, data}`. A customer is one email per integration (case-insensitive):
 * creating a known email answers the existing customer, unchanged (third-party evidence only).
 * Paystack takes no idempotency key for customers. Fetch by code or email
 * (`GET /customer/{email_or_code}`), update by code (`PUT /customer/{code}`: first_name,
 * last_name, phone, metadata — fields not sent kept, metadata replaced whole, an empty string
 * clears a name), and no delete.
 */
export class PaystackSimulator implements ProcessorSimulator {
  readonly name = 'paystack';
  private readonly customers = new Map<string, PaystackCustomer>();
  private nextId = 95_485_991;

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const path = request.path.split('?')[0];
    const segment = /^\/customer\/([^/]+)$/.exec(path)?.[1];
    const route = `${request.method} ${segment === undefined ? path : '/customer/{email_or_code}'}`;
    if (!['POST /customer', 'GET /customer/{email_or_code}', 'PUT /customer/{email_or_code}'].includes(route)) return paystackError(404, 'Not found');
    const authorization = request.headers.authorization;
    if (authorization === undefined || authorization === '') return paystackError(401, 'No Authorization Header was found');
    const key = /^Bearer sk_(test|live)_[A-Za-z0-9]{8,}$/.exec(String(authorization));
    if (!key) return paystackError(401, 'Invalid key');
    const integration = Number.parseInt(createHash('sha256').update(key[0]).digest('hex').slice(0, 6), 16);

    if (route === 'GET /customer/{email_or_code}') {
      const customer = this.find(integration, decodeURIComponent(segment!));
      return customer ? this.answer(customer, 'Customer retrieved') : paystackError(404, 'Customer not found');
    }
    const body = parseBody(request);
    if (!body) return validationError('Invalid request body', 'Send a JSON object or a form-encoded body');
    for (const field of STRING_FIELDS) {
      if (body[field] !== undefined && typeof body[field] !== 'string') return validationError(`${field} must be a string`, `Pass ${field} as a string`);
    }
    if (route === 'PUT /customer/{email_or_code}') return this.update(integration, decodeURIComponent(segment!), body);

    const email = body.email as string | undefined;
    if (email === undefined || email.trim() === '') return validationError('Email is required', 'Provide an email address for the customer');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return validationError('Invalid Email Address Passed', 'Provide a valid email address');
    const metadata = parseMetadata(body.metadata);
    if (!metadata) return validationError('Invalid metadata', 'Pass metadata as a stringified JSON object');

    const scopedEmail = `${integration}:${email.toLowerCase()}`;
    const existing = this.customers.get(scopedEmail);
    if (existing) return this.answer(existing, 'Customer created');

    const now = new Date().toISOString();
    const customer: PaystackCustomer = {
      id: this.nextId++,
      customer_code: customerCode(),
      integration,
      domain: key[1] as 'test' | 'live',
      email: email.toLowerCase(),
      first_name: (body.first_name as string | undefined) ?? null,
      last_name: (body.last_name as string | undefined) ?? null,
      phone: (body.phone as string | undefined) ?? null,
      metadata,
      createdAt: now,
      updatedAt: now,
    };
    this.customers.set(scopedEmail, customer);
    return this.answer(customer, 'Customer created');
  }

  /** A customer of this integration by its code, or by its email (case-insensitive). */
  private find(integration: number, emailOrCode: string): PaystackCustomer | undefined {
    return this.customers.get(`${integration}:${emailOrCode.toLowerCase()}`) ?? this.byCode(integration, emailOrCode);
  }

  private byCode(integration: number, code: string): PaystackCustomer | undefined {
    return [...this.customers.values()].find((customer) => customer.integration === integration && customer.customer_code === code);
  }

  private update(integration: number, code: string, body: Record<string, unknown>): SandboxResponse {
    const customer = this.byCode(integration, code);
    if (!customer) return paystackError(404, 'Customer not found');
    for (const field of Object.keys(body)) {
      if (!UPDATE_FIELDS.has(field)) return validationError(`${field} cannot be updated`, 'Update first_name, last_name, phone or metadata');
    }
    if (body.metadata !== undefined) {
      const metadata = parseMetadata(body.metadata);
      if (!metadata) return validationError('Invalid metadata', 'Pass metadata as a stringified JSON object');
      customer.metadata = metadata;
    }
    for (const field of ['first_name', 'last_name', 'phone'] as const) {
      if (body[field] !== undefined) customer[field] = body[field] === '' ? null : (body[field] as string);
    }
    customer.updatedAt = new Date().toISOString();
    return this.answer(customer, 'Customer updated');
  }

  private answer(customer: PaystackCustomer, message: string): SandboxResponse {
    // A fetch also answers the customer's totals and dedicated accounts (CustomerFetchResponse).
    const fetched = message === 'Customer retrieved' && {
      created_at: customer.createdAt,
      updated_at: customer.updatedAt,
      total_transactions: 0,
      total_transaction_value: [],
      dedicated_account: null,
      dedicated_accounts: [],
    };
    return json(200, {
      status: true,
      message,
      data: { transactions: [], subscriptions: [], authorizations: [], ...customer, ...fetched, risk_action: 'default', identified: false, identifications: null },
    });
  }
}
