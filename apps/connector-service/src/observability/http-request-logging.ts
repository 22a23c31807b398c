import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { RequestWithId } from '@app/common/context/request-context.interceptor';
import type { AppLogger } from '@app/common/logging/logger';
import type { RequestMetrics } from './metrics';
import { QUIET_OPERATIONS, summaryLogFields, summaryOf, type RequestSummary } from './request-summary';

const STARTED = Symbol('request-started');
const SUMMARY = Symbol('request-summary');

type TrackedRequest = RequestWithId & { [STARTED]?: number; [SUMMARY]?: RequestSummary };

/** Route templates only (never a raw path with ids): the label set stays small. */
function operationOf(request: Request, status: number): string {
  const routePath = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof routePath === 'string') return `${request.method} ${routePath}`;
  return status === 404 ? 'unmatched' : 'other';
}

/** Computed once, when the response finishes, and shared by the log line and the metrics. */
function summarize(request: TrackedRequest, response: ServerResponse): RequestSummary {
  request[SUMMARY] ??= summaryOf(
    request,
    {
      requestId: request.requestId ?? '',
      transport: 'http',
      operation: operationOf(request, response.statusCode),
      status: response.statusCode,
      durationMs: Math.round(performance.now() - (request[STARTED] ?? performance.now())),
    },
    // Closed before we answered: the client went away (the work may still finish).
    !response.writableEnded ? 'aborted' : response.statusCode >= 400 ? `HTTP_${response.statusCode}` : 'ok',
  );
  return request[SUMMARY];
}

/**
 * One JSON line per HTTP request, written by pino-http when the response finishes (or the client
 * goes away), with the same fields as the gRPC line; and the request metrics. Mounted before the
 * body parser, so refused bodies and unknown routes are counted too. Headers, query strings and
 * bodies are never logged.
 */
export function httpRequestTelemetry(logger: AppLogger, metrics: RequestMetrics): (request: Request, response: Response, next: NextFunction) => void {
  const logging = pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    // The summary carries the request id; nothing else is bound, so no key appears twice.
    quietResLogger: true,
    genReqId: (request) => (request as TrackedRequest).requestId ?? '',
    serializers: { req: (request: { method?: string }) => ({ method: request.method }) },
    customLogLevel: (request, response, error) => {
      const summary = summarize(request as TrackedRequest, response);
      if (QUIET_OPERATIONS.has(summary.operation)) return 'debug';
      return error || response.statusCode >= 500 || summary.outcome === 'aborted' ? 'warn' : 'info';
    },
    customSuccessMessage: (_request, response) => (response.writableEnded ? 'request completed' : 'request aborted'),
    customErrorMessage: (_request, response) => (response.writableEnded ? 'request completed' : 'request aborted'),
    customSuccessObject: (request, response) => summaryLogFields(summarize(request as TrackedRequest, response)),
    customErrorObject: (request, response) => summaryLogFields(summarize(request as TrackedRequest, response)),
  });
  return (request, response, next) => {
    (request as TrackedRequest)[STARTED] = performance.now();
    response.once('close', () => metrics.request(summarize(request as TrackedRequest, response)));
    logging(request, response, next);
  };
}
