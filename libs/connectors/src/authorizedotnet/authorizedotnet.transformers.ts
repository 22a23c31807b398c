import { customerEmail, customerName } from '@app/common/domain/customer-fields';
import { isCountryAlpha2 } from '@app/common/domain/country-alpha2';
import { internationalPhone, type CustomerProfile, type PostalAddress } from '@app/common/domain/customer-profile';
import type { FieldViolation } from '@app/common/errors/domain-error';
import type { CustomerRecord } from '../connector';

/**
 * Limits of `createCustomerProfileRequest` from Authorize.net's AnetApiSchema.xsd
 * (`customerProfileBaseType`, `nameAndAddressType`, `customerAddressType`).
 */
export const AUTHORIZEDOTNET_LIMITS = {
  merchantCustomerId: 20,
  description: 255,
  email: 255,
  firstName: 50,
  lastName: 50,
  address: 60,
  city: 40,
  state: 40,
  zip: 20,
  phoneNumber: 25,
} as const;

/** The code Authorize.net answers when a profile with the same identifying fields exists. */
export const AUTHORIZEDOTNET_DUPLICATE_CODE = 'E00039';

export interface AuthorizedotnetMerchantAuthentication {
  name: string;
  transactionKey: string;
}

/** `customerAddressType`: keys in the XSD's sequence order, which the API enforces (E00003). */
export interface AuthorizedotnetCustomerAddress {
  firstName?: string;
  lastName?: string;
  address?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  phoneNumber?: string;
  email?: string;
}

export interface AuthorizedotnetCustomerProfile {
  merchantCustomerId: string;
  description?: string;
  email?: string;
  shipToList?: AuthorizedotnetCustomerAddress[];
}

export interface AuthorizedotnetCreateCustomerProfileRequest {
  createCustomerProfileRequest: {
    merchantAuthentication: AuthorizedotnetMerchantAuthentication;
    profile: AuthorizedotnetCustomerProfile;
  };
}

export interface AuthorizedotnetMessage {
  code?: string;
  text?: string;
}

/** Every answer of the XML/JSON API, success or failure: HTTP 200 with `messages.resultCode`. */
export interface AuthorizedotnetCreateCustomerProfileResponse {
  customerProfileId?: string;
  messages: {
    resultCode: string;
    message: AuthorizedotnetMessage[];
  };
}

/**
 * Authorize.net keeps at most 20 characters of the merchant's id. A longer id is never cut (two
 * ids sharing a prefix would collide); the first 20 characters of the mapping's stable
 * reference (100 bits of its HMAC) stand in for it instead.
 */
export function authorizedotnetMerchantCustomerId(merchantCustomerId: string, reference: string): string {
  return merchantCustomerId.length <= AUTHORIZEDOTNET_LIMITS.merchantCustomerId
    ? merchantCustomerId
    : reference.slice(0, AUTHORIZEDOTNET_LIMITS.merchantCustomerId);
}

/** A profile has no name field: the customer's name is its description. */
export function authorizedotnetDescription(customer: CustomerProfile): string | undefined {
  return customerName(customer).value;
}

/** One `address` element holds the street: the lines in order, joined by spaces. */
function streetOf(address: PostalAddress): string | undefined {
  return [address.line1, address.line2, address.line3].filter(Boolean).join(' ') || undefined;
}

function toCustomerAddress(address: PostalAddress): AuthorizedotnetCustomerAddress | undefined {
  const entry: AuthorizedotnetCustomerAddress = {
    firstName: address.firstName,
    lastName: address.lastName,
    address: streetOf(address),
    city: address.city,
    state: address.state,
    zip: address.zipCode,
    country: address.country,
    phoneNumber: internationalPhone(address.phoneNumber, address.phoneCountryCode),
    email: address.email,
  };
  return Object.values(entry).some((value) => value !== undefined) ? entry : undefined;
}

