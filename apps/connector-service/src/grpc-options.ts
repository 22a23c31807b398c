import type { EventEmitter } from 'node:events';
import path from 'node:path';
import { setLogger, type Server, type ServiceDefinition, type UntypedHandleCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { format } from 'node:util';
import type { AppLogger } from '@app/common/logging/logger';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { GrpcOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import type { AppConfig } from '@app/common/config/app-config';
import { projectRoot } from '@app/database/project-paths';
import { MALFORMED_MESSAGE } from '@app/common/validation/validation';
import { runGrpcCallInContext, type GrpcCallCarrier } from '@app/common/context/request-context.middleware';
import type { Root } from 'protobufjs';
import { loadProtos, REFLECTION_PROTO_FILES, SERVED_PROTO_FILES, type LoadedProtos } from './protobuf/proto-files';
import { fileDescriptorProtos } from './protobuf/reflection-descriptors';
import { checkWireFormat, WireFormatError } from './protobuf/wire-format-check';
import { boundGrpcListeners, grpcChannelOptions, grpcCredentialsOf, type TlsMaterial } from './listeners';
import { endRequest } from '@app/common/context/request-context';

export const GRPC_PACKAGES = ['types', 'connector_service.customer.v1', 'connector_service.admin.v1', 'grpc.health.v1'];

/**
 * keepCase: proto field names as on the wire (snake_case), as REST bodies use them.
 * enums as names, no defaults (presence matters), no virtual oneof fields for proto3 `optional`.
 */
export function loadPackageDefinition(): PackageDefinition {
  const protoDir = path.join(projectRoot(), 'proto');
  return loadSync(
    SERVED_PROTO_FILES.map((file) => file.path),
    { includeDirs: [protoDir], keepCase: true, longs: String, enums: String, defaults: false, oneofs: false },
  );
}

/**
 * grpc-js answers a request it cannot decode with INTERNAL, as if the fault were ours, and
 * protobufjs decodes a truncated or mistyped field into a value (`"tru"` from a field declaring
 * 20 bytes). Every request is first held to the wire format of its type in `root`; what does not
 * decode exactly is handed on marked, so validation answers INVALID_ARGUMENT like any other
 * malformed input.
 */
export function withMalformedMessagesMarked(definition: PackageDefinition, root: Root): PackageDefinition {
  for (const [serviceName, service] of Object.entries(definition)) {
    if (!isServiceDefinition(service)) continue;
    for (const [methodName, method] of Object.entries(service)) {
      const requestType = root.lookupService(serviceName).methods[methodName].resolvedRequestType!;
      const decode = method.requestDeserialize;
      method.requestDeserialize = (bytes: Buffer) => {
        try {
          checkWireFormat(requestType, bytes);
          return decode(bytes);
        } catch (error) {
          if (error instanceof WireFormatError) return { [MALFORMED_MESSAGE]: { field: error.field, description: error.description } };
          return { [MALFORMED_MESSAGE]: error instanceof Error ? error.message : String(error) };
        }
      };
    }
  }
  return definition;
}

const REFLECTED_PROTO_FILES = [...SERVED_PROTO_FILES, ...REFLECTION_PROTO_FILES];

/**
 * What server reflection serves: every file under its import name (`types/payment.proto`), the
 * reflection services' own included, so `list` names them and clients can resolve every import.
 */
export function reflectionDefinition(protos: LoadedProtos = loadProtos(REFLECTED_PROTO_FILES)): PackageDefinition {
  const fileDescriptorProtosOfFiles = fileDescriptorProtos(protos, REFLECTED_PROTO_FILES);
  return { files: { format: 'Protocol Buffer 3 FileDescriptorProto', type: {}, fileDescriptorProtos: fileDescriptorProtosOfFiles } } as unknown as PackageDefinition;
}

function isServiceDefinition(value: unknown): value is Record<string, { requestDeserialize: (bytes: Buffer) => unknown }> {
  return typeof value === 'object' && value !== null && !('format' in value) && Object.values(value).every((m) => typeof (m as { requestDeserialize?: unknown })?.requestDeserialize === 'function');
}

/**
 * Every handler added from here on runs in its call's request context (request id, tenant,
 * merchant, sensitive values), opened before Nest's guards see the call.
 */
function openRequestContexts(server: Server): void {
  const addService = server.addService.bind(server);
  server.addService = (service: ServiceDefinition, implementation: UntypedServiceImplementation) => {
    const wrapped: UntypedServiceImplementation = {};
    for (const [name, handler] of Object.entries(implementation)) {
      const unary = service[name] ? !service[name].requestStream && !service[name].responseStream : false;
      wrapped[name] = ((call: GrpcCallCarrier & EventEmitter, ...rest: unknown[]) => {
        // The request ends when it is answered or cancelled: end hooks (a caller's concurrency slot) run then.
        call.once('cancelled', () => endRequest(call));
        if (unary) {
          const callback = rest[0] as (...args: unknown[]) => void;
          rest[0] = (...answer: unknown[]) => {
            endRequest(call);
            callback(...answer);
          };
        } else {
          call.once('finish', () => endRequest(call));
          call.once('close', () => endRequest(call));
        }
        return runGrpcCallInContext(call, () => (handler as (...args: unknown[]) => unknown)(call, ...rest));
      }) as UntypedHandleCall;
    }
    addService(service, wrapped);
  };
}

/**
 * grpc-js writes its own errors to stderr, and one of them quotes a metadata value it refused
 * ("Failed to add metadata entry authorization: Bearer … contains illegal characters") — a
 * caller key with one wrong byte would be printed. They go through the service's logger
 * instead, with such values withheld. Process-wide (grpc-js has one logger).
 */
export function routeGrpcLogs(logger: AppLogger): void {
  const write = (level: 'warn' | 'info' | 'debug') => (message?: unknown, ...rest: unknown[]) => {
    const text = format(message, ...rest)
      .replace(/^[EID] /, '')
      .replace(/(metadata entry [^:\s]+):[\s\S]*$/i, '$1: value withheld (it may be a credential)');
    logger[level]({ source: 'grpc-js' }, text);
  };
  setLogger({ error: write('warn'), info: write('info'), debug: write('debug') });
}

/** An IPv6 address goes in brackets in a host:port address. */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The grpc-js server Nest creates, captured for a bounded graceful shutdown. */
export interface GrpcServerHandle {
  server?: Pick<Server, 'tryShutdown' | 'forceShutdown'>;
}

/**
 * `onServer` sees the grpc-js server after reflection is added and before Nest adds the services
 * (the request log and metrics wrap their handlers there).
 */
export function grpcOptions(config: AppConfig, handle: GrpcServerHandle = {}, onServer?: (server: Server) => void, tls?: TlsMaterial): GrpcOptions {
  // One parse of the files for both: the request types the wire-format check holds messages to, and reflection.
  const protos = loadProtos(REFLECTED_PROTO_FILES);
  const packageDefinition = withMalformedMessagesMarked(loadPackageDefinition(), protos.root);
  return {
    transport: Transport.GRPC,
    options: {
      url: `${hostForUrl(config.host)}:${config.grpcPort}`,
      package: GRPC_PACKAGES,
      packageDefinition,
      maxReceiveMessageLength: config.maxRequestBytes,
      credentials: grpcCredentialsOf(tls),
      channelOptions: grpcChannelOptions(config.grpc),
      // Serves grpc.reflection.v1 and v1alpha over every loaded file, health and reflection included.
      onLoadPackageDefinition: (_definition: PackageDefinition, server: Server) => {
        new ReflectionService(reflectionDefinition(protos)).addToServer(server);
        boundGrpcListeners(server, config.grpc);
        handle.server = server;
        openRequestContexts(server);
        onServer?.(server);
      },
    },
  };
}
