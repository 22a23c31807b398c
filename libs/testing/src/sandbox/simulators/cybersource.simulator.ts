import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** A shared-secret key as the Business Center issues it: key id, the merchant it signs for, base64 secret. */
export interface CybersourceSandboxKey {
  keyId: string;
  merchantId: string;
  sharedSecret: string;
}

/** The keys this sandbox's "Business Center" has issued. */
export const CYBERSOURCE_SANDBOX_KEYS: readonly CybersourceSandboxKey[] = [
  { keyId: '6d75ffad-ed36-4a6d-85af-5609185494f4', merchantId: 'connector_service_sandbox', sharedSecret: 'c2FuZGJveC1zaGFyZWQtc2VjcmV0LWZvci10ZXN0cw==' },
];

const REQUIRED_SIGNED_HEADERS = ['host', 'date', 'request-target', 'digest', 'v-c-merchant-id'];
/** GET and DELETE have no body to digest (cybersource-rest-client-node HTTPSigToken.js). */
const REQUIRED_SIGNED_HEADERS_WITHOUT_BODY = ['host', 'date', 'request-target', 'v-c-merchant-id'];
const CUSTOMER_PATH = /^\/tms\/v2\/customers\/([^/]+)$/;
/** How far the Date header may be from the sandbox clock (Cybersource documents no figure). */
const DATE_TOLERANCE_MS = 5 * 60_000;

const TOP_LEVEL_FIELDS = new Set(['buyerInformation', 'clientReferenceInformation', 'objectInformation', 'merchantDefinedInformation', 'defaultPaymentInstrument', 'defaultShippingAddress']);
const MERCHANT_DEFINED_NAMES = new Set(['data1', 'data2', 'data3', 'data4', 'sensitive1', 'sensitive2', 'sensitive3', 'sensitive4']);
const STRING_LIMITS: readonly [string, string, number][] = [
  ['buyerInformation', 'merchantCustomerID', 100],
  ['buyerInformation', 'email', 255],
  ['objectInformation', 'title', 60],
  ['objectInformation', 'comment', 150],
  ['clientReferenceInformation', 'code', 50],
];

type Body = Record<string, unknown>;

const isObject = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);

