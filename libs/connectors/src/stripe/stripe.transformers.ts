import { customerEmail, customerName, customerPhone } from '@app/common/domain/customer-fields';
import { fullName, internationalPhone, type CustomerProfile, type PostalAddress } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

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

function tooLong(field: string, value: string | undefined, max: number): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Stripe accepts at most ${max} characters (got ${value.length})` }] : [];
}

/** Stripe's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForStripe(customer: CustomerProfile): FieldViolation[] {
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
  if (request.shipping && !request.shipping.name) {
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
