import { readFileSync } from 'node:fs';
import { constants as http2Constants, type Http2Server, type Http2Stream } from 'node:http2';
import { ServerCredentials, type Server } from '@grpc/grpc-js';
import type { AppConfig, GrpcListenerBounds, HttpListenerBounds, TlsFiles } from '@app/common/config/app-config';
import { InvalidEnvironmentError } from '@app/common/config/app-config';

/** PEM contents of TLS_CERT_FILE, TLS_KEY_FILE and TLS_CLIENT_CA_FILE. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  clientCa?: Buffer;
}

/** How long a client has to complete a TLS handshake, both listeners. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Reads the TLS files, naming every one that cannot be read (never their content). */
export function loadTlsMaterial(files: TlsFiles): TlsMaterial {
  const problems: string[] = [];
  const read = (variable: string, file: string): Buffer => {
    try {
      const content = readFileSync(file);
      if (!content.includes('-----BEGIN ')) problems.push(`${variable} ${file} is not a PEM file`);
      return content;
    } catch (error) {
      problems.push(`${variable} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return Buffer.alloc(0);
    }
  };
  const material: TlsMaterial = {
    cert: read('TLS_CERT_FILE', files.certFile),
    key: read('TLS_KEY_FILE', files.keyFile),
    ...(files.clientCaFile !== undefined && { clientCa: read('TLS_CLIENT_CA_FILE', files.clientCaFile) }),
  };
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);
  return material;
}

/** What the REST listener is created with: its bounds, and TLS when configured. */
export interface HttpServerSetup {
  bounds: HttpListenerBounds;
  tls?: TlsMaterial;
}

export function httpServerSetup(config: AppConfig): HttpServerSetup {
  return { bounds: config.http, ...(config.tls && { tls: loadTlsMaterial(config.tls) }) };
}

/** Node's TLS options for the REST listener: with a client CA, a certificate signed by it is required. */
export function httpsOptionsOf(tls: TlsMaterial): { cert: Buffer; key: Buffer; ca?: Buffer; requestCert: boolean; rejectUnauthorized: boolean; handshakeTimeout: number } {
  return { cert: tls.cert, key: tls.key, ...(tls.clientCa && { ca: tls.clientCa }), requestCert: tls.clientCa !== undefined, rejectUnauthorized: tls.clientCa !== undefined, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS };
}

/** gRPC server credentials: insecure, TLS, or mTLS (a client certificate signed by TLS_CLIENT_CA_FILE required). */
export function grpcCredentialsOf(tls: TlsMaterial | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const credentials = ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], tls.clientCa !== undefined);
  // grpc-js passes these to http2.createSecureServer; it has no option of its own for the handshake deadline.
  (credentials as unknown as { serverConstructorOptions: Record<string, unknown> }).serverConstructorOptions.handshakeTimeout = TLS_HANDSHAKE_TIMEOUT_MS;
  return credentials;
}

/** grpc-js channel options for the listener bounds it implements itself. */
export function grpcChannelOptions(bounds: GrpcListenerBounds): Record<string, number> {
  return {
    'grpc.max_connection_idle_ms': bounds.maxConnectionIdleMs,
    'grpc.max_connection_age_ms': bounds.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': bounds.maxConnectionAgeGraceMs,
    'grpc.max_concurrent_streams': bounds.maxConcurrentStreams,
  };
}

/**
 * The bounds grpc-js has no option for, set on the HTTP/2 servers it bound: at most
 * `maxConnections` connections (more are closed as they arrive), and each call's request —
 * headers and message — received within `requestTimeoutMs` of the stream opening, else the
 * stream is cancelled (a slow-body call cannot hold a stream, a slot and memory for ever).
 */
export function boundGrpcListeners(server: Server, bounds: GrpcListenerBounds): void {
  const servers = (server as unknown as { http2Servers?: Map<Http2Server, unknown> }).http2Servers;
  if (!servers) throw new Error('grpc-js no longer exposes its HTTP/2 servers: the gRPC listener bounds cannot be applied');
  for (const http2Server of servers.keys()) {
    http2Server.maxConnections = bounds.maxConnections;
    http2Server.on('stream', (stream: Http2Stream) => {
      const timer = setTimeout(() => {
        if (!stream.destroyed && !stream.closed) stream.close(http2Constants.NGHTTP2_CANCEL);
      }, bounds.requestTimeoutMs);
      timer.unref();
      const received = () => clearTimeout(timer);
      stream.once('end', received);
      stream.once('close', received);
    });
  }
}
