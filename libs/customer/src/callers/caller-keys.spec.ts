import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CallerKeysError, digestOfKey, loadCallerKeysFile, parseCallerKeys, parseRateLimit } from './caller-keys';

const KEY = 'ck_CallerKeysSpecKey_0123456789abcdefgh';
const OTHER_KEY = 'ck_CallerKeysSpecKey_OTHER_0123456789ab';
const env = { SHOP_A_KEY: KEY, SHOP_B_KEY: OTHER_KEY, SHORT: 'too-short', EMPTY: '', SAME: KEY };

function problemsOf(callers: unknown): string[] {
  try {
    parseCallerKeys(typeof callers === 'string' ? callers : JSON.stringify(callers), 'json', env, 'callers.json');
  } catch (error) {
    if (error instanceof CallerKeysError) return error.problems;
    throw error;
  }
  throw new Error('the file was accepted');
}

const valid = { tenant: 'tenant-a', key: 'env:SHOP_A_KEY', scopes: ['customers:create'] };

describe(parseCallerKeys.name, () => {
  it('reads the issue’s example in YAML: tenant, key digest, scopes, accounts, inline credentials, merchants, rate limit', () => {
    const yaml = [
      'shop-a:',
      '  tenant: tenant-a',
      '  key: env:SHOP_A_KEY',
      '  scopes: [customers:create, customers:read, customers:update, customers:delete]',
      '  accounts: [stripe-eu]',
      '  inline_credentials: true',
      '  merchants: [acme]',
      '  rate_limit: 100/s',
      'ops:',
      `  tenant: tenant-a`,
      `  key: sha256:${digestOfKey(OTHER_KEY).toString('hex')}`,
      '  scopes: [admin]',
      '  accounts: "*"',
      '',
    ].join('\n');

    const callers = parseCallerKeys(yaml, 'yaml', env);

    expect(callers.get('shop-a')).toEqual({
      name: 'shop-a',
      tenant: 'tenant-a',
      digest: digestOfKey(KEY),
      scopes: new Set(['customers:create', 'customers:read', 'customers:update', 'customers:delete']),
      accounts: new Set(['stripe-eu']),
      inlineCredentials: true,
      merchants: new Set(['acme']),
      rateLimit: { requests: 100, periodMs: 1_000 },
    });
    expect(callers.get('ops')).toMatchObject({ digest: digestOfKey(OTHER_KEY), scopes: new Set(['admin']), accounts: 'all', inlineCredentials: false });
    expect(callers.get('ops')!.merchants).toBeUndefined();
  });

  it('grants no account and no inline credentials when they are left out', () => {
    expect(parseCallerKeys(JSON.stringify({ a: valid }), 'json', env).get('a')).toMatchObject({ accounts: new Set(), inlineCredentials: false });
  });

  it.each<[string, unknown, string]>([
    ['a literal key', { a: { ...valid, key: KEY } }, 'caller "a": key must be env:VAR or sha256:<64 hex digits>: a key is never written into the file'],
    ['a missing key', { a: { ...valid, key: undefined } }, 'caller "a": key is required'],
    ['a bad digest', { a: { ...valid, key: 'sha256:abc' } }, 'caller "a": key must be sha256: followed by 64 hex digits'],
    ['an unset variable', { a: { ...valid, key: 'env:NOPE' } }, 'caller "a": key references env:NOPE, which is not set'],
    ['a short key', { a: { ...valid, key: 'env:SHORT' } }, 'caller "a": key: env:SHORT must hold 32 to 512 printable ASCII characters'],
    ['no tenant', { a: { ...valid, tenant: undefined } }, 'caller "a": tenant is required'],
    ['a tenant with a space', { a: { ...valid, tenant: 'tenant a' } }, 'caller "a": tenant is required: 1 to 128 printable ASCII characters without spaces'],
    ['an unknown scope', { a: { ...valid, scopes: ['customers:create', 'customers:*'] } }, 'caller "a": scope "customers:*" is not one of customers:create, customers:read, customers:update, customers:delete, admin'],
    ['no scopes', { a: { ...valid, scopes: [] } }, 'caller "a": scopes must name at least one of'],
    ['scopes that are not a list', { a: { ...valid, scopes: 42 } }, 'caller "a": scopes must be a list of strings'],
    ['"*" beside account names', { a: { ...valid, accounts: ['*', 'stripe-eu'] } }, 'caller "a": accounts "*" means every account: list nothing beside it'],
    ['a bad account name', { a: { ...valid, accounts: ['stripe eu'] } }, 'caller "a": accounts: "stripe?eu" is not a connector account name'],
    ['inline_credentials that is not a boolean', { a: { ...valid, inline_credentials: 'yes' } }, 'caller "a": inline_credentials must be true or false'],
    ['an empty merchant list', { a: { ...valid, merchants: [] } }, 'caller "a": merchants must list at least one x-merchant-id'],
    ['a bad rate limit', { a: { ...valid, rate_limit: 'fast' } }, 'caller "a": rate_limit must be requests per period, e.g. 100/s, 6000/min or 10/h'],
    ['an unknown field', { a: { ...valid, tenant_id: 'x' } }, 'caller "a": "tenant_id" is not a field of a caller'],
    ['a bad caller name', { 'shop a': valid }, 'caller name "shop?a" must be 1 to 64 letters'],
    ['an entry that is not an object', { a: 'key' }, 'caller "a" must be an object with tenant, key and scopes'],
    ['two callers with one key', { a: valid, b: { ...valid, key: 'env:SAME' } }, 'callers "a" and "b" have the same key: give each caller its own'],
  ])('refuses %s, naming it', (_case, callers, problem) => {
    expect(problemsOf(callers)).toEqual([expect.stringContaining(problem)]);
  });

  it('reports every problem at once, and never a key', () => {
    const problems = problemsOf({ a: { ...valid, key: KEY }, b: { tenant: '', key: 'env:SHORT', scopes: ['x'] } });

    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(problems.join('\n')).not.toContain(KEY);
    expect(problems.join('\n')).not.toContain('too-short');
  });

  it.each([
    ['{"a": ', 'json', /^is not valid JSON/],
    ['a: [', 'yaml', /^is not valid YAML/],
    ['[]', 'json', /^must be an object of callers/],
  ] as const)('refuses an unreadable file %j without quoting it', (text, format, problem) => {
    try {
      parseCallerKeys(text, format, env);
      throw new Error('accepted');
    } catch (error) {
      expect((error as CallerKeysError).problems).toEqual([expect.stringMatching(problem)]);
    }
  });

  it('loads a file by its extension, and names an unreadable one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'caller-keys-spec-'));
    writeFileSync(path.join(dir, 'callers.yml'), 'a:\n  tenant: t\n  key: env:SHOP_A_KEY\n  scopes: [admin]\n');

    await expect(loadCallerKeysFile(path.join(dir, 'callers.yml'), env)).resolves.toHaveProperty('size', 1);
    await expect(loadCallerKeysFile(path.join(dir, 'missing.yaml'), env)).rejects.toThrow(/missing\.yaml:\n {2}- cannot be read \(ENOENT\)/);
  });
});

describe(parseRateLimit.name, () => {
  it.each([
    ['100/s', { requests: 100, periodMs: 1_000 }],
    ['6000/min', { requests: 6_000, periodMs: 60_000 }],
    [' 10 / h ', { requests: 10, periodMs: 3_600_000 }],
    ['0/s', undefined],
    ['10/day', undefined],
    [10, undefined],
  ])('%j → %j', (text, limit) => {
    expect(parseRateLimit(text)).toEqual(limit);
  });
});
