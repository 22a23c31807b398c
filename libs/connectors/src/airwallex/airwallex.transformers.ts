import { customerEmail, customerPhone, personName } from '@app/common/domain/customer-fields';
import type { CustomerProfile, PostalAddress } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/**
 * Limits of `POST /api/v1/pa/customers/create` as Airwallex documents them
 * (https://www.airwallex.com/docs/api/payments/customers, API version 2024-01-31 and later).
 * Airwallex publishes no length for `phone_number` nor a size for `metadata`.
 */
export const AIRWALLEX_LIMITS = {
  merchantCustomerId: 64,
  requestId: 64,
  firstName: 128,
  lastName: 128,
  email: 256,
  street: 1000,
  city: 100,
  state: 100,
  postcode: 10,
} as const;

/** Prism passes a pre-fetched token in `connector_feature_data` (`{"access_token":"…"}`). */
export const AIRWALLEX_ACCESS_TOKEN_FEATURE = 'access_token';

export interface AirwallexLoginResponse {
  token: string;
  /** ISO 8601, e.g. `2026-05-12T00:00:00+0000`. */
  expires_at?: string;
}

export interface AirwallexAddress {
  street?: string;
  city?: string;
  state?: string;
  postcode?: string;
  country_code?: string;
}

export interface AirwallexCreateCustomerRequest {
  request_id: string;
  merchant_customer_id: string;
  first_name?: string;
  last_name?: string;
  email?: string;
  phone_number?: string;
  address?: AirwallexAddress;
  metadata?: Record<string, string>;
}

export interface AirwallexCustomerResponse {
  id: string;
  request_id?: string;
  merchant_customer_id?: string;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone_number?: string | null;
  address?: AirwallexAddress | null;
  metadata?: Record<string, unknown> | null;
}

/** Body of `POST /api/v1/pa/customers/{id}/update`: a request_id and only what changes. */
export type AirwallexUpdateCustomerRequest = Omit<Partial<AirwallexCreateCustomerRequest>, 'merchant_customer_id'> & { request_id: string };

export interface AirwallexCustomerListResponse {
  has_more?: boolean;
  items: AirwallexCustomerResponse[];
}

export interface AirwallexErrorResponse {
  code: string;
  message?: string;
  /** The request field Airwallex blames (`validation_error`). */
  source?: string;
}

/** Airwallex has one `street`: the address lines go into it in order. */
function toAirwallexAddress(address: PostalAddress | undefined): AirwallexAddress | undefined {
  if (!address) return undefined;
  const converted: AirwallexAddress = {
    street: [address.line1, address.line2, address.line3].filter(Boolean).join(', ') || undefined,
    city: address.city,
    state: address.state,
    postcode: address.zipCode,
    country_code: address.country,
  };
  return Object.values(converted).some((value) => value !== undefined) ? converted : undefined;
}

/**
 * Our customer → Airwallex's create-customer body. `request_id` is the mapping's idempotency
 * key; the billing address is the customer's `address`; email and phone fall back to it.
 * Airwallex stores first and last name apart: customer_name is split at its last space (as
 * Prism's Finix connector splits it) unless the billing names spell it.
 */
export function toAirwallexCreateCustomerRequest(customer: CustomerProfile, requestId: string): AirwallexCreateCustomerRequest {
  const { firstName, lastName } = personName(customer, { splitCustomerName: true });
  return {
    request_id: requestId,
    merchant_customer_id: customer.merchantCustomerId,
    first_name: firstName.value || undefined,
    last_name: lastName.value || undefined,
    email: customerEmail(customer).value,
    phone_number: customerPhone(customer).value,
    address: toAirwallexAddress(customer.billingAddress),
    metadata: Object.keys(customer.metadata).length > 0 ? { ...customer.metadata } : undefined,
  };
}

/**
 * The change as Airwallex's update body: the fields it names, nothing else. Metadata is sent merged
 * with `heldMetadata` (what Airwallex holds), so keys the change does not name are kept whatever
 * Airwallex does with a partial map.
 */
