import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { RequestWithId } from '@app/common/context/request-context.middleware';
import type { AppLogger } from '@app/common/logging/logger';
import type { RequestMetrics } from './metrics';
import { QUIET_OPERATIONS, roundedMs, summaryLogFields, summaryOf, type RequestSummary } from './request-summary';

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
      durationMs: roundedMs(performance.now() - (request[STARTED] ?? performance.now())),
    },
    // Closed before we answered: the client went away (the work may still finish).
    !response.writableEnded ? 'aborted' : response.statusCode >= 400 ? `HTTP_${response.statusCode}` : 'ok',
  );
  return request[SUMMARY];
}

/**
 * One JSON line per HTTP request, written when the response finishes (or the client goes away),
 * with the same fields as the gRPC line; and the request metrics. Mounted before the body parser,
 * so refused bodies and unknown routes are counted too. Headers, query strings and bodies are
 * never logged. Written directly rather than through pino-http, whose per-request child logger
 * cost ~0.4 ms of CPU per request (bench/PROFILE.md) for a line we compose ourselves anyway.
 */
export function httpRequestTelemetry(logger: AppLogger, metrics: RequestMetrics): (request: Request, response: Response, next: NextFunction) => void {
  return (request, response, next) => {
    (request as TrackedRequest)[STARTED] = performance.now();
    response.once('close', () => {
      const summary = summarize(request as TrackedRequest, response);
      metrics.request(summary);
      const level = QUIET_OPERATIONS.has(summary.operation) ? 'debug' : response.statusCode >= 500 || summary.outcome === 'aborted' ? 'warn' : 'info';
      logger[level](summaryLogFields(summary), summary.outcome === 'aborted' ? 'request aborted' : 'request completed');
    });
    next();
  };
}
