import { encodeForm } from './form-urlencoded';

describe(encodeForm.name, () => {
  it('writes nested objects in bracket notation and skips undefined values', () => {
    const body = encodeForm({ name: 'Ada', email: undefined, shipping: { name: 'C', address: { line1: '1 Road', line2: undefined } }, metadata: {} });

    expect([...new URLSearchParams(body)]).toEqual([
      ['name', 'Ada'],
      ['shipping[name]', 'C'],
      ['shipping[address][line1]', '1 Road'],
    ]);
  });

  it('escapes reserved characters so values cannot add parameters', () => {
    const body = encodeForm({ name: 'a&b=c', metadata: { 'k&x=1': 'v+w %' } });

    expect(body).toBe('name=a%26b%3Dc&metadata%5Bk%26x%3D1%5D=v%2Bw+%25');
    expect([...new URLSearchParams(body)]).toEqual([
      ['name', 'a&b=c'],
      ['metadata[k&x=1]', 'v+w %'],
    ]);
  });

  it('keeps empty strings (Stripe reads them as "unset")', () => {
    expect(encodeForm({ description: '' })).toBe('description=');
  });
});
