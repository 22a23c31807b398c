import { ADDRESS_FIELD_PATHS, CUSTOMER_FIELD_PATHS, fullName, internationalPhone, type CustomerProfile, type PostalAddress } from './customer-profile';

/**
 * A value a connector would send and the request field it came from (a wire path such as
 * `address.billing_address.email`), so a limit violation names the merchant's own field. `value`
 * is undefined when the request has none; `field` then names where it would have come from.
 */
export interface Sourced {
  value?: string;
  field: string;
}

/** First and last name for processors that hold them apart. */
export interface PersonName {
  firstName: Sourced;
  lastName: Sourced;
}

export interface PersonNameOptions {
  /**
   * `true`: a customer_name is split at its last space (a middle name stays with the first name,
   * a one-word name is a first name). `false`: it goes whole into the first name, since splitting
   * a name is guesswork (name order and particles differ by culture).
   */
  splitCustomerName: boolean;
}

function billingField(key: keyof PostalAddress): string {
  return `${CUSTOMER_FIELD_PATHS.billingAddress}.${ADDRESS_FIELD_PATHS[key]}`;
}

/** The customer's email, else the billing address's. */
export function customerEmail(customer: CustomerProfile): Sourced {
  return customer.email !== undefined
    ? { value: customer.email, field: CUSTOMER_FIELD_PATHS.email }
    : { value: customer.billingAddress?.email, field: billingField('email') };
}

/** The customer's phone, else the billing phone with its calling code (`internationalPhone`). */
export function customerPhone(customer: CustomerProfile): Sourced {
  if (customer.phone !== undefined) return { value: customer.phone, field: CUSTOMER_FIELD_PATHS.phone };
  const billing = customer.billingAddress;
  return { value: internationalPhone(billing?.phoneNumber, billing?.phoneCountryCode), field: billingField('phoneNumber') };
}

/**
 * The customer's name, else the billing first and last name joined, for processors that hold one
 * name. A billing name is reported on `first_name`, the field that starts it.
 */
export function customerName(customer: CustomerProfile): Sourced {
  const billing = customer.billingAddress;
  return customer.name !== undefined
    ? { value: customer.name, field: CUSTOMER_FIELD_PATHS.name }
    : { value: fullName(billing?.firstName, billing?.lastName), field: billingField('firstName') };
}

/**
 * First and last name for processors that hold them apart. The billing first/last names are used
 * as they are when they spell the customer name, or when there is none; otherwise the
 * customer_name is used, split or whole as `options` say.
 */
export function personName(customer: CustomerProfile, { splitCustomerName }: PersonNameOptions): PersonName {
  const billing = customer.billingAddress;
  // The name is compared in the form it would be sent: trimmed when split, as given when whole.
  const name = splitCustomerName ? customer.name?.trim() || undefined : customer.name;
  if (name === undefined || name === fullName(billing?.firstName, billing?.lastName)) {
    return {
      firstName: { value: billing?.firstName, field: billingField('firstName') },
      lastName: { value: billing?.lastName, field: billingField('lastName') },
    };
  }
  const field = CUSTOMER_FIELD_PATHS.name;
  const lastSpace = splitCustomerName ? name.lastIndexOf(' ') : -1;
  if (lastSpace < 0) return { firstName: { value: name, field }, lastName: { field } };
  return { firstName: { value: name.slice(0, lastSpace).trim(), field }, lastName: { value: name.slice(lastSpace + 1), field } };
}
