import { isPlainObject, shownName } from '@app/common/config/config-file';
import type { HeaderReader } from '@app/common/context/request-headers';
import { DomainError, type FieldViolation } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { ACCOUNT_NAME, type ConnectorAccount } from './accounts/connector-accounts';
import { LEGACY_AUTH_HEADERS, type Connector, type Credentials, type LegacyAuthType } from './connector';
import type { ConnectorRegistry } from './connector-registry';

export interface ConnectorSelection {
  connector: Connector;
  credentials: Credentials;
  /** The caller's `base_url`; honoured only for allow-listed origins (BaseUrlPolicy). */
  baseUrlOverride?: string;
  /**
   * The operator-configured account the request named (`x-connector-account`). Its name, not its
   * credentials, scopes the mappings (a key rotation keeps them), and its `base_url` is the
   * operator's, outside the allow-list.
   */
  accountName?: string;
}

/** The named accounts a request may select (CONNECTOR_ACCOUNTS_FILE). */
export interface ConnectorAccountLookup {
  readonly configured: boolean;
  find(name: string): ConnectorAccount | undefined;
}

const ACCOUNT_HEADER = 'x-connector-account';

const CONFIG_HEADER = 'x-connector-config';
const DEPRECATED_AUTH_HEADER = 'x-connector-auth';
const CONFIG_FIELD = 'X-Connector-Config';
const MAX_CREDENTIAL_LENGTH = 4096;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The header is Prism's serde JSON, where a SecretString is the string itself: `{"value": …}`
 * (proto3 JSON, what grpcurl users write in bodies) or any object or array where a string
 * belongs does not parse there, so it is a data format error (INVALID_ARGUMENT), as in Prism.
 */
function refuseStructureForString(value: unknown, path: string): void {
  if (typeof value !== 'object' || value === null) return;
  const description = isPlainObject(value) && 'value' in value
    ? 'must be the string itself: a SecretString in x-connector-config is a plain JSON string, not {"value": …}'
    : 'must be a string';
  throw new DomainError(ErrorReason.InvalidDataFormat, `Invalid data format: ${CONFIG_FIELD}`, { fieldViolations: [{ field: path, description }] });
}

/** Declared credential fields from a config object; every problem named by its path. */
function readCredentials(connector: Connector, config: Record<string, unknown>, pathPrefix: string): { credentials: Credentials; violations: FieldViolation[] } {
  const credentials: Record<string, string> = {};
  const violations: FieldViolation[] = [];
  for (const field of connector.descriptor.credentialFields) {
    const value = config[field.name];
    const path = `${pathPrefix}.${field.name}`;
    refuseStructureForString(value, path);
    if (value === undefined || value === null || value === '') {
      if (field.required) violations.push({ field: path, description: 'is required' });
    } else if (typeof value !== 'string') {
      violations.push({ field: path, description: 'must be a string' });
    } else if (value.length > MAX_CREDENTIAL_LENGTH || !PRINTABLE_ASCII.test(value)) {
      violations.push({ field: path, description: `must be printable ASCII of at most ${MAX_CREDENTIAL_LENGTH} characters` });
    } else {
      credentials[field.name] = value;
    }
  }
  return { credentials, violations };
}

function fromConfigHeader(registry: ConnectorRegistry, raw: string, headerName: string): ConnectorSelection {
  if (!PRINTABLE_ASCII.test(raw)) throw DomainError.invalidDataFormat(CONFIG_FIELD, `${headerName} must be ASCII JSON`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw DomainError.invalidDataFormat(CONFIG_FIELD, `${headerName} is not valid JSON`);
  }
  if (!isPlainObject(parsed)) throw DomainError.invalidDataFormat(CONFIG_FIELD, `${headerName} must be a JSON object`);
  const rootKey = headerName === DEPRECATED_AUTH_HEADER ? 'auth_type' : 'config';
  if (parsed[rootKey] === undefined) throw DomainError.missingRequiredField(`${CONFIG_FIELD}.config`);
  const variants = parsed[rootKey];
  if (!isPlainObject(variants) || Object.keys(variants).length !== 1) {
    throw DomainError.invalidDataFormat(CONFIG_FIELD, `${headerName}.${rootKey} must hold exactly one connector, e.g. {"Stripe":{…}}`);
  }
  const [variant] = Object.keys(variants);
  const connector = registry.byConfigVariant(variant);
  if (!connector) {
    throw DomainError.invalidDataFormat(CONFIG_FIELD, `unsupported connector "${variant}"; supported: ${registry.variants().join(', ')}`);
  }
  const config = variants[variant];
  const pathPrefix = `${headerName}.${rootKey}.${variant}`;
  if (!isPlainObject(config)) {
    throw DomainError.invalidConnectorConfiguration(CONFIG_FIELD, [{ field: pathPrefix, description: 'must be a JSON object' }]);
  }
  const { credentials, violations } = readCredentials(connector, config, pathPrefix);
  // A misspelt or foreign field would otherwise be dropped silently, and the call made without it.
  const known = [...connector.descriptor.credentialFields.map((field) => field.name), 'base_url'];
  for (const field of Object.keys(config)) {
    if (!known.includes(field)) violations.push({ field: `${pathPrefix}.${shownName(field)}`, description: `is not a ${connector.descriptor.displayName} field (${known.join(', ')})` });
  }
  const baseUrl = config.base_url;
  refuseStructureForString(baseUrl, `${pathPrefix}.base_url`);
  if (baseUrl !== undefined && baseUrl !== null && typeof baseUrl !== 'string') {
    violations.push({ field: `${pathPrefix}.base_url`, description: 'must be a string' });
  }
  if (violations.length > 0) throw DomainError.invalidConnectorConfiguration(CONFIG_FIELD, violations);
  return { connector, credentials, baseUrlOverride: typeof baseUrl === 'string' && baseUrl !== '' ? baseUrl : undefined };
}

