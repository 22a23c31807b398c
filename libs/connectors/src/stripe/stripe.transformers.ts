import { customerEmail, customerName, customerPhone } from '@app/common/domain/customer-fields';
import { fullName, internationalPhone, type CustomerProfile, type PostalAddress } from '@app/common/domain/customer-profile';
import type { CountryAlpha2 } from '@app/common/domain/country-alpha2';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/** Metadata key under which we store the merchant's customer id at Stripe (our back-reference). */
export const STRIPE_BACK_REFERENCE_KEY = 'merchant_customer_id';

/** Limits from Stripe's OpenAPI spec (2026-07-29.dahlia) and https://docs.stripe.com/metadata. */
export const STRIPE_LIMITS = {
  name: 256,
  email: 512,
  phone: 20,
  addressField: 5000,
  metadataKeys: 50,
  metadataKeyLength: 40,
  metadataValueLength: 500,
} as const;

export type StripeAddress = {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
};

/** Form parameters of `POST /v1/customers` (a type alias so it encodes as a form object). */
export type StripeCreateCustomerRequest = {
  name?: string;
  email?: string;
  phone?: string;
  address?: StripeAddress;
  shipping?: { name: string; phone?: string; address: StripeAddress };
  metadata: Record<string, string>;
};

export interface StripeCustomerResponse {
  id: string;
  object: 'customer';
  livemode?: boolean;
}

/** Parameters of `POST /v1/customers/{id}`: only what changes (stripe `CustomerUpdateParams`). */
export type StripeUpdateCustomerRequest = {
  name?: string;
  email?: string;
  phone?: string;
  address?: StripeAddress;
  shipping?: { name?: string; phone?: string; address: StripeAddress };
  metadata?: Record<string, string>;
};

type StripeAddressObject = { [K in keyof StripeAddress]?: string | null };

/** A customer as `GET` and `POST /v1/customers/{id}` answer it, only the fields read. */
export interface StripeCustomerObject {
  id: string;
  object: 'customer';
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: StripeAddressObject | null;
  shipping?: { name?: string | null; phone?: string | null; address?: StripeAddressObject | null } | null;
  metadata?: Record<string, string>;
}

/** Stripe's `DeletedCustomer`: what a retrieval of a deleted customer and a deletion answer. */
export interface StripeDeletedCustomer {
  id: string;
  deleted: true;
}

/** `GET /v1/account`: the account the key belongs to. */
export interface StripeAccountResponse {
  id: string;
  object: 'account';
}

export interface StripeCustomerSearchResult {
  object: 'search_result';
  data: { id: string; created: number }[];
  has_more?: boolean;
}

export interface StripeErrorResponse {
  error: {
    type?: string;
    code?: string;
    message?: string;
    param?: string;
    decline_code?: string;
  };
}

/** Stripe has no line3: it goes after line2, as a printed address would show it. */
function toStripeAddress(address: PostalAddress): StripeAddress {
  return {
    line1: address.line1,
    line2: [address.line2, address.line3].filter(Boolean).join(' ') || undefined,
    city: address.city,
    state: address.state,
    postal_code: address.zipCode,
    country: address.country,
  };
}

function hasAddressFields(address: StripeAddress): boolean {
  return Object.values(address).some((value) => value !== undefined);
}

function shippingName(customer: CustomerProfile): string | undefined {
  const shipping = customer.shippingAddress;
  return fullName(shipping?.firstName, shipping?.lastName) ?? customer.name;
}

/**
 * Our customer → Stripe's create-customer parameters. The billing address is the customer's
 * `address`; top-level email and phone fall back to the billing address's.
 */
export function toStripeCreateCustomerRequest(customer: CustomerProfile): StripeCreateCustomerRequest {
  const billing = customer.billingAddress;
  const shipping = customer.shippingAddress;
  const address = billing ? toStripeAddress(billing) : undefined;
  const shippingAddress = shipping ? toStripeAddress(shipping) : undefined;
  return {
    name: customerName(customer).value,
    email: customerEmail(customer).value,
    phone: customerPhone(customer).value,
    address: address && hasAddressFields(address) ? address : undefined,
    // Stripe's `shipping` requires an address: without any postal field there is nothing to ship to.
    shipping:
      shipping && shippingAddress && hasAddressFields(shippingAddress)
        ? {
            name: shippingName(customer)!,
            phone: internationalPhone(shipping.phoneNumber, shipping.phoneCountryCode),
            address: shippingAddress,
          }
        : undefined,
    metadata: { ...customer.metadata, [STRIPE_BACK_REFERENCE_KEY]: customer.merchantCustomerId },
  };
}

