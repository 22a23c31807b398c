import { domainToASCII } from 'node:url';
import { customerEmail, customerName } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';

/** Metadata key under which we store the merchant's customer id at Mollie (our back-reference). */
export const MOLLIE_BACK_REFERENCE_KEY = 'merchant_customer_id';

/** Mollie's `locale` values: `Locale` of @mollie/api-client, plus `en_GB`, which the customer reference also lists. */
export const MOLLIE_LOCALES = [
  'en_US', 'en_GB', 'nl_NL', 'nl_BE', 'fr_FR', 'fr_BE', 'de_DE', 'de_AT', 'de_CH', 'es_ES', 'ca_ES',
  'pt_PT', 'it_IT', 'nb_NO', 'sv_SE', 'fi_FI', 'da_DK', 'is_IS', 'hu_HU', 'pl_PL', 'lv_LV', 'lt_LT',
] as const;
export type MollieLocale = (typeof MOLLIE_LOCALES)[number];

/** "You can use up to 1kB of JSON" (API reference, Create customer), measured as UTF-8 bytes. */
export const MOLLIE_LIMITS = { metadataBytes: 1024 } as const;

/** Body of `POST /v2/customers`. */
export interface MollieCreateCustomerRequest {
  name?: string;
  email?: string;
  locale?: MollieLocale;
  metadata: Record<string, string>;
  /** Organization access tokens only: API keys carry their mode, and Mollie refuses the field with them. */
  testmode?: boolean;
}

export interface MollieCustomerResponse {
  resource?: 'customer';
  id: string;
  mode?: 'live' | 'test';
  name?: string | null;
  email?: string | null;
  locale?: string | null;
  /** Any JSON the merchant stored; ours is an object of strings. */
  metadata?: unknown;
  createdAt?: string;
}

/** Body of `PATCH /v2/customers/{id}`: only what changes. */
export interface MollieUpdateCustomerRequest {
  name?: string;
  email?: string;
  locale?: MollieLocale;
  /** Replaces the stored metadata whole, so it carries the keys kept as well. */
  metadata?: Record<string, unknown>;
  testmode?: boolean;
}

/** `GET /v2/customers`: a page, newest first. */
export interface MollieCustomerListResponse {
  count?: number;
  _embedded: { customers: MollieCustomerResponse[] };
  _links?: { next?: { href?: string } | null };
}

/** `GET /v2/profiles/me` and `GET /v2/organizations/me`, reduced to the id. */
export interface MollieAccountResponse {
  resource?: 'profile' | 'organization';
  id: string;
}

/** Mollie's error body (`application/hal+json`). */
export interface MollieErrorResponse {
  status?: number;
  title?: string;
  detail?: string;
  field?: string;
  _links?: { documentation?: { href?: string } };
}

/** Mollie wants international domains in Punycode. */
function asciiEmail(email: string | undefined): string | undefined {
  if (email === undefined) return undefined;
  const at = email.lastIndexOf('@');
  const domain = domainToASCII(email.slice(at + 1));
  return at > 0 && domain !== '' ? `${email.slice(0, at)}@${domain}` : email;
}

function isMollieLocale(value: unknown): value is MollieLocale {
  return typeof value === 'string' && (MOLLIE_LOCALES as readonly string[]).includes(value);
}

/**
 * Our customer → Mollie's create-customer body. Mollie customers hold no phone or address; the
 * locale is a language, which no address field tells reliably, so it comes only from
 * `connector_feature_data.locale`.
 */
export function toMollieCreateCustomerRequest(customer: CustomerProfile): MollieCreateCustomerRequest {
  const locale = customer.featureData.locale;
  return {
    name: customerName(customer).value,
    email: asciiEmail(customerEmail(customer).value),
    locale: isMollieLocale(locale) ? locale : undefined,
    metadata: { ...customer.metadata, [MOLLIE_BACK_REFERENCE_KEY]: customer.merchantCustomerId },
  };
}

/** The change as Mollie's update body: fields not given are left out, so Mollie keeps them. */
export function toMollieUpdateCustomerRequest(change: CustomerProfile): MollieUpdateCustomerRequest {
  // Fields left undefined are not sent: JSON leaves them out.
  const { name, email, locale } = toMollieCreateCustomerRequest(change);
  return { name, email, locale };
}

/**
 * The metadata to send with an update: what Mollie holds, with the changed keys over it and our
 * back-reference kept, since Mollie replaces the stored metadata with the one sent.
 */
export function mergedMetadata(held: unknown, change: CustomerProfile): Record<string, unknown> {
  return { ...metadataObject(held), ...change.metadata, [MOLLIE_BACK_REFERENCE_KEY]: change.merchantCustomerId };
}

/** Mollie's metadata is any JSON the merchant stored; only an object holds keys (ours among them). */
function metadataObject(metadata: unknown): Record<string, unknown> | undefined {
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : undefined;
}

export function metadataBytes(metadata: unknown): number {
  return Buffer.byteLength(JSON.stringify(metadata), 'utf8');
}

/** Mollie's metadata as our record's string map: strings as they are, other JSON values encoded. */
export function recordMetadata(metadata: unknown): Record<string, string> | undefined {
  const object = metadataObject(metadata);
  if (!object) return undefined;
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/** The merchant customer id in a customer's metadata, if it carries our back-reference. */
export function backReferenceOf(customer: MollieCustomerResponse): string | undefined {
  const value = metadataObject(customer.metadata)?.[MOLLIE_BACK_REFERENCE_KEY];
  return typeof value === 'string' ? value : undefined;
}

/** Mollie's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForMollie(customer: CustomerProfile): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const locale = customer.featureData.locale;
  if (locale !== undefined && !isMollieLocale(locale)) {
    violations.push({ field: 'connector_feature_data.locale', description: `must be one of Mollie's locales: ${MOLLIE_LOCALES.join(', ')}` });
  }
  const reserved = customer.metadata[MOLLIE_BACK_REFERENCE_KEY];
  if (reserved !== undefined && reserved !== customer.merchantCustomerId) {
    violations.push({ field: `metadata.${MOLLIE_BACK_REFERENCE_KEY}`, description: 'is reserved for the request merchant_customer_id' });
  }
  const bytes = Buffer.byteLength(JSON.stringify(toMollieCreateCustomerRequest(customer).metadata), 'utf8');
  if (bytes > MOLLIE_LIMITS.metadataBytes) {
    violations.push({
      field: 'metadata',
      description: `Mollie stores at most ${MOLLIE_LIMITS.metadataBytes} bytes of metadata JSON, merchant_customer_id included (got ${bytes})`,
    });
  }
  return violations;
}

export function isMollieCustomer(body: unknown): body is MollieCustomerResponse {
  return typeof body === 'object' && body !== null && typeof (body as MollieCustomerResponse).id === 'string' && (body as MollieCustomerResponse).id !== '';
}

export function isMollieError(body: unknown): body is MollieErrorResponse {
  if (typeof body !== 'object' || body === null) return false;
  const { title, detail } = body as MollieErrorResponse;
  return typeof title === 'string' || typeof detail === 'string';
}

export function isMollieCustomerList(body: unknown): body is MollieCustomerListResponse {
  if (typeof body !== 'object' || body === null) return false;
  const customers = (body as MollieCustomerListResponse)._embedded?.customers;
  return Array.isArray(customers) && customers.every(isMollieCustomer);
}

export function isMollieAccount(body: unknown): body is MollieAccountResponse {
  return typeof body === 'object' && body !== null && typeof (body as MollieAccountResponse).id === 'string' && (body as MollieAccountResponse).id !== '';
}
