import { customerEmail, customerName, customerPhone } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/** Metadata key under which we store the merchant's customer id at Checkout.com (our back-reference). */
export const CHECKOUT_BACK_REFERENCE_KEY = 'merchant_customer_id';

/** Limits from Checkout.com's API reference: `StoreCustomerRequest` and `PhoneNumber`. */
export const CHECKOUT_LIMITS = {
  email: 255,
  name: 255,
  phoneCountryCode: 7,
  phoneNumberMin: 6,
  phoneNumberMax: 25,
  metadataPairs: 10,
  metadataKeyLength: 100,
  metadataValueLength: 100,
} as const;

/**
 * ITU-T E.164 country calling codes in use (geographic and non-geographic). The set is
 * prefix-free, so the leading digits of an international number match at most one code.
 */
const COUNTRY_CALLING_CODES = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 ' +
    '90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 ' +
    '239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 ' +
    '269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 ' +
    '385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 ' +
    '673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852 853 855 856 870 878 880 ' +
    '881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 995 996 998'
  ).split(' '),
);

export interface CheckoutPhone {
  country_code?: string;
  number: string;
}

/** Body of `POST /customers`. */
export interface CheckoutCreateCustomerRequest {
  email?: string;
  name?: string;
  phone?: CheckoutPhone;
  metadata: Record<string, string>;
}

export interface CheckoutCustomerResponse {
  id: string;
}

/** `GET /customers/{identifier}` (`RetrieveCustomerResponse`), reduced to what we read. */
export interface CheckoutRetrieveCustomerResponse {
  id: string;
  email?: string;
  name?: string;
  phone?: { country_code?: string; number?: string } | null;
  metadata?: Record<string, unknown> | null;
}

/** Body of `PATCH /customers/{id}` (`UpdateCustomerDetailsRequest`): only what changes. */
export type CheckoutUpdateCustomerRequest = Partial<CheckoutCreateCustomerRequest>;

/** Checkout.com's `ValidationError` (422). */
export interface CheckoutErrorResponse {
  request_id?: string;
  error_type?: string;
  error_codes?: string[];
}

type PhoneSplit = { phone: CheckoutPhone } | { problem: string };

/**
 * Checkout.com keeps the calling code apart from the number. An international number
 * (`+<code><number>`) is split at its calling code; a national one goes as `number` alone,
 * since `country_code` is optional there.
 */
export function splitPhone(phone: string): PhoneSplit {
  const compact = phone.replace(/[\s().-]/g, '');
  if (!compact.startsWith('+')) return { phone: { number: compact } };
  const digits = compact.slice(1);
  for (const length of [1, 2, 3]) {
    const code = digits.slice(0, length);
    if (COUNTRY_CALLING_CODES.has(code)) return { phone: { country_code: `+${code}`, number: digits.slice(length) } };
  }
  return { problem: 'starts with no known country calling code, so it cannot be split into Checkout.com’s country_code and number' };
}

/**
 * Our customer → Checkout.com's create-customer body. Checkout.com customers hold no address:
 * the billing address only lends its name, email and phone when the top-level ones are absent.
 */
export function toCheckoutCreateCustomerRequest(customer: CustomerProfile): CheckoutCreateCustomerRequest {
  const phone = customerPhone(customer).value;
  const split = phone ? splitPhone(phone) : undefined;
  return {
    email: customerEmail(customer).value,
    name: customerName(customer).value,
    phone: split && 'phone' in split ? split.phone : undefined,
    metadata: { ...customer.metadata, [CHECKOUT_BACK_REFERENCE_KEY]: customer.merchantCustomerId },
  };
}

