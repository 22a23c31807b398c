import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatOfFile, type ConfigFileFormat } from '@app/common/config/config-file';
import { ConnectorRegistry } from '../connector-registry';
import { CybersourceConnector } from '../cybersource/cybersource.connector';
import { StripeConnector } from '../stripe/stripe.connector';
import { ConnectorAccountsError, loadConnectorAccountsFile, parseConnectorAccounts } from './connector-accounts';

const registry = new ConnectorRegistry([new StripeConnector(), new CybersourceConnector()]);
const SECRET = 'sk_live_AccountsSpecSecret01';
const env = { STRIPE_EU_KEY: SECRET, CYBS_SECRET: 'c2VjcmV0LXNlY3JldA==', EMPTY: '' };

function problemsOf(text: string, format: ConfigFileFormat = 'json'): string[] {
  try {
    parseConnectorAccounts(text, format, registry, env, 'accounts.json');
  } catch (error) {
    if (error instanceof ConnectorAccountsError) return error.problems;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe(parseConnectorAccounts.name, () => {
  it('reads named accounts from JSON, resolving env: references', () => {
    const accounts = parseConnectorAccounts(
      JSON.stringify({
        'stripe-eu': { connector: 'stripe', config: { api_key: 'env:STRIPE_EU_KEY', base_url: 'https://proxy.internal:8443/stripe/' } },
        'stripe-us': { connector: 'Stripe', config: { api_key: 'sk_test_literal0001' }, description: 'US entity' },
      }),
      'json',
      registry,
      env,
    );

    expect([...accounts.keys()]).toEqual(['stripe-eu', 'stripe-us']);
    expect(accounts.get('stripe-eu')).toEqual({ name: 'stripe-eu', connector: expect.any(StripeConnector), credentials: { api_key: SECRET }, baseUrl: 'https://proxy.internal:8443/stripe/' });
    expect(accounts.get('stripe-us')).toMatchObject({ credentials: { api_key: 'sk_test_literal0001' }, baseUrl: undefined });
  });

  it('reads the same from YAML', () => {
    const yaml = ['cybs:', '  connector: cybersource', '  config:', '    api_key: key-id-1', '    merchant_account: acme_merchant', '    api_secret: env:CYBS_SECRET', ''].join('\n');

    expect(parseConnectorAccounts(yaml, 'yaml', registry, env).get('cybs')?.credentials).toEqual({
      api_key: 'key-id-1',
      merchant_account: 'acme_merchant',
      api_secret: env.CYBS_SECRET,
    });
  });

  it('accepts an empty object: no accounts', () => {
    expect(parseConnectorAccounts('{}', 'json', registry, env).size).toBe(0);
  });

  it.each<[string, unknown, string]>([
    ['an unknown connector', { a: { connector: 'paypal', config: {} } }, 'account "a": connector "paypal" is not supported (one of stripe, cybersource)'],
    ['a missing connector', { a: { config: { api_key: 'x' } } }, 'account "a": connector is required (one of stripe, cybersource)'],
    ['a missing required credential', { a: { connector: 'cybersource', config: { api_key: 'k', api_secret: 's' } } }, 'account "a": config.merchant_account is required for Cybersource'],
    ['a credential that is not a string', { a: { connector: 'stripe', config: { api_key: 42 } } }, 'account "a": config.api_key must be a string'],
    ['an unset env: reference', { a: { connector: 'stripe', config: { api_key: 'env:NOT_SET' } } }, 'account "a": config.api_key references env:NOT_SET, which is not set'],
    ['an empty env: reference', { a: { connector: 'stripe', config: { api_key: 'env:EMPTY' } } }, 'account "a": config.api_key references env:EMPTY, which is not set'],
    ['a malformed env: reference', { a: { connector: 'stripe', config: { api_key: 'env:1BAD' } } }, 'account "a": config.api_key must name an environment variable after "env:" (got "env:1BAD")'],
    ['a field the connector does not take', { a: { connector: 'stripe', config: { api_key: 'k', apikey: 'k' } } }, 'account "a": config.apikey is not a Stripe field (api_key, base_url)'],
    ['a field an account does not have', { a: { connector: 'stripe', config: { api_key: 'k' }, credentials: {} } }, 'account "a": "credentials" is not a field of an account (connector, config, description)'],
    ['a relative base_url', { a: { connector: 'stripe', config: { api_key: 'k', base_url: '/stripe' } } }, 'account "a": config.base_url is not an absolute URL'],
    ['a base_url with credentials', { a: { connector: 'stripe', config: { api_key: 'k', base_url: 'https://u:p@proxy.internal/' } } }, 'account "a": config.base_url must not contain credentials'],
    ['a base_url of another scheme', { a: { connector: 'stripe', config: { api_key: 'k', base_url: 'ftp://proxy.internal/' } } }, 'account "a": config.base_url must use http or https'],
    ['a bad account name', { 'has space': { connector: 'stripe', config: { api_key: 'k' } } }, 'account name "has?space" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
    ['an account that is not an object', { a: 'stripe' }, 'account "a" must be an object with "connector" and "config"'],
  ])('refuses %s, naming the account and field', (_case, file, problem) => {
    expect(problemsOf(JSON.stringify(file))).toEqual([problem]);
  });

  it('reports every problem of every account at once', () => {
    const problems = problemsOf(JSON.stringify({ a: { connector: 'paypal' }, b: { connector: 'stripe', config: {} }, c: { connector: 'stripe', config: { api_key: 'ok' } } }));

    expect(problems).toEqual(['account "a": connector "paypal" is not supported (one of stripe, cybersource)', 'account "b": config.api_key is required for Stripe']);
  });

  it.each<[string, string, ConfigFileFormat, RegExp]>([
    ['JSON', `{"a": {"connector": "stripe", "config": {"api_key": "${SECRET}"}},}`, 'json', /^is not valid JSON \(line 1, column \d+\)$/],
    ['YAML', `a:\n  connector: stripe\n  config: {api_key: ${SECRET}\n`, 'yaml', /^is not valid YAML \([A-Z_]+ at line \d+, column \d+\)$/],
    ['YAML with a duplicate key', `a: {connector: stripe, config: {api_key: ${SECRET}}}\na: {connector: stripe}\n`, 'yaml', /^is not valid YAML \(DUPLICATE_KEY at line 2, column 1\)$/],
  ])('reports unparseable %s by position only, never quoting the text (it may hold a key)', (_case, text, format, problem) => {
    const [reported, ...rest] = problemsOf(text, format);

    expect(reported).toMatch(problem);
    expect(rest).toEqual([]);
  });

  it('never puts a credential value in an error message', () => {
    const file = JSON.stringify({ a: { connector: 'stripe', config: { api_key: SECRET, base_url: 'not a url' } }, b: { connector: 'cybersource', config: { api_key: SECRET } } });

    let message = '';
    try {
      parseConnectorAccounts(file, 'json', registry, env, '/etc/accounts.json');
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toMatch(/^Invalid connector accounts file \/etc\/accounts.json:\n {2}- account "a": config.base_url is not an absolute URL\n/);
    expect(message).not.toContain(SECRET);
  });

  it.each(['[]', '"stripe"', 'null'])('refuses %s: the file must be an object of accounts', (text) => {
    expect(problemsOf(text)[0]).toMatch(/^must be an object of named accounts/);
  });
});

describe(loadConnectorAccountsFile.name, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'connector-accounts-'));

  it('reads .json as JSON and anything else as YAML', async () => {
    writeFileSync(path.join(dir, 'a.json'), '{"a":{"connector":"stripe","config":{"api_key":"k-json"}}}');
    writeFileSync(path.join(dir, 'a.yaml'), 'a: {connector: stripe, config: {api_key: k-yaml}}\n');

    await expect(loadConnectorAccountsFile(path.join(dir, 'a.json'), registry, env)).resolves.toHaveProperty('size', 1);
    await expect(loadConnectorAccountsFile(path.join(dir, 'a.yaml'), registry, env)).resolves.toHaveProperty('size', 1);
    expect([formatOfFile('x.JSON'), formatOfFile('x.yml'), formatOfFile('accounts')]).toEqual(['json', 'yaml', 'yaml']);
  });

  it('names a file it cannot read', async () => {
    const missing = path.join(dir, 'missing.yaml');

    await expect(loadConnectorAccountsFile(missing, registry, env)).rejects.toThrow(`Invalid connector accounts file ${missing}:\n  - cannot be read (ENOENT)`);
  });
});
