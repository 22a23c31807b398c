import { Metadata, type ServerUnaryCall } from '@grpc/grpc-js';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The grpc-js call object (third handler argument), for response metadata. */
export const GrpcCall = createParamDecorator((_: unknown, context: ExecutionContext) => context.getArgByIndex(2));

export type UnaryCall = ServerUnaryCall<unknown, unknown> & { requestId?: string };

/** Initial response metadata: the request id, plus anything the method adds. */
export function sendResponseMetadata(call: UnaryCall, extra: Record<string, string> = {}): void {
  const metadata = new Metadata();
  if (call.requestId) metadata.set('x-request-id', call.requestId);
  for (const [key, value] of Object.entries(extra)) metadata.set(key, value);
  call.sendMetadata(metadata);
}