function tooLong(field: string, value: string | undefined, max: number): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Checkout.com accepts at most ${max} characters (got ${value.length})` }] : [];
}

function phoneViolations(customer: CustomerProfile): FieldViolation[] {
  const phone = customerPhone(customer);
  if (!phone.value) return [];
  const split = splitPhone(phone.value);
  if ('problem' in split) return [{ field: phone.field, description: split.problem }];
  const { number } = split.phone;
  if (number.length < CHECKOUT_LIMITS.phoneNumberMin || number.length > CHECKOUT_LIMITS.phoneNumberMax) {
    return [
      {
        field: phone.field,
        description: `Checkout.com takes a number of ${CHECKOUT_LIMITS.phoneNumberMin} to ${CHECKOUT_LIMITS.phoneNumberMax} characters after the calling code (got ${number.length})`,
      },
    ];
  }
  return [];
}

function metadataViolations(customer: CustomerProfile): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const keys = Object.keys(customer.metadata);
  if (keys.length + 1 > CHECKOUT_LIMITS.metadataPairs) {
    violations.push({
      field: 'metadata',
      description: `Checkout.com accepts at most ${CHECKOUT_LIMITS.metadataPairs} metadata pairs, one of which holds merchant_customer_id (got ${keys.length})`,
    });
  }
  for (const key of keys) {
    const value = customer.metadata[key];
    if (key === CHECKOUT_BACK_REFERENCE_KEY && value !== customer.merchantCustomerId) {
      violations.push({ field: `metadata.${key}`, description: 'is reserved for the request merchant_customer_id' });
    }
    if (key.length > CHECKOUT_LIMITS.metadataKeyLength) {
      violations.push({ field: `metadata.${key}`, description: `Checkout.com metadata keys are at most ${CHECKOUT_LIMITS.metadataKeyLength} characters` });
    }
    if (value.length > CHECKOUT_LIMITS.metadataValueLength) {
      violations.push({ field: `metadata.${key}`, description: `Checkout.com metadata values are at most ${CHECKOUT_LIMITS.metadataValueLength} characters` });
    }
  }
  return violations;
}

/** Checkout.com's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForCheckout(customer: CustomerProfile): FieldViolation[] {
  const request = toCheckoutCreateCustomerRequest(customer);
  const violations: FieldViolation[] = [
    ...(request.email === undefined ? [{ field: 'email', description: 'is required by Checkout.com (or give address.billing_address.email)' }] : []),
    ...tooLong(customerEmail(customer).field, request.email, CHECKOUT_LIMITS.email),
    ...tooLong(customerName(customer).field, request.name, CHECKOUT_LIMITS.name),
    ...phoneViolations(customer),
  ];
  if (customer.merchantCustomerId.length > CHECKOUT_LIMITS.metadataValueLength) {
    violations.push({
      field: 'merchant_customer_id',
      description: `is stored as Checkout.com metadata, whose values are at most ${CHECKOUT_LIMITS.metadataValueLength} characters (got ${customer.merchantCustomerId.length})`,
    });
  }
  return [...violations, ...metadataViolations(customer)];
}

/**
 * The change as Checkout.com's update body. "Providing metadata in this request will replace any
 * existing stored" (`UpdateCustomerDetailsRequest`), so metadata goes merged over `heldMetadata`,
 * with our back-reference kept.
 */
export function toCheckoutUpdateCustomerRequest(change: CustomerProfile, heldMetadata?: Record<string, unknown> | null): CheckoutUpdateCustomerRequest {
  const { email, name, phone } = toCheckoutCreateCustomerRequest(change);
  const metadata = Object.keys(change.metadata).length > 0 ? { ...stringValues(heldMetadata), ...change.metadata, [CHECKOUT_BACK_REFERENCE_KEY]: change.merchantCustomerId } : undefined;
  // Fields left undefined are not sent: JSON leaves them out.
  return { email, name, phone, metadata };
}

function stringValues(metadata: Record<string, unknown> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/** Checkout.com's limits on a merged update's metadata (the change's own are checked before any call). */
export function metadataProblems(metadata: Record<string, string>): string | undefined {
  const pairs = Object.keys(metadata).length;
  return pairs > CHECKOUT_LIMITS.metadataPairs ? `Checkout.com holds at most ${CHECKOUT_LIMITS.metadataPairs} metadata pairs; with those it already holds there would be ${pairs}` : undefined;
}

/** Checkout.com's limits on an update: create's, except that the email may stay as it is. */
export function validateCheckoutUpdate(change: CustomerProfile): FieldViolation[] {
  return validateForCheckout(change).filter((violation) => !(violation.field === 'email' && violation.description.startsWith('is required')));
}

/** What Checkout.com holds of a customer, as our record. */
export function checkoutRecord(customer: CheckoutRetrieveCustomerResponse): CustomerRecord {
  const phone = customer.phone ?? undefined;
  return {
    name: customer.name,
    email: customer.email,
    phone: phone?.number,
    phoneCountryCode: phone?.country_code,
    metadata: customer.metadata ? stringValues(customer.metadata) : undefined,
  };
}

export function isCheckoutCustomer(body: unknown): body is CheckoutCustomerResponse {
  return typeof body === 'object' && body !== null && typeof (body as CheckoutCustomerResponse).id === 'string' && (body as CheckoutCustomerResponse).id !== '';
}

/** The retrieved customer was created for this merchant customer (its back-reference matches). */
export function isCustomerOf(body: unknown, merchantCustomerId: string): body is CheckoutRetrieveCustomerResponse {
  if (!isCheckoutCustomer(body)) return false;
  const metadata = (body as CheckoutRetrieveCustomerResponse).metadata;
  return typeof metadata === 'object' && metadata !== null && metadata[CHECKOUT_BACK_REFERENCE_KEY] === merchantCustomerId;
}

export function isCheckoutError(body: unknown): body is CheckoutErrorResponse {
  if (typeof body !== 'object' || body === null) return false;
  const { error_type, error_codes } = body as CheckoutErrorResponse;
  return typeof error_type === 'string' || (Array.isArray(error_codes) && error_codes.every((code) => typeof code === 'string'));
}
