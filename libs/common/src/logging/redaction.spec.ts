import { scrubText } from './redaction';

describe(scrubText.name, () => {
  describe('registered sensitive values', () => {
    it.each([
      ['in plain text', 'calling with secret-value-123 now', 'calling with [REDACTED] now'],
      ['at every occurrence', 'secret-value-123/secret-value-123', '[REDACTED]/[REDACTED]'],
      ['inside a JSON string', '{"token":"secret-value-123"}', '{"token":"[REDACTED]"}'],
    ])('removes the value %s', (_case, text, expected) => {
      expect(scrubText(text, ['secret-value-123'])).toBe(expected);
    });

    it('removes a value in its JSON-escaped form, as a log line serializes it', () => {
      const value = 'pa"ss\\word\nline2';
      const line = JSON.stringify({ msg: `got ${value}` });

      const scrubbed = scrubText(line, [value]);

      expect(scrubbed).toBe('{"msg":"got [REDACTED]"}');
      expect(JSON.parse(scrubbed).msg).not.toContain('word');
    });

    it('treats regular-expression characters in a value literally', () => {
      expect(scrubText('a.b+c and aXb+c', ['a.b+c'])).toBe('[REDACTED] and aXb+c');
    });
  });

  describe('patterns scrubbed whatever the request', () => {
    it.each([
      ['a Stripe secret test key', 'key=sk_test_51HxYzAbC123', 'key=[REDACTED]'],
      ['a Stripe secret live key', 'key sk_live_9aBcD', 'key [REDACTED]'],
      ['a Stripe restricted key', 'rk_test_Abc123 used', '[REDACTED] used'],
      ['a Stripe publishable key', '"pk_live_Abc123"', '"[REDACTED]"'],
      ['a Bearer token', 'authorization: Bearer abc.DEF-123_~+/=', 'authorization: [REDACTED]'],
      ['a lower-case bearer token', 'bearer abc123', '[REDACTED]'],
      ['a Basic token', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: [REDACTED]'],
      ['an email address', 'Invalid email address: ada.lovelace+test@example.co.uk', 'Invalid email address: [REDACTED]'],
      ['an international phone number', 'phone +44 20 7123 4567 given', 'phone [REDACTED] given'],
      ['a compact international phone number', '"phone":"+4915112345678"', '"phone":"[REDACTED]"'],
      ['a formatted international phone number', 'call +1 (415) 555-0100', 'call [REDACTED]'],
    ])('removes %s', (_case, text, expected) => {
      expect(scrubText(text)).toBe(expected);
    });
  });

  describe('text that is not sensitive', () => {
    it.each([
      ['an ISO timestamp', '{"time":"2026-07-29T10:11:12.345Z"}'],
      ['a timestamp with an offset', '2026-07-29T10:11:12+02:00'],
      ['a Stripe customer id', '{"connector_customer_id":"cus_QXg1o8vcGmoR32"}'],
      ['a request id (UUID)', '{"request_id":"0190f0a4-5b6c-7d8e-9f01-23456789abcd"}'],
      ['small numbers', '{"status":402,"duration_ms":12,"port":50051}'],
      ['a processor error code', '{"code":"email_invalid","param":"email"}'],
      ['a URL without credentials', 'https://api.stripe.com/v1/customers'],
    ])('keeps %s', (_case, text) => {
      expect(scrubText(text, ['secret-value-123'])).toBe(text);
    });
  });
});
