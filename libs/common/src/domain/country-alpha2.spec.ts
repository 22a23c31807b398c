import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { COUNTRY_ALPHA2_CODES, COUNTRY_UNSPECIFIED, countryByNumber, isCountryAlpha2 } from './country-alpha2';

const PROTO = join(__dirname, '../../../../proto/types/payment_methods.proto');

function protoCountryEnum(): Record<string, number> {
  return protobuf.loadSync(PROTO).lookupEnum('types.CountryAlpha2').values;
}

describe('COUNTRY_ALPHA2_CODES', () => {
  it('equals the proto CountryAlpha2 enum: every code, numbered index + 1', () => {
    const expected = { [COUNTRY_UNSPECIFIED]: 0, ...Object.fromEntries(COUNTRY_ALPHA2_CODES.map((code, index) => [code, index + 1])) };

    expect(protoCountryEnum()).toEqual(expected);
  });

  it('holds 249 distinct codes (250 enum values with UNSPECIFIED)', () => {
    expect(COUNTRY_ALPHA2_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_ALPHA2_CODES).size).toBe(249);
    expect(Object.keys(protoCountryEnum())).toHaveLength(250);
  });

  it.each([
    ['US', 1],
    ['AF', 2],
    ['DE', 84],
    ['IN', 104],
    ['GB', 236],
    ['ZW', 249],
  ])('numbers %s as %i, as Prism does', (code, number) => {
    expect(protoCountryEnum()[code]).toBe(number);
    expect(countryByNumber(number)).toBe(code);
  });
});

describe(countryByNumber.name, () => {
  it.each([
    ['0 (unspecified)', 0],
    ['a negative number', -1],
    ['one past the last code', 250],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('gives undefined for %s', (_case, value) => {
    expect(countryByNumber(value)).toBeUndefined();
  });
});

describe(isCountryAlpha2.name, () => {
  it.each<[unknown, boolean]>([
    ['US', true],
    ['ZW', true],
    ['us', false],
    ['XX', false],
    ['UK', false],
    [COUNTRY_UNSPECIFIED, false],
    [1, false],
    [undefined, false],
  ])('%p → %p', (value, expected) => {
    expect(isCountryAlpha2(value)).toBe(expected);
  });
});
