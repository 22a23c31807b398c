import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

// The storage class-transformer's decorators write to (the package exports no path to it with types).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

/** What the compiled path answers when it cannot decide alone: the full class-validator path then runs. */
export const DECLINED = Symbol('declined');

type Constructor = new () => object;
type Check = (value: unknown, args: ValidationArguments) => boolean;
type TransformFn = (params: { value: unknown; key: string; obj: Record<string, unknown>; type: TransformationType; options: unknown }) => unknown;

interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  /** IsDefined first, then the other constraints, in class-validator's order. */
  checks: { check: Check; constraints: unknown[] }[];
  nested: boolean;
  /** `@Type(() => X)`: the class a plain object becomes. */
  nestedType?: Constructor;
  transforms: TransformFn[];
}

interface ClassPlan {
  target: Constructor;
  properties: Map<string, PropertyPlan>;
}

/** class-transformer's options for plainToInstance without options of its own (what @Transform functions receive). */
const TRANSFORM_OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});

const plans = new Map<Function, ClassPlan | null>();

/**
 * The rules class-validator and class-transformer read from a DTO's decorators, gathered once per
 * class into a plan, or null when the class uses a feature the plan does not cover (groups, `each`,
 * async or conditional constraints, @Expose/@Exclude, discriminators): such a class always takes
 * the full path.
 */
function planOf(target: Function): ClassPlan | null {
  if (plans.has(target)) return plans.get(target)!;
  plans.set(target, null);
  const plan = compile(target as Constructor);
  plans.set(target, plan);
  return plan;
}

function compile(target: Constructor): ClassPlan | null {
  if (defaultMetadataStorage.getExposedMetadatas(target).length > 0 || defaultMetadataStorage.getExcludedMetadatas(target).length > 0) return null;
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, target.name, false, false, undefined as unknown as string[]);
  if (metadatas.length === 0) return null;
  const grouped = storage.groupByPropertyName(metadatas) as Record<string, ValidationMetadata[]>;
  const properties = new Map<string, PropertyPlan>();
  for (const [name, group] of Object.entries(grouped)) {
    const property: PropertyPlan = { name, conditions: [], checks: [], nested: false, transforms: [] };
    const ordered = [...group.filter((m) => m.type === ValidationTypes.IS_DEFINED), ...group.filter((m) => m.type !== ValidationTypes.IS_DEFINED)];
    for (const metadata of ordered) {
      if (metadata.each || metadata.validateIf || (metadata.groups && metadata.groups.length > 0) || metadata.always) return null;
      switch (metadata.type) {
        case ValidationTypes.CONDITIONAL_VALIDATION:
          property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.IS_DEFINED:
        case ValidationTypes.CUSTOM_VALIDATION:
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            if (constraint.async) return null;
            const instance = constraint.instance as { validate: Check };
            property.checks.push({ check: instance.validate.bind(instance), constraints: metadata.constraints });
          }
          break;
        case ValidationTypes.NESTED_VALIDATION:
          property.nested = true;
          break;
        case ValidationTypes.WHITELIST:
          break;
        default:
          return null;
      }
    }
    const type = defaultMetadataStorage.findTypeMetadata(target, name);
    if (type) {
      if (type.options?.discriminator || !type.typeFunction) return null;
      property.nestedType = type.typeFunction() as Constructor;
    }
    const transforms = defaultMetadataStorage.findTransformMetadatas(target, name, TransformationType.PLAIN_TO_CLASS);
    if (transforms.some((t) => t.options?.groups?.length || t.options?.since !== undefined || t.options?.until !== undefined)) return null;
    property.transforms = transforms.map((t) => t.transformFn as TransformFn);
    properties.set(name, property);
  }
  return { target, properties };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isScalar(value: unknown): boolean {
  return value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** plainToInstance for the shapes a valid request has; DECLINED for anything else. */
function instantiate(plan: ClassPlan, plain: unknown): object | typeof DECLINED {
  if (!isPlainObject(plain)) return DECLINED;
  const instance = new plan.target() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    const property = plan.properties.get(key);
    // An unknown key is a whitelist error; `constructor` and `__proto__` are stripped by the full path.
    if (!property || key === 'constructor' || key === '__proto__') return DECLINED;
    const sub = plain[key];
    let value: unknown;
    if (property.nestedType !== undefined && sub !== null && sub !== undefined) {
      const nestedPlan = planOf(property.nestedType);
      if (!nestedPlan) return DECLINED;
      value = instantiate(nestedPlan, sub);
      if (value === DECLINED) return DECLINED;
    } else if (isScalar(sub)) {
      value = sub;
    } else if (isPlainObject(sub) && Object.values(sub).every(isScalar) && !Object.hasOwn(sub, '__proto__') && !Object.hasOwn(sub, 'constructor')) {
      // An untyped object (a SecretString's {"value": …}) is copied, as class-transformer does.
      value = { ...sub };
    } else {
      return DECLINED;
    }
    for (const transform of property.transforms) value = transform({ value, key, obj: plain, type: TransformationType.PLAIN_TO_CLASS, options: TRANSFORM_OPTIONS });
    instance[key] = value;
  }
  return instance;
}

/** class-validator's verdict for an instance, when it finds nothing to report; false as soon as it would. */
function passes(plan: ClassPlan, object: Record<string, unknown>): boolean {
  for (const key of Object.keys(object)) if (!plan.properties.has(key)) return false;
  for (const property of plan.properties.values()) {
    const value = object[property.name];
    let validate = true;
    for (const condition of property.conditions) validate = condition(object, value) && validate;
    if (!validate) continue;
    for (const { check, constraints } of property.checks) {
      const result = check(value, { targetName: plan.target.name, property: property.name, object, value, constraints });
      if (result !== true) return false;
    }
    if (!property.nested) continue;
    if (Array.isArray(value) || value instanceof Set || value instanceof Map || !(value instanceof Object)) return false;
    const nestedPlan = planOf((value as object).constructor);
    if (!nestedPlan || !passes(nestedPlan, value as Record<string, unknown>)) return false;
  }
  return true;
}

/**
 * What `ValidationPipe` (transform, whitelist, forbidNonWhitelisted, forbidUnknownValues) returns
 * for a valid request, computed from rules gathered once per DTO class instead of the reflective
 * walk class-transformer and class-validator make on every request. Anything it does not accept —
 * every invalid request, and shapes a valid request does not take — is DECLINED, and the full path
 * decides and names the fields, so every error stays exactly as class-validator words it.
 */
export function validateCompiled(metatype: Function, value: unknown): object | typeof DECLINED {
  const plan = planOf(metatype);
  if (!plan) return DECLINED;
  const instance = instantiate(plan, value);
  if (instance === DECLINED || !passes(plan, instance as Record<string, unknown>)) return DECLINED;
  return instance;
}
