import { customerEmail, customerName } from '@app/common/domain/customer-fields';
import type { CustomerProfile } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/**
 * Limits of `POST /tms/v2/customers` from Cybersource's merged REST spec (maxLength of
 * buyerInformation, objectInformation, clientReferenceInformation and merchantDefinedInformation
 * as generated into its SDKs) and the TMS guide: merchant-defined fields are `data1`–`data4`.
 */
export const CYBERSOURCE_LIMITS = {
  merchantCustomerId: 100,
  email: 255,
  title: 60,
  merchantDefinedFields: 4,
  merchantDefinedValue: 100,
} as const;

export type CybersourceMerchantDefinedFieldName = `data${1 | 2 | 3 | 4}`;

export interface CybersourceCreateCustomerRequest {
  buyerInformation: { merchantCustomerID: string; email?: string };
  clientReferenceInformation: { code: string };
  objectInformation?: { title: string };
  merchantDefinedInformation?: { name: CybersourceMerchantDefinedFieldName; value: string }[];
}

export interface CybersourceCustomerResponse {
  id: string;
}

/** The Token Management Service's own error body. */
export interface CybersourceTmsErrorResponse {
  errors: { type?: string; message?: string; details?: { name?: string; location?: string }[] }[];
}

/** The REST platform's flat error body (payments, gateway failures). */
export interface CybersourcePlatformErrorResponse {
  status?: string;
  reason?: string;
  message?: string;
  details?: { field?: string; reason?: string }[];
}

/** What the API gateway answers when the HTTP signature does not verify. */
export interface CybersourceAuthenticationErrorResponse {
  response: { rmsg?: string };
}

export interface CybersourceErrorDetails {
  code: string;
  message: string;
  param?: string;
  type?: string;
}

const EMAIL_ADDRESS = /[^\s@=]+@[^\s@]+\.[^\s@]+/;
const CARD_NUMBER = /\d(?:[ -]?\d){12,18}/;

/** A metadata pair as it is kept in one merchant-defined field: Cybersource's fields have no key. */
function merchantDefinedValue(key: string, value: string): string {
  return `${key}=${value}`;
}

/**
 * Our customer → Cybersource's create-customer body. A TMS customer holds no phone and no
 * address (billing lives on payment instruments, shipping addresses are their own resource), so
 * only the name, email, the merchant's id, our stable reference and metadata travel.
 */
export function toCybersourceCreateCustomerRequest(customer: CustomerProfile, reference: string): CybersourceCreateCustomerRequest {
  const title = customerName(customer).value;
  const email = customerEmail(customer).value;
  const metadata = Object.entries(customer.metadata);
  return {
    buyerInformation: { merchantCustomerID: customer.merchantCustomerId, ...(email !== undefined && { email }) },
    clientReferenceInformation: { code: reference },
    ...(title !== undefined && { objectInformation: { title } }),
    ...(metadata.length > 0 && {
      merchantDefinedInformation: metadata.map(([key, value], index) => ({
        name: `data${index + 1}` as CybersourceMerchantDefinedFieldName,
        value: merchantDefinedValue(key, value),
      })),
    }),
  };
}

