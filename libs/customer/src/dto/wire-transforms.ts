import type { TransformFnParams } from 'class-transformer';
import { countryByNumber, COUNTRY_UNSPECIFIED } from '@app/common/domain/country-alpha2';

/**
 * A SecretString arrives as a plain string (Prism's serde JSON), as `{"value": …}` (proto3 JSON,
 * and every gRPC request once decoded) or as `{}` (gRPC, empty value). Anything else is left
 * for the validator to refuse. Empty strings mean "not given".
 */
export function unwrapSecretString({ value }: TransformFnParams): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return undefined;
    if (keys.length === 1 && keys[0] === 'value') value = (value as { value: unknown }).value;
  }
  return value === '' ? undefined : value;
}

export function emptyToUndefined({ value }: TransformFnParams): unknown {
  return value === '' ? undefined : value;
}

/** Country by name (`"US"`) or by Prism's enum number (`1`); unspecified means absent. */
export function toCountryCode({ value }: TransformFnParams): unknown {
  if (value === COUNTRY_UNSPECIFIED || value === 0 || value === '') return undefined;
  if (typeof value === 'number') return countryByNumber(value) ?? value;
  return value;
}
