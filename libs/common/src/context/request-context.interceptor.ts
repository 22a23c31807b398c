import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { runWithRequestContext, type RequestContext } from './request-context';
import { headerReaderOf, requestIdFrom, tenantScopeFrom } from './request-headers';

export interface RequestWithId extends Request {
  requestId?: string;
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
    const requestId = request?.requestId ?? requestIdFrom(headers);
    if (!isGrpc) {
      request!.requestId = requestId;
      context.switchToHttp().getResponse<Response>().setHeader('x-request-id', requestId);
    } else {
      (context.getArgByIndex(2) as { requestId?: string }).requestId = requestId;
    }
    const scope = tenantScopeFrom(headers);
    const requestContext: RequestContext = {
      requestId,
      transport: isGrpc ? 'grpc' : 'http',
      tenantId: scope.tenantId,
      merchantId: scope.merchantId,
      sensitiveValues: new Set(),
    };
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
