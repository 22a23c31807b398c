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

interface GraphQLError {
  message: string;
  extensions: { errorClass: string; legacyCode?: string; inputPath?: string[] };
}

function graphQLErrors(status: number, errors: GraphQLError[]): SandboxResponse {
  return json(status, { data: { createCustomer: null }, errors, extensions: { requestId: randomId('req-') } });
}

function validationError(message: string, inputPath?: string[], legacyCode?: string): GraphQLError {
  return { message, extensions: { errorClass: 'VALIDATION', ...(legacyCode && { legacyCode }), ...(inputPath && { inputPath }) } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPastOrTodayDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) && date.getTime() <= Date.now();
}

/**
 * Braintree's GraphQL `createCustomer` as documented: `POST /graphql`, HTTP Basic with an API key
 * pair (16-character public key, 32-hex private key), a `Braintree-Version` date required, JSON
 * `{query, variables}`. `CustomerInput` is coerced (unknown fields refused) and validated with
 * Braintree's customer codes (81601–81616 too long / email format; 91602 for custom fields, none of
 * which this sandbox account has set up); validation errors come back with HTTP 200 in `errors[]`
 * with `errorClass`, `legacyCode` and `inputPath`. Success returns the GraphQL id (base64 of
 * `customer_<legacyId>`) and the legacy id. Braintree has no idempotency for this mutation and no
 * duplicate detection: every accepted call creates a customer, `clientMutationId` is only echoed.
 */
export class BraintreeSimulator implements ProcessorSimulator {
  readonly name = 'braintree';
  private readonly customers = new Map<string, { account: string; legacyId: string; input: Record<string, unknown> }>();

  customerCount(): number {
    return this.customers.size;
  }

  reset(): void {
    this.customers.clear();
  }

  async handle(request: SandboxRequest): Promise<SandboxResponse> {
    if (request.method !== 'POST' || request.path !== '/graphql') {
      return json(404, { errors: [{ message: 'Not Found', extensions: { errorClass: 'NOT_FOUND' } }] });
    }
    const account = this.authenticatedAccount(String(request.headers.authorization ?? ''));
    if (!account) return graphQLErrors(401, [{ message: 'Authentication credentials are invalid.', extensions: { errorClass: 'AUTHENTICATION' } }]);
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
    if (!CREATE_CUSTOMER_MUTATION.test(payload.query) || !SELECTS_CUSTOMER_ID.test(payload.query)) {
      return graphQLErrors(200, [validationError('This sandbox serves `createCustomer(input: $input) { customer { id … } }` only.')]);
    }
    const input = isObject(payload.variables) ? payload.variables.input : undefined;
    const problems = this.validate(input);
    if (problems.length > 0) return graphQLErrors(200, problems);
    return this.create(account, isObject(input) ? input : {});
  }

  private authenticatedAccount(authorization: string): string | undefined {
    const basic = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(authorization);
    if (!basic) return undefined;
    const [publicKey, privateKey, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return rest.length === 0 && /^[a-z0-9]{16}$/.test(publicKey ?? '') && /^[a-f0-9]{32}$/.test(privateKey ?? '') ? publicKey : undefined;
  }

  private validate(input: unknown): GraphQLError[] {
    if (input === undefined || input === null) return [];
    if (!isObject(input)) return [validationError("Variable 'input' has an invalid value: expected an object.", ['input'])];
    const errors: GraphQLError[] = [];
    for (const key of Object.keys(input)) {
      if (!CREATE_CUSTOMER_INPUT_FIELDS.has(key)) errors.push(validationError(`Variable 'input' has an invalid value: unknown field '${key}'.`, ['input', key]));
    }
    if (input.clientMutationId !== undefined && input.clientMutationId !== null) {
      if (typeof input.clientMutationId !== 'string') errors.push(validationError("Variable 'input' has an invalid value: clientMutationId must be a String.", ['input', 'clientMutationId']));
      else if (input.clientMutationId.length > MAX_FIELD_LENGTH) errors.push(validationError('Client mutation ID is too long.', ['input', 'clientMutationId']));
    }
    const customer = input.customer;
    if (customer === undefined || customer === null) return errors;
    if (!isObject(customer)) return [...errors, validationError("Variable 'input' has an invalid value: customer must be an object.", ['input', 'customer'])];
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

  private create(account: string, input: Record<string, unknown>): SandboxResponse {
    let legacyId: string;
    do legacyId = String(100_000_000 + Math.floor(Math.random() * 900_000_000));
    while (this.customers.has(legacyId));
    this.customers.set(legacyId, { account, legacyId, input });
    const id = Buffer.from(`customer_${legacyId}`).toString('base64');
    return json(200, {
      data: { createCustomer: { clientMutationId: input.clientMutationId ?? null, customer: { id, legacyId } } },
      extensions: { requestId: randomId('req-') },
    });
  }
}
