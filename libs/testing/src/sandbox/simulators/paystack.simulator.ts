import { createHash, randomInt } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const STRING_FIELDS = ['email', 'first_name', 'last_name', 'phone', 'metadata'] as const;
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

/**
 * Paystack's `POST /customer` as documented: Bearer secret key (`sk_test_…` / `sk_live_…`,
 * `domain` follows it), a JSON or form body with a required email and `metadata` as a
 * stringified JSON object, answers `{status, message, data}`. A customer is one email per
 * integration (case-insensitive): creating a known email answers the existing customer,
 * unchanged. Paystack takes no idempotency key for customers.
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
    if (request.method !== 'POST' || request.path !== '/customer') return paystackError(404, 'Not found');
    const authorization = request.headers.authorization;
    if (authorization === undefined || authorization === '') return paystackError(401, 'No Authorization Header was found');
    const key = /^Bearer sk_(test|live)_[A-Za-z0-9]{8,}$/.exec(String(authorization));
    if (!key) return paystackError(401, 'Invalid key');

    const body = parseBody(request);
    if (!body) return validationError('Invalid request body', 'Send a JSON object or a form-encoded body');
    for (const field of STRING_FIELDS) {
      if (body[field] !== undefined && typeof body[field] !== 'string') return validationError(`${field} must be a string`, `Pass ${field} as a string`);
    }
    const email = body.email as string | undefined;
    if (email === undefined || email.trim() === '') return validationError('Email is required', 'Provide an email address for the customer');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return validationError('Invalid Email Address Passed', 'Provide a valid email address');
    let metadata: unknown = {};
    if (body.metadata !== undefined) {
      try {
        metadata = JSON.parse(body.metadata as string);
      } catch {
        metadata = undefined;
      }
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
        return validationError('Invalid metadata', 'Pass metadata as a stringified JSON object');
      }
    }

    const integration = Number.parseInt(createHash('sha256').update(key[0]).digest('hex').slice(0, 6), 16);
    const scopedEmail = `${integration}:${email.toLowerCase()}`;
    const existing = this.customers.get(scopedEmail);
    if (existing) return this.answer(existing);

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
      metadata: metadata as Record<string, unknown>,
      createdAt: now,
      updatedAt: now,
    };
    this.customers.set(scopedEmail, customer);
    return this.answer(customer);
  }

  private answer(customer: PaystackCustomer): SandboxResponse {
    return json(200, {
      status: true,
      message: 'Customer created',
      data: { transactions: [], subscriptions: [], authorizations: [], ...customer, risk_action: 'default', identified: false, identifications: null },
    });
  }
}