const POSTAL_FIELDS = ['line1', 'line2', 'line3', 'city', 'state', 'zipCode', 'country'] as const;

function hasPostalFields(address: PostalAddress | undefined): address is PostalAddress {
  return address !== undefined && POSTAL_FIELDS.some((field) => address[field] !== undefined);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** The given address fields over the ones Stripe holds: Stripe replaces an address it is sent whole. */
function mergedAddress(held: StripeAddressObject | null | undefined, change: PostalAddress): StripeAddress {
  return { ...(definedOnly(held ?? {}) as StripeAddress), ...definedOnly(toStripeAddress(change)) };
}

/**
 * Does the change touch an address? Stripe replaces `address` and `shipping` whole, so the
 * customer is read first and the change merged over what it holds.
 */
export function stripeUpdateNeedsHeldCustomer(change: CustomerProfile): boolean {
  return hasPostalFields(change.billingAddress) || change.shippingAddress !== undefined;
}

/**
 * A change → the parameters of `POST /v1/customers/{id}`, mapped as on create (name, email and
 * phone fall back to the billing address's), sending only what the change holds. Metadata keys
 * are sent as given: Stripe merges them into the ones it holds (our back-reference stays).
 */
export function toStripeUpdateCustomerRequest(change: CustomerProfile, held?: StripeCustomerObject): StripeUpdateCustomerRequest {
  const request: StripeUpdateCustomerRequest = {
    name: customerName(change).value,
    email: customerEmail(change).value,
    phone: customerPhone(change).value,
    address: hasPostalFields(change.billingAddress) ? mergedAddress(held?.address, change.billingAddress) : undefined,
    metadata: Object.keys(change.metadata).length > 0 ? { ...change.metadata } : undefined,
  };
  const shipping = change.shippingAddress;
  if (shipping) {
    const heldShipping = held?.shipping ?? undefined;
    const address = mergedAddress(heldShipping?.address, shipping);
    if (hasAddressFields(address)) {
      request.shipping = {
        name: fullName(shipping.firstName, shipping.lastName) ?? change.name ?? heldShipping?.name ?? undefined,
        phone: internationalPhone(shipping.phoneNumber, shipping.phoneCountryCode) ?? heldShipping?.phone ?? undefined,
        address,
      };
    }
  }
  return definedOnly(request) as StripeUpdateCustomerRequest;
}

function postalAddressOf(address: StripeAddressObject | null | undefined): PostalAddress | undefined {
  const held = definedOnly(address ?? {}) as StripeAddress;
  const postal: PostalAddress = definedOnly({
    line1: held.line1,
    line2: held.line2,
    city: held.city,
    state: held.state,
    zipCode: held.postal_code,
    country: held.country as CountryAlpha2 | undefined,
  });
  return Object.keys(postal).length > 0 ? postal : undefined;
}

/** What Stripe holds of a customer. Stripe keeps one shipping name: it comes back whole as the shipping first name. */
export function stripeCustomerRecord(customer: StripeCustomerObject): CustomerRecord {
  const shipping = customer.shipping;
  const shippingAddress = shipping
    ? definedOnly({ ...postalAddressOf(shipping.address), firstName: shipping.name ?? undefined, phoneNumber: shipping.phone ?? undefined })
    : undefined;
  return definedOnly({
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    billingAddress: postalAddressOf(customer.address),
    shippingAddress: shippingAddress && Object.keys(shippingAddress).length > 0 ? shippingAddress : undefined,
    metadata: customer.metadata,
  }) as CustomerRecord;
}

function tooLong(field: string, value: string | undefined, max: number): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Stripe accepts at most ${max} characters (got ${value.length})` }] : [];
}

/**
 * Stripe's limits, checked on the request we would send, reported on the merchant's fields. An
 * update may leave the shipping name to the one Stripe holds (`shippingNameRequired: false`).
 */
export function validateForStripe(customer: CustomerProfile, { shippingNameRequired = true } = {}): FieldViolation[] {
  const request = toStripeCreateCustomerRequest(customer);
  const violations: FieldViolation[] = [
    ...tooLong(customerName(customer).field, request.name, STRIPE_LIMITS.name),
    ...tooLong(customerEmail(customer).field, request.email, STRIPE_LIMITS.email),
    ...tooLong(customerPhone(customer).field, request.phone, STRIPE_LIMITS.phone),
  ];
  for (const [prefix, address] of [
    ['address.billing_address', request.address],
    ['address.shipping_address', request.shipping?.address],
  ] as const) {
    for (const [field, value] of Object.entries(address ?? {})) {
      violations.push(...tooLong(`${prefix}.${field === 'postal_code' ? 'zip_code' : field}`, value, STRIPE_LIMITS.addressField));
    }
  }
  if (shippingNameRequired && request.shipping && !request.shipping.name) {
    violations.push({
      field: 'address.shipping_address.first_name',
      description: 'Stripe requires a name with a shipping address: give first_name/last_name or customer_name',
    });
  }

  const keys = Object.keys(customer.metadata);
  if (keys.length + 1 > STRIPE_LIMITS.metadataKeys) {
    violations.push({
      field: 'metadata',
      description: `Stripe accepts at most ${STRIPE_LIMITS.metadataKeys} metadata keys, one of which holds merchant_customer_id (got ${keys.length})`,
    });
  }
  for (const key of keys) {
    const value = customer.metadata[key];
    if (key === STRIPE_BACK_REFERENCE_KEY && value !== customer.merchantCustomerId) {
      violations.push({ field: `metadata.${key}`, description: 'is reserved for the request merchant_customer_id' });
    }
    if (key.length > STRIPE_LIMITS.metadataKeyLength) {
      violations.push({ field: `metadata.${key}`, description: `Stripe metadata keys are at most ${STRIPE_LIMITS.metadataKeyLength} characters` });
    }
    if (/[[\]]/.test(key)) {
      violations.push({ field: `metadata.${key}`, description: 'Stripe metadata keys cannot contain "[" or "]"' });
    }
    if (value.length > STRIPE_LIMITS.metadataValueLength) {
      violations.push({ field: `metadata.${key}`, description: `Stripe metadata values are at most ${STRIPE_LIMITS.metadataValueLength} characters` });
    }
  }
  return violations;
}

export function isStripeCustomer(body: unknown): body is StripeCustomerResponse {
  return typeof body === 'object' && body !== null && typeof (body as StripeCustomerResponse).id === 'string' && (body as StripeCustomerResponse).id !== '';
}

/** The limits of an update: create's, but a shipping address may keep the name Stripe holds. */
export function validateForStripeUpdate(change: CustomerProfile): FieldViolation[] {
  return validateForStripe(change, { shippingNameRequired: false });
}

export function isStripeDeletedCustomer(body: unknown): body is StripeDeletedCustomer {
  return isStripeCustomer(body) && (body as unknown as StripeDeletedCustomer).deleted === true;
}

export function isStripeAccount(body: unknown): body is StripeAccountResponse {
  const account = body as Partial<StripeAccountResponse> | null;
  return typeof account?.id === 'string' && account.id.startsWith('acct_');
}

export function isStripeError(body: unknown): body is StripeErrorResponse {
  return typeof body === 'object' && body !== null && typeof (body as StripeErrorResponse).error === 'object' && (body as StripeErrorResponse).error !== null;
}

export function isStripeSearchResult(body: unknown): body is StripeCustomerSearchResult {
  return typeof body === 'object' && body !== null && Array.isArray((body as StripeCustomerSearchResult).data);
}

/** Stripe search query for our back-reference; quotes and backslashes escaped as the query language requires. */
export function backReferenceSearchQuery(merchantCustomerId: string): string {
  return `metadata['${STRIPE_BACK_REFERENCE_KEY}']:'${merchantCustomerId.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export function earliestCustomer(result: StripeCustomerSearchResult): { id: string } | undefined {
  return [...result.data].filter((c) => typeof c.id === 'string').sort((a, b) => a.created - b.created)[0];
}
