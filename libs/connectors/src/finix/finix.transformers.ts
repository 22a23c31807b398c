import { COUNTRY_ALPHA2_CODES, type CountryAlpha2 } from '@app/common/domain/country-alpha2';
import { countryAlpha3 } from '@app/common/domain/country-alpha3';
import { customerEmail, customerPhone, personName } from '@app/common/domain/customer-fields';
import { fullName, type CustomerProfile, type PostalAddress } from '@app/common/domain/customer-profile';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

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

type Nullable<T> = { [K in keyof T]?: T[K] | null };

/**
 * An Identity as `GET /identities/{id}` answers it (API reference 2022-02-01, official finix-nodejs
 * `openapi/finix-api.yaml` `Identity`): the fields we read.
 */
export interface FinixIdentity extends FinixIdentityResponse {
  created_at?: string;
  application?: string;
  entity?: Nullable<Omit<FinixCreateIdentityRequest['entity'], 'personal_address'>> & { personal_address?: Nullable<FinixPersonalAddress> | null };
  tags?: Record<string, string> | null;
}

/**
 * Body of `PUT /identities/{id}` (`UpdateIdentityRequest`): the buyer fields we manage, the change
 * merged into what Finix holds, and every tag, so the result is the same whether Finix merges or replaces.
 */
export interface FinixUpdateIdentityRequest {
  entity: FinixCreateIdentityRequest['entity'];
  tags: Record<string, string>;
}

/** `GET /identities` (`IdentitiesList`): HAL, a cursor page; `_embedded` may be absent when empty. */
export interface FinixIdentityList {
  _embedded?: { identities?: FinixIdentity[] };
  page?: { limit?: number; next_cursor?: string | null };
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

function held<T>(value: T | null | undefined): T | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

const ALPHA2_BY_ALPHA3: ReadonlyMap<string, CountryAlpha2> = new Map(COUNTRY_ALPHA2_CODES.map((code) => [countryAlpha3(code), code]));

/** A change merged into the Identity Finix holds: the fields it names replace Finix's, tags merge, ours kept. */
export function toFinixUpdateIdentityRequest(change: CustomerProfile, current: FinixIdentity): FinixUpdateIdentityRequest {
  const wanted = toFinixCreateIdentityRequest(change);
  const entity = current.entity ?? {};
  const address = entity.personal_address ?? {};
  const wantedAddress = wanted.entity.personal_address ?? {};
  const mergedAddress: FinixPersonalAddress = {};
  for (const field of ['line1', 'line2', 'city', 'region', 'postal_code', 'country'] as const) {
    const value = wantedAddress[field] ?? held(address[field]);
    if (value !== undefined) mergedAddress[field] = value;
  }
  const tags = { ...current.tags, ...wanted.tags };
  if (Object.keys(tags).length > FINIX_LIMITS.tags) {
    throw DomainError.invalidField('metadata', `merged with the tags Finix holds, it is over ${FINIX_LIMITS.tags} tags (one of which holds merchant_customer_id)`);
  }
  return {
    entity: {
      first_name: wanted.entity.first_name ?? held(entity.first_name),
      last_name: wanted.entity.last_name ?? held(entity.last_name),
      email: wanted.entity.email ?? held(entity.email),
      phone: wanted.entity.phone ?? held(entity.phone),
      personal_address: Object.keys(mergedAddress).length > 0 ? mergedAddress : undefined,
    },
    tags,
  };
}

/** What Finix holds of a buyer Identity, as it answers it. */
export function finixRecord(identity: FinixIdentity): CustomerRecord {
  const entity = identity.entity ?? {};
  const address = entity.personal_address ?? {};
  const country = held(address.country);
  const billing: PostalAddress = {
    line1: held(address.line1),
    line2: held(address.line2),
    city: held(address.city),
    state: held(address.region),
    zipCode: held(address.postal_code),
    country: country === undefined ? undefined : ALPHA2_BY_ALPHA3.get(country.toUpperCase()),
  };
  const billingFields = Object.entries(billing).filter(([, value]) => value !== undefined);
  const record: CustomerRecord = {
    name: fullName(held(entity.first_name), held(entity.last_name)),
    email: held(entity.email),
    phone: held(entity.phone),
    billingAddress: billingFields.length > 0 ? (Object.fromEntries(billingFields) as PostalAddress) : undefined,
    metadata: identity.tags ?? undefined,
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as CustomerRecord;
}

export function identitiesOf(list: FinixIdentityList): FinixIdentity[] {
  return list._embedded?.identities ?? [];
}

/** The Identities of a page carrying our back-reference tag for `merchantCustomerId`. */
export function identitiesReferencing(list: FinixIdentityList, merchantCustomerId: string): FinixIdentity[] {
  return identitiesOf(list).filter((identity) => identity.tags?.[FINIX_BACK_REFERENCE_TAG] === merchantCustomerId);
}

/** The oldest Identity: the one every later call should keep using. */
export function earliestFinixIdentity(identities: readonly FinixIdentity[]): FinixIdentity | undefined {
  const time = (identity: FinixIdentity) => Date.parse(identity.created_at ?? '') || 0;
  return [...identities].sort((a, b) => time(a) - time(b))[0];
}

export function isFinixIdentityList(body: unknown): body is FinixIdentityList {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('_embedded' in body || 'page' in body)) return false;
  const identities = (body as FinixIdentityList)._embedded?.identities;
  return identities === undefined || (Array.isArray(identities) && identities.every(isFinixIdentity));
}

export function isFinixIdentity(body: unknown): body is FinixIdentityResponse {
  return typeof body === 'object' && body !== null && typeof (body as FinixIdentityResponse).id === 'string' && (body as FinixIdentityResponse).id !== '';
}

export function firstFinixError(body: unknown): FinixError | undefined {
  const errors = (body as FinixErrorResponse | null)?._embedded?.errors;
  return Array.isArray(errors) && typeof errors[0] === 'object' && errors[0] !== null ? errors[0] : undefined;
}
