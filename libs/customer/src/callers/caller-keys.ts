import { createHash } from 'node:crypto';
import type { Environment } from '@app/common/config/app-config';
import { envReferenceOf, formatOfFile, isPlainObject, parseConfigText, readConfigFile, shownName, type ConfigFileFormat } from '@app/common/config/config-file';
import { ACCOUNT_NAME } from '@app/connectors/accounts/connector-accounts';

/** What a caller key may do. Each handler states the one it needs (`@RequiresScope`). */
export const CALLER_SCOPES = ['customers:create', 'customers:read', 'customers:update', 'customers:delete', 'admin'] as const;
export type CallerScope = (typeof CALLER_SCOPES)[number];

export interface RateLimit {
  /** Requests allowed per period (also the burst). */
  requests: number;
  periodMs: number;
}

/** One caller of CALLER_KEYS_FILE: who it is, what it may do, and the SHA-256 of its key (never the key). */
export interface CallerKey {
  name: string;
  tenant: string;
  digest: Buffer;
  scopes: ReadonlySet<CallerScope>;
  /** Named connector accounts it may select; `all` for "*". */
  accounts: ReadonlySet<string> | 'all';
  /** May it send its own processor credentials (x-connector-config, x-connector-auth, x-connector + x-auth)? */
  inlineCredentials: boolean;
  /** The x-merchant-id values it may act for; absent: any. */
  merchants?: ReadonlySet<string>;
  rateLimit?: RateLimit;
}

export type CallerKeys = ReadonlyMap<string, CallerKey>;

/** Every problem of a caller keys file, each naming the caller and field; never a key. */
export class CallerKeysError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid caller keys file ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'CallerKeysError';
  }
}

/** Printable ASCII without spaces: what an `authorization: Bearer` token carries. */
export const CALLER_KEY = /^[\x21-\x7e]+$/;
export const MIN_KEY_LENGTH = 32;
export const MAX_KEY_LENGTH = 512;
const SHA256_PREFIX = 'sha256:';
const SCOPE_ID = /^[\x21-\x7e]{1,128}$/;
const ENTRY_FIELDS = ['tenant', 'key', 'scopes', 'accounts', 'inline_credentials', 'merchants', 'rate_limit', 'description'];
const PERIODS: Record<string, number> = { s: 1_000, sec: 1_000, second: 1_000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };

export function digestOfKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

function stringList(value: unknown, where: string, problems: string[]): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    problems.push(`${where} must be a list of strings`);
    return undefined;
  }
  return list as string[];
}

function parseKey(value: unknown, at: string, env: Environment, problems: string[]): Buffer | undefined {
  const where = `${at}: key`;
  if (typeof value !== 'string' || value === '') {
    problems.push(`${where} is required: env:VAR (the key in an environment variable) or sha256:<64 hex digits> (its SHA-256)`);
    return undefined;
  }
  if (value.startsWith(SHA256_PREFIX)) {
    const hex = value.slice(SHA256_PREFIX.length);
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
      problems.push(`${where} must be sha256: followed by 64 hex digits (the SHA-256 of the key, e.g. printf %s "$KEY" | sha256sum)`);
      return undefined;
    }
    return Buffer.from(hex, 'hex');
  }
  const { variable, literal } = envReferenceOf(value, where, problems);
  if (literal) {
    // Never echoed: it may be the key itself.
    problems.push(`${where} must be env:VAR or sha256:<64 hex digits>: a key is never written into the file`);
    return undefined;
  }
  if (variable === undefined) return undefined;
  const key = env[variable];
  if (key === undefined || key === '') {
    problems.push(`${where} references env:${variable}, which is not set`);
    return undefined;
  }
  if (key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH || !CALLER_KEY.test(key)) {
    problems.push(`${where}: env:${variable} must hold ${MIN_KEY_LENGTH} to ${MAX_KEY_LENGTH} printable ASCII characters without spaces (e.g. openssl rand -base64 32)`);
    return undefined;
  }
  return digestOfKey(key);
}

function parseScopes(value: unknown, at: string, problems: string[]): Set<CallerScope> | undefined {
  const list = stringList(value, `${at}: scopes`, problems);
  if (!list) return undefined;
  if (list.length === 0) problems.push(`${at}: scopes must name at least one of ${CALLER_SCOPES.join(', ')}`);
  const scopes = new Set<CallerScope>();
  for (const scope of list) {
    if ((CALLER_SCOPES as readonly string[]).includes(scope)) scopes.add(scope as CallerScope);
    else problems.push(`${at}: scope "${shownName(scope)}" is not one of ${CALLER_SCOPES.join(', ')}`);
  }
  return scopes;
}

