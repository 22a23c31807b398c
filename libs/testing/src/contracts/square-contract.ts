import Ajv, { type ErrorObject } from 'ajv';
import contract from '../../contracts/square/square-customers-subset.json';

type Schema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';
const MAX_LENGTH_SENTENCE = /The maximum length for this value is (\d+) characters/;

/**
 * OpenAPI 3.0 → JSON Schema for ajv, inlining `$ref`s. Square states string limits only in prose
 * ("The maximum length for this value is 300 characters."), so those sentences become `maxLength`.
 * Objects are closed: Square refuses body parameters it does not know (UNKNOWN_BODY_PARAMETER).
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Schema;
  if (typeof source.$ref === 'string') {
    const name = source.$ref.slice(COMPONENT_PREFIX.length) as keyof typeof contract.components.schemas;
    const referenced = toJsonSchema(contract.components.schemas[name]) as Schema;
    return source.nullable === true ? { anyOf: [referenced, { type: 'null' }] } : referenced;
  }
  const schema: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-') || key === 'nullable' || key === 'description' || key === 'example') continue;
    schema[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, toJsonSchema(child)])) : toJsonSchema(value);
  }
  const maxLength = typeof source.description === 'string' ? MAX_LENGTH_SENTENCE.exec(source.description) : null;
  if (maxLength && schema.type === 'string') schema.maxLength = Number(maxLength[1]);
  if (source.nullable === true && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  if (schema.type === 'object' && schema.properties) schema.additionalProperties = false;
  return schema;
}

/** `CreateCustomer`'s "You must provide at least one of the following values" list, read from its description. */
function atLeastOneOf(description: string): string[] {
  const list = description.slice(description.indexOf('at least one of'));
  return [...list.matchAll(/^- `([a-z_]+)`$/gm)].map((match) => match[1]);
}

const operation = contract.paths['/v2/customers'].post;
const requestSchema = toJsonSchema(operation.requestBody.content['application/json'].schema) as Schema;
export const SQUARE_AT_LEAST_ONE_OF = atLeastOneOf(operation.description);
requestSchema.anyOf = SQUARE_AT_LEAST_ONE_OF.map((field) => ({ required: [field] }));

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validateRequest = ajv.compile(requestSchema);
const validateResponse = ajv.compile(toJsonSchema(operation.responses['200'].content['application/json'].schema) as Schema);

/** The version the contract release documents as `Square-Version`'s default (2025-08-20). */
export const SQUARE_CONTRACT_VERSION = contract.components.securitySchemes.oauth2['x-additional-headers'][0].schema.default;

/** Square's own example `CreateCustomer` response. */
export const SQUARE_CREATE_CUSTOMER_EXAMPLE = contract.components.schemas.CreateCustomerResponse.example;

export interface ContractCheck {
  valid: boolean;
  errors: ErrorObject[];
}

/** Validates a JSON body against Square's official `CreateCustomer` request schema. */
export function checkSquareCreateCustomerBody(body: string): ContractCheck {
  let params: unknown;
  try {
    params = JSON.parse(body);
  } catch {
    return { valid: false, errors: [{ instancePath: '', schemaPath: '', keyword: 'json', params: {}, message: 'is not JSON' }] };
  }
  const valid = validateRequest(params) as boolean;
  return { valid, errors: validateRequest.errors ?? [] };
}

/** Validates a success body against Square's `CreateCustomerResponse` schema. */
export function checkSquareCreateCustomerResponse(body: unknown): ContractCheck {
  const valid = validateResponse(body) as boolean;
  return { valid, errors: validateResponse.errors ?? [] };
}
