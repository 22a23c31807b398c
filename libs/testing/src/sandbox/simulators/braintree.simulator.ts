import { createHash } from 'node:crypto';
import { json, randomId, type SandboxRequest, type SandboxResponse } from '../sandbox-http';
import type { ProcessorSimulator } from './processor-simulator';

/** `CustomerInput` at schema revision 2025-02-12; anything else fails GraphQL input coercion. */
const CUSTOMER_INPUT_FIELDS = new Set(['company', 'customFields', 'email', 'firstName', 'lastName', 'phoneNumber', 'fax', 'website', 'taxIdentifiers']);
const CREATE_CUSTOMER_INPUT_FIELDS = new Set(['clientMutationId', 'customer']);

/** Customer validation errors for over-long values: every one of these fields holds 255 characters. */
const TOO_LONG: readonly [field: string, legacyCode: string, message: string][] = [
  ['company', '81601', 'Company is too long.'],
  ['email', '81605', 'Email is too long.'],
  ['fax', '81607', 'Fax is too long.'],
  ['firstName', '81608', 'First name is too long.'],
  ['lastName', '81613', 'Last name is too long.'],
  ['phoneNumber', '81614', 'Phone is too long.'],
  ['website', '81615', 'Website is too long.'],
];
const MAX_FIELD_LENGTH = 255;

const CREATE_CUSTOMER_MUTATION = /\bmutation\b[\s\S]*\bcreateCustomer\s*\(\s*input\s*:\s*\$input\s*\)/;
const SELECTS_CUSTOMER_ID = /\bcustomer\s*\{[^}]*\bid\b/;
const UPDATE_CUSTOMER_MUTATION = /\bmutation\b[\s\S]*\bupdateCustomer\s*\(\s*input\s*:\s*\$input\s*\)/;
const DELETE_CUSTOMER_MUTATION = /\bmutation\b[\s\S]*\bdeleteCustomer\s*\(\s*input\s*:\s*\$input\s*\)/;
const NODE_QUERY = /\bnode\s*\(\s*id\s*:\s*\$id\s*\)\s*\{[\s\S]*\.\.\.\s*on\s+Customer\s*\{([^}]*)\}/;
const VIEWER_QUERY = /\bviewer\s*\{\s*merchant\s*\{[^}]*\bid\b/;
const UPDATE_CUSTOMER_INPUT_FIELDS = new Set(['clientMutationId', 'customerId', 'customer']);
const DELETE_CUSTOMER_INPUT_FIELDS = new Set(['clientMutationId', 'customerId']);
/** `Customer` fields this sandbox answers when selected. */
const CUSTOMER_FIELDS = ['id', 'legacyId', 'company', 'email', 'firstName', 'lastName', 'phoneNumber', 'fax', 'website'] as const;

interface GraphQLError {
  message: string;
  extensions: { errorClass: string; legacyCode?: string; inputPath?: string[] };
}

interface StoredCustomer {
  merchantId: string;
  legacyId: string;
  fields: Record<string, string>;
}

function graphQLErrors(status: number, errors: GraphQLError[], field = 'createCustomer'): SandboxResponse {
  return json(status, { data: { [field]: null }, errors, extensions: { requestId: randomId('req-') } });
}

/** A GraphQL answer carrying `data`: HTTP 200 with Braintree's request id in `extensions`. */
function graphQLData(data: Record<string, unknown>): SandboxResponse {
  return json(200, { data, extensions: { requestId: randomId('req-') } });
}

/** A customer's GraphQL id: base64 of `customer_<legacyId>`. */
const graphQLId = (legacyId: string) => Buffer.from(`customer_${legacyId}`).toString('base64');

function validationError(message: string, inputPath?: string[], legacyCode?: string): GraphQLError {
  return { message, extensions: { errorClass: 'VALIDATION', ...(legacyCode && { legacyCode }), ...(inputPath && { inputPath }) } };
}

const NOT_FOUND_ERROR: GraphQLError = { message: 'An object with this ID was not found.', extensions: { errorClass: 'NOT_FOUND' } };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPastOrTodayDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && date.getTime() <= Date.now();
}

/** The merchant a key pair belongs to, when no test assigned one: stable per public key, Braintree's id shape. */
function derivedMerchantId(publicKey: string): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}

const selected = (selection: string) => CUSTOMER_FIELDS.filter((field) => new RegExp(`\\b${field}\\b`).test(selection));

/**
 * Braintree's GraphQL customer API as documented (schema.graphql, braintree/graphql-api):
 * `POST /graphql`, HTTP Basic with an API key pair (16-character public key, 32-hex private key),
 * a `Braintree-Version` date required (426 UNSUPPORTED_CLIENT otherwise: inferred, see the
 * connector's claims), JSON `{query, variables}`. Served: `createCustomer`, `node(id:)` with a
 * Customer fragment, `updateCustomer` (omitted fields kept, null clears), `deleteCustomer` and
 * `viewer { merchant { id } }`. `CustomerInput` is coerced (unknown fields refused) and validated
 * with Braintree's customer codes (81601–81616 too long / email format; 91602 for custom fields,
 * none of which this sandbox account has set up); errors come back with HTTP 200 in `errors[]`
 * with `errorClass`, `legacyCode` and `inputPath`; an id this merchant does not hold (or no longer
 * holds) is NOT_FOUND. Customers belong to the merchant of the key pair, so a rotated key
 * (`assignKey`) still reaches them. Success returns the GraphQL id (base64 of
 * `customer_<legacyId>`) and the legacy id. Braintree has no idempotency for these mutations and
 * no duplicate detection: every accepted create makes a customer, `clientMutationId` is only echoed.
 */