/**
 * Our customer → `createCustomerProfileRequest`. The profile holds an id, a description and an
 * email; the shipping address becomes its one `shipToList` entry. Billing addresses belong to
 * payment profiles, which cannot exist without card or bank data, so billing only supplies the
 * name and email fallbacks. Built in schema order: JSON keys are read as an XML sequence.
 */
export function toAuthorizedotnetCreateCustomerProfileRequest(
  customer: CustomerProfile,
  merchantAuthentication: AuthorizedotnetMerchantAuthentication,
  reference: string,
): AuthorizedotnetCreateCustomerProfileRequest {
  const shipTo = customer.shippingAddress ? toCustomerAddress(customer.shippingAddress) : undefined;
  return {
    createCustomerProfileRequest: {
      merchantAuthentication: { name: merchantAuthentication.name, transactionKey: merchantAuthentication.transactionKey },
      profile: {
        merchantCustomerId: authorizedotnetMerchantCustomerId(customer.merchantCustomerId, reference),
        description: authorizedotnetDescription(customer),
        email: customerEmail(customer).value,
        shipToList: shipTo ? [shipTo] : undefined,
      },
    },
  };
}

function tooLong(field: string, value: string | undefined, max: number): FieldViolation[] {
  return value !== undefined && value.length > max ? [{ field, description: `Authorize.net accepts at most ${max} characters (got ${value.length})` }] : [];
}

/** The street lines fit one 60-character `address` or are refused at the line that overflows. */
function streetViolations(address: PostalAddress): FieldViolation[] {
  let street = '';
  for (const line of ['line1', 'line2', 'line3'] as const) {
    const value = address[line];
    if (!value) continue;
    street = street ? `${street} ${value}` : value;
    if (street.length > AUTHORIZEDOTNET_LIMITS.address) {
      return [
        {
          field: `address.shipping_address.${line}`,
          description: `Authorize.net holds the street in one address of at most ${AUTHORIZEDOTNET_LIMITS.address} characters; the lines up to ${line}, joined by spaces, make ${street.length}`,
        },
      ];
    }
  }
  return [];
}

/** Authorize.net's limits, checked on the request we would send, reported on the merchant's fields. */
export function validateForAuthorizedotnet(customer: CustomerProfile): FieldViolation[] {
  const name = customerName(customer);
  const email = customerEmail(customer);
  const violations: FieldViolation[] = [
    ...tooLong(name.field, name.value, AUTHORIZEDOTNET_LIMITS.description),
    ...tooLong(email.field, email.value, AUTHORIZEDOTNET_LIMITS.email),
  ];
  const shipping = customer.shippingAddress;
  if (shipping) {
    const prefix = 'address.shipping_address';
    violations.push(
      ...tooLong(`${prefix}.first_name`, shipping.firstName, AUTHORIZEDOTNET_LIMITS.firstName),
      ...tooLong(`${prefix}.last_name`, shipping.lastName, AUTHORIZEDOTNET_LIMITS.lastName),
      ...streetViolations(shipping),
      ...tooLong(`${prefix}.city`, shipping.city, AUTHORIZEDOTNET_LIMITS.city),
      ...tooLong(`${prefix}.state`, shipping.state, AUTHORIZEDOTNET_LIMITS.state),
      ...tooLong(`${prefix}.zip_code`, shipping.zipCode, AUTHORIZEDOTNET_LIMITS.zip),
      ...tooLong(`${prefix}.phone_number`, internationalPhone(shipping.phoneNumber, shipping.phoneCountryCode), AUTHORIZEDOTNET_LIMITS.phoneNumber),
    );
  }
  return violations;
}

export function isAuthorizedotnetResponse(body: unknown): body is AuthorizedotnetCreateCustomerProfileResponse {
  if (typeof body !== 'object' || body === null) return false;
  const messages = (body as AuthorizedotnetCreateCustomerProfileResponse).messages;
  return typeof messages === 'object' && messages !== null && typeof messages.resultCode === 'string' && Array.isArray(messages.message);
}

