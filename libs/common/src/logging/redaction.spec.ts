import fc from 'fast-check';
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

describe(`${scrubText.name}, against the plain form it replaced`, () => {
  /** Every value in both forms, every pattern on every line: what scrubText did before its shortcuts. */
  function reference(text: string, values: Iterable<string>): string {
    const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    let scrubbed = text;
    for (const value of values) {
      for (const form of new Set([value, JSON.stringify(value).slice(1, -1)])) {
        if (scrubbed.includes(form)) scrubbed = scrubbed.replace(new RegExp(escape(form), 'g'), '[REDACTED]');
      }
    }
    for (const pattern of [/\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9]+/g, /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, /\+\d[\d\s().-]{6,}\d/g]) {
      scrubbed = scrubbed.replace(pattern, '[REDACTED]');
    }
    return scrubbed;
  }

  const piece = fc.oneof(
    fc.constantFrom('sk_test_abc123', 'rk_live_Z9', 'pk_test_', 'Bearer abc.def', 'basic   x=', 'ann@example.com', 'a@b', '+49 30 1234567', '+1', 'Ann "Lee"', 'tab\there', 'ünï', '\ud83d\ude00', '"', '\\', '[REDACTED]', ' ', '_test_', '@', '+'),
    fc.string({ maxLength: 6 }),
  );
  const text = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

  it('scrubs any text exactly as before', () => {
    fc.assert(
      fc.property(text, fc.array(text.filter((v) => v.length >= 4), { maxLength: 3 }), (line, values) => {
        expect(scrubText(JSON.stringify({ msg: line, values }), values)).toBe(reference(JSON.stringify({ msg: line, values }), values));
        expect(scrubText(line, values)).toBe(reference(line, values));
      }),
      { numRuns: 3000 },
    );
  });
});
