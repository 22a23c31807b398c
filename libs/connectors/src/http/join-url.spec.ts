import { joinUrl } from './join-url';

describe(joinUrl.name, () => {
  it.each([
    ['https://api.stripe.com/', 'v1/customers', 'https://api.stripe.com/v1/customers'],
    ['https://api.stripe.com', 'v1/customers', 'https://api.stripe.com/v1/customers'],
    ['https://api.stripe.com/', '/v1/customers', 'https://api.stripe.com/v1/customers'],
    ['https://proxy.example.com/stripe', 'v1/customers', 'https://proxy.example.com/stripe/v1/customers'],
    ['https://proxy.example.com/stripe/', '/v1/customers', 'https://proxy.example.com/stripe/v1/customers'],
    ['http://127.0.0.1:12111', 'v1/customers', 'http://127.0.0.1:12111/v1/customers'],
  ])('%s + %s → %s', (base, path, expected) => {
    expect(joinUrl(base, path)).toBe(expected);
  });
});