export function toAirwallexUpdateCustomerRequest(change: CustomerProfile, requestId: string, heldMetadata?: Record<string, unknown> | null): AirwallexUpdateCustomerRequest {
  // Fields left undefined are not sent: JSON leaves them out.
  const { merchant_customer_id: _ours, request_id: _id, metadata, ...fields } = toAirwallexCreateCustomerRequest(change, requestId);
  return {
    request_id: requestId,
    ...fields,
    ...(metadata !== undefined && { metadata: { ...stringValues(heldMetadata), ...metadata } }),
  };
}

function stringValues(metadata: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/** What Airwallex holds of a customer, as our record. */
export function airwallexRecord(customer: AirwallexCustomerResponse): CustomerRecord {
  const name = [customer.first_name, customer.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
  const address = customer.address ?? undefined;
  return {
    name: name || undefined,
    email: customer.email ?? undefined,
    phone: customer.phone_number ?? undefined,
    billingAddress: address && {
      firstName: customer.first_name ?? undefined,
      lastName: customer.last_name ?? undefined,
      line1: address.street,
      city: address.city,
      state: address.state,
      zipCode: address.postcode,
      country: address.country_code as PostalAddress['country'],
    },
    metadata: customer.metadata ? stringValues(customer.metadata) : undefined,
  };
}

/** The token the caller passed in `connector_feature_data.access_token`, if it is one. */
export function suppliedAccessToken(customer: CustomerProfile): string | undefined {
  const token = customer.featureData[AIRWALLEX_ACCESS_TOKEN_FEATURE];
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function tooLong(field: string, value: string | undefined, max: number, what = ''): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Airwallex accepts at most ${max} characters${what} (got ${value.length})` }] : [];
}

/** Airwallex's limits, checked on the body we would send, reported on the merchant's fields. */
export function validateForAirwallex(customer: CustomerProfile): FieldViolation[] {
  const request = toAirwallexCreateCustomerRequest(customer, '');
  const names = personName(customer, { splitCustomerName: true });
  const violations: FieldViolation[] = [
    ...tooLong('merchant_customer_id', request.merchant_customer_id, AIRWALLEX_LIMITS.merchantCustomerId),
    ...tooLong(names.firstName.field, request.first_name, AIRWALLEX_LIMITS.firstName, ' in first_name'),
    ...tooLong(names.lastName.field, request.last_name, AIRWALLEX_LIMITS.lastName, ' in last_name'),
    ...tooLong(customerEmail(customer).field, request.email, AIRWALLEX_LIMITS.email),
  ];

  const address = request.address;
  if (address) {
    violations.push(
      ...tooLong('address.billing_address.line1', address.street, AIRWALLEX_LIMITS.street, ' in street (line1, line2 and line3 together)'),
      ...tooLong('address.billing_address.city', address.city, AIRWALLEX_LIMITS.city),
      ...tooLong('address.billing_address.state', address.state, AIRWALLEX_LIMITS.state),
      ...tooLong('address.billing_address.zip_code', address.postcode, AIRWALLEX_LIMITS.postcode),
    );
    if (address.country_code === undefined) {
      violations.push({ field: 'address.billing_address.country_alpha2_code', description: 'Airwallex requires a country with any other address field' });
    }
  }

  const token = customer.featureData[AIRWALLEX_ACCESS_TOKEN_FEATURE];
  if (token !== undefined && (typeof token !== 'string' || token === '')) {
    violations.push({ field: `connector_feature_data.${AIRWALLEX_ACCESS_TOKEN_FEATURE}`, description: 'must be a non-empty string (an Airwallex access token)' });
  }
  return violations;
}

function isObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export function isAirwallexLogin(body: unknown): body is AirwallexLoginResponse {
  return isObject(body) && isNonEmptyString(body.token);
}

export function isAirwallexCustomer(body: unknown): body is AirwallexCustomerResponse {
  return isObject(body) && isNonEmptyString(body.id);
}

export function isAirwallexCustomerList(body: unknown): body is AirwallexCustomerListResponse {
  return isObject(body) && Array.isArray(body.items) && body.items.every(isAirwallexCustomer);
}

export function isAirwallexError(body: unknown): body is AirwallexErrorResponse {
  return isObject(body) && isNonEmptyString(body.code);
}
