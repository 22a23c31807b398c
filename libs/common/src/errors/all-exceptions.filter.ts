import { Metadata } from '@grpc/grpc-js';
import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { throwError, type Observable } from 'rxjs';
import { recordRequestFailure } from '../context/request-context';
import type { RequestWithId } from '../context/request-context.middleware';
import { grpcHeaderReader, requestIdFrom } from '../context/request-headers';
import { APP_LOGGER, type AppLogger } from '../logging/logger';
import { DomainError } from './domain-error';
import { ErrorReason } from './error-reason';
import { ERROR_TABLE } from './error-table';
import { toDomainError, httpErrorBody } from './error-presenter';
import { encodeStatusDetails } from './grpc-status-details';
import { scrubText } from '../logging/redaction';

/**
 * The one place errors leave the service, on either transport (the filter is global and
 * inherited by the gRPC server): a DomainError becomes the HTTP status and body, or the
 * numeric gRPC status with google.rpc details, that ERROR_TABLE names.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    const error = withoutSensitiveValues(toDomainError(exception), this.sensitiveValuesOf(host));
    const requestId = this.requestIdOf(host);
    const carrier = host.getType() === 'rpc' ? host.getArgByIndex(2) : host.switchToHttp().getRequest<RequestWithId>();
    if (carrier) recordRequestFailure(carrier as object, error.reason);
    this.log(error, exception, requestId);
    return host.getType() === 'rpc' ? this.toGrpc(error, host, requestId) : this.toHttp(error, host, requestId);
  }

  private sensitiveValuesOf(host: ArgumentsHost): Set<string> {
    const carrier = host.getType() === 'rpc' ? host.getArgByIndex(2) : host.switchToHttp().getRequest<RequestWithId>();
    return (carrier as { sensitiveValues?: Set<string> } | undefined)?.sensitiveValues ?? new Set();
  }

  private requestIdOf(host: ArgumentsHost): string {
    if (host.getType() === 'rpc') {
      const call = host.getArgByIndex(2) as { requestId?: string } | undefined;
      call!.requestId ??= requestIdFrom(grpcHeaderReader(host.switchToRpc().getContext<Metadata>()));
      return call!.requestId;
    }
    const request = host.switchToHttp().getRequest<RequestWithId>();
    return request.requestId ?? '';
  }

  private log(error: DomainError, original: unknown, requestId: string): void {
    const fields = { request_id: requestId, reason: error.reason, connector_code: error.details.connector?.code };
    if (error.reason === ErrorReason.Internal) {
      const cause = original instanceof Error ? original : new Error(String(original));
      this.logger.error({ ...fields, err: { type: cause.name, message: cause.message, stack: cause.stack } }, 'unexpected error');
    } else {
      this.logger.info({ ...fields, message: error.message }, 'request refused');
    }
  }

  private toHttp(error: DomainError, host: ArgumentsHost, requestId: string): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = httpErrorBody(error, requestId);
    if (error.details.retryAfterSeconds !== undefined) response.setHeader('retry-after', String(error.details.retryAfterSeconds));
    response.status(status).json(body);
  }

  private toGrpc(error: DomainError, host: ArgumentsHost, requestId: string): Observable<never> {
    const code = ERROR_TABLE[error.reason].grpc;
    const metadata = new Metadata();
    metadata.set('x-request-id', requestId);
    const connector = error.details.connector;
    const info: Record<string, string> = { request_id: requestId };
    if (connector) {
      info.connector = connector.connector;
      info.connector_code = connector.code;
      info.connector_message = connector.message;
      if (connector.httpStatus !== undefined) info.connector_http_status = String(connector.httpStatus);
      if (connector.param) info.connector_param = connector.param;
      if (connector.type) info.connector_type = connector.type;
      if (connector.declineCode) info.connector_decline_code = connector.declineCode;
    }
    metadata.set(
      'grpc-status-details-bin',
      encodeStatusDetails({
        code,
        message: error.message,
        reason: error.reason,
        metadata: info,
        fieldViolations: error.details.fieldViolations,
        retryAfterSeconds: error.details.retryAfterSeconds,
      }),
    );
    return throwError(() => ({ code, details: error.message, message: error.message, metadata }));
  }
}

/**
 * A processor may quote the request back in its error ("Invalid email address: ann@…"): the
 * caller already has those values, but error bodies end up in client logs and dashboards, so
 * messages leave here scrubbed like our own log lines.
 */
function withoutSensitiveValues(error: DomainError, sensitiveValues: Set<string>): DomainError {
  const message = scrubText(error.message, sensitiveValues);
  const connector = error.details.connector && { ...error.details.connector, message: scrubText(error.details.connector.message, sensitiveValues) };
  if (message === error.message && connector?.message === error.details.connector?.message) return error;
  return new DomainError(error.reason, message, { ...error.details, connector }, { cause: error.cause });
}
