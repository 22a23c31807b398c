import Ajv, { type ErrorObject } from 'ajv';
import contract from '../../contracts/paystack/customer-create.operation.json';

type Schema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';

/** OpenAPI 3.0 → JSON Schema for ajv: `$ref`s inlined, `nullable` becomes a null type, `x-*` keys go. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Schema;
  if (typeof source.$ref === 'string') {
    const name = source.$ref.slice(COMPONENT_PREFIX.length) as keyof typeof contract.components.schemas;
    return toJsonSchema(contract.components.schemas[name]);
  }
  const schema: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-') || key === 'nullable' || key === 'description' || key === 'example') continue;
    schema[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, toJsonSchema(child)])) : toJsonSchema(value);
  }
  if (source.nullable === true) schema.type = typeof schema.type === 'string' ? [schema.type, 'null'] : undefined;
  if (schema.type === undefined) delete schema.type;
  return schema;
}

const operation = contract.paths['/customer'].post;
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validateRequest = ajv.compile(toJsonSchema(operation.requestBody.content['application/json'].schema) as Schema);
const validateResponse = ajv.compile(toJsonSchema(operation.responses['200'].content['application/json'].schema) as Schema);
const validateError = ajv.compile(toJsonSchema(contract.components.responses.Unauthorized.content['application/json'].schema) as Schema);

/** Paystack's own example of an error answer (401). */
export const PAYSTACK_UNAUTHORIZED_EXAMPLE = contract.components.responses.Unauthorized.content['application/json'].example;

export interface ContractCheck {
  valid: boolean;
  errors: ErrorObject[];
}

function check(validate: typeof validateRequest, value: unknown): ContractCheck {
  const valid = validate(value) as boolean;
  return { valid, errors: validate.errors ?? [] };
}

/** Validates a JSON body against Paystack's official `customer_create` request schema. */
export function checkPaystackCreateCustomerBody(body: string): ContractCheck {
  try {
    return check(validateRequest, JSON.parse(body));
  } catch {
    return { valid: false, errors: [{ instancePath: '', schemaPath: '', keyword: 'json', params: {}, message: 'is not JSON' }] };
  }
}

/** Validates a success body against Paystack's `CustomerCreateResponse` schema. */
export function checkPaystackCreateCustomerResponse(body: unknown): ContractCheck {
  return check(validateResponse, body);
}

/** Validates an error body against Paystack's `Error` schema. */
export function checkPaystackError(body: unknown): ContractCheck {
  return check(validateError, body);
}