/** The existing profile id from E00039's text, e.g. "A duplicate record with ID 1220992516 already exists." */
export function duplicateProfileId(text: string | undefined): string | undefined {
  return /duplicate record with ID (\d+)/i.exec(text ?? '')?.[1];
}

/**
 * The request element an error text names: schema errors (E00003) quote the element
 * (`'AnetApi/xml/v1/schema/AnetApiSchema.xsd:zip' element is invalid`, `invalid child element
 * 'foo'`), field errors (E00013) start with it (`email is invalid.`).
 */
export function blamedElement(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return (
    /AnetApiSchema\.xsd:(\w+)' element is invalid/.exec(text)?.[1] ??
    /invalid child element '(\w+)'/.exec(text)?.[1] ??
    /^(\w+) is invalid\.$/.exec(text)?.[1]
  );
}

/** JSON answers start with a UTF-8 byte order mark, which JSON.parse refuses. */
export function withoutByteOrderMark(body: string): string {
  return body.startsWith('\ufeff') ? body.slice(1) : body;
}

/** The code Authorize.net answers for an id (or merchantCustomerId) the account does not hold. */
export const AUTHORIZEDOTNET_NOT_FOUND_CODE = 'E00040';

/** `getCustomerProfileRequest`: by our id, or (after a lost answer) by the merchantCustomerId we sent. */
export interface AuthorizedotnetGetCustomerProfileRequest {
  getCustomerProfileRequest: {
    merchantAuthentication: AuthorizedotnetMerchantAuthentication;
    customerProfileId?: string;
    merchantCustomerId?: string;
  };
}

/** `customerProfileInfoExType`, in schema order: what `updateCustomerProfileRequest` replaces. */
export interface AuthorizedotnetProfileUpdate {
  merchantCustomerId?: string;
  description?: string;
  email?: string;
  customerProfileId: string;
  profileType?: string;
}

export interface AuthorizedotnetUpdateCustomerProfileRequest {
  updateCustomerProfileRequest: { merchantAuthentication: AuthorizedotnetMerchantAuthentication; profile: AuthorizedotnetProfileUpdate };
}

export interface AuthorizedotnetDeleteCustomerProfileRequest {
  deleteCustomerProfileRequest: { merchantAuthentication: AuthorizedotnetMerchantAuthentication; customerProfileId: string };
}

/** `customerAddressExType`: the address elements, then its id (and the two we never send ourselves). */
export interface AuthorizedotnetStoredAddress extends AuthorizedotnetCustomerAddress {
  company?: string;
  faxNumber?: string;
  customerAddressId?: string;
}

export interface AuthorizedotnetCreateCustomerShippingAddressRequest {
  createCustomerShippingAddressRequest: { merchantAuthentication: AuthorizedotnetMerchantAuthentication; customerProfileId: string; address: AuthorizedotnetStoredAddress };
}

export interface AuthorizedotnetUpdateCustomerShippingAddressRequest {
  updateCustomerShippingAddressRequest: { merchantAuthentication: AuthorizedotnetMerchantAuthentication; customerProfileId: string; address: AuthorizedotnetStoredAddress };
}

/** `customerProfileMaskedType` as `getCustomerProfileResponse.profile` holds it (only what we read). */
export interface AuthorizedotnetProfile {
  merchantCustomerId?: string;
  description?: string;
  email?: string;
  customerProfileId: string;
  shipToList?: AuthorizedotnetStoredAddress[];
  profileType?: string;
}

export interface AuthorizedotnetGetCustomerProfileResponse extends AuthorizedotnetCreateCustomerProfileResponse {
  profile?: AuthorizedotnetProfile;
}

