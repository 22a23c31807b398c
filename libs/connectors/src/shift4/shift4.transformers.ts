import { isCountryAlpha2 } from '@app/common/domain/country-alpha2';
import { customerEmail, customerName } from '@app/common/domain/customer-fields';
import { fullName, internationalPhone, type CustomerProfile, type PostalAddress } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/** Metadata key under which we store the merchant's customer id at Shift4 (our back-reference). */
export const SHIFT4_BACK_REFERENCE_KEY = 'merchant_customer_id';

/** shift4-java `request/AddressRequest.java` (serialized by field name, `util/ObjectSerializer.java`). */
export interface Shift4AddressRequest {
  line1?: string;
  line2?: string;
  zip?: string;
  city?: string;
  state?: string;
  country?: string;
}

/**
 * shift4-java `request/BillingRequest.java`: the billing block of a customer, on create and update.
 * `vat` is never built from a request (we hold none); an update keeps the one Shift4 holds.
 */
export interface Shift4BillingRequest {
  name?: string;
  address?: Shift4AddressRequest;
  vat?: string;
  email?: string;
  phone?: string;
}

/**
 * Body of `POST /customers` (https://dev.shift4.com/docs/api#customer-create; shift4-java
 * `request/CustomerRequest.java`). Shift4's customer holds email, description, phoneNumber,
 * billing, metadata and cards: no separate name and no shipping address.
 */
export interface Shift4CreateCustomerRequest {
  /** Required by Shift4; `validateForShift4` refuses a customer without one. */
  email?: string;
  /** The customer's name: the one free-text field Shift4 shows next to a customer. */
  description?: string;
  /** Create only: shift4-java `CustomerUpdateRequest` has no `phoneNumber`. No format documented: E.164 as we hold it. */
  phoneNumber?: string;
  billing?: Shift4BillingRequest;
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
    vat?: string | null;
    email?: string | null;
    phone?: string | null;
    address?: { line1?: string | null; line2?: string | null; zip?: string | null; city?: string | null; state?: string | null; country?: string | null } | null;
  } | null;
}

/**
 * Body of `POST /customers/{id}` (https://dev.shift4.com/docs/api#customer-update; shift4-java
 * `request/CustomerUpdateRequest.java`, which has `billing` but no `phoneNumber`): only what changes.
 */
export interface Shift4UpdateCustomerRequest {
  email?: string;
  description?: string;
  /** The held block merged with the change: whether Shift4 merges or replaces it is not documented. */
  billing?: Shift4BillingRequest;
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
    phoneNumber: customer.phone,
    billing: toShift4Billing(customer),
    metadata: { ...customer.metadata, [SHIFT4_BACK_REFERENCE_KEY]: customer.merchantCustomerId },
  };
}

/**
 * The billing address → Shift4's `billing`: the name from the billing first and last name, else
 * the customer_name; the phone with its calling code; line3 joined to line2 (Shift4 has two lines).
 * Undefined when the customer gives no billing address, or one with nothing Shift4 holds.
 */
export function toShift4Billing(customer: CustomerProfile): Shift4BillingRequest | undefined {
  const billing = customer.billingAddress;
  if (!billing) return undefined;
  const address = defined<Shift4AddressRequest>({
    line1: billing.line1,
    line2: [billing.line2, billing.line3].filter(Boolean).join(' ') || undefined,
    zip: billing.zipCode,
    city: billing.city,
    state: billing.state,
    country: billing.country,
  });
  return defined<Shift4BillingRequest>({
    name: fullName(billing.firstName, billing.lastName) ?? customer.name,
    email: billing.email,
    phone: internationalPhone(billing.phoneNumber, billing.phoneCountryCode),
    address,
  });
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

/**
 * A change → the update body: the fields it names; billing and metadata merged into what Shift4
 * holds (`held`, read first when `updateReadsShift4CustomerFirst`), back-reference kept. No phone:
 * Shift4's update takes none (`shift4PhoneChange` refuses a change to it).
 */
export function toShift4UpdateCustomerRequest(change: CustomerProfile, held?: Shift4Customer): Shift4UpdateCustomerRequest {
  const changesMetadata = Object.keys(change.metadata).length > 0;
  const billing = toShift4Billing(change);
  return {
    email: customerEmail(change).value,
    description: customerName(change).value,
    billing: billing && mergedShift4Billing(held?.billing, billing),
    metadata: changesMetadata ? { ...held?.metadata, ...change.metadata, [SHIFT4_BACK_REFERENCE_KEY]: change.merchantCustomerId } : undefined,
  };
}

/**
 * Whether an update must read the customer first: Shift4 replaces metadata whole, may replace the
 * billing block whole (undocumented), and a phone can only be compared with the one it holds.
 */
export function updateReadsShift4CustomerFirst(change: CustomerProfile): boolean {
  return Object.keys(change.metadata).length > 0 || toShift4Billing(change) !== undefined || change.phone !== undefined;
}

/** The change's phone, when it asks for another one than Shift4 holds (which Shift4's update cannot send). */
export function shift4PhoneChange(change: CustomerProfile, held: Shift4Customer): string | undefined {
  return change.phone !== undefined && change.phone !== present(held.phoneNumber) ? change.phone : undefined;
}

/** What Shift4 holds of the billing block (known fields only), the change's fields over it. */
function mergedShift4Billing(held: Shift4Customer['billing'], change: Shift4BillingRequest): Shift4BillingRequest | undefined {
  const heldAddress = held?.address;
  const address = defined<Shift4AddressRequest>({
    line1: present(heldAddress?.line1),
    line2: present(heldAddress?.line2),
    zip: present(heldAddress?.zip),
    city: present(heldAddress?.city),
    state: present(heldAddress?.state),
    country: present(heldAddress?.country),
    ...change.address,
  });
  return defined<Shift4BillingRequest>({
    name: present(held?.name),
    vat: present(held?.vat),
    email: present(held?.email),
    phone: present(held?.phone),
    ...change,
    address,
  });
}

/** An update's limits: create's, except that nothing is required (what is not named stays). */
export function validateShift4Update(change: CustomerProfile): FieldViolation[] {
  return validateForShift4(change).filter((violation) => violation.field !== 'email');
}

function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** The object without its undefined fields; undefined when none is left. */
function defined<T extends object>(value: T): T | undefined {
  const fields = Object.entries(value).filter(([, field]) => field !== undefined);
  return fields.length > 0 ? (Object.fromEntries(fields) as T) : undefined;
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
  return defined(postal);
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
  return defined(record) ?? {};
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
