import type { ExecutionContext, ArgumentsHost } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import type { Request } from 'express';
import { newRequestId } from '../domain/ids';
import { DomainError } from '../errors/domain-error';

/** Reads one header (HTTP) or metadata entry (gRPC) by lower-case name. */
export type HeaderReader = (name: string) => string | undefined;

export function httpHeaderReader(request: Request): HeaderReader {
  return (name) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

export function grpcHeaderReader(metadata: Metadata | undefined): HeaderReader {
  return (name) => {
    const [value] = metadata?.get(name) ?? [];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : value.toString('utf8');
  };
}

/** The header reader of whichever transport carries this call. */
export function headerReaderOf(host: ArgumentsHost | ExecutionContext): HeaderReader {
  if (host.getType() === 'rpc') return grpcHeaderReader(host.switchToRpc().getContext<Metadata>());
  return httpHeaderReader(host.switchToHttp().getRequest<Request>());
}

/**
 * Every `authorization` value the caller sent, in order. HTTP: from the raw headers, since Node
 * keeps only the first of several; gRPC: every metadata entry.
 */
export function authorizationValuesOf(host: ArgumentsHost | ExecutionContext): string[] {
  if (host.getType() === 'rpc') {
    return (host.switchToRpc().getContext<Metadata | undefined>()?.get('authorization') ?? []).map((value) => (typeof value === 'string' ? value : value.toString('utf8')));
  }
  const raw = host.switchToHttp().getRequest<Request>().rawHeaders;
  const values: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) if (raw[index].toLowerCase() === 'authorization') values.push(raw[index + 1]);
  return values;
}

/** The bearer token of exactly one `authorization: Bearer <token>`; undefined for anything else. */
export function bearerTokenOf(values: readonly string[]): string | undefined {
  if (values.length !== 1) return undefined;
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(values[0]);
  return match?.[1];
}

/** The transport's own object for this call: the Express request, or the grpc-js call. */
export function transportCarrierOf(host: ArgumentsHost | ExecutionContext): object {
  return host.getType() === 'rpc' ? (host.getArgByIndex(2) as object) : host.switchToHttp().getRequest<Request>();
}

const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
const SCOPE_ID = /^[\x21-\x7e]{1,128}$/;

/** The caller's `x-request-id` when usable, else a new UUID (echoed back either way). */
export function requestIdFrom(headers: HeaderReader): string {
  const given = headers('x-request-id');
  return given !== undefined && REQUEST_ID.test(given) ? given : newRequestId();
}

export interface TenantScope {
  tenantId: string;
  merchantId: string;
}

function scopeHeader(headers: HeaderReader, name: string, fallback: string): string {
  const value = headers(name);
  if (value === undefined || value === '') return fallback;
  if (!SCOPE_ID.test(value)) throw DomainError.invalidDataFormat(name, 'must be 1 to 128 printable ASCII characters without spaces');
  return value;
}

/** Prism's defaults: tenant `public`, merchant `DefaultMerchantId` (reference §2.3). */
export function tenantScopeFrom(headers: HeaderReader): TenantScope {
  return {
    tenantId: scopeHeader(headers, 'x-tenant-id', 'public'),
    merchantId: scopeHeader(headers, 'x-merchant-id', 'DefaultMerchantId'),
  };
}
