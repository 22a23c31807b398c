import { customerEmail, customerName, customerPhone, personName, type PersonName, type Sourced } from './customer-fields';
import type { CustomerProfile, PostalAddress } from './customer-profile';

const customerWith = (changes: Partial<CustomerProfile>): CustomerProfile => ({ merchantCustomerId: 'mcid-1', metadata: {}, featureData: {}, ...changes });
const billing = (address: PostalAddress): Partial<CustomerProfile> => ({ billingAddress: address });

const BILLING_FIRST = 'address.billing_address.first_name';
const BILLING_LAST = 'address.billing_address.last_name';

describe(customerEmail.name, () => {
  it.each<[string, Partial<CustomerProfile>, Sourced]>([
    ['the customer email', { email: 'ann@example.com' }, { value: 'ann@example.com', field: 'email' }],
    ['the customer email over the billing email', { email: 'ann@example.com', ...billing({ email: 'bill@example.com' }) }, { value: 'ann@example.com', field: 'email' }],
    ['the billing email without a customer email', billing({ email: 'bill@example.com' }), { value: 'bill@example.com', field: 'address.billing_address.email' }],
    ['no email: the billing field it would come from', billing({ city: 'Berlin' }), { value: undefined, field: 'address.billing_address.email' }],
    ['no email and no billing address', {}, { value: undefined, field: 'address.billing_address.email' }],
  ])('%s', (_case, changes, expected) => {
    expect(customerEmail(customerWith(changes))).toEqual(expected);
  });
});

describe(customerPhone.name, () => {
  it.each<[string, Partial<CustomerProfile>, Sourced]>([
    ['the customer phone, as given', { phone: '+49 30 1234567' }, { value: '+49 30 1234567', field: 'phone_number' }],
    [
      'the customer phone over the billing phone',
      { phone: '030 1234567', ...billing({ phoneNumber: '2025550143', phoneCountryCode: '1' }) },
      { value: '030 1234567', field: 'phone_number' },
    ],
    ['the billing phone with its calling code', billing({ phoneNumber: '2025550143', phoneCountryCode: '+1' }), { value: '+12025550143', field: 'address.billing_address.phone_number' }],
    ['the billing phone without a calling code', billing({ phoneNumber: '2025550143' }), { value: '2025550143', field: 'address.billing_address.phone_number' }],
    ['an international billing phone, not prefixed again', billing({ phoneNumber: '+442071234567', phoneCountryCode: '1' }), { value: '+442071234567', field: 'address.billing_address.phone_number' }],
    ['a calling code without a number: no phone', billing({ phoneCountryCode: '1' }), { value: undefined, field: 'address.billing_address.phone_number' }],
    ['no phone and no billing address', {}, { value: undefined, field: 'address.billing_address.phone_number' }],
  ])('%s', (_case, changes, expected) => {
    expect(customerPhone(customerWith(changes))).toEqual(expected);
  });
});

describe(customerName.name, () => {
  it.each<[string, Partial<CustomerProfile>, Sourced]>([
    ['the customer name', { name: 'Ada Lovelace' }, { value: 'Ada Lovelace', field: 'customer_name' }],
    ['the customer name over the billing names', { name: 'Ada Lovelace', ...billing({ firstName: 'Augusta', lastName: 'King' }) }, { value: 'Ada Lovelace', field: 'customer_name' }],
    ['the billing names joined', billing({ firstName: 'Grace', lastName: 'Hopper' }), { value: 'Grace Hopper', field: BILLING_FIRST }],
    ['a billing last name alone, reported on first_name', billing({ lastName: 'Hopper' }), { value: 'Hopper', field: BILLING_FIRST }],
    ['no name', billing({ city: 'Berlin' }), { value: undefined, field: BILLING_FIRST }],
  ])('%s', (_case, changes, expected) => {
    expect(customerName(customerWith(changes))).toEqual(expected);
  });
});

