import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, Root } from 'protobufjs';
import { projectRoot } from '@app/database/project-paths';

/** A .proto file the server loads: its import name (as other files and clients know it) and where it is. */
export interface ProtoFile {
  name: string;
  path: string;
}

const projectProto = (name: string): ProtoFile => ({ name, path: path.join(projectRoot(), 'proto', name) });
const packagedProto = (name: string, packageFile: string): ProtoFile => ({ name, path: require.resolve(packageFile) });

/** What the gRPC server serves (a new .proto file goes here); imports are resolved among these by name. */
export const SERVED_PROTO_FILES: readonly ProtoFile[] = [
  projectProto('types/payment_methods.proto'),
  projectProto('types/payment.proto'),
  projectProto('types/services.proto'),
  projectProto('connector_service/customer/v1/customer_profiles.proto'),
  projectProto('connector_service/admin/v1/customer_mappings.proto'),
  // Under grpc's canonical name: the package keeps it at proto/health/v1/.
  packagedProto('grpc/health/v1/health.proto', 'grpc-health-check/proto/health/v1/health.proto'),
];

/** The reflection services' own files, so reflection can describe itself too. */
export const REFLECTION_PROTO_FILES: readonly ProtoFile[] = ['v1', 'v1alpha'].map((version) => {
  const name = `grpc/reflection/${version}/reflection.proto`;
  return { name, path: path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto', name) };
});

export interface ProtoFileHeader {
  package: string;
  imports: string[];
  /** File-level options (`go_package`, …) as written. */
  options: Record<string, unknown>;
}

export interface LoadedProtos {
  root: Root;
  /** Import name of each loaded file, by the path protobufjs records as objects' `filename`. */
  nameByPath: Map<string, string>;
  /** Each file's package and direct imports, as written in it. */
  headers: Map<string, ProtoFileHeader>;
}

/**
 * The files as one protobufjs root (field names as on the wire), each object knowing the file it
 * came from. Imports resolve by import name among `files`.
 */
export function loadProtos(files: readonly ProtoFile[]): LoadedProtos {
  const byName = new Map(files.map((file) => [file.name, file]));
  const nameByPath = new Map(files.map((file) => [file.path, file.name]));
  const root = new Root();
  root.resolvePath = (_origin, target) => byName.get(target)?.path ?? target;
  root.loadSync(files.map((file) => file.path), { keepCase: true });
  root.resolveAll();
  const headers = new Map<string, ProtoFileHeader>();
  for (const file of files) {
    const parsed = parse(readFileSync(file.path, 'utf8'), { keepCase: true });
    const options = (parsed.package ? parsed.root.lookup(parsed.package)?.options : parsed.root.options) ?? {};
    headers.set(file.name, { package: parsed.package ?? '', imports: parsed.imports ?? [], options });
  }
  return { root, nameByPath, headers };
}
