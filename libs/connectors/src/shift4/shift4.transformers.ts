import { customerEmail, customerName } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

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

export function isShift4Customer(body: unknown): body is Shift4CustomerResponse {
  return typeof body === 'object' && body !== null && typeof (body as Shift4CustomerResponse).id === 'string' && (body as Shift4CustomerResponse).id !== '';
}

export function isShift4Error(body: unknown): body is Shift4ErrorResponse {
  return typeof body === 'object' && body !== null && typeof (body as Shift4ErrorResponse).error === 'object' && (body as Shift4ErrorResponse).error !== null;
}
