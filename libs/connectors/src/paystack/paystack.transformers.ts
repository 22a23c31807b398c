import { customerEmail, customerPhone, personName } from '@app/common/domain/customer-fields';
import { fullName, type CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/** Metadata key under which we store the merchant's customer id at Paystack (our back-reference). */
export const PAYSTACK_BACK_REFERENCE_KEY = 'merchant_customer_id';

/**
 * Body of `POST /customer` (`customer_create`). `metadata` is a string: Paystack's OpenAPI
 * contract and its generated SDK type it as "Stringified JSON object of custom data".
 */
export interface PaystackCreateCustomerRequest {
  email: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  metadata: string;
}

/** `PUT /customer/{code}` (`customer_update`): no email — Paystack's update cannot change it. */
export interface PaystackUpdateCustomerRequest {
  first_name?: string;
  last_name?: string;
  phone?: string;
  metadata?: string;
}

/** A customer as create, fetch and update answer it (`data`), only the fields read. */
export interface PaystackCustomerObject {
  customer_code: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  metadata?: unknown;
}

export interface PaystackCustomerAnswer {
  status: true;
  data: PaystackCustomerObject;
}

export interface PaystackErrorResponse {
  status: false;
  message?: string;
  type?: string;
  code?: string;
}

/**
 * Our customer → Paystack's `customer_create` body. Email and phone fall back to the billing
 * address's; customer_name goes whole into first_name unless the billing names spell it.
 * Paystack customers hold no address.
 */
export function toPaystackCreateCustomerRequest(customer: CustomerProfile): PaystackCreateCustomerRequest {
  const { firstName, lastName } = personName(customer, { splitCustomerName: false });
  return {
    email: customerEmail(customer).value!,
    first_name: firstName.value,
    last_name: lastName.value,
    phone: customerPhone(customer).value,
    metadata: JSON.stringify({ ...customer.metadata, [PAYSTACK_BACK_REFERENCE_KEY]: customer.merchantCustomerId }),
  };
}

/** The metadata Paystack holds, as an object (it answers it as one; a string is read as the JSON it carries). */
export function paystackMetadataOf(customer: PaystackCustomerObject): Record<string, unknown> {
  let metadata = customer.metadata;
  if (typeof metadata === 'string') {
    try {
      metadata = JSON.parse(metadata);
    } catch {
      return {};
    }
  }
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {};
}

/** Is this the customer our create made for `merchantCustomerId`? Its metadata carries our back-reference. */
export function isOurPaystackCustomer(customer: PaystackCustomerObject, merchantCustomerId: string): boolean {
  return paystackMetadataOf(customer)[PAYSTACK_BACK_REFERENCE_KEY] === merchantCustomerId;
}

/**
 * A change → `customer_update`, sending back every field Paystack holds with the change merged in:
 * whether Paystack keeps fields an update leaves out is undocumented, so none is left out. A name
 * sets both name fields, the part create would not send emptied. Metadata keys merge into the
 * held ones (our back-reference stays).
 */
export function toPaystackUpdateCustomerRequest(change: CustomerProfile, held: PaystackCustomerObject): PaystackUpdateCustomerRequest {
  const { firstName, lastName } = personName(change, { splitCustomerName: false });
  const named = firstName.value !== undefined || lastName.value !== undefined;
  const request: PaystackUpdateCustomerRequest = {
    first_name: named ? (firstName.value ?? '') : (held.first_name ?? undefined),
    last_name: named ? (lastName.value ?? '') : (held.last_name ?? undefined),
    phone: customerPhone(change).value ?? held.phone ?? undefined,
    metadata: JSON.stringify({ ...paystackMetadataOf(held), ...change.metadata }),
  };
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined)) as PaystackUpdateCustomerRequest;
}

/** The change's email, when it asks Paystack for another one than it holds (which Paystack's update cannot do). */
export function paystackEmailChange(change: CustomerProfile, held: PaystackCustomerObject): { field: string; value: string } | undefined {
  const { value, field } = customerEmail(change);
  return value !== undefined && value.toLowerCase() !== (held.email ?? '').toLowerCase() ? { field, value } : undefined;
}

/** What Paystack holds of a customer; metadata values that are not strings come back as JSON. */
export function paystackCustomerRecord(customer: PaystackCustomerObject): CustomerRecord {
  const metadata = Object.fromEntries(Object.entries(paystackMetadataOf(customer)).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
  const record: CustomerRecord = {
    name: fullName(customer.first_name ?? undefined, customer.last_name ?? undefined),
    email: customer.email ?? undefined,
    phone: customer.phone ?? undefined,
    metadata,
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== '')) as CustomerRecord;
}

/** A path segment for `GET /customer/{email_or_code}`; an email keeps its `@`, so log scrubbing still sees an email. */
export function paystackCustomerSegment(emailOrCode: string): string {
  return encodeURIComponent(emailOrCode).replace(/%40/g, '@');
}

/** The limits of an update: our back-reference key left to us (an email is not required to change the rest). */
export function validateForPaystackUpdate(change: CustomerProfile): FieldViolation[] {
  return validateForPaystack(change).filter((violation) => violation.field !== 'email');
}

/** What Paystack requires before any call: an email, and our back-reference key left to us. */
export function validateForPaystack(customer: CustomerProfile): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (customerEmail(customer).value === undefined) {
    violations.push({ field: 'email', description: 'Paystack requires an email (email, or address.billing_address.email)' });
  }
  const backReference = customer.metadata[PAYSTACK_BACK_REFERENCE_KEY];
  if (backReference !== undefined && backReference !== customer.merchantCustomerId) {
    violations.push({ field: `metadata.${PAYSTACK_BACK_REFERENCE_KEY}`, description: 'is reserved for the request merchant_customer_id' });
  }
  return violations;
}

export function isPaystackCustomerAnswer(body: unknown): body is PaystackCustomerAnswer {
  const response = body as Partial<PaystackCustomerAnswer> | null;
  const code = response?.data?.customer_code;
  return response?.status === true && typeof code === 'string' && code !== '';
}

export function isPaystackErrorResponse(body: unknown): body is PaystackErrorResponse {
  return typeof body === 'object' && body !== null && (body as PaystackErrorResponse).status === false;
}