export class BraintreeSimulator implements ProcessorSimulator {
  readonly name = 'braintree';
  private readonly customers = new Map<string, StoredCustomer>();
  private readonly merchants = new Map<string, string>();

  customerCount(): number {
    return this.customers.size;
  }

  /** Gives a public key to a merchant, as generating a new API key in the Control Panel does. */
  assignKey(publicKey: string, merchantId: string): void {
    this.merchants.set(publicKey, merchantId);
  }

  merchantOf(publicKey: string): string {
    return this.merchants.get(publicKey) ?? derivedMerchantId(publicKey);
  }

  isAccountLookup(request: SandboxRequest): boolean {
    return request.method === 'POST' && VIEWER_QUERY.test(request.body);
  }

  reset(): void {
    this.customers.clear();
    this.merchants.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.method !== 'POST' || request.path !== '/graphql') {
      return json(404, { errors: [{ message: 'Not Found', extensions: { errorClass: 'NOT_FOUND' } }] });
    }
    const publicKey = this.authenticatedKey(String(request.headers.authorization ?? ''));
    if (!publicKey) return graphQLErrors(401, [{ message: 'Authentication credentials are invalid.', extensions: { errorClass: 'AUTHENTICATION' } }]);
    if (!isPastOrTodayDate(String(request.headers['braintree-version'] ?? ''))) {
      return graphQLErrors(426, [{ message: 'A valid Braintree-Version header (YYYY-MM-DD) is required.', extensions: { errorClass: 'UNSUPPORTED_CLIENT' } }]);
    }
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return graphQLErrors(400, [validationError('Content-Type must be application/json.')]);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(request.body);
    } catch {
      return graphQLErrors(400, [validationError('The request body is not valid JSON.')]);
    }
    if (!isObject(payload) || typeof payload.query !== 'string') return graphQLErrors(400, [validationError('A GraphQL query string is required.')]);
    const merchantId = this.merchantOf(publicKey);
    const variables = isObject(payload.variables) ? payload.variables : {};
    const query = payload.query;
    if (CREATE_CUSTOMER_MUTATION.test(query) && SELECTS_CUSTOMER_ID.test(query)) return this.create(merchantId, variables.input);
    if (UPDATE_CUSTOMER_MUTATION.test(query)) return this.update(merchantId, query, variables.input);
    if (DELETE_CUSTOMER_MUTATION.test(query)) return this.delete(merchantId, variables.input);
    const node = NODE_QUERY.exec(query);
    if (node) return this.node(merchantId, node[1], variables.id);
    if (VIEWER_QUERY.test(query)) return graphQLData({ viewer: { merchant: { id: merchantId } } });
    return graphQLErrors(200, [
      validationError('This sandbox serves createCustomer(input: $input) { customer { id … } }, updateCustomer, deleteCustomer, node(id: $id) { ... on Customer { … } } and viewer { merchant { id } } only.'),
    ]);
  }

  private authenticatedKey(authorization: string): string | undefined {
    const basic = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(authorization);
    if (!basic) return undefined;
    const [publicKey, privateKey, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return rest.length === 0 && /^[a-z0-9]{16}$/.test(publicKey ?? '') && /^[a-f0-9]{32}$/.test(privateKey ?? '') ? publicKey : undefined;
  }

  /** `CreateCustomerInput`: known fields, a clientMutationId within 255, a valid CustomerInput. */
  private validateCreate(input: unknown): GraphQLError[] {
    if (input === undefined || input === null) return [];
    if (!isObject(input)) return [validationError("Variable 'input' has an invalid value: expected an object.", ['input'])];
    return [...this.inputFieldProblems(input, CREATE_CUSTOMER_INPUT_FIELDS), ...this.customerInputProblems(input.customer)];
  }

  private inputFieldProblems(input: Record<string, unknown>, allowed: ReadonlySet<string>): GraphQLError[] {
    const errors: GraphQLError[] = [];
    for (const key of Object.keys(input)) {
      if (!allowed.has(key)) errors.push(validationError(`Variable 'input' has an invalid value: unknown field '${key}'.`, ['input', key]));
    }
    if (input.clientMutationId !== undefined && input.clientMutationId !== null) {
      if (typeof input.clientMutationId !== 'string') errors.push(validationError("Variable 'input' has an invalid value: clientMutationId must be a String.", ['input', 'clientMutationId']));
      else if (input.clientMutationId.length > MAX_FIELD_LENGTH) errors.push(validationError('Client mutation ID is too long.', ['input', 'clientMutationId']));
    }
    return errors;
  }

  private customerInputProblems(customer: unknown): GraphQLError[] {
    if (customer === undefined || customer === null) return [];
    if (!isObject(customer)) return [validationError("Variable 'input' has an invalid value: customer must be an object.", ['input', 'customer'])];
    const errors: GraphQLError[] = [];
    for (const [key, value] of Object.entries(customer)) {
      const path = ['input', 'customer', key];
      if (!CUSTOMER_INPUT_FIELDS.has(key)) errors.push(validationError(`Variable 'input' has an invalid value: unknown field '${key}' on CustomerInput.`, path));
      else if (key === 'customFields') errors.push(validationError('Custom field is invalid.', path, '91602'));
      else if (key !== 'taxIdentifiers' && value !== null && typeof value !== 'string') errors.push(validationError(`Variable 'input' has an invalid value: ${key} must be a String.`, path));
    }
    for (const [field, legacyCode, message] of TOO_LONG) {
      const value = customer[field];
      if (typeof value === 'string' && [...value].length > MAX_FIELD_LENGTH) errors.push(validationError(message, ['input', 'customer', field], legacyCode));
    }
    const email = customer.email;
    if (typeof email === 'string' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      errors.push(validationError('Email is an invalid format.', ['input', 'customer', 'email'], '81604'));
    }
    return errors;
  }

  /** The stored customer a GraphQL id names, when this merchant holds it. */
  private customerOf(merchantId: string, id: unknown): StoredCustomer | undefined {
    if (typeof id !== 'string') return undefined;
    const legacyId = /^customer_(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'))?.[1];
    const customer = legacyId === undefined ? undefined : this.customers.get(legacyId);
    return customer?.merchantId === merchantId ? customer : undefined;
  }

  private create(merchantId: string, input: unknown): SandboxResponse {
    const problems = this.validateCreate(input);
    if (problems.length > 0) return graphQLErrors(200, problems);
    const fields = isObject(input) ? input : {};
    let legacyId: string;
    do legacyId = String(100_000_000 + Math.floor(Math.random() * 900_000_000));
    while (this.customers.has(legacyId));
    const given = isObject(fields.customer) ? fields.customer : {};
    const stored: Record<string, string> = {};
    for (const [key, value] of Object.entries(given)) if (typeof value === 'string') stored[key] = value;
    this.customers.set(legacyId, { merchantId, legacyId, fields: stored });
    return graphQLData({ createCustomer: { clientMutationId: fields.clientMutationId ?? null, customer: { id: graphQLId(legacyId), legacyId } } });
  }

  private answerOf(customer: StoredCustomer, selection: string): Record<string, unknown> {
    const values: Record<string, string> = { ...customer.fields, id: graphQLId(customer.legacyId), legacyId: customer.legacyId };
    return Object.fromEntries(selected(selection).map((field) => [field, values[field] ?? null]));
  }

  private node(merchantId: string, selection: string, id: unknown): SandboxResponse {
    const customer = this.customerOf(merchantId, id);
    if (!customer) return graphQLErrors(200, [NOT_FOUND_ERROR], 'node');
    return graphQLData({ node: this.answerOf(customer, selection) });
  }

  private update(merchantId: string, query: string, input: unknown): SandboxResponse {
    if (!isObject(input)) return graphQLErrors(200, [validationError("Variable 'input' has an invalid value: expected an object.", ['input'])], 'updateCustomer');
    const problems = [...this.inputFieldProblems(input, UPDATE_CUSTOMER_INPUT_FIELDS), ...this.customerInputProblems(input.customer)];
    if (problems.length > 0) return graphQLErrors(200, problems, 'updateCustomer');
    const customer = this.customerOf(merchantId, input.customerId);
    if (!customer) return graphQLErrors(200, [NOT_FOUND_ERROR], 'updateCustomer');
    for (const [key, value] of Object.entries(isObject(input.customer) ? input.customer : {})) {
      if (value === null) delete customer.fields[key];
      else if (typeof value === 'string') customer.fields[key] = value;
    }
    const selection = /\bcustomer\s*\{([^}]*)\}/.exec(query.slice(query.indexOf('updateCustomer')))?.[1] ?? '';
    return graphQLData({ updateCustomer: { clientMutationId: input.clientMutationId ?? null, customer: this.answerOf(customer, selection) } });
  }

  private delete(merchantId: string, input: unknown): SandboxResponse {
    if (!isObject(input)) return graphQLErrors(200, [validationError("Variable 'input' has an invalid value: expected an object.", ['input'])], 'deleteCustomer');
    const problems = this.inputFieldProblems(input, DELETE_CUSTOMER_INPUT_FIELDS);
    if (problems.length > 0) return graphQLErrors(200, problems, 'deleteCustomer');
    const customer = this.customerOf(merchantId, input.customerId);
    if (!customer) return graphQLErrors(200, [NOT_FOUND_ERROR], 'deleteCustomer');
    this.customers.delete(customer.legacyId);
    return graphQLData({ deleteCustomer: { clientMutationId: input.clientMutationId ?? null } });
  }
}
