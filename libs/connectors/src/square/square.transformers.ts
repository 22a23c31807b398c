import type { CountryAlpha2 } from '@app/common/domain/country-alpha2';
import { customerEmail, customerPhone, personName, type Sourced } from '@app/common/domain/customer-fields';
import { fullName, type CustomerProfile, type PostalAddress } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

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

/** A customer as `GET`/`PUT /v2/customers/{id}` answer it (`Customer`), only the fields read. */
export interface SquareCustomerObject {
  id: string;
  created_at?: string;
  given_name?: string;
  family_name?: string;
  email_address?: string;
  phone_number?: string;
  address?: SquareAddress;
  reference_id?: string;
  note?: string;
  version?: number;
}

/**
 * Body of `PUT /v2/customers/{id}` (square npm 46.0.0 `UpdateCustomerRequest`): a sparse update,
 * `null` clears a field; `version` guards a read-merge-write against a concurrent change.
 */
export interface SquareUpdateCustomerRequest {
  given_name?: string | null;
  family_name?: string | null;
  email_address?: string;
  phone_number?: string;
  address?: SquareAddress;
  note?: string;
  version?: number;
}

/** Body of `POST /v2/customers/search` by exact `reference_id`, oldest first. */
export interface SquareSearchCustomersRequest {
  query: { filter: { reference_id: { exact: string } }; sort: { field: 'CREATED_AT'; order: 'ASC' } };
  limit: number;
  cursor?: string;
}

export interface SquareSearchCustomersResponse {
  customers?: SquareCustomerObject[];
  cursor?: string;
}

/** `GET /v2/merchants/me`. */
export interface SquareMerchantResponse {
  merchant: { id: string };
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
export function squareReferenceId(customer: CustomerProfile, reference: string): string {
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

/** The merchant metadata held in a Square note, when the note is ours: a JSON object of strings. */
export function metadataInNote(note: string | undefined): Record<string, string> | undefined {
  if (note === undefined || note === '') return {};
  try {
    const parsed: unknown = JSON.parse(note);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    return Object.values(parsed).every((value) => typeof value === 'string') ? (parsed as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** Does the change touch metadata? Square's note holds all of it, so it is read and merged first. */
export function squareUpdateNeedsHeldCustomer(change: CustomerProfile): boolean {
  return Object.keys(change.metadata).length > 0;
}

/**
 * A change → Square's sparse `UpdateCustomer` body, mapped as on create, with only what the change
 * holds: Square keeps what is not sent (address fields too). A name sets both name fields, the part
 * create would leave out cleared (`null`). Metadata is merged into the held note's keys, with the
 * held `version` so a concurrent change is refused rather than overwritten.
 */
export function toSquareUpdateCustomerRequest(change: CustomerProfile, held?: SquareCustomerObject): SquareUpdateCustomerRequest {
  const names = squareNames(change);
  const named = names.given.value !== undefined || names.family.value !== undefined;
  const request: SquareUpdateCustomerRequest = {
    ...(named && { given_name: names.given.value ?? null, family_name: names.family.value ?? null }),
    email_address: customerEmail(change).value,
    phone_number: customerPhone(change).value,
    address: toSquareAddress(change.billingAddress) ?? toSquareAddress(change.shippingAddress),
  };
  if (held) {
    const heldMetadata = metadataInNote(held.note) ?? {};
    request.note = JSON.stringify({ ...heldMetadata, ...change.metadata });
    request.version = held.version;
  }
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as SquareUpdateCustomerRequest;
}

/** The search for the customers an earlier create of this mapping made: Square's `reference_id` is ours. */
export function toSquareSearchByReference(referenceId: string, cursor?: string): SquareSearchCustomersRequest {
  return {
    query: { filter: { reference_id: { exact: referenceId } }, sort: { field: 'CREATED_AT', order: 'ASC' } },
    limit: 100,
    ...(cursor !== undefined && { cursor }),
  };
}

/** The object without its undefined and null fields. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** What Square holds of a customer; the metadata is the note's, when it is ours. */
export function squareCustomerRecord(customer: SquareCustomerObject): CustomerRecord {
  const address = customer.address;
  const billing: PostalAddress | undefined = address && {
    line1: address.address_line_1,
    line2: address.address_line_2,
    line3: address.address_line_3,
    city: address.locality,
    state: address.administrative_district_level_1,
    zipCode: address.postal_code,
    country: address.country as CountryAlpha2 | undefined,
  };
  const billingAddress = billing && defined(billing);
  return defined({
    name: fullName(customer.given_name, customer.family_name),
    email: customer.email_address,
    phone: customer.phone_number,
    billingAddress: billingAddress && Object.keys(billingAddress).length > 0 ? billingAddress : undefined,
    metadata: metadataInNote(customer.note),
  });
}

function tooLong({ value, field }: Sourced, max: number, squareField: string): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Square's ${squareField} holds at most ${max} characters (got ${value.length})` }] : [];
}

/**
 * Square's limits, checked on the values we would send, reported on the merchant's fields. A
 * change (`identifying: false`) need not name the customer again: the profile keeps what it has.
 */
export function validateForSquare(customer: CustomerProfile, { identifying = true } = {}): FieldViolation[] {
  const names = squareNames(customer);
  const emailAddress = customerEmail(customer);
  const phoneNumber = customerPhone(customer);
  if (identifying && [names.given, names.family, emailAddress, phoneNumber].every((sourced) => sourced.value === undefined)) {
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

/** The limits of an update: create's, except that a change need not name the customer. */
export function validateForSquareUpdate(change: CustomerProfile): FieldViolation[] {
  return validateForSquare(change, { identifying: false });
}

export function isSquareCustomerResponse(body: unknown): body is SquareCreateCustomerResponse {
  const customer = (body as Partial<SquareCreateCustomerResponse> | null)?.customer;
  return typeof customer === 'object' && customer !== null && typeof customer.id === 'string' && customer.id !== '';
}

export function isSquareErrorResponse(body: unknown): body is SquareErrorResponse {
  const errors = (body as Partial<SquareErrorResponse> | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((error) => typeof error === 'object' && error !== null);
}

export function isSquareSearchResponse(body: unknown): body is SquareSearchCustomersResponse {
  const customers = (body as Partial<SquareSearchCustomersResponse> | null)?.customers;
  return typeof body === 'object' && body !== null && (customers === undefined || (Array.isArray(customers) && customers.every((c) => typeof c?.id === 'string')));
}

export function isSquareMerchantResponse(body: unknown): body is SquareMerchantResponse {
  const id = (body as Partial<SquareMerchantResponse> | null)?.merchant?.id;
  return typeof id === 'string' && id !== '';
}
