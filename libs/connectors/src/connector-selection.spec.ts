import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ERROR_TABLE } from '@app/common/errors/error-table';
import { GrpcStatus } from '@app/common/errors/grpc-status';
import { ConnectorRegistry } from './connector-registry';
import type { ConnectorAccount } from './accounts/connector-accounts';
import type { HeaderReader } from '@app/common/context/request-headers';
import { selectConnector, type ConnectorAccountLookup } from './connector-selection';
import { StripeConnector } from './stripe/stripe.connector';

const KEY = 'sk_test_51Selection';
const registry = new ConnectorRegistry([new StripeConnector()]);
const stripeConfig = (config: Record<string, unknown>) => JSON.stringify({ config: { Stripe: config } });

function headersOf(headers: Record<string, string>): HeaderReader {
  return (name) => headers[name];
}

function selectionError(headers: Record<string, string>): DomainError {
  try {
    selectConnector(registry, headersOf(headers));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('selectConnector accepted the headers');
}

describe(selectConnector.name, () => {
  const sut = (headers: Record<string, string>) => selectConnector(registry, headersOf(headers));

  describe('accepts', () => {
    it.each<[string, Record<string, string>, string | undefined]>([
      ['x-connector-config', { 'x-connector-config': stripeConfig({ api_key: KEY }) }, undefined],
      ['x-connector-config with base_url', { 'x-connector-config': stripeConfig({ api_key: KEY, base_url: 'http://127.0.0.1:12111/' }) }, 'http://127.0.0.1:12111/'],
      ['x-connector-config with an empty base_url', { 'x-connector-config': stripeConfig({ api_key: KEY, base_url: '' }) }, undefined],
      ['x-connector-config with a null base_url', { 'x-connector-config': stripeConfig({ api_key: KEY, base_url: null }) }, undefined],
      ['the deprecated x-connector-auth', { 'x-connector-auth': JSON.stringify({ auth_type: { Stripe: { api_key: KEY } } }) }, undefined],
      ['legacy x-connector + x-auth + x-api-key', { 'x-connector': 'stripe', 'x-auth': 'header-key', 'x-api-key': KEY }, undefined],
      ['legacy headers with spaces around the name', { 'x-connector': ' stripe ', 'x-auth': 'header-key', 'x-api-key': KEY }, undefined],
      [
        'x-connector-config over x-connector (which is then ignored)',
        { 'x-connector-config': stripeConfig({ api_key: KEY }), 'x-connector': 'checkout', 'x-auth': 'signature-key' },
        undefined,
      ],
      [
        'x-connector-config over x-connector-auth',
        { 'x-connector-config': stripeConfig({ api_key: KEY }), 'x-connector-auth': '{not json' },
        undefined,
      ],
    ])('%s', (_case, headers, baseUrlOverride) => {
      const selection = sut(headers);

      expect(selection.connector.descriptor.name).toBe('stripe');
      expect(selection.credentials).toEqual({ api_key: KEY });
      expect(selection.baseUrlOverride).toBe(baseUrlOverride);
    });

    it('refuses an unknown field inside the variant, naming it (as the accounts file does), rather than dropping it', () => {
      const refusal = (() => {
        try {
          sut({ 'x-connector-config': stripeConfig({ api_key: KEY, bogus: 'whsec_x' }) });
        } catch (error) {
          return error as DomainError;
        }
        throw new Error('accepted');
      })();

      expect(refusal.reason).toBe(ErrorReason.InvalidConnectorConfiguration);
      expect(refusal.details.fieldViolations).toEqual([{ field: 'x-connector-config.config.Stripe.bogus', description: 'is not a Stripe field (api_key, base_url)' }]);
      expect(refusal.message).not.toContain('whsec_x');
    });
  });

  describe('refuses with Prism’s code and message', () => {
    it.each<[string, Record<string, string>, ErrorReason, string, GrpcStatus]>([
      ['none of the headers', {}, ErrorReason.MissingRequiredField, 'Missing required field: x-connector', GrpcStatus.INVALID_ARGUMENT],
      ['only unrelated headers', { 'x-api-key': KEY, 'x-merchant-id': 'm' }, ErrorReason.MissingRequiredField, 'Missing required field: x-connector', GrpcStatus.INVALID_ARGUMENT],
      ['an unknown x-connector', { 'x-connector': 'worldpay', 'x-auth': 'signature-key' }, ErrorReason.InvalidDataFormat, 'Invalid data format: x-connector', GrpcStatus.INVALID_ARGUMENT],
      ['an x-connector in the wrong case', { 'x-connector': 'Stripe', 'x-auth': 'header-key', 'x-api-key': KEY }, ErrorReason.InvalidDataFormat, 'Invalid data format: x-connector', GrpcStatus.INVALID_ARGUMENT],
      ['x-connector without x-auth', { 'x-connector': 'stripe', 'x-api-key': KEY }, ErrorReason.MissingRequiredField, 'Missing required field: x-auth', GrpcStatus.INVALID_ARGUMENT],
      ['a missing x-api-key', { 'x-connector': 'stripe', 'x-auth': 'header-key' }, ErrorReason.MissingRequiredField, 'Missing required field: x-api-key', GrpcStatus.INVALID_ARGUMENT],
      ['an empty x-api-key', { 'x-connector': 'stripe', 'x-auth': 'header-key', 'x-api-key': '' }, ErrorReason.MissingRequiredField, 'Missing required field: x-api-key', GrpcStatus.INVALID_ARGUMENT],
      [
        'an x-auth of the wrong kind for Stripe',
        { 'x-connector': 'stripe', 'x-auth': 'body-key', 'x-api-key': KEY, 'x-key1': 'k1' },
        ErrorReason.InvalidConnectorConfiguration,
        'Invalid connector configuration: x-auth',
        GrpcStatus.FAILED_PRECONDITION,
      ],
      ['an unknown x-auth', { 'x-connector': 'stripe', 'x-auth': 'certificate-auth', 'x-api-key': KEY }, ErrorReason.InvalidConnectorConfiguration, 'Invalid connector configuration: x-auth', GrpcStatus.FAILED_PRECONDITION],
      ['an x-auth naming an Object property', { 'x-connector': 'stripe', 'x-auth': 'toString', 'x-api-key': KEY }, ErrorReason.InvalidConnectorConfiguration, 'Invalid connector configuration: x-auth', GrpcStatus.FAILED_PRECONDITION],
      ['x-connector-config that is not JSON', { 'x-connector-config': '{"config":' }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['an empty x-connector-config', { 'x-connector-config': '' }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['x-connector-config that is a JSON array', { 'x-connector-config': '[]' }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['x-connector-config with non-ASCII text', { 'x-connector-config': stripeConfig({ api_key: 'sk_test_é' }) }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['an unknown variant (Worldpay is not served)', { 'x-connector-config': '{"config":{"Worldpay":{"api_key":"x"}}}' }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['a lower-case variant', { 'x-connector-config': `{"config":{"stripe":{"api_key":"${KEY}"}}}` }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['two variants at once', { 'x-connector-config': `{"config":{"Stripe":{"api_key":"${KEY}"},"Adyen":{}}}` }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['a config that is not an object', { 'x-connector-config': '{"config":"Stripe"}' }, ErrorReason.InvalidDataFormat, 'Invalid data format: X-Connector-Config', GrpcStatus.INVALID_ARGUMENT],
      ['a missing config key', { 'x-connector-config': `{"Stripe":{"api_key":"${KEY}"}}` }, ErrorReason.MissingRequiredField, 'Missing required field: X-Connector-Config.config', GrpcStatus.INVALID_ARGUMENT],
      ['a deprecated x-connector-auth without auth_type', { 'x-connector-auth': `{"config":{"Stripe":{"api_key":"${KEY}"}}}` }, ErrorReason.MissingRequiredField, 'Missing required field: X-Connector-Config.config', GrpcStatus.INVALID_ARGUMENT],
      ['a Stripe config without api_key', { 'x-connector-config': '{"config":{"Stripe":{}}}' }, ErrorReason.InvalidConnectorConfiguration, 'Invalid connector configuration: X-Connector-Config', GrpcStatus.FAILED_PRECONDITION],
      [
        'an invalid x-connector-config even with valid legacy headers',
        { 'x-connector-config': 'nope', 'x-connector': 'stripe', 'x-auth': 'header-key', 'x-api-key': KEY },
        ErrorReason.InvalidDataFormat,
        'Invalid data format: X-Connector-Config',
        GrpcStatus.INVALID_ARGUMENT,
      ],
    ])('%s', (_case, headers, reason, message, grpc) => {
      const error = selectionError(headers);

      expect(error).toMatchObject({ reason, message });
      expect(ERROR_TABLE[error.reason].grpc).toBe(grpc);
    });
  });

  describe('names the offending credential field', () => {
    it.each<[string, Record<string, string>, string, FieldViolation[]]>([
      ['a missing api_key', { 'x-connector-config': '{"config":{"Stripe":{}}}' }, 'X-Connector-Config', [{ field: 'x-connector-config.config.Stripe.api_key', description: 'is required' }]],
      ['an empty api_key', { 'x-connector-config': stripeConfig({ api_key: '' }) }, 'X-Connector-Config', [{ field: 'x-connector-config.config.Stripe.api_key', description: 'is required' }]],
      ['a numeric api_key', { 'x-connector-config': stripeConfig({ api_key: 42 }) }, 'X-Connector-Config', [{ field: 'x-connector-config.config.Stripe.api_key', description: 'must be a string' }]],
      [
        'an api_key with CR/LF (header injection)',
        { 'x-connector-config': stripeConfig({ api_key: `${KEY}\r\nX-Injected: 1` }) },
        'X-Connector-Config',
        [{ field: 'x-connector-config.config.Stripe.api_key', description: expect.stringContaining('printable ASCII') }],
      ],
      [
        'an over-long api_key',
        { 'x-connector-config': stripeConfig({ api_key: `sk_test_${'a'.repeat(4096)}` }) },
        'X-Connector-Config',
        [{ field: 'x-connector-config.config.Stripe.api_key', description: expect.stringContaining('4096') }],
      ],
      ['a base_url that is not a string', { 'x-connector-config': stripeConfig({ api_key: KEY, base_url: 8080 }) }, 'X-Connector-Config', [{ field: 'x-connector-config.config.Stripe.base_url', description: 'must be a string' }]],
      ['a variant that is not an object', { 'x-connector-config': '{"config":{"Stripe":"sk_test_x"}}' }, 'X-Connector-Config', [{ field: 'x-connector-config.config.Stripe', description: 'must be a JSON object' }]],
      [
        'a CR/LF api_key in the deprecated header',
        { 'x-connector-auth': JSON.stringify({ auth_type: { Stripe: { api_key: `${KEY}\n` } } }) },
        'X-Connector-Config',
        [{ field: 'x-connector-auth.auth_type.Stripe.api_key', description: expect.stringContaining('printable ASCII') }],
      ],
      [
        'a CR/LF x-api-key',
        { 'x-connector': 'stripe', 'x-auth': 'header-key', 'x-api-key': `${KEY}\r\nX-Injected: 1` },
        'x-auth',
        [{ field: 'x-auth.api_key', description: expect.stringContaining('printable ASCII') }],
      ],
    ])('%s', (_case, headers, header, fieldViolations) => {
      const error = selectionError(headers);

      expect(error).toMatchObject({ reason: ErrorReason.InvalidConnectorConfiguration, message: `Invalid connector configuration: ${header}`, details: { fieldViolations } });
    });
  });

  describe('reads the header as Prism’s serde JSON: a structure where a string belongs is a data format error (INVALID_ARGUMENT)', () => {
    it.each<[string, Record<string, unknown>, string, string]>([
      ['a SecretString as {"value": …}', { api_key: { value: KEY } }, 'x-connector-config.config.Stripe.api_key', 'not {"value": …}'],
      ['an empty {"value": …}', { api_key: { value: '' } }, 'x-connector-config.config.Stripe.api_key', 'not {"value": …}'],
      ['an api_key as an array', { api_key: [KEY] }, 'x-connector-config.config.Stripe.api_key', 'must be a string'],
      ['a base_url as {"value": …}', { api_key: KEY, base_url: { value: 'http://127.0.0.1:1/' } }, 'x-connector-config.config.Stripe.base_url', 'not {"value": …}'],
    ])('%s', (_case, config, field, description) => {
      const error = selectionError({ 'x-connector-config': stripeConfig(config) });

      expect(error).toMatchObject({ reason: ErrorReason.InvalidDataFormat, message: 'Invalid data format: X-Connector-Config', details: { fieldViolations: [{ field, description: expect.stringContaining(description) }] } });
      expect(ERROR_TABLE[error.reason].grpc).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(JSON.stringify(error.details)).not.toContain(KEY);
    });
  });

  it('never echoes the credential in the error', () => {
    const error = selectionError({ 'x-connector-config': stripeConfig({ api_key: `${KEY}\r\n` }) });

    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(KEY);
  });
});

describe(`${selectConnector.name} with named accounts (x-connector-account)`, () => {
  const stripe = registry.byConnectorName('stripe')!;
  const account: ConnectorAccount = { name: 'stripe-eu', connector: stripe, credentials: { api_key: 'sk_test_51NamedAccount' }, baseUrl: 'https://proxy.internal/stripe/' };
  const accounts: ConnectorAccountLookup = { configured: true, find: (name) => (name === account.name ? account : undefined) };
  const sut = (headers: Record<string, string>, lookup: ConnectorAccountLookup | undefined = accounts) => selectConnector(registry, headersOf(headers), lookup);
  const refusal = (headers: Record<string, string>, lookup: ConnectorAccountLookup | undefined) => {
    try {
      selectConnector(registry, headersOf(headers), lookup);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error('selectConnector accepted the headers');
  };

  it('selects the account’s connector, credentials and base_url, and names the account', () => {
    expect(sut({ 'x-connector-account': 'stripe-eu' })).toEqual({ connector: stripe, credentials: account.credentials, baseUrlOverride: account.baseUrl, accountName: 'stripe-eu' });
  });

  it.each<[string, Record<string, string>]>([
    ['x-connector-config (not even parsed)', { 'x-connector-config': '{not json' }],
    ['x-connector-auth', { 'x-connector-auth': JSON.stringify({ auth_type: { Stripe: { api_key: KEY } } }) }],
    ['the legacy headers', { 'x-connector': 'checkout', 'x-auth': 'signature-key' }],
  ])('takes precedence over %s', (_case, headers) => {
    expect(sut({ ...headers, 'x-connector-account': 'stripe-eu' }).accountName).toBe('stripe-eu');
  });

  it('leaves requests without the header to the other headers', () => {
    expect(sut({ 'x-connector-config': stripeConfig({ api_key: KEY }) }).accountName).toBeUndefined();
  });

  it.each<[string, Record<string, string>, ConnectorAccountLookup | undefined, string]>([
    ['an unknown name', { 'x-connector-account': 'stripe-us' }, accounts, 'no connector account "stripe-us" is configured'],
    ['a name when no accounts file is configured', { 'x-connector-account': 'stripe-eu' }, { configured: false, find: () => undefined }, 'no connector accounts are configured on this service'],
    ['a name without an account lookup', { 'x-connector-account': 'stripe-eu' }, undefined, 'no connector accounts are configured on this service'],
    ['an empty name', { 'x-connector-account': '' }, accounts, expect.stringContaining('must be a connector account name') as unknown as string],
    ['a name that cannot be one', { 'x-connector-account': 'eu\r\nx: 1' }, accounts, expect.stringContaining('must be a connector account name') as unknown as string],
  ])('refuses %s as INVALID_ARGUMENT naming the header', (_case, headers, lookup, description) => {
    const error = refusal(headers, lookup);

    expect(error).toMatchObject({ reason: ErrorReason.InvalidDataFormat, message: 'Invalid data format: x-connector-account', details: { fieldViolations: [{ field: 'x-connector-account', description }] } });
    expect(ERROR_TABLE[error.reason].grpc).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});
