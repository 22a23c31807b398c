import type { CustomerProfile } from '@app/common/domain/customer-profile';

/** A first and a last name for processors that hold them apart, and the request fields they came from. */
export interface PersonName {
  firstName?: string;
  lastName?: string;
  firstNameField: string;
  lastNameField: string;
}

/**
 * The billing names are used as they are when they spell the customer name (or when there is no
 * customer name); otherwise the customer name is split at its last space, so a middle name stays
 * with the first name and a one-word name is a first name.
 */
export function personName(customer: CustomerProfile): PersonName {
  const billingFirst = customer.billingAddress?.firstName;
  const billingLast = customer.billingAddress?.lastName;
  const name = customer.name?.trim();
  if (!name || [billingFirst, billingLast].filter(Boolean).join(' ') === name) {
    return { firstName: billingFirst, lastName: billingLast, firstNameField: 'address.billing_address.first_name', lastNameField: 'address.billing_address.last_name' };
  }
  const lastSpace = name.lastIndexOf(' ');
  return {
    firstName: lastSpace < 0 ? name : name.slice(0, lastSpace).trim(),
    lastName: lastSpace < 0 ? undefined : name.slice(lastSpace + 1),
    firstNameField: 'customer_name',
    lastNameField: 'customer_name',
  };
}