function header(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function withCorrelationId(response: SandboxResponse): SandboxResponse {
  return { ...response, headers: { ...response.headers, 'v-c-correlation-id': randomUUID() } };
}

function authenticationFailed(): SandboxResponse {
  return json(401, { response: { rmsg: 'Authentication Failed' } });
}

function tmsError(status: number, type: string, message: string, fields: string[] = [], location = 'body'): SandboxResponse {
  const error = { type, message, ...(fields.length > 0 && { details: fields.map((name) => ({ name, location })) }) };
  return json(status, { errors: [error] });
}

/** `keyid="…", algorithm="…", headers="…", signature="…"` → its parameters. */
function signatureParameters(value: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const match of value.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) parameters[match[1].toLowerCase()] = match[2];
  return parameters;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

interface StoredCustomer {
  merchantId: string;
  body: Body;
  /** Bumped on every change: the ETag a GET answers and a PATCH's If-Match must name. */
  version: number;
}

/**
 * Cybersource TMS customers as documented (cybersource-rest-client-node docs/CustomerApi.md):
 * `POST /tms/v2/customers`, `GET`, `PATCH` and `DELETE /tms/v2/customers/{id}`. The gateway
 * verifies the HTTP Signature first — with a Digest of the body for POST and PATCH, without one
 * for GET and DELETE (a wrong key, merchant, digest, signature or stale Date is a 401
 * `{"response":{"rmsg":"Authentication Failed"}}`) — then TMS checks the JSON body
 * (`{"errors":[{type, message, details[{name, location}]}]}` 400s). Create answers 201 with a new
 * customer token; GET answers 200 with an ETag; PATCH (If-Match optional, a stale one 412
 * conflict) changes the objects it carries, each replaced whole; DELETE answers 204 with no body;
 * a customer another merchant holds, or none, is a 404 notFound. TMS takes no idempotency key and
 * never deduplicates: every valid create makes a customer, whatever its merchantCustomerID.
 */
export class CybersourceSimulator implements ProcessorSimulator {
  readonly name = 'cybersource';
  private readonly customers = new Map<string, StoredCustomer>();

  constructor(
    private readonly keys: readonly CybersourceSandboxKey[] = CYBERSOURCE_SANDBOX_KEYS,
    private readonly now: () => number = Date.now,
  ) {}

  customerCount(): number {
    return this.customers.size;
  }

  /** Customers created under this merchantCustomerID (TMS lets there be several). */
  customersFor(merchantCustomerId: string): string[] {
    return [...this.customers.entries()]
      .filter(([, customer]) => (customer.body.buyerInformation as Body | undefined)?.merchantCustomerID === merchantCustomerId)
      .map(([id]) => id);
  }

  reset(): void {
    this.customers.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    return withCorrelationId(this.answer(request));
  }

  private answer(request: SandboxRequest): SandboxResponse {
    const customerId = CUSTOMER_PATH.exec(request.path)?.[1];
    const served = (request.method === 'POST' && request.path === '/tms/v2/customers') || (customerId !== undefined && ['GET', 'PATCH', 'DELETE'].includes(request.method));
    if (!served) return tmsError(404, 'notFound', `The requested resource ${request.method} ${request.path} does not exist`);
    const key = this.authenticatedKey(request);
    if (!key) return authenticationFailed();
    if (customerId !== undefined) {
      const stored = this.customers.get(customerId);
      if (!stored || stored.merchantId !== key.merchantId) return tmsError(404, 'notFound', 'Token not found.');
      if (request.method === 'GET') return this.customerAnswer(200, customerId, stored);
      if (request.method === 'DELETE') {
        this.customers.delete(customerId);
        return { status: 204, headers: {}, body: '' };
      }
    }
    if (!String(header(request, 'content-type') ?? '').toLowerCase().startsWith('application/json')) {
      return tmsError(400, 'invalidHeaders', 'Invalid header values', ['Content-Type'], 'header');
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return tmsError(400, 'invalidFields', 'The request body is not valid JSON');
    }
    if (!isObject(body)) return tmsError(400, 'invalidFields', 'The request body must be a JSON object');
    const problem = this.bodyProblem(body);
    if (problem) return problem;
    if (customerId !== undefined) return this.patch(request, customerId, this.customers.get(customerId)!, body);
    return this.create(key.merchantId, body);
  }

  private etagOf(customerId: string, stored: StoredCustomer): string {
    return `"${createHash('sha256').update(`${customerId}:${stored.version}`).digest('hex').slice(0, 16)}"`;
  }

  private customerAnswer(status: number, customerId: string, stored: StoredCustomer, withEtag = true): SandboxResponse {
    const self = `/tms/v2/customers/${customerId}`;
    const response = json(status, {
      _links: { self: { href: self }, paymentInstruments: { href: `${self}/payment-instruments` }, shippingAddresses: { href: `${self}/shipping-addresses` } },
      id: customerId,
      ...stored.body,
      metadata: { creator: stored.merchantId },
    });
    return withEtag ? { ...response, headers: { ...response.headers, etag: this.etagOf(customerId, stored) } } : response;
  }

  /** Each object the PATCH carries replaces the stored one whole; an If-Match must name the current version. */
  private patch(request: SandboxRequest, customerId: string, stored: StoredCustomer, body: Body): SandboxResponse {
    const ifMatch = header(request, 'if-match');
    if (ifMatch !== undefined && ifMatch !== this.etagOf(customerId, stored)) {
      return tmsError(412, 'conflict', 'The customer was changed since the ETag was issued');
    }
    stored.body = { ...stored.body, ...body };
    stored.version += 1;
    return this.customerAnswer(200, customerId, stored);
  }

  /** The key that signed this request, or undefined when any part of the signature does not verify. */
  private authenticatedKey(request: SandboxRequest): CybersourceSandboxKey | undefined {
    const signatureHeader = header(request, 'signature');
    const merchantId = header(request, 'v-c-merchant-id');
    const date = header(request, 'date');
    const digest = header(request, 'digest');
    const withBody = request.method !== 'GET' && request.method !== 'DELETE';
    if (!signatureHeader || !merchantId || !date || (withBody && !digest) || !header(request, 'host')) return undefined;

    const parameters = signatureParameters(signatureHeader);
    const key = this.keys.find((candidate) => candidate.keyId === parameters.keyid);
    if (!key || key.merchantId !== merchantId || parameters.algorithm !== 'HmacSHA256' || !parameters.signature) return undefined;

    const signedHeaders = (parameters.headers ?? '').split(' ').filter(Boolean);
    if (!(withBody ? REQUIRED_SIGNED_HEADERS : REQUIRED_SIGNED_HEADERS_WITHOUT_BODY).every((name) => signedHeaders.includes(name))) return undefined;

    const sentAt = Date.parse(date);
    if (Number.isNaN(sentAt) || Math.abs(this.now() - sentAt) > DATE_TOLERANCE_MS) return undefined;
    if (withBody && digest !== `SHA-256=${createHash('sha256').update(request.body, 'utf8').digest('base64')}`) return undefined;

    const lines = signedHeaders.map((name) => {
      if (name === 'request-target') return `request-target: ${request.method.toLowerCase()} ${request.path}`;
      return `${name}: ${header(request, name) ?? ''}`;
    });
    const expected = createHmac('sha256', Buffer.from(key.sharedSecret, 'base64')).update(lines.join('\n'), 'utf8').digest('base64');
    return sameText(expected, parameters.signature) ? key : undefined;
  }

  private bodyProblem(body: Body): SandboxResponse | undefined {
    const unknown = Object.keys(body).filter((field) => !TOP_LEVEL_FIELDS.has(field));
    if (unknown.length > 0) return tmsError(400, 'invalidFields', 'Invalid values for the following fields', unknown);

    const invalid: string[] = [];
    for (const object of ['buyerInformation', 'clientReferenceInformation', 'objectInformation', 'defaultPaymentInstrument', 'defaultShippingAddress']) {
      if (body[object] !== undefined && !isObject(body[object])) invalid.push(object);
    }
    for (const [object, field, max] of STRING_LIMITS) {
      const value = (body[object] as Body | undefined)?.[field];
      if (value !== undefined && (typeof value !== 'string' || value.length > max)) invalid.push(`${object}.${field}`);
    }
    const email = (body.buyerInformation as Body | undefined)?.email;
    if (typeof email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) invalid.push('buyerInformation.email');

    const merchantDefined = body.merchantDefinedInformation;
    if (merchantDefined !== undefined) {
      if (!Array.isArray(merchantDefined)) {
        invalid.push('merchantDefinedInformation');
      } else {
        const names = new Set<string>();
        merchantDefined.forEach((entry: unknown, index) => {
          const name = isObject(entry) ? entry.name : undefined;
          const value = isObject(entry) ? entry.value : undefined;
          if (typeof name !== 'string' || !MERCHANT_DEFINED_NAMES.has(name) || names.has(name)) invalid.push(`merchantDefinedInformation[${index}].name`);
          if (typeof value !== 'string' || value.length > 100) invalid.push(`merchantDefinedInformation[${index}].value`);
          if (typeof name === 'string') names.add(name);
        });
      }
    }
    if (invalid.length > 0) return tmsError(400, 'invalidFields', 'Invalid values for the following fields', [...new Set(invalid)]);

    // A brand-new customer owns no payment instrument or shipping address to make its default.
    const references = ['defaultPaymentInstrument', 'defaultShippingAddress'].filter((field) => body[field] !== undefined).map((field) => `${field}.id`);
    if (references.length > 0) return tmsError(400, 'invalidFields', 'Invalid values for the following fields', references);
    return undefined;
  }

  private create(merchantId: string, body: Body): SandboxResponse {
    const id = randomBytes(16).toString('hex').toUpperCase();
    const stored = { merchantId, body, version: 1 };
    this.customers.set(id, stored);
    return this.customerAnswer(201, id, stored, false);
  }
}