function tooLong(field: string, value: string | undefined, max: number): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Cybersource accepts at most ${max} characters (got ${value.length})` }] : [];
}

function metadataViolations(customer: CustomerProfile): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const entries = Object.entries(customer.metadata);
  if (entries.length > CYBERSOURCE_LIMITS.merchantDefinedFields) {
    violations.push({
      field: 'metadata',
      description: `Cybersource keeps at most ${CYBERSOURCE_LIMITS.merchantDefinedFields} metadata pairs, in its merchant-defined fields data1–data4 (got ${entries.length})`,
    });
  }
  for (const [key, value] of entries) {
    const field = `metadata.${key}`;
    const stored = merchantDefinedValue(key, value);
    if (key.includes('=')) {
      violations.push({ field, description: 'Cybersource keeps metadata as "key=value" text, so a key cannot contain "="' });
    }
    if (stored.length > CYBERSOURCE_LIMITS.merchantDefinedValue) {
      violations.push({
        field,
        description: `Cybersource keeps "key=value" in a merchant-defined field of at most ${CYBERSOURCE_LIMITS.merchantDefinedValue} characters (got ${stored.length})`,
      });
    }
    // Cybersource suspends a merchant account that sends personal data in merchant-defined fields.
    if (EMAIL_ADDRESS.test(stored) || CARD_NUMBER.test(stored)) {
      violations.push({ field, description: 'Cybersource forbids personal data (e-mail addresses, card numbers) in merchant-defined fields' });
    }
  }
  return violations;
}

/** Cybersource's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForCybersource(customer: CustomerProfile): FieldViolation[] {
  const request = toCybersourceCreateCustomerRequest(customer, '');
  return [
    ...tooLong('merchant_customer_id', request.buyerInformation.merchantCustomerID, CYBERSOURCE_LIMITS.merchantCustomerId),
    ...tooLong(customerName(customer).field, request.objectInformation?.title, CYBERSOURCE_LIMITS.title),
    ...tooLong(customerEmail(customer).field, request.buyerInformation.email, CYBERSOURCE_LIMITS.email),
    ...metadataViolations(customer),
  ];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function isCybersourceCustomer(body: unknown): body is CybersourceCustomerResponse {
  return isObject(body) && typeof body.id === 'string' && body.id !== '';
}

/**
 * The processor's own code, message and field from any of its three error shapes; undefined when
 * the body is none of them.
 */
export function cybersourceErrorDetails(body: unknown, httpStatus: number): CybersourceErrorDetails | undefined {
  if (!isObject(body)) return undefined;
  if (Array.isArray(body.errors) && body.errors.length > 0 && isObject(body.errors[0])) {
    const [first] = body.errors as CybersourceTmsErrorResponse['errors'];
    const detail = Array.isArray(first.details) && isObject(first.details[0]) ? first.details[0] : undefined;
    return { code: optionalString(first.type) ?? 'unknown', message: optionalString(first.message) ?? 'no message', param: optionalString(detail?.name) };
  }
  if (isObject(body.response) && 'rmsg' in body.response) {
    return { code: `http_${httpStatus}`, message: optionalString(body.response.rmsg) ?? 'no message' };
  }
  const flat = body as CybersourcePlatformErrorResponse;
  if (optionalString(flat.reason) ?? optionalString(flat.status)) {
    const detail = Array.isArray(flat.details) && isObject(flat.details[0]) ? flat.details[0] : undefined;
    return {
      code: optionalString(flat.reason) ?? optionalString(flat.status)!,
      message: optionalString(flat.message) ?? 'no message',
      param: optionalString(detail?.field),
      type: optionalString(flat.status),
    };
  }
  return undefined;
}

/** A merchant-defined field as TMS holds it (data1–data4 are ours to write; sensitive1–4 never are). */
export interface CybersourceMerchantDefinedField {
  name: string;
  value: string;
}

/** A customer as `GET` and `PATCH /tms/v2/customers/{id}` return it (only what we read or write back). */
export interface CybersourceCustomer {
  id: string;
  buyerInformation?: { merchantCustomerID?: string; email?: string };
  objectInformation?: { title?: string; comment?: string };
  merchantDefinedInformation?: CybersourceMerchantDefinedField[];
}

/**
 * `PATCH /tms/v2/customers/{id}`: only the objects that change, each whole (merged with what GET
 * returned), since how TMS merges a partial nested object or the merchant-defined array is not
 * documented.
 */
export interface CybersourcePatchCustomerRequest {
  buyerInformation?: { merchantCustomerID?: string; email?: string };
  objectInformation?: { title?: string; comment?: string };
  merchantDefinedInformation?: CybersourceMerchantDefinedField[];
}

const OUR_FIELD = /^data[1-4]$/;

function textOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The customer in a GET or PATCH answer, read defensively; undefined without an id. */
export function cybersourceCustomerOf(body: unknown): CybersourceCustomer | undefined {
  if (!isCybersourceCustomer(body)) return undefined;
  const raw = body as unknown as Record<string, unknown>;
  const buyer = isObject(raw.buyerInformation) ? raw.buyerInformation : undefined;
  const object = isObject(raw.objectInformation) ? raw.objectInformation : undefined;
  const fields = Array.isArray(raw.merchantDefinedInformation)
    ? raw.merchantDefinedInformation.filter(isObject).flatMap((field) => (typeof field.name === 'string' && typeof field.value === 'string' ? [{ name: field.name, value: field.value }] : []))
    : undefined;
  const email = textOrUndefined(buyer?.email);
  const merchantCustomerID = textOrUndefined(buyer?.merchantCustomerID);
  const title = textOrUndefined(object?.title);
  const comment = textOrUndefined(object?.comment);
  return {
    id: body.id,
    ...(buyer && { buyerInformation: { ...(merchantCustomerID !== undefined && { merchantCustomerID }), ...(email !== undefined && { email }) } }),
    ...(object && { objectInformation: { ...(title !== undefined && { title }), ...(comment !== undefined && { comment }) } }),
    ...(fields && { merchantDefinedInformation: fields }),
  };
}

/** A data field we wrote holds "key=value"; any other value is shown under the field's own name. */
function metadataEntry(field: CybersourceMerchantDefinedField): [string, string] {
  const separator = field.value.indexOf('=');
  return separator > 0 ? [field.value.slice(0, separator), field.value.slice(separator + 1)] : [field.name, field.value];
}

/** What TMS holds of the customer, in our terms: title is the name, data1–data4 the metadata. */
export function cybersourceRecord(customer: CybersourceCustomer): CustomerRecord {
  const metadata = Object.fromEntries((customer.merchantDefinedInformation ?? []).filter((field) => OUR_FIELD.test(field.name)).map(metadataEntry));
  return {
    ...(customer.objectInformation?.title !== undefined && { name: customer.objectInformation.title }),
    ...(customer.buyerInformation?.email !== undefined && { email: customer.buyerInformation.email }),
    ...(Object.keys(metadata).length > 0 && { metadata }),
  };
}

/**
 * The data fields after the change: a key already held keeps its field, a new key takes the first
 * free one of data1–data4. The sensitive fields are left out (GET shows them masked; sending the
 * mask back would overwrite them).
 */
function mergedMerchantDefinedFields(existing: CybersourceMerchantDefinedField[], metadata: Record<string, string>): CybersourceMerchantDefinedField[] | FieldViolation[] {
  const fields = existing.filter((field) => OUR_FIELD.test(field.name)).map((field) => ({ ...field }));
  for (const [key, value] of Object.entries(metadata)) {
    const held = fields.find((field) => metadataEntry(field)[0] === key);
    if (held) {
      held.value = merchantDefinedValue(key, value);
      continue;
    }
    const free = ['data1', 'data2', 'data3', 'data4'].find((name) => !fields.some((field) => field.name === name));
    if (!free) {
      return [{ field: `metadata.${key}`, description: `Cybersource keeps at most ${CYBERSOURCE_LIMITS.merchantDefinedFields} metadata pairs and this customer's data1–data4 are taken` }];
    }
    fields.push({ name: free, value: merchantDefinedValue(key, value) });
  }
  return fields.sort((a, b) => a.name.localeCompare(b.name));
}

