import type { CountryAlpha2 } from './country-alpha2';

/** A postal address as the merchant sent it (Prism `Address`), empty strings already removed. */
export interface PostalAddress {
  firstName?: string;
  lastName?: string;
  line1?: string;
  line2?: string;
  line3?: string;
  city?: string;
  state?: string;
  zipCode?: string;
  country?: CountryAlpha2;
  email?: string;
  phoneNumber?: string;
  phoneCountryCode?: string;
}

/**
 * The customer to create, independent of transport and processor. Field violations that
 * connectors report use the request's wire paths (`address.billing_address.zip_code`).
 */
export interface CustomerProfile {
  merchantCustomerId: string;
  name?: string;
  email?: string;
  phone?: string;
  billingAddress?: PostalAddress;
  shippingAddress?: PostalAddress;
  /** The request's `metadata` JSON object, values as strings. */
  metadata: Record<string, string>;
  /** The request's `connector_feature_data` JSON object. */
  featureData: Record<string, unknown>;
  /** The request's `test_mode`; absent when the caller did not say. */
  testMode?: boolean;
}

/** Wire paths of the request fields, for field violations. */
export const CUSTOMER_FIELD_PATHS = {
  merchantCustomerId: 'merchant_customer_id',
  name: 'customer_name',
  email: 'email',
  phone: 'phone_number',
  metadata: 'metadata',
  featureData: 'connector_feature_data',
  testMode: 'test_mode',
  billingAddress: 'address.billing_address',
  shippingAddress: 'address.shipping_address',
} as const;

export const ADDRESS_FIELD_PATHS: Readonly<Record<keyof PostalAddress, string>> = {
  firstName: 'first_name',
  lastName: 'last_name',
  line1: 'line1',
  line2: 'line2',
  line3: 'line3',
  city: 'city',
  state: 'state',
  zipCode: 'zip_code',
  country: 'country_alpha2_code',
  email: 'email',
  phoneNumber: 'phone_number',
  phoneCountryCode: 'phone_country_code',
};

/** `+<country code><number>` when a country code is given and the number is not already international. */
export function internationalPhone(number: string | undefined, countryCode: string | undefined): string | undefined {
  if (!number) return undefined;
  if (!countryCode || number.startsWith('+')) return number;
  return `+${countryCode.replace(/^\+/, '')}${number}`;
}

export function fullName(first: string | undefined, last: string | undefined): string | undefined {
  const name = [first, last].filter(Boolean).join(' ');
  return name === '' ? undefined : name;
}

/** Every personal value of a customer, as sent or as a processor holds it (names, contacts, addresses, metadata values): what no log line may carry. */
export function personalValuesOf(customer: Pick<CustomerProfile, 'name' | 'email' | 'phone' | 'billingAddress' | 'shippingAddress'> & { metadata?: Record<string, string> }): string[] {
  const addresses = [customer.billingAddress, customer.shippingAddress].flatMap((address) => (address ? Object.values(address) : []));
  return [customer.name, customer.email, customer.phone, ...addresses, ...Object.values(customer.metadata ?? {})].filter((value): value is string => typeof value === 'string');
}