describe(personName.name, () => {
  const fromBilling = (first: string | undefined, last: string | undefined): PersonName => ({
    firstName: { value: first, field: BILLING_FIRST },
    lastName: { value: last, field: BILLING_LAST },
  });
  const fromCustomerName = (first: string, last?: string): PersonName => ({
    firstName: { value: first, field: 'customer_name' },
    lastName: { value: last, field: 'customer_name' },
  });

  describe.each([true, false])('splitCustomerName: %p, alike', (splitCustomerName) => {
    it.each<[string, Partial<CustomerProfile>, PersonName]>([
      ['billing names that spell the customer name', { name: 'Mary Ann Lee', ...billing({ firstName: 'Mary', lastName: 'Ann Lee' }) }, fromBilling('Mary', 'Ann Lee')],
      ['billing names without a customer name', billing({ firstName: 'Grace', lastName: 'Hopper' }), fromBilling('Grace', 'Hopper')],
      ['a billing first name alone that is the customer name', { name: 'Grace', ...billing({ firstName: 'Grace' }) }, fromBilling('Grace', undefined)],
      ['a billing last name alone without a customer name', billing({ lastName: 'Hopper' }), fromBilling(undefined, 'Hopper')],
      ['no name at all', {}, fromBilling(undefined, undefined)],
    ])('%s', (_case, changes, expected) => {
      expect(personName(customerWith(changes), { splitCustomerName })).toEqual(expected);
    });
  });

  it.each<[string, Partial<CustomerProfile>, PersonName]>([
    ['a two-word name', { name: 'Ada Lovelace' }, fromCustomerName('Ada', 'Lovelace')],
    ['a middle name, which stays with the first name', { name: 'Ada King  Lovelace' }, fromCustomerName('Ada King', 'Lovelace')],
    ['a one-word name: a first name only', { name: 'Madonna' }, fromCustomerName('Madonna')],
    ['a name with outer spaces, trimmed', { name: '  Ada Lovelace ' }, fromCustomerName('Ada', 'Lovelace')],
    ['billing names that spell the name once trimmed', { name: ' Grace Hopper ', ...billing({ firstName: 'Grace', lastName: 'Hopper' }) }, fromBilling('Grace', 'Hopper')],
    ['billing names that spell another name', { name: 'Ada Lovelace', ...billing({ firstName: 'Augusta', lastName: 'King' }) }, fromCustomerName('Ada', 'Lovelace')],
    ['a blank name: the billing names', { name: '   ', ...billing({ firstName: 'Grace', lastName: 'Hopper' }) }, fromBilling('Grace', 'Hopper')],
  ])('splitCustomerName: true, %s', (_case, changes, expected) => {
    expect(personName(customerWith(changes), { splitCustomerName: true })).toEqual(expected);
  });

  it.each<[string, Partial<CustomerProfile>, PersonName]>([
    ['a two-word name, whole', { name: 'Ada Lovelace' }, fromCustomerName('Ada Lovelace')],
    ['billing names that spell another name', { name: 'Ada Lovelace', ...billing({ firstName: 'Augusta', lastName: 'King' }) }, fromCustomerName('Ada Lovelace')],
    ['a name without billing names', { name: 'Ada Lovelace', ...billing({ city: 'London' }) }, fromCustomerName('Ada Lovelace')],
    ['a name with outer spaces, as given (it is sent as given)', { name: ' Grace Hopper ', ...billing({ firstName: 'Grace', lastName: 'Hopper' }) }, fromCustomerName(' Grace Hopper ')],
    ['a blank name, as given', { name: '   ', ...billing({ firstName: 'Grace', lastName: 'Hopper' }) }, fromCustomerName('   ')],
  ])('splitCustomerName: false, %s', (_case, changes, expected) => {
    expect(personName(customerWith(changes), { splitCustomerName: false })).toEqual(expected);
  });
});
