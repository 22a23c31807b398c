import type { AppConfig } from '@app/common/config/app-config';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { BaseUrlPolicy } from './base-url-policy';
import type { Connector } from './connector';
import { StripeConnector } from './stripe/stripe.connector';

const ALLOWED = 'https://sandbox.example.com';

function policyWith(allowlist: string[]): BaseUrlPolicy {
  const config: Partial<AppConfig> = { connectorBaseUrlAllowlist: new Set(allowlist) };
  return new BaseUrlPolicy(config as AppConfig);
}

function refusal(sut: BaseUrlPolicy, connector: Connector, override: string): DomainError {
  try {
    sut.resolve(connector, {}, override, true);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${override} was accepted`);
}

describe(BaseUrlPolicy.name, () => {
  const stripe = new StripeConnector();
  const sut = policyWith([ALLOWED, 'http://127.0.0.1:12111']);

  describe('resolves', () => {
    it.each<[string, string | undefined, string]>([
      ['no override to the default base URL', undefined, 'https://api.stripe.com/'],
      ['an allow-listed origin', ALLOWED, 'https://sandbox.example.com/'],
      ['an allow-listed origin with a path', `${ALLOWED}/stripe/`, 'https://sandbox.example.com/stripe/'],
      ['an allow-listed origin spelled with its default port and upper case', 'https://SANDBOX.example.com:443/v', 'https://sandbox.example.com/v'],
      ['an allow-listed loopback origin', 'http://127.0.0.1:12111/', 'http://127.0.0.1:12111/'],
      ['another spelling of an allow-listed IP origin', 'http://0x7f.1:12111/', 'http://127.0.0.1:12111/'],
      ['the connector’s own origin', 'https://api.stripe.com', 'https://api.stripe.com/'],
      ['the connector’s own origin with a path', 'https://api.stripe.com/proxy/', 'https://api.stripe.com/proxy/'],
    ])('%s', (_case, override, expected) => {
      expect(sut.resolve(stripe, {}, override, true)).toBe(expected);
    });

    it.each([
      [true, 'https://sandbox.processor.example/'],
      [false, 'https://live.processor.example/'],
    ])('without override in test mode %p, to the connector’s default for that mode', (testMode, expected) => {
      const connector = { descriptor: { ...stripe.descriptor, baseUrls: { sandbox: 'https://sandbox.processor.example/', live: 'https://live.processor.example/' } } } as Connector;

      expect(policyWith([]).resolve(connector, {}, undefined, testMode)).toBe(expected);
    });
  });

  describe('refuses with BASE_URL_NOT_ALLOWED before any call', () => {
    it.each<[string, string]>([
      ['loopback by IP', 'http://127.0.0.1:9'],
      ['loopback by IP on the default port', 'http://127.0.0.1/'],
      ['localhost', 'http://localhost'],
      ['LOCALHOST on the allow-listed port', 'http://LOCALHOST:12111'],
      ['IPv6 loopback', 'http://[::1]'],
      ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:12111'],
      ['hexadecimal loopback', 'http://0x7f.1'],
      ['decimal loopback', 'http://2130706433'],
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
      ['a private network address', 'http://10.0.0.1/'],
      ['a file URL', 'file:///etc/passwd'],
      ['an ftp URL', 'ftp://api.stripe.com/'],
      ['a gopher URL', 'gopher://127.0.0.1:6379/_INFO'],
      ['a relative URL', '/v1/customers'],
      ['text that is not a URL', 'api.stripe.com'],
      ['the own host as userinfo of another host', 'https://api.stripe.com@evil.example/'],
      ['credentials on an allow-listed origin', 'https://user:pw@sandbox.example.com'],
      ['a user name on the own origin', 'https://user@api.stripe.com/'],
      ['a host that only starts like the own host', 'https://api.stripe.com.evil.example'],
      ['a host that only ends like an allow-listed one', 'https://evilsandbox.example.com'],
      ['a query string', 'https://api.stripe.com/?redirect=http://169.254.169.254'],
      ['a fragment', `${ALLOWED}/#x`],
      ['an allow-listed host on another port', 'https://sandbox.example.com:8443'],
      ['an allow-listed host over another scheme', 'http://sandbox.example.com'],
      ['the own host over http', 'http://api.stripe.com/'],
    ])('%s (%s)', (_case, override) => {
      const error = refusal(sut, stripe, override);

      expect(error.reason).toBe(ErrorReason.BaseUrlNotAllowed);
      expect(error.message).toMatch(/^base_url not allowed: /);
      expect(error.details.fieldViolations).toEqual([{ field: 'x-connector-config.config.Stripe.base_url', description: expect.any(String) }]);
    });

    it('refuses every override when the allow-list is empty, except the connector’s own origin', () => {
      const strict = policyWith([]);

      expect(refusal(strict, stripe, ALLOWED).details.fieldViolations?.[0].description).toBe(
        'origin https://sandbox.example.com is not in CONNECTOR_BASE_URL_ALLOWLIST',
      );
      expect(strict.resolve(stripe, {}, 'https://api.stripe.com/', false)).toBe('https://api.stripe.com/');
    });

    it('lets an operator-configured base_url (connector accounts file) through without the allow-list, still checking its form', () => {
      const strict = policyWith([]);

      expect(strict.resolve(stripe, {}, 'https://proxy.internal:8443/stripe/', true, true)).toBe('https://proxy.internal:8443/stripe/');
      expect(() => strict.resolve(stripe, {}, 'https://u:p@proxy.internal/', true, true)).toThrow('base_url not allowed: must not contain credentials');
      expect(refusal(strict, stripe, 'https://proxy.internal:8443/stripe/').reason).toBe(ErrorReason.BaseUrlNotAllowed);
    });

    it('does not echo credentials from a refused base_url', () => {
      const error = refusal(sut, stripe, 'https://user:hunter2@sandbox.example.com');

      expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('hunter2');
    });
  });
});

describe(`${BaseUrlPolicy.name} and a processor's alternate hosts`, () => {
  const sut = policyWith([]);
  const processor = (alternates?: string[]) =>
    ({ descriptor: { configVariant: 'Authorizedotnet', baseUrls: { sandbox: 'https://apitest.authorize.net/xml/v1/request.api', live: 'https://api2.authorize.net/xml/v1/request.api', alternates } } }) as Connector;

  it('accepts a base_url on a host the processor declares as its own', () => {
    expect(sut.resolve(processor(['https://api.authorize.net/xml/v1/request.api']), {}, 'https://api.authorize.net/xml/v1/request.api', false)).toBe('https://api.authorize.net/xml/v1/request.api');
  });

  it('refuses the same host when the processor does not declare it', () => {
    expect(() => sut.resolve(processor(), {}, 'https://api.authorize.net/xml/v1/request.api', false)).toThrow(expect.objectContaining({ reason: ErrorReason.BaseUrlNotAllowed }));
  });
});
