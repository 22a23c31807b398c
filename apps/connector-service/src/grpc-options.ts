import path from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { GrpcOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import type { AppConfig } from '@app/common/config/app-config';
import { projectRoot } from '@app/database/project-paths';

const HEALTH_PROTO = require.resolve('grpc-health-check/proto/health/v1/health.proto');

export const GRPC_PACKAGES = ['types', 'connector_service.admin.v1', 'grpc.health.v1'];

/**
 * keepCase: proto field names as on the wire (snake_case), as REST bodies use them.
 * enums as names, no defaults (presence matters), no virtual oneof fields for proto3 `optional`.
 */
export function loadPackageDefinition(): PackageDefinition {
  const protoDir = path.join(projectRoot(), 'proto');
  return loadSync(
    ['types/services.proto', 'connector_service/admin/v1/customer_mappings.proto', HEALTH_PROTO],
    { includeDirs: [protoDir], keepCase: true, longs: String, enums: String, defaults: false, oneofs: false },
  );
}

/** The grpc-js server Nest creates, captured for a bounded graceful shutdown. */
export interface GrpcServerHandle {
  server?: Pick<Server, 'tryShutdown' | 'forceShutdown'>;
}

export function grpcOptions(config: AppConfig, handle: GrpcServerHandle = {}): GrpcOptions {
  const packageDefinition = loadPackageDefinition();
  return {
    transport: Transport.GRPC,
    options: {
      url: `${config.host}:${config.grpcPort}`,
      package: GRPC_PACKAGES,
      packageDefinition,
      maxReceiveMessageLength: config.maxRequestBytes,
      // Serves grpc.reflection.v1 and v1alpha over every loaded file, health included.
      onLoadPackageDefinition: (definition: PackageDefinition, server: Server) => {
        new ReflectionService(definition).addToServer(server);
        handle.server = server;
      },
    },
  };
}
