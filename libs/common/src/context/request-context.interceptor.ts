import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { attachRequestContext, runWithRequestContext, type RequestContext, type Transport } from './request-context';
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
export function requestContextMiddleware(request: RequestWithId, _response: Response, next: () => void): void {
  const headers = httpHeaderReader(request);
  const context = newRequestContext(request.requestId ?? requestIdFrom(headers), 'http', headers);
  request.sensitiveValues = context.sensitiveValues;
  attachRequestContext(request, context);
  runWithRequestContext(context, next);
}

/** The same for gRPC controllers, around the handler (gRPC has no middleware). */
@Injectable()
export class GrpcRequestContextInterceptor implements NestInterceptor {
  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    const call = executionContext.getArgByIndex(2) as { requestId?: string; sensitiveValues?: Set<string> };
    const headers = grpcHeaderReader(executionContext.switchToRpc().getContext());
    const context = newRequestContext(call.requestId ?? requestIdFrom(headers), 'grpc', headers);
    Object.assign(call, { requestId: context.requestId, sensitiveValues: context.sensitiveValues });
    attachRequestContext(call, context);
    return new Observable((subscriber) => runWithRequestContext(context, () => next.handle().subscribe(subscriber)));
  }
}
