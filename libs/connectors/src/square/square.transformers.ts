import { customerEmail, customerPhone, personName, type Sourced } from '@app/common/domain/customer-fields';
import type { CustomerProfile, PostalAddress } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

/**
 * Limits stated in the descriptions of Square's `CreateCustomerRequest` (connect-api-specification,
 * release 2025-08-20): names 300, email 254, reference_id 100, phone 9–16 digits.
 */
export const SQUARE_LIMITS = {
  givenName: 300,
  familyName: 300,
  emailAddress: 254,
  referenceId: 100,
  phoneMinDigits: 9,
  phoneMaxDigits: 16,
} as const;

export interface SquareAddress {
  address_line_1?: string;
  address_line_2?: string;
  address_line_3?: string;
  locality?: string;
  administrative_district_level_1?: string;
  postal_code?: string;
  country?: string;
}

/** Body of `POST /v2/customers`. */
export interface SquareCreateCustomerRequest {
  idempotency_key: string;
  given_name?: string;
  family_name?: string;
  email_address?: string;
  phone_number?: string;
  address?: SquareAddress;
  reference_id: string;
  note?: string;
}

export interface SquareCreateCustomerResponse {
  customer: { id: string };
}

export interface SquareError {
  category?: string;
  code?: string;
  detail?: string;
  field?: string;
}

export interface SquareErrorResponse {
  errors: SquareError[];
}

/**
 * Square keeps given and family name apart and has no full-name field: customer_name goes whole
 * into given_name unless the billing names spell it.
 */
function squareNames(customer: CustomerProfile): { given: Sourced; family: Sourced } {
  const { firstName, lastName } = personName(customer, { splitCustomerName: false });
  return { given: firstName, family: lastName };
}

function toSquareAddress(address: PostalAddress | undefined): SquareAddress | undefined {
  if (!address) return undefined;
  const squareAddress: SquareAddress = {
    address_line_1: address.line1,
    address_line_2: address.line2,
    address_line_3: address.line3,
    locality: address.city,
    administrative_district_level_1: address.state,
    postal_code: address.zipCode,
    country: address.country,
  };
  return Object.values(squareAddress).some((value) => value !== undefined) ? squareAddress : undefined;
}

/**
 * Square's `reference_id` holds at most 100 characters. A longer merchant_customer_id is never
 * truncated (two ids would collide); the mapping's stable, PII-free reference stands in for it.
 */
function squareReferenceId(customer: CustomerProfile, reference: string): string {
  return customer.merchantCustomerId.length <= SQUARE_LIMITS.referenceId ? customer.merchantCustomerId : reference;
}

/**
 * Square customers have no metadata (custom attributes need definitions and a second API), so
 * the merchant's metadata travels in `note`, as a JSON object the merchant can read back.
 */
function squareNote(customer: CustomerProfile): string | undefined {
  return Object.keys(customer.metadata).length > 0 ? JSON.stringify(customer.metadata) : undefined;
}

/**
 * Our customer → Square's `CreateCustomer` body. Square holds one address: the billing address,
 * else the shipping address. Email and phone fall back to the billing address's.
 */
export function toSquareCreateCustomerRequest(customer: CustomerProfile, call: { idempotencyKey: string; reference: string }): SquareCreateCustomerRequest {
  const names = squareNames(customer);
  return {
    idempotency_key: call.idempotencyKey,
    given_name: names.given.value,
    family_name: names.family.value,
    email_address: customerEmail(customer).value,
    phone_number: customerPhone(customer).value,
    address: toSquareAddress(customer.billingAddress) ?? toSquareAddress(customer.shippingAddress),
    reference_id: squareReferenceId(customer, call.reference),
    note: squareNote(customer),
  };
}

function tooLong({ value, field }: Sourced, max: number, squareField: string): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Square's ${squareField} holds at most ${max} characters (got ${value.length})` }] : [];
}

/** Square's limits, checked on the values we would send, reported on the merchant's fields. */
export function validateForSquare(customer: CustomerProfile): FieldViolation[] {
  const names = squareNames(customer);
  const emailAddress = customerEmail(customer);
  const phoneNumber = customerPhone(customer);
  if ([names.given, names.family, emailAddress, phoneNumber].every((sourced) => sourced.value === undefined)) {
    const description = 'Square needs at least one of a name (customer_name or billing first_name/last_name), an email or a phone number';
    return ['customer_name', 'email', 'phone_number'].map((field) => ({ field, description }));
  }
  const violations = [
    ...tooLong(names.given, SQUARE_LIMITS.givenName, 'given_name'),
    ...tooLong(names.family, SQUARE_LIMITS.familyName, 'family_name'),
    ...tooLong(emailAddress, SQUARE_LIMITS.emailAddress, 'email_address'),
  ];
  if (phoneNumber.value !== undefined) {
    const digits = phoneNumber.value.replace(/\D/g, '').length;
    if (digits < SQUARE_LIMITS.phoneMinDigits || digits > SQUARE_LIMITS.phoneMaxDigits) {
      violations.push({
        field: phoneNumber.field,
        description: `Square accepts phone numbers of ${SQUARE_LIMITS.phoneMinDigits}–${SQUARE_LIMITS.phoneMaxDigits} digits, country code included (got ${digits})`,
      });
    }
  }
  return violations;
}

export function isSquareCustomerResponse(body: unknown): body is SquareCreateCustomerResponse {
  const customer = (body as Partial<SquareCreateCustomerResponse> | null)?.customer;
  return typeof customer === 'object' && customer !== null && typeof customer.id === 'string' && customer.id !== '';
}

export function isSquareErrorResponse(body: unknown): body is SquareErrorResponse {
  const errors = (body as Partial<SquareErrorResponse> | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((error) => typeof error === 'object' && error !== null);
}
