import { customerEmail, customerName, customerPhone, type Sourced } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

/** Notes key under which we store the merchant's customer id at Razorpay (our back-reference). */
export const RAZORPAY_BACK_REFERENCE_KEY = 'merchant_customer_id';

/** Limits from Razorpay's API reference, Customers → Create a Customer. */
export const RAZORPAY_LIMITS = {
  nameMin: 3,
  nameMax: 50,
  email: 64,
  contact: 15,
  contactMinDigits: 8,
  notesPairs: 15,
  notesValueLength: 256,
  gstin: 15,
} as const;

/**
 * "Alphanumeric value with period (.), apostrophe ('), forward slash (/), at (@) and parentheses"
 * (API reference, Create a Customer), with spaces between words as its example "Gaurav Kumar" has;
 * `-` and `_` are not listed. Starting and ending with a letter, digit, `.` or `)` is our inference
 * from Razorpay's "The name format is invalid" answers: stricter, so never a refusal we send on.
 */
const NAME_FORMAT = /^[\p{L}\p{M}\p{N}.)](?:[\p{L}\p{M}\p{N} '.()@/]*[\p{L}\p{M}\p{N}.)])?$/u;
const GSTIN_FORMAT = /^[A-Za-z0-9]{15}$/;

/** Body of `POST /v1/customers`. */
export interface RazorpayCreateCustomerRequest {
  name?: string;
  email?: string;
  contact?: string;
  gstin?: string;
  notes: Record<string, string>;
  /** `"0"`: a customer with the same details is returned instead of refused. Razorpay ignores a numeric 0. */
  fail_existing: '0';
}

export interface RazorpayCustomerResponse {
  id: string;
  entity?: 'customer';
  name?: string | null;
  email?: string | null;
  contact?: string | null;
  gstin?: string | null;
  /** An object, or `[]` when the customer has no notes. */
  notes?: Record<string, unknown> | unknown[] | null;
  created_at?: number;
}

/** Body of `PUT /v1/customers/{id}` (Edit Customer Details: name, email, contact only). */
export interface RazorpayEditCustomerRequest {
  name?: string;
  email?: string;
  contact?: string;
}

/** `GET /v1/customers`: a collection. */
export interface RazorpayCustomerCollection {
  entity?: 'collection';
  count: number;
  items: RazorpayCustomerResponse[];
}

export interface RazorpayErrorResponse {
  error: {
    code?: string;
    description?: string;
    field?: string;
    source?: string;
    step?: string;
    reason?: string;
    metadata?: Record<string, unknown>;
  };
}

function contactOf(customer: CustomerProfile): Required<Sourced> | undefined {
  const { value, field } = customerPhone(customer);
  if (value === undefined) return undefined;
  // Razorpay takes digits and a leading + only.
  return { field, value: value.replace(/[\s().-]/g, '') };
}

/**
 * Our customer → Razorpay's create-customer body. Razorpay customers hold no address; `gstin`
 * comes from `connector_feature_data.gstin`.
 */
export function toRazorpayCreateCustomerRequest(customer: CustomerProfile): RazorpayCreateCustomerRequest {
  const gstin = customer.featureData.gstin;
  return {
    name: customerName(customer).value,
    email: customerEmail(customer).value,
    contact: contactOf(customer)?.value,
    gstin: typeof gstin === 'string' ? gstin : undefined,
    notes: { ...customer.metadata, [RAZORPAY_BACK_REFERENCE_KEY]: customer.merchantCustomerId },
    fail_existing: '0',
  };
}

function nameViolations(customer: CustomerProfile, name: string | undefined): FieldViolation[] {
  if (name === undefined) return [];
  const { field } = customerName(customer);
  const length = [...name].length;
  if (length < RAZORPAY_LIMITS.nameMin || length > RAZORPAY_LIMITS.nameMax) {
    return [{ field, description: `Razorpay takes a name of ${RAZORPAY_LIMITS.nameMin} to ${RAZORPAY_LIMITS.nameMax} characters (got ${length})` }];
  }
  if (!NAME_FORMAT.test(name)) {
    return [{ field, description: "Razorpay takes letters, digits, spaces and . ' / @ ( ) in a name (no - or _), starting and ending with a letter, digit, . or )" }];
  }
  return [];
}

function emailViolations(customer: CustomerProfile, email: string | undefined): FieldViolation[] {
  if (email === undefined || email.length <= RAZORPAY_LIMITS.email) return [];
  return [{ field: customerEmail(customer).field, description: `Razorpay accepts at most ${RAZORPAY_LIMITS.email} characters (got ${email.length})` }];
}

function contactViolations(customer: CustomerProfile): FieldViolation[] {
  const contact = contactOf(customer);
  if (!contact) return [];
  const digits = contact.value.replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return [{ field: contact.field, description: 'Razorpay takes digits and a leading + only' }];
  if (contact.value.length > RAZORPAY_LIMITS.contact) {
    return [{ field: contact.field, description: `Razorpay takes at most ${RAZORPAY_LIMITS.contact} characters including the country code (got ${contact.value.length})` }];
  }
  if (digits.length < RAZORPAY_LIMITS.contactMinDigits) {
    return [{ field: contact.field, description: `Razorpay needs at least ${RAZORPAY_LIMITS.contactMinDigits} digits including the country code (got ${digits.length})` }];
  }
  return [];
}

function notesViolations(customer: CustomerProfile): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const keys = Object.keys(customer.metadata);
  if (keys.length + 1 > RAZORPAY_LIMITS.notesPairs) {
    violations.push({
      field: 'metadata',
      description: `Razorpay notes hold at most ${RAZORPAY_LIMITS.notesPairs} pairs, one of which holds merchant_customer_id (got ${keys.length})`,
    });
  }
  for (const key of keys) {
    const value = customer.metadata[key];
    if (key === RAZORPAY_BACK_REFERENCE_KEY && value !== customer.merchantCustomerId) {
      violations.push({ field: `metadata.${key}`, description: 'is reserved for the request merchant_customer_id' });
    }
    if (value.length > RAZORPAY_LIMITS.notesValueLength) {
      violations.push({ field: `metadata.${key}`, description: `Razorpay notes values are at most ${RAZORPAY_LIMITS.notesValueLength} characters` });
    }
  }
  return violations;
}

/** Razorpay's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForRazorpay(customer: CustomerProfile): FieldViolation[] {
  const request = toRazorpayCreateCustomerRequest(customer);
  const violations: FieldViolation[] = [];
  if (request.email === undefined && request.contact === undefined) {
    violations.push({
      field: 'email',
      description: 'Razorpay recognises a repeated create only by email and phone: give email or phone_number so a retry cannot create a second customer',
    });
  }
  if (request.name === undefined) {
    violations.push({ field: 'customer_name', description: 'is required by Razorpay (give customer_name, or the billing first and last name)' });
  }
  violations.push(...nameViolations(customer, request.name), ...emailViolations(customer, request.email), ...contactViolations(customer));
  const gstin = customer.featureData.gstin;
  if (gstin !== undefined && (typeof gstin !== 'string' || !GSTIN_FORMAT.test(gstin))) {
    violations.push({ field: 'connector_feature_data.gstin', description: `Razorpay takes a GSTIN of ${RAZORPAY_LIMITS.gstin} letters and digits` });
  }
  return [...violations, ...notesViolations(customer)];
}

/** The change as Razorpay's edit body, over what Razorpay holds: the edit takes name, email and contact. */
export function toRazorpayEditCustomerRequest(change: CustomerProfile, held: RazorpayCustomerResponse): RazorpayEditCustomerRequest {
  const { name, email, contact } = toRazorpayCreateCustomerRequest(change);
  const edit: RazorpayEditCustomerRequest = { name: name ?? held.name ?? undefined, email: email ?? held.email ?? undefined, contact: contact ?? held.contact ?? undefined };
  return Object.fromEntries(Object.entries(edit).filter(([, value]) => value !== undefined)) as RazorpayEditCustomerRequest;
}

/**
 * Razorpay's limits on an edit: those of create for the fields given (a name is not required, the
 * customer has one), and nothing Razorpay's edit cannot change (notes, GSTIN).
 */
export function validateRazorpayEdit(change: CustomerProfile): FieldViolation[] {
  const request = toRazorpayCreateCustomerRequest(change);
  const violations: FieldViolation[] = [...nameViolations(change, request.name), ...emailViolations(change, request.email), ...contactViolations(change)];
  if (Object.keys(change.metadata).length > 0) {
    violations.push({ field: 'metadata', description: 'Razorpay’s Edit Customer Details takes name, email and contact only: notes cannot be changed' });
  }
  if (change.featureData.gstin !== undefined) {
    violations.push({ field: 'connector_feature_data.gstin', description: 'Razorpay’s Edit Customer Details takes name, email and contact only: the GSTIN cannot be changed' });
  }
  return violations;
}

/** Razorpay's notes as our record's string map (`[]` when empty). */
export function recordNotes(notes: RazorpayCustomerResponse['notes']): Record<string, string> | undefined {
  if (typeof notes !== 'object' || notes === null || Array.isArray(notes)) return undefined;
  return Object.fromEntries(Object.entries(notes).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

export function isRazorpayCollection(body: unknown): body is RazorpayCustomerCollection {
  return typeof body === 'object' && body !== null && Array.isArray((body as RazorpayCustomerCollection).items) && (body as RazorpayCustomerCollection).items.every(isRazorpayCustomer);
}

export function isRazorpayCustomer(body: unknown): body is RazorpayCustomerResponse {
  return typeof body === 'object' && body !== null && typeof (body as RazorpayCustomerResponse).id === 'string' && (body as RazorpayCustomerResponse).id !== '';
}

/** The merchant customer id in the customer's notes, if it carries one. */
export function backReferenceOf(customer: RazorpayCustomerResponse): string | undefined {
  const notes = customer.notes;
  if (typeof notes !== 'object' || notes === null || Array.isArray(notes)) return undefined;
  const value = notes[RAZORPAY_BACK_REFERENCE_KEY];
  return typeof value === 'string' ? value : undefined;
}

export function isRazorpayError(body: unknown): body is RazorpayErrorResponse {
  return typeof body === 'object' && body !== null && typeof (body as RazorpayErrorResponse).error === 'object' && (body as RazorpayErrorResponse).error !== null;
}
