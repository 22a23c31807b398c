import type { Environment } from '@app/common/config/app-config';
import { formatOfFile, isPlainObject, parseConfigText, readConfigFile, resolveConfigValue, shownName, type ConfigFileFormat } from '@app/common/config/config-file';
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
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MAX_VALUE_LENGTH = 4096;
const ENTRY_FIELDS = new Set(['connector', 'config', 'description']);

function parseAccount(name: string, entry: unknown, registry: ConnectorRegistry, env: Environment, problems: string[]): ConnectorAccount | undefined {
  const at = `account "${name}"`;
  if (!ACCOUNT_NAME.test(name)) {
    problems.push(`account name "${shownName(name)}" must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
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
    const value = resolveConfigValue(config[field.name], where, env, problems);
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
  const baseUrlValue = resolveConfigValue(config.base_url, `${at}: config.base_url`, env, problems);
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
export function parseConnectorAccounts(text: string, format: ConfigFileFormat, registry: ConnectorRegistry, env: Environment, source = 'connector accounts'): ConnectorAccounts {
  const { value, problem } = parseConfigText(text, format);
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
  const { text, problem } = await readConfigFile(file);
  if (problem !== undefined) throw new ConnectorAccountsError(file, [problem]);
  return parseConnectorAccounts(text!, formatOfFile(file), registry, env, file);
}
