import { Enum, MapField, Namespace, Service, Type, util, type ReflectionObject } from 'protobufjs';
import {
  FileDescriptorProto,
  FileOptions,
  type IDescriptorProto,
  type IFileDescriptorProto,
  type IFieldDescriptorProto,
} from 'protobufjs/ext/descriptor';
import type { LoadedProtos, ProtoFile } from './proto-files';

type Describable = (Type | Enum | Service) & { toDescriptor(edition?: string): unknown };

/** protoc's name for a map field's entry message: `response_headers` → `ResponseHeadersEntry`. */
export function mapEntryName(fieldName: string): string {
  return `${fieldName.replace(/(?:^|_)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())}Entry`;
}

/** protoc's json_name: underscores dropped, the letter after each capitalized. */
function jsonNameOf(fieldName: string): string {
  return fieldName.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * What protobufjs's `toDescriptor` leaves unlike protoc: relative type names, `Xxx_yyy` map
 * entries, `proto3_optional` set under a name the descriptor does not encode, `packed` on
 * fields that cannot be packed. Fixed in place, as protoc would have written it.
 */
function likeProtoc(descriptor: IDescriptorProto, type: Type): void {
  for (const fieldDescriptor of descriptor.field ?? []) {
    const field = type.fields[fieldDescriptor.name!];
    fieldDescriptor.jsonName = jsonNameOf(field.name);
    if (field instanceof MapField) {
      const entry = descriptor.nestedType!.find((nested) => nested.name === fieldDescriptor.typeName)!;
      entry.name = mapEntryName(field.name);
      fieldDescriptor.typeName = `${type.fullName}.${entry.name}`;
      for (const entryField of entry.field ?? []) entryField.jsonName = entryField.name;
      const value = entry.field![1];
      if (field.resolvedType) value.typeName = field.resolvedType.fullName;
    } else if (field.resolvedType) {
      fieldDescriptor.typeName = field.resolvedType.fullName;
    }
    if (field.options?.proto3_optional) (fieldDescriptor as IFieldDescriptorProto & { proto3Optional?: boolean }).proto3Optional = true;
    if (!field.repeated && fieldDescriptor.options) delete (fieldDescriptor.options as { packed?: boolean }).packed;
  }
  for (const nested of type.nestedArray) {
    if (nested instanceof Type) likeProtoc(descriptor.nestedType!.find((d) => d.name === nested.name)!, nested);
  }
}

function fileOptionsOf(options: Record<string, unknown>): unknown {
  const known = Object.fromEntries(Object.entries(options).map(([key, value]) => [util.camelCase(key), value]).filter(([key]) => (key as string) in FileOptions.fields));
  return Object.keys(known).length > 0 ? FileOptions.fromObject(known) : undefined;
}

/**
 * One FileDescriptorProto per .proto file, under the name it is imported by
 * (`types/payment.proto`), with its package, its imports as `dependency` and what it declares,
 * encoded: what server reflection should serve (grpcurl and Postman ask for imports by name).
 */
export function fileDescriptorProtos(loaded: LoadedProtos, files: readonly ProtoFile[]): Buffer[] {
  const declared = new Map<string, Describable[]>(files.map((file) => [file.name, []]));
  const visit = (namespace: Namespace) => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof Type || nested instanceof Enum || nested instanceof Service) {
        const file = loaded.nameByPath.get((nested as ReflectionObject).filename ?? '');
        declared.get(file ?? '')?.push(nested as Describable);
      } else if (nested instanceof Namespace) {
        visit(nested);
      }
    }
  };
  visit(loaded.root);

  return files.map((file) => {
    const header = loaded.headers.get(file.name)!;
    const objects = declared.get(file.name)!;
    const messageType = objects.filter((o): o is Type & Describable => o instanceof Type).map((type) => {
      const descriptor = type.toDescriptor('proto3') as IDescriptorProto;
      likeProtoc(descriptor, type);
      return descriptor;
    });
    const proto: IFileDescriptorProto = {
      name: file.name,
      package: header.package,
      dependency: header.imports,
      messageType,
      enumType: objects.filter((o) => o instanceof Enum).map((o) => o.toDescriptor('proto3')) as IFileDescriptorProto['enumType'],
      service: objects.filter((o) => o instanceof Service).map((o) => o.toDescriptor('proto3')) as IFileDescriptorProto['service'],
      options: fileOptionsOf(header.options) as IFileDescriptorProto['options'],
      syntax: 'proto3',
    };
    return Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.create(proto as Record<string, unknown>)).finish());
  });
}