const STORED_ADDRESS_ELEMENTS = ['firstName', 'lastName', 'company', 'address', 'city', 'state', 'zip', 'country', 'phoneNumber', 'faxNumber', 'email', 'customerAddressId'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function storedAddressOf(value: unknown): AuthorizedotnetStoredAddress | undefined {
  if (!isObject(value)) return undefined;
  const address: AuthorizedotnetStoredAddress = {};
  for (const name of STORED_ADDRESS_ELEMENTS) if (typeof value[name] === 'string' && value[name] !== '') address[name] = value[name];
  return address;
}

/** The profile of a `getCustomerProfileResponse`, when it carries one with a numeric id. */
export function retrievedProfile(body: AuthorizedotnetGetCustomerProfileResponse): AuthorizedotnetProfile | undefined {
  const profile: unknown = body.profile;
  if (!isObject(profile) || typeof profile.customerProfileId !== 'string' || !/^\d+$/.test(profile.customerProfileId)) return undefined;
  const text = (name: string) => (typeof profile[name] === 'string' && profile[name] !== '' ? (profile[name] as string) : undefined);
  const shipTo = (Array.isArray(profile.shipToList) ? profile.shipToList : profile.shipToList === undefined ? [] : [profile.shipToList])
    .map(storedAddressOf)
    .filter((address): address is AuthorizedotnetStoredAddress => address !== undefined);
  return {
    merchantCustomerId: text('merchantCustomerId'),
    description: text('description'),
    email: text('email'),
    customerProfileId: profile.customerProfileId,
    ...(shipTo.length > 0 && { shipToList: shipTo }),
    profileType: text('profileType'),
  };
}

function postalAddressOf(address: AuthorizedotnetStoredAddress): PostalAddress {
  const postal: PostalAddress = {
    firstName: address.firstName,
    lastName: address.lastName,
    line1: address.address,
    city: address.city,
    state: address.state,
    zipCode: address.zip,
    country: isCountryAlpha2(address.country) ? address.country : undefined,
    phoneNumber: address.phoneNumber,
    email: address.email,
  };
  return Object.fromEntries(Object.entries(postal).filter(([, value]) => value !== undefined)) as PostalAddress;
}

/** What a profile holds, in our terms: the description is the name, the first shipping address the shipping address. */
export function authorizedotnetRecord(profile: Omit<AuthorizedotnetProfile, 'customerProfileId'>): CustomerRecord {
  const [shipTo] = profile.shipToList ?? [];
  return {
    ...(profile.description !== undefined && { name: profile.description }),
    ...(profile.email !== undefined && { email: profile.email }),
    ...(shipTo && { shippingAddress: postalAddressOf(shipTo) }),
  };
}

/**
 * The profile as `updateCustomerProfileRequest` must carry it: the request replaces every field,
 * so what the change leaves out is sent as the profile holds it.
 */
export function mergedProfileUpdate(existing: AuthorizedotnetProfile, change: CustomerProfile): AuthorizedotnetProfileUpdate {
  return {
    merchantCustomerId: existing.merchantCustomerId,
    description: authorizedotnetDescription(change) ?? existing.description,
    email: customerEmail(change).value ?? existing.email,
    customerProfileId: existing.customerProfileId,
    profileType: existing.profileType,
  };
}

/**
 * The shipping address after the change, whole (an address update replaces the address). Fields
 * the change leaves out keep their value; the street lines are one element, so any line given
 * replaces the street.
 */
export function mergedShippingAddress(existing: AuthorizedotnetStoredAddress | undefined, change: PostalAddress): AuthorizedotnetStoredAddress {
  const changed = toCustomerAddress(change) ?? {};
  const merged: AuthorizedotnetStoredAddress = {};
  const keep = existing ?? {};
  for (const name of STORED_ADDRESS_ELEMENTS) {
    const value = name in changed ? changed[name as keyof AuthorizedotnetCustomerAddress] : undefined;
    const result = value ?? keep[name];
    if (result !== undefined) merged[name] = result;
  }
  return merged;
}

/** Whether the change names anything the profile itself holds (description, email). */
export function changesProfile(change: CustomerProfile): boolean {
  return authorizedotnetDescription(change) !== undefined || customerEmail(change).value !== undefined;
}
