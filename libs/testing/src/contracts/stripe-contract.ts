import Ajv, { type ErrorObject } from 'ajv';
import { parse } from 'qs';
import operation from '../../contracts/stripe/PostCustomers.2026-07-29.dahlia.operation.json';

type Schema = Record<string, unknown>;

/** OpenAPI 3.0 → JSON Schema for ajv: `nullable` becomes a null type, `x-*` keys go. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-') || key === 'nullable' || key === 'description') continue;
    schema[key] = toJsonSchema(value);
  }
  if ((node as Schema).nullable === true && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  return schema;
}

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: true, validateFormats: false });
const validate = ajv.compile(toJsonSchema(operation.requestBody.content['application/x-www-form-urlencoded'].schema) as Schema);

export interface ContractCheck {
  valid: boolean;
  errors: ErrorObject[];
  params: Record<string, unknown>;
}

/** Validates a form body against Stripe's official `POST /v1/customers` request schema. */
export function checkStripeCreateCustomerBody(body: string): ContractCheck {
  const params = parse(body, { depth: 20, arrayLimit: 1000 }) as Record<string, unknown>;
  const valid = validate(params) as boolean;
  return { valid, errors: validate.errors ?? [], params };
}
