import { COUNTRY_ALPHA2_CODES } from './country-alpha2';
import { countryAlpha3 } from './country-alpha3';

describe(countryAlpha3.name, () => {
  it('converts every country to its three-letter code', () => {
    const codes = COUNTRY_ALPHA2_CODES.map(countryAlpha3);

    for (const code of codes) expect(code).toMatch(/^[A-Z]{3}$/);
    expect(new Set(codes).size).toBe(COUNTRY_ALPHA2_CODES.length);
    expect([countryAlpha3('US'), countryAlpha3('GB'), countryAlpha3('DE'), countryAlpha3('KM'), countryAlpha3('AX')]).toEqual(['USA', 'GBR', 'DEU', 'COM', 'ALA']);
  });
});