/** The PATCH body for `change` over `existing`, or violations; an empty body means nothing to change. */
export function toCybersourcePatchCustomerRequest(existing: CybersourceCustomer, change: CustomerProfile, merchantCustomerId: string): CybersourcePatchCustomerRequest | FieldViolation[] {
  const request: CybersourcePatchCustomerRequest = {};
  const email = customerEmail(change).value;
  if (email !== undefined) request.buyerInformation = { merchantCustomerID: existing.buyerInformation?.merchantCustomerID ?? merchantCustomerId, email };
  const title = customerName(change).value;
  if (title !== undefined) request.objectInformation = { ...existing.objectInformation, title };
  if (Object.keys(change.metadata).length > 0) {
    const fields = mergedMerchantDefinedFields(existing.merchantDefinedInformation ?? [], change.metadata);
    if (fields.some((field) => 'field' in field)) return fields as FieldViolation[];
    request.merchantDefinedInformation = fields as CybersourceMerchantDefinedField[];
  }
  return request;
}

/** The error type a TMS answer carries (`errors[0].type`), for telling a missing customer from a missing route. */
export function tmsErrorType(body: unknown): string | undefined {
  if (!isObject(body) || !Array.isArray(body.errors) || !isObject(body.errors[0])) return undefined;
  return textOrUndefined(body.errors[0].type);
}
