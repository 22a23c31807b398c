import { countryAlpha3 } from '@app/common/domain/country-alpha3';
import { customerEmail, customerPhone, personName } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

/**
 * Limits of `POST /customer` from Stax's API reference
 * (https://docs.staxpayments.com/reference/create-customer).
 */
export const STAX_LIMITS = {
  name: 255,
  email: 255,
  phoneDigitsMin: 10,
  phoneDigitsMax: 15,
  addressLine: 255,
  city: 255,
  state: 2,
  zip: 16,
  reference: 255,
  notes: 21844,
} as const;

/** Body of `POST /customer`: only the fields we send. */
export interface StaxCreateCustomerRequest {
  firstname?: string;
  lastname?: string;
  email?: string;
  /** Digits only: Stax validates it against /[0-9]{10,15}/. */
  phone?: string;
  address_1?: string;
  address_2?: string;
  address_city?: string;
  address_state?: string;
  address_zip?: string;
  /** ISO alpha-3 (`USA`): Stax allows at most 3 characters. */
  address_country?: string;
  /** The merchant's own reference: our back-reference to merchant_customer_id. */
  reference: string;
  /** Internal notes, never shown to the customer: the request metadata as JSON. */
  notes?: string;
}

export interface StaxCustomerResponse {
  id: string;
}

/** What a Stax error answer says, read from whichever of its shapes arrived. */
export interface StaxErrorDetails {
  code: string;
  message: string;
  /** The first field a Laravel validation error names. */
  param?: string;
}

function staxPhone(customer: CustomerProfile): string | undefined {
  return customerPhone(customer).value?.replace(/\D/g, '') || undefined;
}

/** Our customer → Stax's create-customer body; the billing address is the customer's address. */
export function toStaxCreateCustomerRequest(customer: CustomerProfile): StaxCreateCustomerRequest {
  const billing = customer.billingAddress;
  const name = personName(customer, { splitCustomerName: true });
  return {
    firstname: name.firstName.value,
    lastname: name.lastName.value,
    email: customerEmail(customer).value,
    phone: staxPhone(customer),
    address_1: billing?.line1,
    address_2: [billing?.line2, billing?.line3].filter(Boolean).join(' ') || undefined,
    address_city: billing?.city,
    address_state: billing?.state,
    address_zip: billing?.zipCode,
    address_country: billing?.country && countryAlpha3(billing.country),
    reference: customer.merchantCustomerId,
    notes: Object.keys(customer.metadata).length > 0 ? JSON.stringify(customer.metadata) : undefined,
  };
}

function tooLong(field: string, value: string | undefined, max: number): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Stax accepts at most ${max} characters (got ${value.length})` }] : [];
}

/** Stax's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForStax(customer: CustomerProfile): FieldViolation[] {
  const request = toStaxCreateCustomerRequest(customer);
  const names = personName(customer, { splitCustomerName: true });
  const violations: FieldViolation[] = [];
  if (!request.firstname && !request.lastname && !request.email) {
    violations.push({
      field: 'customer_name',
      description: 'Stax requires a name or an email: give customer_name, email, or the billing first_name, last_name or email',
    });
  }
  violations.push(
    ...tooLong(names.firstName.field, request.firstname, STAX_LIMITS.name),
    ...tooLong(names.lastName.field, request.lastname, STAX_LIMITS.name),
    ...tooLong(customerEmail(customer).field, request.email, STAX_LIMITS.email),
  );
  if (request.phone !== undefined && (request.phone.length < STAX_LIMITS.phoneDigitsMin || request.phone.length > STAX_LIMITS.phoneDigitsMax)) {
    violations.push({
      field: customerPhone(customer).field,
      description: `Stax accepts phone numbers of ${STAX_LIMITS.phoneDigitsMin} to ${STAX_LIMITS.phoneDigitsMax} digits, country code included (got ${request.phone.length})`,
    });
  }
  violations.push(
    ...tooLong('address.billing_address.line1', request.address_1, STAX_LIMITS.addressLine),
    ...tooLong(customer.billingAddress?.line2 ? 'address.billing_address.line2' : 'address.billing_address.line3', request.address_2, STAX_LIMITS.addressLine),
    ...tooLong('address.billing_address.city', request.address_city, STAX_LIMITS.city),
    ...tooLong('address.billing_address.zip_code', request.address_zip, STAX_LIMITS.zip),
    ...tooLong('merchant_customer_id', request.reference, STAX_LIMITS.reference),
    ...tooLong('metadata', request.notes, STAX_LIMITS.notes),
  );
  if (request.address_state !== undefined && request.address_state.length > STAX_LIMITS.state) {
    violations.push({ field: 'address.billing_address.state', description: 'Stax takes the two-letter state abbreviation (e.g. CA)' });
  }
  // Both halves of a split customer_name are one field to the merchant: report it once.
  return violations.filter((violation, index) => violations.findIndex((other) => other.field === violation.field) === index);
}

export function isStaxCustomer(body: unknown): body is StaxCustomerResponse {
  return typeof body === 'object' && body !== null && typeof (body as StaxCustomerResponse).id === 'string' && (body as StaxCustomerResponse).id !== '';
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

/**
 * Stax has no single error envelope: `{"message": …}` (transactions, with a `code` sometimes),
 * `{"error": …}`, a bare array (`["not team admin"]`), or a Laravel validation object keyed by
 * field (`{"email": ["The email must be a valid email address."]}`). Without a code of its own,
 * the HTTP status stands in (as Prism does).
 */
export function staxErrorDetails(body: unknown, httpStatus: number): StaxErrorDetails | undefined {
  const statusCode = String(httpStatus);
  const bare = firstString(body);
  if (bare !== undefined) return { code: statusCode, message: bare };
  if (typeof body !== 'object' || body === null) return undefined;
  const fields = body as Record<string, unknown>;
  const code = typeof fields.code === 'string' && fields.code !== '' ? fields.code : statusCode;
  for (const key of ['message', 'error']) {
    const message = firstString(fields[key]);
    if (message !== undefined) return { code, message };
  }
  for (const [field, value] of Object.entries(fields)) {
    const message = Array.isArray(value) ? firstString(value) : undefined;
    if (message !== undefined) return { code, message, param: field };
  }
  return undefined;
}
