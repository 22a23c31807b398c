import { randomUUID } from 'node:crypto';
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

/**
 * Stax's `POST /customer` as its API reference describes it: a Bearer API key (a JWT), a JSON body
 * validated the Laravel way (422 with `{"<field>": ["<message>"]}`; a name or an email required;
 * the documented maximum lengths; the phone pattern /[0-9]{10,15}/), unknown fields ignored, and
 * the customer object answered with 200. Stax has no idempotency for customers and does not
 * deduplicate: every accepted call creates a customer.
 */
export class StaxSimulator implements ProcessorSimulator {
  readonly name = 'stax';
  private readonly customers = new Map<string, Record<string, unknown>>();

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.method !== 'POST' || request.path !== '/customer') return json(404, { error: 'Not Found' });
    if (!/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(String(request.headers.authorization ?? ''))) {
      return json(401, { error: 'Unauthorized' });
    }
    const params = parseParams(request.body);
    const errors = this.validate(params);
    if (Object.keys(errors).length > 0) return validationFailed(errors);

    const id = randomUUID();
    const now = timestamp();
    const customer = { id, ...params, cc_emails: params.cc_emails ?? null, options: params.options ?? null, created_at: now, updated_at: now, deleted_at: null };
    this.customers.set(id, customer);
    return json(200, customer);
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
