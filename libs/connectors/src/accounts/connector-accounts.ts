import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { Environment } from '@app/common/config/app-config';
import { baseUrlProblem } from '../base-url-policy';
import type { Connector, Credentials } from '../connector';
import type { ConnectorRegistry } from '../connector-registry';

/** One operator-configured processor account, selected by name with `x-connector-account`. */
export interface ConnectorAccount {
  name: string;
  connector: Connector;
  credentials: Credentials;
  /** Operator-set, so not subject to CONNECTOR_BASE_URL_ALLOWLIST (validated here instead). */
  baseUrl?: string;
}

export type ConnectorAccounts = ReadonlyMap<string, ConnectorAccount>;

export type AccountsFileFormat = 'json' | 'yaml';

/** Every problem of an accounts file, each naming the account and field; never a secret value. */
export class ConnectorAccountsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid connector accounts file ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConnectorAccountsError';
  }
}

export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_PREFIX = 'env:';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MAX_VALUE_LENGTH = 4096;
const ENTRY_FIELDS = new Set(['connector', 'config', 'description']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function formatOfFile(file: string): AccountsFileFormat {
  return /\.json$/i.test(file) ? 'json' : 'yaml';
}

/**
 * Parser messages can quote the offending line, which may hold a secret: only the position is
 * reported.
 */
function parseText(text: string, format: AccountsFileFormat): { value?: unknown; problem?: string } {
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
  };
  if (format === 'json') {
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      return { problem: position === undefined ? 'is not valid JSON' : `is not valid JSON (${at(Number(position))})` };
    }
  }
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const [error] = document.errors;
  if (error) return { problem: `is not valid YAML (${error.code} at ${at(error.pos[0])})` };
  return { value: document.toJS({ maxAliasCount: 16 }) };
}

/** A config value: a literal, or `env:VAR` read from the environment the service started with. */
function resolveValue(value: unknown, where: string, env: Environment, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`${where} must be a string`);
    return undefined;
  }
  if (!value.startsWith(ENV_PREFIX)) return value;
  const variable = value.slice(ENV_PREFIX.length);
  if (!ENV_NAME.test(variable)) {
    problems.push(`${where} must name an environment variable after "env:" (got "env:${variable.replace(/[^\x21-\x7e]/g, '?').slice(0, 64)}")`);
    return undefined;
  }
  const resolved = env[variable];
  if (resolved === undefined || resolved === '') {
    problems.push(`${where} references env:${variable}, which is not set`);
    return undefined;
  }
  return resolved;
}

function parseAccount(name: string, entry: unknown, registry: ConnectorRegistry, env: Environment, problems: string[]): ConnectorAccount | undefined {
  const at = `account "${name}"`;
  if (!ACCOUNT_NAME.test(name)) {
    problems.push(`account name "${name.replace(/[^\x21-\x7e]/g, '?').slice(0, 64)}" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
    return undefined;
  }
  if (!isPlainObject(entry)) {
    problems.push(`${at} must be an object with "connector" and "config"`);
    return undefined;
  }
  for (const key of Object.keys(entry)) if (!ENTRY_FIELDS.has(key)) problems.push(`${at}: "${key}" is not a field of an account (connector, config, description)`);

  const connectorName = entry.connector;
  if (typeof connectorName !== 'string' || connectorName === '') {
    problems.push(`${at}: connector is required (one of ${registry.names().join(', ')})`);
    return undefined;
  }
  const connector = registry.byConnectorName(connectorName) ?? registry.byConfigVariant(connectorName);
  if (!connector) {
    problems.push(`${at}: connector "${connectorName}" is not supported (one of ${registry.names().join(', ')})`);
    return undefined;
  }
  const config = entry.config ?? {};
  if (!isPlainObject(config)) {
    problems.push(`${at}: config must be an object of ${connector.descriptor.displayName} credentials`);
    return undefined;
  }

  const before = problems.length;
  const { credentialFields, displayName } = connector.descriptor;
  const known = new Set([...credentialFields.map((field) => field.name), 'base_url']);
  for (const key of Object.keys(config)) {
    if (!known.has(key)) problems.push(`${at}: config.${key} is not a ${displayName} field (${[...known].join(', ')})`);
  }
  const credentials: Record<string, string> = {};
  for (const field of credentialFields) {
    const where = `${at}: config.${field.name}`;
    const value = resolveValue(config[field.name], where, env, problems);
    if (value === undefined) {
      if (field.required && (config[field.name] === undefined || config[field.name] === null || config[field.name] === '')) {
        problems.push(`${where} is required for ${displayName}`);
      }
      continue;
    }
    if (value.length > MAX_VALUE_LENGTH || !PRINTABLE_ASCII.test(value)) {
      problems.push(`${where} must be printable ASCII of at most ${MAX_VALUE_LENGTH} characters`);
      continue;
    }
    credentials[field.name] = value;
  }
  let baseUrl: string | undefined;
  const baseUrlValue = resolveValue(config.base_url, `${at}: config.base_url`, env, problems);
  if (baseUrlValue !== undefined) {
    const { url, problem } = baseUrlProblem(baseUrlValue);
    if (url) baseUrl = url.toString();
    else problems.push(`${at}: config.base_url ${problem}`);
  }
  if (problems.length > before) return undefined;
  return { name, connector, credentials, baseUrl };
}

/**
 * Parses and validates an accounts file: `{ "<name>": { "connector": "stripe", "config": { … } } }`,
 * config fields as in the connector's `x-connector-config` variant, values literal or `env:VAR`.
 * Fails with every problem at once.
 */
export function parseConnectorAccounts(text: string, format: AccountsFileFormat, registry: ConnectorRegistry, env: Environment, source = 'connector accounts'): ConnectorAccounts {
  const { value, problem } = parseText(text, format);
  if (problem) throw new ConnectorAccountsError(source, [problem]);
  if (!isPlainObject(value)) {
    throw new ConnectorAccountsError(source, ['must be an object of named accounts, e.g. {"stripe-eu": {"connector": "stripe", "config": {"api_key": "env:STRIPE_EU_KEY"}}}']);
  }
  const problems: string[] = [];
  const accounts = new Map<string, ConnectorAccount>();
  for (const [name, entry] of Object.entries(value)) {
    const account = parseAccount(name, entry, registry, env, problems);
    if (account) accounts.set(name, account);
  }
  if (problems.length > 0) throw new ConnectorAccountsError(source, problems);
  return accounts;
}

export async function loadConnectorAccountsFile(file: string, registry: ConnectorRegistry, env: Environment): Promise<ConnectorAccounts> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConnectorAccountsError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  return parseConnectorAccounts(text, formatOfFile(file), registry, env, file);
}
