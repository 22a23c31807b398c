import { countryAlpha3 } from '@app/common/domain/country-alpha3';
import { customerEmail, customerPhone, personName } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

/** Tag under which we store the merchant's customer id at Finix (our back-reference). */
export const FINIX_BACK_REFERENCE_TAG = 'merchant_customer_id';

/**
 * Limits of `POST /identities` from Finix's API reference (version 2022-02-01,
 * https://docs.finix.com/api/identities/createidentity): entity and address field lengths, and
 * "up to 50 key: value pairs, keys ≤ 40, values ≤ 500" for tags.
 */
export const FINIX_LIMITS = {
  firstName: 20,
  lastName: 20,
  email: 100,
  addressLine: 35,
  city: 20,
  region: 2,
  postalCode: 7,
  tags: 50,
  tagKeyLength: 40,
  tagValueLength: 500,
} as const;

export interface FinixPersonalAddress {
  line1?: string;
  line2?: string;
  city?: string;
  /** Two-letter state code. */
  region?: string;
  postal_code?: string;
  /** ISO alpha-3 (`USA`). */
  country?: string;
}

/** Body of `POST /identities` for a buyer: no `business_type`, so no underwriting is required. */
export interface FinixCreateIdentityRequest {
  entity: {
    first_name?: string;
    last_name?: string;
    email?: string;
    phone?: string;
    personal_address?: FinixPersonalAddress;
  };
  identity_roles: ['BUYER'];
  tags: Record<string, string>;
  type: 'PERSONAL';
}

export interface FinixIdentityResponse {
  id: string;
}

export interface FinixError {
  code?: string;
  message?: string;
  /** The request field at fault, on `INVALID_FIELD` errors (`entity.personal_address.postal_code`). */
  field?: string;
  logref?: string;
}

/** Finix answers every error as a list (https://docs.finix.com/api/section/http-codes-and-errors). */
export interface FinixErrorResponse {
  total?: number;
  _embedded: { errors: FinixError[] };
}

function hasFields(address: FinixPersonalAddress): boolean {
  return Object.values(address).some((value) => value !== undefined);
}

/** Our customer → a Finix buyer Identity; the billing address is the buyer's personal address. */
export function toFinixCreateIdentityRequest(customer: CustomerProfile): FinixCreateIdentityRequest {
  const billing = customer.billingAddress;
  const name = personName(customer, { splitCustomerName: true });
  const address: FinixPersonalAddress = {
    line1: billing?.line1,
    line2: [billing?.line2, billing?.line3].filter(Boolean).join(' ') || undefined,
    city: billing?.city,
    region: billing?.state,
    postal_code: billing?.zipCode,
    country: billing?.country && countryAlpha3(billing.country),
  };
  return {
    entity: {
      first_name: name.firstName.value,
      last_name: name.lastName.value,
      email: customerEmail(customer).value,
      phone: customerPhone(customer).value,
      personal_address: hasFields(address) ? address : undefined,
    },
    identity_roles: ['BUYER'],
    tags: { ...customer.metadata, [FINIX_BACK_REFERENCE_TAG]: customer.merchantCustomerId },
    type: 'PERSONAL',
  };
}

function tooLong(field: string, value: string | undefined, max: number): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Finix accepts at most ${max} characters (got ${value.length})` }] : [];
}

/** Finix's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForFinix(customer: CustomerProfile): FieldViolation[] {
  const { entity, tags } = toFinixCreateIdentityRequest(customer);
  const address = entity.personal_address;
  const name = personName(customer, { splitCustomerName: true });
  const violations: FieldViolation[] = [
    ...tooLong(name.firstName.field, entity.first_name, FINIX_LIMITS.firstName),
    ...tooLong(name.lastName.field, entity.last_name, FINIX_LIMITS.lastName),
    ...tooLong(customerEmail(customer).field, entity.email, FINIX_LIMITS.email),
    ...tooLong('address.billing_address.line1', address?.line1, FINIX_LIMITS.addressLine),
    ...tooLong(customer.billingAddress?.line2 ? 'address.billing_address.line2' : 'address.billing_address.line3', address?.line2, FINIX_LIMITS.addressLine),
    ...tooLong('address.billing_address.city', address?.city, FINIX_LIMITS.city),
    ...tooLong('address.billing_address.zip_code', address?.postal_code, FINIX_LIMITS.postalCode),
  ];
  if (address?.region !== undefined && address.region.length > FINIX_LIMITS.region) {
    violations.push({ field: 'address.billing_address.state', description: 'Finix takes the two-letter state code (e.g. CA)' });
  }

  const keys = Object.keys(customer.metadata);
  if (Object.keys(tags).length > FINIX_LIMITS.tags) {
    violations.push({
      field: 'metadata',
      description: `Finix accepts at most ${FINIX_LIMITS.tags} tags, one of which holds merchant_customer_id (got ${keys.length} metadata keys)`,
    });
  }
  for (const key of keys) {
    const value = customer.metadata[key];
    if (key === FINIX_BACK_REFERENCE_TAG && value !== customer.merchantCustomerId) {
      violations.push({ field: `metadata.${key}`, description: 'is reserved for the request merchant_customer_id' });
    }
    if (key.length > FINIX_LIMITS.tagKeyLength) {
      violations.push({ field: `metadata.${key}`, description: `Finix tag keys are at most ${FINIX_LIMITS.tagKeyLength} characters` });
    }
    if (value.length > FINIX_LIMITS.tagValueLength) {
      violations.push({ field: `metadata.${key}`, description: `Finix tag values are at most ${FINIX_LIMITS.tagValueLength} characters` });
    }
  }
  // Both halves of a split customer_name are one field to the merchant: report it once.
  return violations.filter((violation, index) => violations.findIndex((other) => other.field === violation.field) === index);
}

export function isFinixIdentity(body: unknown): body is FinixIdentityResponse {
  return typeof body === 'object' && body !== null && typeof (body as FinixIdentityResponse).id === 'string' && (body as FinixIdentityResponse).id !== '';
}

export function firstFinixError(body: unknown): FinixError | undefined {
  const errors = (body as FinixErrorResponse | null)?._embedded?.errors;
  return Array.isArray(errors) && typeof errors[0] === 'object' && errors[0] !== null ? errors[0] : undefined;
}
