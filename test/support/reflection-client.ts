import path from 'node:path';
import { credentials, loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

type Version = 'v1' | 'v1alpha';

/** A server-reflection client (what grpcurl does), built from @grpc/reflection's own protos. */
export async function reflect(address: string, version: Version, request: Record<string, string>): Promise<Record<string, any>> {
  const protoDir = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto');
  const definition = loadSync(`grpc/reflection/${version}/reflection.proto`, { includeDirs: [protoDir], keepCase: true });
  const pkg = loadPackageDefinition(definition) as GrpcObject;
  const Reflection = (((pkg.grpc as GrpcObject).reflection as GrpcObject)[version] as GrpcObject).ServerReflection as ServiceClientConstructor;
  const client = new Reflection(address, credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => {
      const stream = (client as any).ServerReflectionInfo();
      stream.on('data', (response: Record<string, any>) => {
        resolve(response);
        stream.end();
      });
      stream.on('error', reject);
      stream.write(request);
    });
  } finally {
    client.close();
  }
}
