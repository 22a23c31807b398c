import { isCountryAlpha2 } from '@app/common/domain/country-alpha2';
import { customerEmail, customerName } from '@app/common/domain/customer-fields';
import type { CustomerProfile, PostalAddress } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/** Metadata key under which we store the merchant's customer id at Shift4 (our back-reference). */
export const SHIFT4_BACK_REFERENCE_KEY = 'merchant_customer_id';

/**
 * Body of `POST /customers` (https://dev.shift4.com/docs/api#customer-create). Shift4's customer
 * holds email, description, metadata and cards: no name, phone or address field.
 */
export interface Shift4CreateCustomerRequest {
  /** Required by Shift4; `validateForShift4` refuses a customer without one. */
  email?: string;
  /** The customer's name: the one free-text field Shift4 shows next to a customer. */
  description?: string;
  metadata: Record<string, string>;
}

export interface Shift4CustomerResponse {
  id: string;
}

/**
 * The customer object as `GET /customers/{id}` answers it (https://dev.shift4.com/docs/api#customer-object;
 * shift4-java `response/Customer.java`, `Billing.java`, `Address.java`): only the fields we read.
 * A deleted customer stays readable with `deleted: true` (shift4-node customersSpec "should delete customer").
 */
export interface Shift4Customer extends Shift4CustomerResponse {
  created?: number;
  deleted?: boolean;
  email?: string | null;
  description?: string | null;
  phoneNumber?: string | null;
  metadata?: Record<string, string> | null;
  billing?: {
    name?: string | null;
    email?: string | null;
    phone?: string | null;
    address?: { line1?: string | null; line2?: string | null; zip?: string | null; city?: string | null; state?: string | null; country?: string | null } | null;
  } | null;
}

/** Body of `POST /customers/{id}` (https://dev.shift4.com/docs/api#customer-update): only what changes. */
export interface Shift4UpdateCustomerRequest {
  email?: string;
  description?: string;
  /** Replaces the customer's metadata whole (shift4-php CustomerTest::testUpdateCustomer): always the merged map. */
  metadata?: Record<string, string>;
}

/** `GET /customers` (https://dev.shift4.com/docs/api#customer-list): newest first. */
export interface Shift4CustomerList {
  list: Shift4Customer[];
  hasMore?: boolean;
}

/** https://dev.shift4.com/docs/api#error-object; `code` is set for card errors only. */
export interface Shift4ErrorResponse {
  error: {
    type?: string;
    code?: string;
    message?: string;
  };
}

/** Our customer → Shift4's create-customer body; email falls back to the billing email. */
export function toShift4CreateCustomerRequest(customer: CustomerProfile): Shift4CreateCustomerRequest {
  return {
    email: customerEmail(customer).value,
    description: customerName(customer).value,
    metadata: { ...customer.metadata, [SHIFT4_BACK_REFERENCE_KEY]: customer.merchantCustomerId },
  };
}

/**
 * Shift4 documents no length limits for these fields; what it does require is an email, and our
 * back-reference key must keep its meaning.
 */
export function validateForShift4(customer: CustomerProfile): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!customerEmail(customer).value) {
    violations.push({ field: 'email', description: 'Shift4 requires an email to create a customer: give email or address.billing_address.email' });
  }
  const reserved = customer.metadata[SHIFT4_BACK_REFERENCE_KEY];
  if (reserved !== undefined && reserved !== customer.merchantCustomerId) {
    violations.push({ field: `metadata.${SHIFT4_BACK_REFERENCE_KEY}`, description: 'is reserved for the request merchant_customer_id' });
  }
  return violations;
}

/** A change → the update body: the fields it names; metadata merged into what Shift4 holds, back-reference kept. */
export function toShift4UpdateCustomerRequest(change: CustomerProfile, heldMetadata?: Record<string, string> | null): Shift4UpdateCustomerRequest {
  const changesMetadata = Object.keys(change.metadata).length > 0;
  return {
    email: customerEmail(change).value,
    description: customerName(change).value,
    metadata: changesMetadata ? { ...heldMetadata, ...change.metadata, [SHIFT4_BACK_REFERENCE_KEY]: change.merchantCustomerId } : undefined,
  };
}

/** Whether an update must read the customer first: Shift4 replaces metadata whole. */
export function updateChangesShift4Metadata(change: CustomerProfile): boolean {
  return Object.keys(change.metadata).length > 0;
}

/** An update's limits: create's, except that nothing is required (what is not named stays). */
export function validateShift4Update(change: CustomerProfile): FieldViolation[] {
  return validateForShift4(change).filter((violation) => violation.field !== 'email');
}

function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

function shift4Address(billing: NonNullable<Shift4Customer['billing']>): PostalAddress | undefined {
  const address = billing.address ?? {};
  const country = present(address.country);
  const postal: PostalAddress = {
    line1: present(address.line1),
    line2: present(address.line2),
    city: present(address.city),
    state: present(address.state),
    zipCode: present(address.zip),
    country: isCountryAlpha2(country) ? country : undefined,
    email: present(billing.email),
    phoneNumber: present(billing.phone),
  };
  const fields = Object.entries(postal).filter(([, value]) => value !== undefined);
  return fields.length > 0 ? (Object.fromEntries(fields) as PostalAddress) : undefined;
}

/** What Shift4 holds of a customer, as it answers it. */
export function shift4Record(customer: Shift4Customer): CustomerRecord {
  const record: CustomerRecord = {
    name: present(customer.description),
    email: present(customer.email),
    phone: present(customer.phoneNumber),
    billingAddress: customer.billing ? shift4Address(customer.billing) : undefined,
    metadata: customer.metadata ?? undefined,
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as CustomerRecord;
}

/** The customers of a list page that carry our back-reference for `merchantCustomerId` and are not deleted. */
export function customersReferencing(page: Shift4CustomerList, merchantCustomerId: string): Shift4Customer[] {
  return page.list.filter((customer) => customer.deleted !== true && customer.metadata?.[SHIFT4_BACK_REFERENCE_KEY] === merchantCustomerId);
}

/** The oldest of several customers listed newest first: the one every later call should keep using. */
export function earliestShift4Customer(newestFirst: readonly Shift4Customer[]): Shift4Customer | undefined {
  return [...newestFirst].reverse().sort((a, b) => (a.created ?? 0) - (b.created ?? 0))[0];
}

export function isShift4CustomerList(body: unknown): body is Shift4CustomerList {
  return typeof body === 'object' && body !== null && Array.isArray((body as Shift4CustomerList).list) && (body as Shift4CustomerList).list.every(isShift4Customer);
}

export function isShift4Customer(body: unknown): body is Shift4CustomerResponse {
  return typeof body === 'object' && body !== null && typeof (body as Shift4CustomerResponse).id === 'string' && (body as Shift4CustomerResponse).id !== '';
}

export function isShift4Error(body: unknown): body is Shift4ErrorResponse {
  return typeof body === 'object' && body !== null && typeof (body as Shift4ErrorResponse).error === 'object' && (body as Shift4ErrorResponse).error !== null;
}
