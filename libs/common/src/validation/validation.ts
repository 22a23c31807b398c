import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldViolation } from '../errors/domain-error';
import { DECLINED, validateCompiled } from './compiled-validation';

/** Flattens class-validator's tree into `path: description` pairs (`address.billing_address.email`). */
export function fieldViolationsOf(errors: ValidationError[], parentPath = ''): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const error of errors) {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const description = constraint === 'whitelistValidation' ? 'is not a field of this request' : message.replace(/^nested property \S+ /, '');
      violations.push({ field: path, description });
    }
    if (error.children?.length) violations.push(...fieldViolationsOf(error.children, path));
  }
  return violations;
}

/**
 * Set by the gRPC deserializer on a message it could not decode (see grpc-options.ts): the
 * decoder's message, or the field that does not decode exactly and why.
 */
export const MALFORMED_MESSAGE = Symbol.for('connector-service.malformed-message');

/**
 * Keys that name Object.prototype members (`toString`, `valueOf`, `hasOwnProperty`, …) or reach a
 * prototype: class-transformer's whitelist sees them on every instance and lets them through, so
 * they are refused before it runs. No field of this API has such a name.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);
/** No request of this service nests deeper; deeper input is refused, not walked. */
export const MAX_BODY_DEPTH = 16;

/** A key that could reach an object's prototype while the body is transformed, or nesting too deep. */
export function findForbiddenKey(value: unknown, path = '', depth = 0): { field: string; description: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_BODY_DEPTH) return { field: path, description: `nests deeper than ${MAX_BODY_DEPTH} levels` };
  for (const key of Object.keys(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return { field: childPath, description: 'is not a field of this request' };
    const found = findForbiddenKey((value as Record<string, unknown>)[key], childPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string holding a lone surrogate (`"\ud800"` is valid JSON, but no Unicode text): its path.
 * gRPC refuses the same text as invalid UTF-8, so REST refuses it too, naming the field alike (a
 * SecretString's `value` by the field that holds it).
 */
export function findLoneSurrogate(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || 'body' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const keys = Object.keys(value);
  for (const key of keys) {
    const childPath = key === 'value' && keys.length === 1 && path ? path : path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return childPath;
    const found = findLoneSurrogate((value as Record<string, unknown>)[key], childPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * proto3 JSON's null means "absent": once the request is validated (an unknown field is refused
 * even when null), its nulls are dropped, so a REST body reads as the same message decoded from
 * gRPC, where an absent field is simply not there (a null `address` is no address).
 */
export function dropNulls<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  for (const [key, child] of Object.entries(value)) {
    if (child === null && !Array.isArray(value)) delete (value as Record<string, unknown>)[key];
    else dropNulls(child);
  }
  return value;
}

/** Parameter types the compiler records for interfaces, arrays and primitives: never a DTO. */
const BUILT_IN_TYPES = new Set<unknown>([Object, Array, String, Number, Boolean]);

/**
 * The one validation pipe, for both transports: unknown fields are refused, values are
 * transformed into DTO instances, and every problem is reported with its field path.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => DomainError.validation(fieldViolationsOf(errors)),
    });
  }

  override async transform(value: unknown, metadata: Parameters<ValidationPipe['transform']>[1]): Promise<unknown> {
    if (typeof value === 'object' && value !== null && MALFORMED_MESSAGE in value) {
      const problem = (value as Record<symbol, unknown>)[MALFORMED_MESSAGE];
      if (typeof problem === 'object' && problem !== null && 'field' in problem) {
        const { field, description } = problem as { field: string; description: string };
        throw DomainError.invalidDataFormat(field, `${description} (not a valid protobuf message of this method)`);
      }
      throw DomainError.invalidDataFormat('message', `is not a valid protobuf message of this method: ${String(problem)}`);
    }
    // Only what a DTO class describes is caller input: a custom parameter such as the gRPC call
    // object (@GrpcCall) or the connector selections (@Selections) is the server's own and must
    // pass untouched.
    const isRequestDto = (metadata.type === 'body' || metadata.type === 'custom') && typeof metadata.metatype === 'function' && !BUILT_IN_TYPES.has(metadata.metatype);
    if (isRequestDto) {
      const forbidden = findForbiddenKey(value);
      if (forbidden) throw DomainError.invalidField(forbidden.field, forbidden.description);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw DomainError.invalidField('body', 'must be a JSON object');
      const illFormed = findLoneSurrogate(value);
      if (illFormed) throw DomainError.invalidDataFormat(illFormed, 'is not valid Unicode text: it holds a lone surrogate (as UTF-8 it would be invalid)');
      return dropNulls(await this.validated(value, metadata));
    }
    return this.validated(value, metadata);
  }

  /**
   * A valid request is transformed and checked by rules compiled once per DTO class; anything else
   * (every invalid one) takes class-validator's path, which words the errors.
   */
  private async validated(value: unknown, metadata: Parameters<ValidationPipe['transform']>[1]): Promise<unknown> {
    if (metadata.type !== 'custom' && typeof metadata.metatype === 'function' && !BUILT_IN_TYPES.has(metadata.metatype)) {
      const compiled = validateCompiled(metadata.metatype, value);
      if (compiled !== DECLINED) return compiled;
    }
    return super.transform(value, metadata);
  }
}
