import { json, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

const KEY_ID = /^rzp_(test|live)_[A-Za-z0-9]{14}$/;
const PARAMETERS = new Set(['name', 'email', 'contact', 'fail_existing', 'gstin', 'notes']);
const EDIT_PARAMETERS = new Set(['name', 'email', 'contact']);
/** Alphanumeric with . ' / @ ( ) and spaces between words (API reference, Create a Customer); no - or _. */
const NAME_FORMAT = /^[\p{L}\p{M}\p{N}.)](?:[\p{L}\p{M}\p{N} '.()@/]*[\p{L}\p{M}\p{N}.)])?$/u;
const CUSTOMER_ID = /^cust_[A-Za-z0-9]{14}$/;
const MAX_COUNT = 100;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

interface StoredCustomer {
  id: string;
  account: string;
  name: string | null;
  email: string | null;
  contact: string | null;
  gstin: string | null;
  notes: Record<string, string>;
  created_at: number;
}

function razorpayError(status: number, description: string, details: { field?: string; reason?: string; source?: string; code?: string } = {}): SandboxResponse {
  const { field, reason = 'NA', source = 'NA', code = status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST_ERROR' } = details;
  return json(status, { error: { code, description, source, step: 'NA', reason, metadata: {}, ...(field !== undefined && { field }) } });
}

function invalid(field: string, description: string, reason = 'input_validation_failed'): SandboxResponse {
  return razorpayError(400, description, { field, reason, source: 'business' });
}

function basicCredentials(header: string): [string, string] | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? [decoded.slice(0, colon), decoded.slice(colon + 1)] : undefined;
}

/** The body's parameters, a JSON object holding only `known` ones, or Razorpay's refusal. */
function paramsOf(rawBody: string, known: ReadonlySet<string>): { params: Record<string, unknown> } | { refusal: SandboxResponse } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { refusal: razorpayError(400, 'The request body is not valid JSON.') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { refusal: razorpayError(400, 'The request body must be a JSON object.') };
  const unknownName = Object.keys(body).find((name) => !known.has(name));
  if (unknownName !== undefined) return { refusal: razorpayError(400, `${unknownName} is/are not required and should not be sent`, { field: unknownName }) };
  return { params: body as Record<string, unknown> };
}

function asResponse(customer: StoredCustomer): Record<string, unknown> {
  const { id, name, email, contact, gstin, notes, created_at } = customer;
  // Razorpay serializes an empty notes map as a JSON array.
  return { id, entity: 'customer', name, email, contact, gstin, notes: Object.keys(notes).length > 0 ? notes : [], created_at };
}

/**
 * Razorpay's Customers API as documented: Basic key_id:key_secret (401 otherwise). Create: JSON body
 * checked like the API (unknown parameters, name required, 3–50 and its characters, email ≤ 64,
 * contact ≤ 15 with ≥ 8 digits, notes ≤ 15 × 256, gstin) with `{error:{code, description, field,
 * source, step, reason, metadata}}`, 200 with the customer. Duplicates are matched on email and
 * contact together: with `fail_existing: "0"` the existing customer comes back (200), otherwise
 * (default `"1"`, or a numeric 0, which Razorpay does not honour) "Customer already exists for the
 * merchant". There is no idempotency key. Fetch `GET /v1/customers/{id}`, edit `PUT` (name, email,
 * contact), fetch all `GET /v1/customers?count&skip` (newest first here: Razorpay does not document
 * the order); an unknown id answers 400 "The id provided does not exist". No delete.
 */
export class RazorpaySimulator implements ProcessorSimulator {
  readonly name = 'razorpay';
  private readonly customers = new Map<string, StoredCustomer>();

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    const url = new URL(request.path, 'http://razorpay');
    const id = /^\/v1\/customers\/([^/]+)$/.exec(url.pathname)?.[1];
    const known = (request.method === 'POST' && url.pathname === '/v1/customers') || (request.method === 'GET' && url.pathname === '/v1/customers') || (id !== undefined && ['GET', 'PUT'].includes(request.method));
    if (!known) return razorpayError(404, 'The requested URL was not found on the server.');
    const credentials = basicCredentials(String(request.headers.authorization ?? ''));
    if (!credentials || !KEY_ID.test(credentials[0]) || credentials[1].length === 0) return razorpayError(401, 'Authentication failed');
    const account = credentials[0];
    if (id !== undefined) {
      if (!CUSTOMER_ID.test(id)) return razorpayError(400, 'id is not a valid id');
      const customer = this.customers.get(id);
      if (!customer || customer.account !== account) return razorpayError(400, 'The id provided does not exist');
      return request.method === 'GET' ? json(200, asResponse(customer)) : this.edit(customer, request.body);
    }
    if (request.method === 'GET') return this.list(account, url.searchParams);
    const parsed = paramsOf(request.body, PARAMETERS);
    if ('refusal' in parsed) return parsed.refusal;
    const { params } = parsed;
    const problem = this.validate(params);
    if (problem) return problem;

    const email = (params.email as string | undefined) ?? null;
    const contact = (params.contact as string | undefined) ?? null;
    const existing = [...this.customers.values()].find((c) => c.account === account && c.email === email && c.contact === contact);
    if (existing) {
      if (params.fail_existing === '0') return json(200, asResponse(existing));
      return razorpayError(400, 'Customer already exists for the merchant');
    }
    const customer: StoredCustomer = {
      id: randomId('cust_'),
      account,
      name: (params.name as string | undefined) ?? null,
      email,
      contact,
      gstin: (params.gstin as string | undefined) ?? null,
      notes: (params.notes as Record<string, string> | undefined) ?? {},
      created_at: Math.floor(Date.now() / 1000),
    };
    this.customers.set(customer.id, customer);
    return json(200, asResponse(customer));
  }

  private validateFields(params: Record<string, unknown>): SandboxResponse | undefined {
    const { name, email, contact } = params;
    if (name !== undefined) {
      if (typeof name !== 'string' || [...name].length < 3) return invalid('name', 'The name must be at least 3 characters.');
      if ([...name].length > 50) return invalid('name', 'The name may not be greater than 50 characters.');
      if (!NAME_FORMAT.test(name)) return invalid('name', 'The name format is invalid.');
    }
    if (email !== undefined && (typeof email !== 'string' || email.length > 64 || !EMAIL.test(email))) return invalid('email', 'The email must be a valid email address.');
    if (contact !== undefined) {
      if (typeof contact !== 'string' || !/^\+?\d+$/.test(contact)) return invalid('contact', 'Contact number contains invalid characters, only digits and + symbol are allowed.', 'invalid_contact_number');
      if (contact.replace('+', '').length < 8) return invalid('contact', 'Contact number should be at least 8 digits, including country code', 'invalid_contact_number');
      if (contact.length > 15) return invalid('contact', 'Contact number should not be greater than 15 characters, including country code', 'invalid_contact_number');
    }
    return undefined;
  }

  /** Newest first; `count` ≤ 100 (default 10), `skip`. */
  private list(account: string, query: URLSearchParams): SandboxResponse {
    const count = Number(query.get('count') ?? '10');
    const skip = Number(query.get('skip') ?? '0');
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) return invalid('count', `The count must be between 1 and ${MAX_COUNT}.`);
    if (!Number.isInteger(skip) || skip < 0) return invalid('skip', 'The skip must be at least 0.');
    const items = [...this.customers.values()].filter((c) => c.account === account).reverse().slice(skip, skip + count).map(asResponse);
    return json(200, { entity: 'collection', count: items.length, items });
  }

  private edit(customer: StoredCustomer, rawBody: string): SandboxResponse {
    const parsed = paramsOf(rawBody, EDIT_PARAMETERS);
    if ('refusal' in parsed) return parsed.refusal;
    const { params } = parsed;
    const problem = this.validateFields(params);
    if (problem) return problem;
    for (const field of ['name', 'email', 'contact'] as const) {
      if (params[field] !== undefined) customer[field] = params[field] as string;
    }
    return json(200, asResponse(customer));
  }

  private validate(params: Record<string, unknown>): SandboxResponse | undefined {
    const problem = this.validateFields(params);
    if (problem) return problem;
    const { gstin, notes, fail_existing: failExisting } = params;
    if (gstin !== undefined && (typeof gstin !== 'string' || !/^[A-Za-z0-9]{15}$/.test(gstin))) return invalid('gstin', 'The gstin field is invalid.');
    if (failExisting !== undefined && failExisting !== '0' && failExisting !== '1' && failExisting !== 0 && failExisting !== 1) {
      return invalid('fail_existing', 'The selected fail existing is invalid.');
    }
    if (notes !== undefined) {
      if (typeof notes !== 'object' || notes === null || Array.isArray(notes)) return invalid('notes', 'The notes must be an array.');
      const entries = Object.entries(notes);
      if (entries.length > 15) return invalid('notes', 'Notes should not have more than 15 keys.');
      if (entries.some(([, value]) => String(value).length > 256)) return invalid('notes', 'Notes value cannot be greater than 256 characters.');
    }
    // Razorpay does not document the order of its checks; the required name is checked last here.
    if (params.name === undefined) return invalid('name', 'The name field is required.');
    return undefined;
  }
}
