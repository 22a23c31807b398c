import type { Server, ServiceDefinition, UntypedHandleCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { grpcHeaderReader, requestIdFrom } from '@app/common/context/request-headers';
import type { AppLogger } from '@app/common/logging/logger';
import type { RequestMetrics } from './metrics';
import { QUIET_OPERATIONS, roundedMs, summaryLogFields, summaryOf } from './request-summary';

const GRPC_CANCELLED = 1;
const GRPC_UNKNOWN = 2;
/** UNKNOWN, DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE, DATA_LOSS: the gRPC side of HTTP's 5xx. */
const SERVER_SIDE_CODES = new Set([2, 4, 13, 14, 15]);

type ObservedCall = { requestId?: string; metadata?: Parameters<typeof grpcHeaderReader>[0]; once(event: string, listener: (...args: any[]) => void): unknown };
type Callback = (error: { code?: number } | null, ...rest: unknown[]) => void;

/**
 * One JSON line per gRPC call, with the same fields as the HTTP line, and the request metrics.
 * Wraps each handler where grpc-js receives it (`addService`), outside Nest's pipeline, so guard
 * refusals and undecodable messages are counted too. Services added before this (reflection)
 * are left alone.
 */
export function observeGrpcCalls(server: Server, logger: AppLogger, metrics: RequestMetrics): void {
  const addService = server.addService.bind(server);
  server.addService = (service: ServiceDefinition, implementation: UntypedServiceImplementation) => {
    const wrapped: UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(service)) {
      const handler = implementation[name] ?? implementation[method.originalName ?? ''];
      if (!handler) continue;
      const operation = method.path.replace(/^\//, '');
      wrapped[name] = method.requestStream ? handler : observed(handler, operation, method.responseStream, logger, metrics);
    }
    addService(service, wrapped);
  };
}

function observed(handler: UntypedHandleCall, operation: string, streaming: boolean, logger: AppLogger, metrics: RequestMetrics): UntypedHandleCall {
  const complete = (call: ObservedCall, started: number, code: number) => {
    call.requestId ??= requestIdFrom(grpcHeaderReader(call.metadata as never));
    const summary = summaryOf(
      call,
      { requestId: call.requestId, transport: 'grpc', operation, status: code, durationMs: roundedMs(performance.now() - started) },
      code === 0 ? 'ok' : code === GRPC_CANCELLED ? 'aborted' : `GRPC_${code}`,
    );
    metrics.request(summary);
    const level = QUIET_OPERATIONS.has(operation) ? 'debug' : SERVER_SIDE_CODES.has(code) || code === GRPC_CANCELLED ? 'warn' : 'info';
    logger[level](summaryLogFields(summary), code === GRPC_CANCELLED ? 'request aborted' : 'request completed');
  };

  if (streaming) {
    return ((call: ObservedCall) => {
      const started = performance.now();
      let done = false;
      const finish = (code: number) => {
        if (done) return;
        done = true;
        complete(call, started, code);
      };
      call.once('finish', () => finish(0));
      call.once('cancelled', () => finish(GRPC_CANCELLED));
      call.once('error', (error: { code?: number }) => finish(error?.code ?? GRPC_UNKNOWN));
      return (handler as (call: unknown) => unknown)(call);
    }) as UntypedHandleCall;
  }
  return ((call: ObservedCall, callback: Callback) => {
    const started = performance.now();
    return (handler as (call: unknown, callback: Callback) => unknown)(call, (error, ...rest) => {
      complete(call, started, error ? (error.code ?? GRPC_UNKNOWN) : 0);
      callback(error, ...rest);
    });
  }) as UntypedHandleCall;
}