function parseAccounts(value: unknown, at: string, problems: string[]): ReadonlySet<string> | 'all' {
  if (value === undefined || value === null) return new Set();
  const list = stringList(value, `${at}: accounts`, problems) ?? [];
  if (list.includes('*')) {
    if (list.length > 1) problems.push(`${at}: accounts "*" means every account: list nothing beside it`);
    return 'all';
  }
  for (const name of list) if (!ACCOUNT_NAME.test(name)) problems.push(`${at}: accounts: "${shownName(name)}" is not a connector account name`);
  return new Set(list);
}

function parseMerchants(value: unknown, at: string, problems: string[]): ReadonlySet<string> | undefined {
  if (value === undefined || value === null) return undefined;
  const list = stringList(value, `${at}: merchants`, problems) ?? [];
  if (list.length === 0) problems.push(`${at}: merchants must list at least one x-merchant-id (leave it out for any merchant)`);
  for (const merchant of list) if (!SCOPE_ID.test(merchant)) problems.push(`${at}: merchants: "${shownName(merchant)}" must be 1 to 128 printable ASCII characters without spaces`);
  return new Set(list);
}

/** `100/s`, `6000/min`, `10/h`. */
export function parseRateLimit(value: unknown): RateLimit | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d{1,7})\s*\/\s*([a-z]+)\s*$/i.exec(value);
  const periodMs = match ? PERIODS[match[2].toLowerCase()] : undefined;
  if (!match || periodMs === undefined || Number(match[1]) < 1) return undefined;
  return { requests: Number(match[1]), periodMs };
}

function parseCaller(name: string, entry: unknown, env: Environment, problems: string[]): CallerKey | undefined {
  const at = `caller "${shownName(name)}"`;
  if (!ACCOUNT_NAME.test(name)) {
    problems.push(`caller name "${shownName(name)}" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
    return undefined;
  }
  if (!isPlainObject(entry)) {
    problems.push(`${at} must be an object with tenant, key and scopes`);
    return undefined;
  }
  const before = problems.length;
  for (const field of Object.keys(entry)) {
    if (!ENTRY_FIELDS.includes(field)) problems.push(`${at}: "${shownName(field)}" is not a field of a caller (${ENTRY_FIELDS.join(', ')})`);
  }
  const { tenant } = entry;
  if (typeof tenant !== 'string' || !SCOPE_ID.test(tenant)) problems.push(`${at}: tenant is required: 1 to 128 printable ASCII characters without spaces`);
  const digest = parseKey(entry.key, at, env, problems);
  const scopes = parseScopes(entry.scopes, at, problems);
  const accounts = parseAccounts(entry.accounts, at, problems);
  const inline = entry.inline_credentials ?? false;
  if (typeof inline !== 'boolean') problems.push(`${at}: inline_credentials must be true or false`);
  const merchants = parseMerchants(entry.merchants, at, problems);
  const rateLimit = entry.rate_limit === undefined || entry.rate_limit === null ? undefined : parseRateLimit(entry.rate_limit);
  if (entry.rate_limit !== undefined && entry.rate_limit !== null && !rateLimit) problems.push(`${at}: rate_limit must be requests per period, e.g. 100/s, 6000/min or 10/h`);
  if (problems.length > before) return undefined;
  return {
    name,
    tenant: tenant as string,
    digest: digest!,
    scopes: scopes!,
    accounts,
    inlineCredentials: inline === true,
    ...(merchants && { merchants }),
    ...(rateLimit && { rateLimit }),
  };
}

/**
 * Parses and validates a caller keys file: `{ "<caller>": { tenant, key, scopes, accounts?,
 * inline_credentials?, merchants?, rate_limit? } }`. A key is given as `env:VAR` or as its
 * `sha256:` digest, never literally; only its SHA-256 is kept. Fails with every problem at once.
 */
export function parseCallerKeys(text: string, format: ConfigFileFormat, env: Environment, source = 'caller keys'): CallerKeys {
  const { value, problem } = parseConfigText(text, format);
  if (problem) throw new CallerKeysError(source, [problem]);
  if (!isPlainObject(value)) {
    throw new CallerKeysError(source, ['must be an object of callers, e.g. {"shop-a": {"tenant": "tenant-a", "key": "env:SHOP_A_KEY", "scopes": ["customers:create"]}}']);
  }
  const problems: string[] = [];
  const callers = new Map<string, CallerKey>();
  const owners = new Map<string, string>();
  for (const [name, entry] of Object.entries(value)) {
    const caller = parseCaller(name, entry, env, problems);
    if (!caller) continue;
    const digest = caller.digest.toString('hex');
    const owner = owners.get(digest);
    if (owner !== undefined) problems.push(`callers "${owner}" and "${name}" have the same key: give each caller its own`);
    owners.set(digest, name);
    callers.set(name, caller);
  }
  if (problems.length > 0) throw new CallerKeysError(source, problems);
  return callers;
}

export async function loadCallerKeysFile(file: string, env: Environment): Promise<CallerKeys> {
  const { text, problem } = await readConfigFile(file);
  if (problem !== undefined) throw new CallerKeysError(file, [problem]);
  return parseCallerKeys(text!, formatOfFile(file), env, file);
}
