import { isIP } from 'node:net';

export type DatabaseProvider = 'sqlite' | 'postgres';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The validated, typed configuration. Built once at boot from the environment. */
export interface AppConfig {
  host: string;
  httpPort: number;
  grpcPort: number;
  databaseUrl: string;
  databaseProvider: DatabaseProvider;
  adminApiToken?: string;
  /** Origins (`scheme://host[:port]`) a request's `base_url` may point at. */
  connectorBaseUrlAllowlist: ReadonlySet<string>;
  mappingScopeSecret?: string;
  connectorTimeoutMs: number;
  logLevel: LogLevel;
  /** Largest accepted request (REST body or gRPC message), bytes. */
  maxRequestBytes: number;
  /** How long SIGTERM waits for in-flight requests before closing. */
  shutdownGraceMs: number;
  /** Attempts of one processor call when a retry is safe (idempotency key, merchant-chosen id). */
  connectorMaxAttempts: number;
  /** How long a processor's open circuit stays open before a trial call. */
  circuitBreakerResetMs: number;
  /** JSON or YAML file of named connector accounts (`x-connector-account`); reloaded on SIGHUP. */
  connectorAccountsFile?: string;
}

export const APP_CONFIG = 'APP_CONFIG';
/** The variables the configuration was read from, for `env:VAR` references resolved later. */
export const APP_ENVIRONMENT = 'APP_ENVIRONMENT';

export type Environment = Record<string, string | undefined>;

export const DEFAULT_DATABASE_URL = 'file:./data/connector-service.db';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

function present(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Environment, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

export function databaseProviderOf(url: string): DatabaseProvider | undefined {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  return undefined;
}

/** Parses one allow-list entry into its canonical origin, or explains why it is not one. */
export function parseAllowedOrigin(entry: string): { origin?: string; problem?: string } {
  // Problems are printed at boot: never echo the userinfo part, it may hold a password.
  const shown = entry.replace(/\/\/[^/?#]*@/, '//***@');
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { problem: `"${shown}" is not a URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: `"${shown}" must be http or https` };
  if (url.username || url.password) return { problem: `"${shown}" must not contain credentials` };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { problem: `"${shown}" must be an origin (scheme://host[:port]) without a path` };
  }
  return { origin: url.origin };
}

/**
 * Validates the environment and fails with every problem at once, each naming its variable.
 * Secret values are never echoed in the message.
 */
export function parseAppConfig(env: Environment): AppConfig {
  const problems: string[] = [];

  const host = present(env, 'HOST') ?? '0.0.0.0';
  if (isIP(host) === 0 && !/^[A-Za-z0-9.-]+$/.test(host)) problems.push(`HOST must be an IP address or host name (got "${host}")`);

  const databaseUrl = present(env, 'DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const databaseProvider = databaseProviderOf(databaseUrl);
  if (!databaseProvider) problems.push('DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)');

  const adminApiToken = present(env, 'ADMIN_API_TOKEN');
  if (adminApiToken !== undefined && adminApiToken.length < 16) problems.push('ADMIN_API_TOKEN must be at least 16 characters');

  const mappingScopeSecret = present(env, 'MAPPING_SCOPE_SECRET');
  if (mappingScopeSecret !== undefined && mappingScopeSecret.length < 32) {
    problems.push('MAPPING_SCOPE_SECRET must be at least 32 characters');
  }

  const allowlist = new Set<string>();
  for (const entry of (present(env, 'CONNECTOR_BASE_URL_ALLOWLIST') ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const { origin, problem } = parseAllowedOrigin(entry);
    if (problem) problems.push(`CONNECTOR_BASE_URL_ALLOWLIST: ${problem}`);
    else allowlist.add(origin!);
  }

  const logLevel = (present(env, 'LOG_LEVEL') ?? 'info').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const config: AppConfig = {
    host,
    httpPort: integer(env, 'HTTP_PORT', 3000, 0, 65535, problems),
    grpcPort: integer(env, 'GRPC_PORT', 50051, 0, 65535, problems),
    databaseUrl,
    databaseProvider: databaseProvider ?? 'sqlite',
    adminApiToken,
    connectorBaseUrlAllowlist: allowlist,
    mappingScopeSecret,
    connectorTimeoutMs: integer(env, 'CONNECTOR_TIMEOUT_MS', 20_000, 100, 300_000, problems),
    logLevel,
    maxRequestBytes: integer(env, 'MAX_REQUEST_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024, problems),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 25_000, 0, 300_000, problems),
    connectorMaxAttempts: integer(env, 'CONNECTOR_MAX_ATTEMPTS', 3, 1, 10, problems),
    circuitBreakerResetMs: integer(env, 'CIRCUIT_BREAKER_RESET_MS', 15_000, 100, 600_000, problems),
    connectorAccountsFile: present(env, 'CONNECTOR_ACCOUNTS_FILE'),
  };
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return config;
}
