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
  /** JSON or YAML file of caller keys; when set, every customer RPC needs `authorization: Bearer <key>`. */
  callerKeysFile?: string;
  /** How often the caller keys file is checked for changes (a revoked key is refused within this plus a read). */
  callerKeysPollMs: number;
  /** Without caller keys, serve a non-loopback HOST anyway (a trusted network): the operator's explicit choice. */
  allowUnauthenticatedCallers: boolean;
  /** Requests one caller key may have in flight at once, both transports together. */
  callerMaxConcurrentRequests: number;
  /** The Prometheus listener: its own port, loopback unless told otherwise. */
  metricsHost: string;
  metricsPort: number;
  /** TLS for both API listeners (PEM files); with a client CA, a client certificate is required (mTLS). */
  tls?: TlsFiles;
  /** Bounds of the REST listener. */
  http: HttpListenerBounds;
  /** Bounds of the gRPC listener. */
  grpc: GrpcListenerBounds;
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  clientCaFile?: string;
}

export interface HttpListenerBounds {
  maxConnections: number;
  /** Time a client has to send the request headers (Node `headersTimeout`). */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, headers and body (Node `requestTimeout`). */
  requestTimeoutMs: number;
  /** Idle time of a kept-alive connection between requests (Node `keepAliveTimeout`). */
  keepAliveTimeoutMs: number;
}

export interface GrpcListenerBounds {
  maxConnections: number;
  /** `grpc.max_connection_idle_ms`: a connection without calls for this long is closed (GOAWAY). */
  maxConnectionIdleMs: number;
  /** `grpc.max_connection_age_ms`: every connection is closed (GOAWAY) after this long, with jitter. */
  maxConnectionAgeMs: number;
  /** `grpc.max_connection_age_grace_ms`: calls still running then get this long to finish. */
  maxConnectionAgeGraceMs: number;
  /** Time a client has to send a whole call (headers and message) once it opened the stream. */
  requestTimeoutMs: number;
  /** `grpc.max_concurrent_streams`: calls in flight on one connection. */
  maxConcurrentStreams: number;
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

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

function flag(env: Environment, name: string, problems: string[]): boolean {
  const raw = present(env, name);
  if (raw === undefined) return false;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return false;
}

const isValidHost = (host: string) => isIP(host) !== 0 || /^[A-Za-z0-9.-]+$/.test(host);

/** An address to listen on: loopback unless the variable says otherwise. */
function listenHost(env: Environment, name: string, problems: string[]): string {
  const host = present(env, name) ?? '127.0.0.1';
  if (!isValidHost(host)) problems.push(`${name} must be an IP address or host name (got "${host}")`);
  return host;
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

  const host = listenHost(env, 'HOST', problems);
  const hostValid = isValidHost(host);
  const metricsHost = listenHost(env, 'METRICS_HOST', problems);

  const callerKeysFile = present(env, 'CALLER_KEYS_FILE');
  const allowUnauthenticatedCallers = flag(env, 'ALLOW_UNAUTHENTICATED_CALLERS', problems);
  if (callerKeysFile !== undefined && allowUnauthenticatedCallers) {
    problems.push('ALLOW_UNAUTHENTICATED_CALLERS=true contradicts CALLER_KEYS_FILE: with caller keys every customer call needs a key; unset one of them');
  }
  // Redis's protected mode: reachable from other machines, and nobody is asked who they are.
  if (hostValid && !isLoopbackHost(host) && callerKeysFile === undefined && !allowUnauthenticatedCallers) {
    problems.push(
      `HOST=${host} would let any machine that reaches the ports create customers with any credentials and read every tenant's mappings, ` +
        'but no caller is authenticated: set CALLER_KEYS_FILE to a file of caller keys (README, "Callers and tenants"), ' +
        'or set ALLOW_UNAUTHENTICATED_CALLERS=true to serve unauthenticated callers on a trusted network (logged as a warning at every start), ' +
        'or leave HOST unset to serve this machine only (127.0.0.1)',
    );
  }

  const tlsCertFile = present(env, 'TLS_CERT_FILE');
  const tlsKeyFile = present(env, 'TLS_KEY_FILE');
  const tlsClientCaFile = present(env, 'TLS_CLIENT_CA_FILE');
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) problems.push('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  if (tlsClientCaFile !== undefined && tlsCertFile === undefined) problems.push('TLS_CLIENT_CA_FILE needs TLS_CERT_FILE and TLS_KEY_FILE (mTLS is TLS with client certificates)');
  const tls = tlsCertFile !== undefined && tlsKeyFile !== undefined ? { certFile: tlsCertFile, keyFile: tlsKeyFile, ...(tlsClientCaFile !== undefined && { clientCaFile: tlsClientCaFile }) } : undefined;

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

  // One deadline for a whole request on both listeners.
  const requestTimeoutMs = integer(env, 'REQUEST_RECEIVE_TIMEOUT_MS', 30_000, 500, 600_000, problems);
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
    callerKeysFile,
    callerKeysPollMs: integer(env, 'CALLER_KEYS_POLL_MS', 1_000, 100, 4_000, problems),
    allowUnauthenticatedCallers,
    callerMaxConcurrentRequests: integer(env, 'CALLER_MAX_CONCURRENT_REQUESTS', 32, 1, 10_000, problems),
    metricsHost,
    metricsPort: integer(env, 'METRICS_PORT', 9464, 0, 65535, problems),
    ...(tls && { tls }),
    http: {
      maxConnections: integer(env, 'HTTP_MAX_CONNECTIONS', 1_024, 1, 1_000_000, problems),
      headersTimeoutMs: integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 500, 300_000, problems),
      requestTimeoutMs,
      keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000, problems),
    },
    grpc: {
      maxConnections: integer(env, 'GRPC_MAX_CONNECTIONS', 1_024, 1, 1_000_000, problems),
      maxConnectionIdleMs: integer(env, 'GRPC_MAX_CONNECTION_IDLE_MS', 60_000, 100, 86_400_000, problems),
      maxConnectionAgeMs: integer(env, 'GRPC_MAX_CONNECTION_AGE_MS', 1_800_000, 1_000, 86_400_000, problems),
      maxConnectionAgeGraceMs: integer(env, 'GRPC_MAX_CONNECTION_AGE_GRACE_MS', 60_000, 0, 3_600_000, problems),
      requestTimeoutMs,
      maxConcurrentStreams: integer(env, 'GRPC_MAX_CONCURRENT_STREAMS', 100, 1, 10_000, problems),
    },
  };
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS (${config.http.headersTimeoutMs}) must not exceed REQUEST_RECEIVE_TIMEOUT_MS (${config.http.requestTimeoutMs}): the headers are part of the request`);
  }
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return config;
}
