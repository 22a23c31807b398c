import { Inject, Injectable, Optional, type OnModuleDestroy } from '@nestjs/common';
import { Agent, errors as undiciErrors, request } from 'undici';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { addProcessorTime } from '@app/common/context/request-context';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { PROCESSOR_CALL_OBSERVER, type ProcessorCallObserver } from './processor-call-observer';
import type { InboundResponse, OutboundRequest } from './processor-http';

export type { InboundResponse, OutboundRequest } from './processor-http';

/** The metrics' `status` of a call that got no usable HTTP answer. */
const FAILURE_STATUS: Partial<Record<ErrorReason, string>> = {
  [ErrorReason.ConnectorTimeout]: 'timeout',
  [ErrorReason.ConnectorUnavailable]: 'unreachable',
  [ErrorReason.ConnectorInvalidResponse]: 'invalid_response',
};

/** A processor answer larger than this is not a create-customer response. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

const DROPPED_RESPONSE_HEADERS = new Set([
  'set-cookie',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-authenticate',
  'upgrade',
  'trailer',
]);

function responseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name)) continue;
    const joined = Array.isArray(value) ? value.join(', ') : value;
    // eslint-disable-next-line no-control-regex
    if (/^[\x20-\x7e]*$/.test(joined)) headers[name] = joined;
  }
  return headers;
}

function safeUrlForLogs(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * The executor's transport to processors: keep-alive pools per origin, a hard deadline per call
 * (covers slow bodies too), no redirects, a response size cap, and one log line per call without
 * headers or bodies. Transport failures become UNAVAILABLE / DEADLINE_EXCEEDED domain errors,
 * flagged `outcomeUnknown` because the processor may have acted before the connection broke.
 */
@Injectable()
export class ConnectorHttpClient implements OnModuleDestroy {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 128, connect: { timeout: 10_000 } });

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Optional() @Inject(PROCESSOR_CALL_OBSERVER) private readonly observer?: ProcessorCallObserver,
  ) {}

  async send(connector: string, outbound: OutboundRequest): Promise<InboundResponse> {
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.config.connectorTimeoutMs);
    const logFields = { connector, method: outbound.method, url: safeUrlForLogs(outbound.url) };
    try {
      const response = await request(outbound.url, {
        method: outbound.method,
        headers: outbound.headers,
        body: outbound.body,
        dispatcher: this.agent,
        signal: deadline.signal,
      });
      const body = await this.readBody(response.body, response.headers['content-length']);
      const durationMs = this.observe(connector, String(response.statusCode), started);
      this.logger.info({ ...logFields, status: response.statusCode, duration_ms: durationMs }, 'processor call');
      return { status: response.statusCode, headers: responseHeaders(response.headers), body };
    } catch (error) {
      const failure = this.classify(connector, error, deadline.signal.aborted);
      const durationMs = this.observe(connector, FAILURE_STATUS[failure.reason] ?? 'error', started);
      this.logger.warn({ ...logFields, duration_ms: durationMs, error: failure.reason, cause: (error as Error)?.name }, 'processor call failed');
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Counts the call in the request's processor time and in the metrics; returns its whole milliseconds. */
  private observe(connector: string, status: string, started: number): number {
    const elapsedMs = performance.now() - started;
    addProcessorTime(elapsedMs);
    this.observer?.processorCall(connector, status, elapsedMs / 1000);
    return Math.round(elapsedMs);
  }

  private async readBody(body: AsyncIterable<Buffer> & { destroy?: () => void }, contentLength?: string | string[]): Promise<string> {
    if (contentLength !== undefined && Number(contentLength) > MAX_RESPONSE_BYTES) {
      body.destroy?.();
      throw new ResponseTooLargeError();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        body.destroy?.();
        throw new ResponseTooLargeError();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private classify(connector: string, error: unknown, deadlinePassed: boolean): DomainError {
    if (error instanceof DomainError) return error;
    if (error instanceof ResponseTooLargeError) {
      return new DomainError(ErrorReason.ConnectorInvalidResponse, `${connector} sent a response larger than ${MAX_RESPONSE_BYTES} bytes`, {
        outcomeUnknown: true,
      });
    }
    if (deadlinePassed || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
      return new DomainError(ErrorReason.ConnectorTimeout, `${connector} did not answer within ${this.config.connectorTimeoutMs} ms`, {
        outcomeUnknown: true,
      });
    }
    const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
    const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
    return new DomainError(ErrorReason.ConnectorUnavailable, `${connector} could not be reached${code ? ` (${code})` : ''}`, {
      // A refused connection never reached the processor; a reset one may have.
      outcomeUnknown: !refused,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

class ResponseTooLargeError extends Error {}
