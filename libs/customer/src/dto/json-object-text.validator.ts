import { registerDecorator, type ValidationOptions } from 'class-validator';

export const MAX_JSON_DEPTH = 8;

function depthOf(value: unknown, depth = 0): number {
  if (typeof value !== 'object' || value === null) return depth;
  let max = depth + 1;
  for (const child of Object.values(value)) max = Math.max(max, depthOf(child, depth + 1));
  return max;
}

export function parseJsonObjectText(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Text holding a JSON object. With `flat`, every value must be a string, number or boolean
 * (metadata: processors store strings); otherwise nesting is bounded by MAX_JSON_DEPTH.
 */
export function IsJsonObjectText(options: { flat: boolean }, validationOptions?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isJsonObjectText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: options.flat
          ? 'must be a JSON object whose values are strings, numbers or booleans'
          : `must be a JSON object nested at most ${MAX_JSON_DEPTH} levels`,
        ...validationOptions,
      },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'string') return false;
          const parsed = parseJsonObjectText(value);
          if (!parsed) return false;
          if (options.flat) {
            return Object.entries(parsed).every(([key, v]) => key !== '' && ['string', 'number', 'boolean'].includes(typeof v));
          }
          return depthOf(parsed) <= MAX_JSON_DEPTH;
        },
      },
    });
  };
}