function fromLegacyHeaders(registry: ConnectorRegistry, name: string, headers: HeaderReader): ConnectorSelection {
  const connector = registry.byConnectorName(name.trim());
  if (!connector) {
    throw DomainError.invalidDataFormat('x-connector', `unsupported connector "${name}"; supported: ${registry.names().join(', ')}`);
  }
  const authType = headers('x-auth');
  if (authType === undefined) throw DomainError.missingRequiredField('x-auth');
  const expected = connector.descriptor.legacyAuth;
  if (!(authType in LEGACY_AUTH_HEADERS) || authType !== expected.type) {
    throw DomainError.invalidConnectorConfiguration('x-auth', [
      { field: 'x-auth', description: `${connector.descriptor.displayName} takes x-auth: ${expected.type}` },
    ]);
  }
  const config: Record<string, unknown> = {};
  for (const header of LEGACY_AUTH_HEADERS[authType as LegacyAuthType]) {
    const value = headers(header);
    if (value === undefined || value === '') throw DomainError.missingRequiredField(header);
    const field = expected.fields[header];
    if (field) config[field] = value;
  }
  const { credentials, violations } = readCredentials(connector, config, 'x-auth');
  if (violations.length > 0) throw DomainError.invalidConnectorConfiguration('x-auth', violations);
  return { connector, credentials };
}

function fromAccount(accounts: ConnectorAccountLookup | undefined, name: string): ConnectorSelection {
  if (!ACCOUNT_NAME.test(name)) {
    throw DomainError.invalidDataFormat(ACCOUNT_HEADER, 'must be a connector account name: 1 to 64 letters, digits, ".", "_" or "-"');
  }
  const account = accounts?.find(name);
  if (!account) {
    const description = accounts?.configured ? `no connector account "${name}" is configured` : 'no connector accounts are configured on this service';
    throw DomainError.invalidDataFormat(ACCOUNT_HEADER, description);
  }
  return selectionOfAccount(account);
}

/** What selecting a named account means: its connector, its credentials, its operator-set base URL. */
export function selectionOfAccount(account: ConnectorAccount): ConnectorSelection {
  return { connector: account.connector, credentials: account.credentials, baseUrlOverride: account.baseUrl, accountName: account.name };
}

export type SelectionForm = { kind: 'account'; account: string } | { kind: 'inline'; header: string } | { kind: 'none' };

/** Which form of selection the headers use, read in `selectConnector`'s order, without parsing it. */
export function selectionFormOf(headers: HeaderReader): SelectionForm {
  const account = headers(ACCOUNT_HEADER);
  if (account !== undefined) return { kind: 'account', account: shownName(account) };
  for (const header of [CONFIG_HEADER, DEPRECATED_AUTH_HEADER, 'x-connector']) {
    if (headers(header) !== undefined) return { kind: 'inline', header: header === 'x-connector' ? 'x-connector with x-auth' : header };
  }
  return { kind: 'none' };
}

/**
 * Which processor and credentials a request names. A named account (`x-connector-account`)
 * comes first: it is the operator's choice, and the credential headers are then not read. Then
 * Prism's order (reference §2.1): `x-connector-config`, the deprecated `x-connector-auth`,
 * `x-connector` + `x-auth`. Errors carry Prism's exact messages (§2.4) plus field violations.
 */
export function selectConnector(registry: ConnectorRegistry, headers: HeaderReader, accounts?: ConnectorAccountLookup): ConnectorSelection {
  const accountName = headers(ACCOUNT_HEADER);
  if (accountName !== undefined) return fromAccount(accounts, accountName);
  const config = headers(CONFIG_HEADER);
  if (config !== undefined) return fromConfigHeader(registry, config, CONFIG_HEADER);
  const deprecated = headers(DEPRECATED_AUTH_HEADER);
  if (deprecated !== undefined) return fromConfigHeader(registry, deprecated, DEPRECATED_AUTH_HEADER);
  const name = headers('x-connector');
  if (name !== undefined) return fromLegacyHeaders(registry, name, headers);
  throw DomainError.missingRequiredField('x-connector', 'send x-connector-config, x-connector-account (a configured account), or x-connector with x-auth and its key headers');
}
