import { createHash } from 'node:crypto';
import { createParamDecorator, Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { onRequestEnd, registerSensitiveValues, setRequestCaller } from '@app/common/context/request-context';
import { authorizationValuesOf, bearerTokenOf, headerReaderOf, tenantScopeFrom, transportCarrierOf, type TenantScope } from '@app/common/context/request-headers';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { AuditLog } from '../callers/audit-log';
import type { CallerKey, CallerScope } from '../callers/caller-keys';
import { CallerKeysService } from '../callers/caller-keys.service';
import { CallerLimits } from '../callers/caller-limits';

const REQUIRED_SCOPE = 'connector-service:required-scope';
const CALLER = Symbol.for('connector-service.caller');

type Carrier = { [CALLER]?: CallerKey };

/**
 * The scope a handler needs (`customers:create`, `customers:read`, `customers:update`,
 * `customers:delete`, `admin`). Every handler of a controller under `CallerGuard` states one:
 * a handler without it is refused, so a new operation cannot be reachable by accident.
 */
export const RequiresScope = (scope: CallerScope) => SetMetadata(REQUIRED_SCOPE, scope);

export function requiredScopeOf(reflector: Reflector, handler: Function): CallerScope | undefined {
  return reflector.get<CallerScope | undefined>(REQUIRED_SCOPE, handler);
}

/** The caller `CallerGuard` authenticated for this request; undefined when no CALLER_KEYS_FILE is set. */
export function callerOf(context: ExecutionContext): CallerKey | undefined {
  return (transportCarrierOf(context) as Carrier)[CALLER];
}

/** The caller `CallerGuard` authenticated, as a handler parameter (undefined when callers are not identified). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): CallerKey | undefined => callerOf(context));

/** The named accounts a caller may use: every one when callers are not identified. */
export function grantsAccount(caller: CallerKey | undefined, account: string): boolean {
  return caller === undefined || caller.accounts === 'all' || caller.accounts.has(account);
}

/** `POST /v1/customers`, `types.CustomerService/Create`: what an audit line names as the target. */
export function operationOf(context: ExecutionContext): string {
  if (context.getType() === 'rpc') {
    const call = context.getArgByIndex(2) as { getPath?: () => string } | undefined;
    return call?.getPath?.().replace(/^\//, '') ?? context.getHandler().name;
  }
  const request = context.switchToHttp().getRequest<Request>();
  const route = (request.route as { path?: unknown } | undefined)?.path;
  return `${request.method} ${typeof route === 'string' ? route : request.path}`;
}

/** First 12 hex digits of a presented key's SHA-256: enough to match a revoked `sha256:` entry, useless to forge one. */
export function keyFingerprintOf(values: readonly string[]): string | undefined {
  const token = bearerTokenOf(values);
  return token === undefined ? undefined : `sha256:${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 12)}`;
}

/**
 * Who is calling. With CALLER_KEYS_FILE set, every call needs `authorization: Bearer <key>` (HTTP
 * header or gRPC metadata): missing or unknown → 401 / UNAUTHENTICATED; a scope, tenant or
 * merchant the key does not grant → 403 / PERMISSION_DENIED; over its rate limit or concurrency
 * → 429 / RESOURCE_EXHAUSTED with Retry-After. The request's tenant is then the key's. Runs
 * before ConnectorSelectionGuard, which checks the accounts and inline credentials the key grants.
 * Without the file, callers are not identified (loopback, or ALLOW_UNAUTHENTICATED_CALLERS).
 */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly callers: CallerKeysService,
    private readonly limits: CallerLimits,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = requiredScopeOf(this.reflector, context.getHandler());
    if (scope === undefined) {
      throw new Error(`${context.getClass().name}.${context.getHandler().name} states no @RequiresScope(…): every handler under CallerGuard must`);
    }
    if (!this.callers.configured) return true;

    const values = authorizationValuesOf(context);
    const token = bearerTokenOf(values);
    const caller = this.callers.authenticate(token);
    const operation = operationOf(context);
    if (!caller) {
      this.audit.record({ actor: 'unknown', action: 'authenticate', target: operation, outcome: ErrorReason.CallerUnauthenticated, detail: describeMissingKey(values), keyFingerprint: keyFingerprintOf(values) });
      throw new DomainError(ErrorReason.CallerUnauthenticated, 'Missing or unknown caller key: send authorization: Bearer <key> (one header)');
    }
    registerSensitiveValues(token);
    setRequestCaller(caller.name, caller.tenant);

    const refuse = (message: string, tenant = caller.tenant): never => {
      this.audit.record({ actor: caller.name, tenant, action: 'authorize', target: operation, outcome: ErrorReason.CallerForbidden, detail: message });
      throw new DomainError(ErrorReason.CallerForbidden, message);
    };
    if (!caller.scopes.has(scope)) refuse(`Caller "${caller.name}" may not ${scope}: its key has the scopes ${[...caller.scopes].join(', ')}`);
    const headers = headerReaderOf(context);
    const scopeHeaders = tenantScopeFrom(headers);
    const namedTenant = headers('x-tenant-id');
    if (namedTenant !== undefined && namedTenant !== '' && namedTenant !== caller.tenant) {
      refuse(`Caller "${caller.name}" acts for tenant "${caller.tenant}" only: x-tenant-id names another tenant`, namedTenant);
    }
    if (caller.merchants && !caller.merchants.has(scopeHeaders.merchantId)) {
      refuse(`Caller "${caller.name}" may not act for merchant "${scopeHeaders.merchantId}" (x-merchant-id)`);
    }

    const admission = this.limits.admit(caller);
    if (!admission.admitted) {
      const message =
        admission.why === 'rate'
          ? `Caller "${caller.name}" is over its rate limit: retry in ${admission.retryAfterSeconds} s`
          : `Caller "${caller.name}" has too many requests in flight: retry in ${admission.retryAfterSeconds} s`;
      throw new DomainError(ErrorReason.CallerRateLimited, message, { retryAfterSeconds: admission.retryAfterSeconds });
    }
    const carrier = transportCarrierOf(context);
    onRequestEnd(carrier, admission.release);
    (carrier as Carrier)[CALLER] = caller;
    return true;
  }
}

function describeMissingKey(values: readonly string[]): string {
  if (values.length === 0) return 'no authorization header';
  if (values.length > 1) return `${values.length} authorization headers`;
  return bearerTokenOf(values) === undefined ? 'authorization is not "Bearer <key>"' : 'no caller has this key';
}

/**
 * The request's tenant and merchant: the caller key's tenant when callers are identified (the
 * guard refused any other x-tenant-id), else `x-tenant-id`; the merchant from `x-merchant-id`.
 */
export function tenantScopeOf(context: ExecutionContext): TenantScope {
  const scope = tenantScopeFrom(headerReaderOf(context));
  const caller = callerOf(context);
  return caller ? { tenantId: caller.tenant, merchantId: scope.merchantId } : scope;
}
