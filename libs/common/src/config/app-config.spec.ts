import { DEFAULT_DATABASE_URL, InvalidEnvironmentError, parseAllowedOrigin, parseAppConfig, type Environment } from './app-config';

function problemsOf(env: Environment): InvalidEnvironmentError {
  try {
    parseAppConfig(env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error;
    throw error;
  }
  throw new Error('parseAppConfig accepted the environment');
}

describe(parseAppConfig.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(parseAppConfig({})).toEqual({
      host: '127.0.0.1',
      httpPort: 3000,
      grpcPort: 50051,
      databaseUrl: DEFAULT_DATABASE_URL,
      databaseProvider: 'sqlite',
      adminApiToken: undefined,
      connectorBaseUrlAllowlist: new Set(),
      mappingScopeSecret: undefined,
      connectorTimeoutMs: 20_000,
      logLevel: 'info',
      maxRequestBytes: 64 * 1024,
      shutdownGraceMs: 25_000,
      connectorMaxAttempts: 3,
      circuitBreakerResetMs: 15_000,
      connectorAccountsFile: undefined,
      callerKeysFile: undefined,
      callerKeysPollMs: 1_000,
      allowUnauthenticatedCallers: false,
      callerMaxConcurrentRequests: 32,
      metricsHost: '127.0.0.1',
      metricsPort: 9464,
      http: { maxConnections: 1_024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 },
      grpc: { maxConnections: 1_024, maxConnectionIdleMs: 60_000, maxConnectionAgeMs: 1_800_000, maxConnectionAgeGraceMs: 60_000, requestTimeoutMs: 30_000, maxConcurrentStreams: 100 },
    });
  });

  it('treats blank variables as unset', () => {
    expect(parseAppConfig({ HTTP_PORT: '  ', ADMIN_API_TOKEN: '', LOG_LEVEL: ' ' })).toMatchObject({ httpPort: 3000, adminApiToken: undefined, logLevel: 'info' });
  });

  it('reads every variable it knows', () => {
    const env: Environment = {
      HOST: '127.0.0.1',
      HTTP_PORT: '8080',
      GRPC_PORT: '0',
      DATABASE_URL: 'postgresql://app@db.internal:5432/connector',
      ADMIN_API_TOKEN: 'admin-token-0123456789',
      MAPPING_SCOPE_SECRET: 'm'.repeat(32),
      CONNECTOR_BASE_URL_ALLOWLIST: 'http://127.0.0.1:12111',
      CONNECTOR_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'DEBUG',
      CONNECTOR_ACCOUNTS_FILE: '/etc/connector-service/accounts.yaml',
    };

    expect(parseAppConfig(env)).toMatchObject({
      host: '127.0.0.1',
      httpPort: 8080,
      grpcPort: 0,
      databaseUrl: 'postgresql://app@db.internal:5432/connector',
      databaseProvider: 'postgres',
      adminApiToken: 'admin-token-0123456789',
      mappingScopeSecret: 'm'.repeat(32),
      connectorBaseUrlAllowlist: new Set(['http://127.0.0.1:12111']),
      connectorTimeoutMs: 1500,
      logLevel: 'debug',
      connectorAccountsFile: '/etc/connector-service/accounts.yaml',
    });
  });

  it.each([
    ['file:/var/lib/cs.db', 'sqlite'],
    ['postgres://u@h/db', 'postgres'],
    ['postgresql://u@h/db', 'postgres'],
  ])('derives the database provider of %s', (url, provider) => {
    expect(parseAppConfig({ DATABASE_URL: url }).databaseProvider).toBe(provider);
  });

  it.each<[string, Environment]>([
    ['HTTP_PORT', { HTTP_PORT: 'http' }],
    ['HTTP_PORT', { HTTP_PORT: '65536' }],
    ['HTTP_PORT', { HTTP_PORT: '-1' }],
    ['HTTP_PORT', { HTTP_PORT: '80.5' }],
    ['GRPC_PORT', { GRPC_PORT: '1e3' }],
    ['GRPC_PORT', { GRPC_PORT: '99999' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/app' }],
    ['DATABASE_URL', { DATABASE_URL: './data/connector-service.db' }],
    ['ADMIN_API_TOKEN', { ADMIN_API_TOKEN: 'short' }],
    ['MAPPING_SCOPE_SECRET', { MAPPING_SCOPE_SECRET: 's'.repeat(31) }],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'https://sandbox.example.com/v1' }],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'https://sandbox.example.com/?x=1' }],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'https://user:pw@sandbox.example.com' }],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'ftp://files.example.com' }],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'sandbox.example.com' }],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'https://ok.example.com,file:///etc/passwd' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['CONNECTOR_TIMEOUT_MS', { CONNECTOR_TIMEOUT_MS: '99' }],
    ['CONNECTOR_TIMEOUT_MS', { CONNECTOR_TIMEOUT_MS: '300001' }],
    ['CONNECTOR_TIMEOUT_MS', { CONNECTOR_TIMEOUT_MS: '5s' }],
    ['MAX_REQUEST_BYTES', { MAX_REQUEST_BYTES: '10' }],
    ['SHUTDOWN_GRACE_MS', { SHUTDOWN_GRACE_MS: 'soon' }],
    ['HOST', { HOST: 'bad host!' }],
  ])('refuses a bad %s (%j), naming the variable', (variable, env) => {
    const error = problemsOf(env);

    expect(error.name).toBe('InvalidEnvironmentError');
    expect(error.problems).toEqual([expect.stringContaining(variable)]);
    expect(error.message).toContain(variable);
  });

  it('reports every problem at once', () => {
    const error = problemsOf({ HTTP_PORT: 'x', GRPC_PORT: 'y', DATABASE_URL: 'mysql://h/db', LOG_LEVEL: 'loud', CONNECTOR_TIMEOUT_MS: '0' });

    expect(error.problems).toHaveLength(5);
    for (const variable of ['HTTP_PORT', 'GRPC_PORT', 'DATABASE_URL', 'LOG_LEVEL', 'CONNECTOR_TIMEOUT_MS']) {
      expect(error.message).toContain(variable);
    }
  });

  it.each<[string, Environment, string]>([
    ['ADMIN_API_TOKEN', { ADMIN_API_TOKEN: 'hunter2-token' }, 'hunter2-token'],
    ['MAPPING_SCOPE_SECRET', { MAPPING_SCOPE_SECRET: 'hunter2-scope-secret' }, 'hunter2-scope-secret'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root:hunter2-db@localhost/app' }, 'hunter2-db'],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'https://user:hunter2-pw@sandbox.example.com' }, 'hunter2-pw'],
    ['CONNECTOR_BASE_URL_ALLOWLIST', { CONNECTOR_BASE_URL_ALLOWLIST: 'https://user:hunter2-pw@bad host.example.com' }, 'hunter2-pw'],
  ])('never echoes the secret in a bad %s', (variable, env, secret) => {
    const error = problemsOf(env);

    expect(error.message).toContain(variable);
    expect(error.message).not.toContain(secret);
    expect(error.problems.join('\n')).not.toContain(secret);
  });

  describe('protected defaults', () => {
    it.each(['127.0.0.1', '127.3.2.1', '::1', 'localhost'])('serves loopback %s without caller keys', (host) => {
      expect(parseAppConfig({ HOST: host }).host).toBe(host);
    });

    it.each(['0.0.0.0', '::', '10.0.0.5', 'api.internal'])('refuses HOST=%s without caller keys, saying how to configure keys or opt out', (host) => {
      const error = problemsOf({ HOST: host });

      expect(error.problems).toHaveLength(1);
      expect(error.message).toContain(`HOST=${host}`);
      expect(error.message).toContain('CALLER_KEYS_FILE');
      expect(error.message).toContain('ALLOW_UNAUTHENTICATED_CALLERS=true');
    });

    it('serves any HOST with caller keys, or with the explicit opt-out', () => {
      expect(parseAppConfig({ HOST: '0.0.0.0', CALLER_KEYS_FILE: '/etc/cs/callers.yaml' })).toMatchObject({ host: '0.0.0.0', callerKeysFile: '/etc/cs/callers.yaml', allowUnauthenticatedCallers: false });
      expect(parseAppConfig({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED_CALLERS: 'true' })).toMatchObject({ host: '0.0.0.0', allowUnauthenticatedCallers: true });
    });

    it.each<[string, Environment]>([
      ['ALLOW_UNAUTHENTICATED_CALLERS', { ALLOW_UNAUTHENTICATED_CALLERS: 'maybe' }],
      ['ALLOW_UNAUTHENTICATED_CALLERS', { ALLOW_UNAUTHENTICATED_CALLERS: 'true', CALLER_KEYS_FILE: 'callers.yaml' }],
      ['TLS_KEY_FILE', { TLS_CERT_FILE: 'cert.pem' }],
      ['TLS_CLIENT_CA_FILE', { TLS_CLIENT_CA_FILE: 'ca.pem' }],
      ['METRICS_PORT', { METRICS_PORT: '70000' }],
      ['HTTP_MAX_CONNECTIONS', { HTTP_MAX_CONNECTIONS: '0' }],
      ['REQUEST_RECEIVE_TIMEOUT_MS', { HTTP_HEADERS_TIMEOUT_MS: '20000', REQUEST_RECEIVE_TIMEOUT_MS: '10000' }],
      ['GRPC_MAX_CONNECTION_IDLE_MS', { GRPC_MAX_CONNECTION_IDLE_MS: 'never' }],
      ['CALLER_MAX_CONCURRENT_REQUESTS', { CALLER_MAX_CONCURRENT_REQUESTS: '0' }],
    ])('refuses a bad %s (%j)', (variable, env) => {
      expect(problemsOf(env).message).toContain(variable);
    });

    it('reads TLS files and the listener bounds', () => {
      const config = parseAppConfig({
        TLS_CERT_FILE: 'server.pem',
        TLS_KEY_FILE: 'server.key',
        TLS_CLIENT_CA_FILE: 'clients-ca.pem',
        HTTP_MAX_CONNECTIONS: '50',
        GRPC_MAX_CONNECTIONS: '60',
        HTTP_HEADERS_TIMEOUT_MS: '2000',
        REQUEST_RECEIVE_TIMEOUT_MS: '3000',
        GRPC_MAX_CONNECTION_IDLE_MS: '1500',
      });

      expect(config.tls).toEqual({ certFile: 'server.pem', keyFile: 'server.key', clientCaFile: 'clients-ca.pem' });
      expect(config.http).toMatchObject({ maxConnections: 50, headersTimeoutMs: 2000, requestTimeoutMs: 3000 });
      expect(config.grpc).toMatchObject({ maxConnections: 60, maxConnectionIdleMs: 1500, requestTimeoutMs: 3000 });
    });
  });

  it('canonicalises allow-list entries to origins, skipping blanks', () => {
    const config = parseAppConfig({ CONNECTOR_BASE_URL_ALLOWLIST: ' https://API.example.com:443 ,, http://localhost:12111/ ,http://[::1]:80' });

    expect(config.connectorBaseUrlAllowlist).toEqual(new Set(['https://api.example.com', 'http://localhost:12111', 'http://[::1]']));
  });
});

describe(parseAllowedOrigin.name, () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['https://API.example.com:443', 'https://api.example.com'],
    ['http://sandbox.example.com:8080/', 'http://sandbox.example.com:8080'],
    ['http://0x7f.1:12111', 'http://127.0.0.1:12111'],
  ])('accepts %s as the origin %s', (entry, origin) => {
    expect(parseAllowedOrigin(entry)).toEqual({ origin });
  });

  it.each([
    ['not a url', 'not a URL'],
    ['ws://example.com', 'http or https'],
    ['https://u:p@example.com', 'credentials'],
    ['https://example.com/path', 'without a path'],
    ['https://example.com#fragment', 'without a path'],
  ])('refuses %s', (entry, problem) => {
    expect(parseAllowedOrigin(entry).problem).toContain(problem);
  });

  it('masks the userinfo of a refused entry but still names its host', () => {
    expect(parseAllowedOrigin('https://user:pw@sandbox.example.com').problem).toBe('"https://***@sandbox.example.com" must not contain credentials');
  });
});
