import { fullName, internationalPhone } from './customer-profile';

describe(internationalPhone.name, () => {
  it.each<[string | undefined, string | undefined, string | undefined]>([
    ['2025550143', '1', '+12025550143'],
    ['2025550143', '+1', '+12025550143'],
    ['+12025550143', '44', '+12025550143'],
    ['2025550143', undefined, '2025550143'],
    ['2025550143', '', '2025550143'],
    [undefined, '1', undefined],
    ['', '1', undefined],
  ])('(%p, %p) → %p', (number, countryCode, expected) => {
    expect(internationalPhone(number, countryCode)).toBe(expected);
  });
});

describe(fullName.name, () => {
  it.each<[string | undefined, string | undefined, string | undefined]>([
    ['Ada', 'Lovelace', 'Ada Lovelace'],
    ['Ada', undefined, 'Ada'],
    [undefined, 'Lovelace', 'Lovelace'],
    ['', 'Lovelace', 'Lovelace'],
    [undefined, undefined, undefined],
    ['', '', undefined],
  ])('(%p, %p) → %p', (first, last, expected) => {
    expect(fullName(first, last)).toBe(expected);
  });
});
