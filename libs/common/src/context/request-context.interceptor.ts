import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { attachRequestContext, runWithRequestContext, type RequestContext } from './request-context';
import { headerReaderOf, requestIdFrom, tenantScopeFrom } from './request-headers';

export interface RequestWithId extends Request {
  requestId?: string;
  /** The request's sensitive values, for scrubbing error responses outside the async context. */
  sensitiveValues?: Set<string>;
}

/**
 * Opens the request's async context (request id, tenant, merchant) around the handler, for
 * both transports, so every log line and error carries them.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const headers = headerReaderOf(context);
    const isGrpc = context.getType() === 'rpc';
    const request = isGrpc ? undefined : context.switchToHttp().getRequest<RequestWithId>();
    const call = isGrpc ? (context.getArgByIndex(2) as { requestId?: string }) : undefined;
    const requestId = request?.requestId ?? call?.requestId ?? requestIdFrom(headers);
    const sensitiveValues = new Set<string>();
    if (!isGrpc) {
      request!.requestId = requestId;
      request!.sensitiveValues = sensitiveValues;
      context.switchToHttp().getResponse<Response>().setHeader('x-request-id', requestId);
    } else {
      Object.assign(call!, { requestId, sensitiveValues });
    }
    const scope = tenantScopeFrom(headers);
    const requestContext: RequestContext = {
      requestId,
      transport: isGrpc ? 'grpc' : 'http',
      tenantId: scope.tenantId,
      merchantId: scope.merchantId,
      sensitiveValues,
    };
    attachRequestContext(request ?? call!, requestContext);
    return new Observable((subscriber) => runWithRequestContext(requestContext, () => next.handle().subscribe(subscriber)));
  }
}

/** Express middleware: assigns the request id before anything can fail (body parsing, guards). */
export function requestIdMiddleware(request: RequestWithId, response: Response, next: () => void): void {
  request.requestId = requestIdFrom((name) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  });
  response.setHeader('x-request-id', request.requestId);
  next();
}
