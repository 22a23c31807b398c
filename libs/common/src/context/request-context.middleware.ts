import type { Metadata } from '@grpc/grpc-js';
import type { Request, Response } from 'express';
import { attachRequestContext, endRequest, runWithRequestContext, type RequestContext, type Transport } from './request-context';
import { grpcHeaderReader, httpHeaderReader, requestIdFrom, tenantScopeFrom, type HeaderReader, type TenantScope } from './request-headers';

export interface RequestWithId extends Request {
  requestId?: string;
  /** The request's sensitive values, for scrubbing error responses outside the async context. */
  sensitiveValues?: Set<string>;
}

function newRequestContext(requestId: string, transport: Transport, headers: HeaderReader): RequestContext {
  return { requestId, transport, ...loggableScope(headers), sensitiveValues: new Set<string>() };
}

/**
 * The tenant and merchant for log lines, or none when the headers are malformed: the routes that
 * act on the scope read and refuse it themselves, naming the header; health, metrics and docs
 * answer whatever the caller sends.
 */
function loggableScope(headers: HeaderReader): Partial<TenantScope> {
  try {
    return tenantScopeFrom(headers);
  } catch {
    return {};
  }
}

/** Express middleware, first of all: assigns the request id before anything can fail (body parsing, guards). */
export function requestIdMiddleware(request: RequestWithId, response: Response, next: () => void): void {
  request.requestId = requestIdFrom(httpHeaderReader(request));
  response.setHeader('x-request-id', request.requestId);
  next();
}

/**
 * Express middleware, after the body parser: opens the request's async context (request id,
 * tenant, merchant) around the rest of the chain — guards, pipes, handler, exception filter — so
 * every log line and error carries them. After the body parser, because its callback comes from
 * the request stream, outside any context opened before it. A middleware rather than a Nest
 * interceptor: with any interceptor at all, Nest runs each request through rxjs and two
 * AsyncResource.bind calls, which on Node 20 cost more garbage than the rest of the pipeline's
 * (bench/PROFILE.md).
 */
export function requestContextMiddleware(request: RequestWithId, response: Response, next: () => void): void {
  const headers = httpHeaderReader(request);
  const context = newRequestContext(request.requestId ?? requestIdFrom(headers), 'http', headers);
  request.sensitiveValues = context.sensitiveValues;
  attachRequestContext(request, context);
  response.once('close', () => endRequest(request));
  runWithRequestContext(context, next);
}

/** A grpc-js call as the context opener sees it; it carries the request id and sensitive values for the filter and the log line. */
export interface GrpcCallCarrier {
  metadata?: Metadata;
  requestId?: string;
  sensitiveValues?: Set<string>;
}

/**
 * The same for gRPC (it has no middleware): opens the call's async context around everything Nest
 * does with it — guards, interceptors, pipes, handler, exception filter. Installed where grpc-js
 * receives each handler (grpc-options.ts), so no Nest interceptor (rxjs, AsyncResource.bind) is needed.
 */
export function runGrpcCallInContext<T>(call: GrpcCallCarrier, fn: () => T): T {
  const headers = grpcHeaderReader(call.metadata);
  const context = newRequestContext(call.requestId ?? requestIdFrom(headers), 'grpc', headers);
  call.requestId = context.requestId;
  call.sensitiveValues = context.sensitiveValues;
  attachRequestContext(call, context);
  return runWithRequestContext(context, fn);
}
