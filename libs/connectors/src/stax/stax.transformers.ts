import { COUNTRY_ALPHA2_CODES, type CountryAlpha2 } from '@app/common/domain/country-alpha2';
import { countryAlpha3 } from '@app/common/domain/country-alpha3';
import { customerEmail, customerPhone, personName } from '@app/common/domain/customer-fields';
import { fullName, type CustomerProfile, type PostalAddress } from '@app/common/domain/customer-profile';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

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

/**
 * The customer object of `GET /customer/{id}` (Stax API reference, Get a Customer's Information):
 * the fields we read. A soft-deleted customer is still answered, with `deleted_at` set.
 */
export interface StaxCustomer extends StaxCustomerResponse {
  firstname?: string | null;
  lastname?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  address_1?: string | null;
  address_2?: string | null;
  address_city?: string | null;
  address_state?: string | null;
  address_zip?: string | null;
  address_country?: string | null;
  reference?: string | null;
  notes?: string | null;
  created_at?: string | null;
  deleted_at?: string | null;
}

/**
 * Body of `PUT /customer/{id}`: every field we manage, the change merged into what Stax holds, so
 * the answer is the same whether Stax changes only the fields sent or replaces the record; the
 * `company` we never set is sent back as held, so the name-or-email-or-company rule holds too.
 */
export type StaxUpdateCustomerRequest = Partial<StaxCreateCustomerRequest> & { company?: string };

/** `GET /customer` (Stax API reference, Find all Customers): a Laravel page. */
export interface StaxCustomerPage {
  current_page?: number;
  last_page?: number;
  next_page_url?: string | null;
  data: StaxCustomer[];
}

/** `GET /self` (official fattmerchant-android-sdk `OmniApi.getSelf`, `Self.kt`): the key's user and merchant. */
export interface StaxSelf {
  merchant: { id: string };
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
  const violations: FieldViolation[] = [];
  if (!request.firstname && !request.lastname && !request.email) {
    violations.push({
      field: 'customer_name',
      description: 'Stax requires a name or an email: give customer_name, email, or the billing first_name, last_name or email',
    });
  }
  return [...violations, ...staxLimitViolations(customer, request)];
}

/** An update's limits: create's lengths and formats; nothing is required (what is not named stays as Stax holds it). */
export function validateStaxUpdate(change: CustomerProfile): FieldViolation[] {
  return staxLimitViolations(change, toStaxCreateCustomerRequest(change));
}

/** The lengths and formats of `request`, the body built from `customer`, one violation per merchant field. */
function staxLimitViolations(customer: CustomerProfile, request: StaxCreateCustomerRequest): FieldViolation[] {
  const names = personName(customer, { splitCustomerName: true });
  const violations: FieldViolation[] = [];
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

const MANAGED_FIELDS = ['firstname', 'lastname', 'email', 'phone', 'address_1', 'address_2', 'address_city', 'address_state', 'address_zip', 'address_country'] as const;

function held(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** The metadata our notes hold: a JSON object of strings, or nothing; anything else is the merchant's own text. */
export function staxMetadataOf(notes: string | null | undefined): Record<string, string> | undefined {
  if (held(notes) === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(notes!);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    return Object.values(parsed).every((value) => typeof value === 'string') ? (parsed as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A change merged into the customer Stax holds: the fields the change names replace Stax's, the
 * others are sent back as held; metadata keys merge into the notes JSON. Notes holding the
 * merchant's own text are never overwritten: such a change to metadata is refused.
 */
export function toStaxUpdateCustomerRequest(change: CustomerProfile, current: StaxCustomer): StaxUpdateCustomerRequest {
  const wanted = toStaxCreateCustomerRequest(change);
  const body: StaxUpdateCustomerRequest = { company: held(current.company), reference: wanted.reference };
  for (const field of MANAGED_FIELDS) body[field] = wanted[field] ?? held(current[field]);
  if (Object.keys(change.metadata).length === 0) {
    body.notes = held(current.notes);
    return body;
  }
  const metadata = staxMetadataOf(current.notes);
  if (metadata === undefined) throw DomainError.invalidField('metadata', 'Stax holds notes on this customer that are not metadata written by this service; they are not overwritten');
  body.notes = JSON.stringify({ ...metadata, ...change.metadata });
  if (body.notes.length > STAX_LIMITS.notes) throw DomainError.invalidField('metadata', `merged with the metadata Stax holds, it is over ${STAX_LIMITS.notes} characters as JSON`);
  return body;
}

const ALPHA2_BY_ALPHA3: ReadonlyMap<string, CountryAlpha2> = new Map(COUNTRY_ALPHA2_CODES.map((code) => [countryAlpha3(code), code]));

/** What Stax holds of a customer, as it answers it; metadata when the notes hold ours. */
export function staxRecord(customer: StaxCustomer): CustomerRecord {
  const country = held(customer.address_country);
  const address: PostalAddress = {
    line1: held(customer.address_1),
    line2: held(customer.address_2),
    city: held(customer.address_city),
    state: held(customer.address_state),
    zipCode: held(customer.address_zip),
    country: country === undefined ? undefined : ALPHA2_BY_ALPHA3.get(country.toUpperCase()),
  };
  const addressFields = Object.entries(address).filter(([, value]) => value !== undefined);
  const record: CustomerRecord = {
    name: fullName(held(customer.firstname), held(customer.lastname)),
    email: held(customer.email),
    phone: held(customer.phone),
    billingAddress: addressFields.length > 0 ? (Object.fromEntries(addressFields) as PostalAddress) : undefined,
    metadata: staxMetadataOf(customer.notes),
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as CustomerRecord;
}

/** Customers of a page holding `reference`, not soft-deleted. */
export function staxCustomersReferencing(page: StaxCustomerPage, reference: string): StaxCustomer[] {
  return page.data.filter((customer) => customer.reference === reference && held(customer.deleted_at) === undefined);
}

/** The oldest customer (`created_at` is `YYYY-MM-DD hh:mm:ss`, so text order is time order). */
export function earliestStaxCustomer(customers: readonly StaxCustomer[]): StaxCustomer | undefined {
  return [...customers].sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''))[0];
}

export function isStaxCustomerPage(body: unknown): body is StaxCustomerPage {
  return typeof body === 'object' && body !== null && Array.isArray((body as StaxCustomerPage).data) && (body as StaxCustomerPage).data.every(isStaxCustomer);
}

export function isStaxSelf(body: unknown): body is StaxSelf {
  const merchant = (body as Partial<StaxSelf> | null)?.merchant;
  return typeof merchant === 'object' && merchant !== null && typeof merchant.id === 'string' && merchant.id !== '';
}

export function isStaxDeleted(customer: StaxCustomer): boolean {
  return held(customer.deleted_at) !== undefined;
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
 * `{"error": …}`, a bare array (`["not team admin"]`), a Laravel validation object keyed by
 * field (`{"email": ["The email must be a valid email address."]}`), or one message keyed by the
 * field it is about (`{"id": "customer not found"}`, Get a Customer's Information, 404). Without a code of its own,
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
  // A field keyed answer: Laravel's `{"email": ["…"]}`, or the lookups' `{"id": "customer not found"}`.
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'code') continue;
    const message = firstString(value);
    if (message !== undefined) return { code, message, param: field };
  }
  return undefined;
}
