import { customerEmail, customerPhone, personName } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

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

export interface PaystackCreateCustomerResponse {
  status: true;
  data: { customer_code: string };
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

export function isPaystackCustomerResponse(body: unknown): body is PaystackCreateCustomerResponse {
  const response = body as Partial<PaystackCreateCustomerResponse> | null;
  const code = response?.data?.customer_code;
  return response?.status === true && typeof code === 'string' && code !== '';
}

export function isPaystackErrorResponse(body: unknown): body is PaystackErrorResponse {
  return typeof body === 'object' && body !== null && (body as PaystackErrorResponse).status === false;
}
