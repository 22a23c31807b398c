import { createHash, timingSafeEqual } from 'node:crypto';
import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { registerSensitiveValues, setRequestCaller } from '@app/common/context/request-context';
import { authorizationValuesOf, bearerTokenOf, headerReaderOf, tenantScopeFrom, transportCarrierOf, type HeaderReader } from '@app/common/context/request-headers';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { AuditLog } from '../callers/audit-log';
import { CallerKeysService } from '../callers/caller-keys.service';
import { keyFingerprintOf, operationOf } from '../edge/caller-guard';
import { AdminSessions, type AdminPrincipal } from './admin-session';

export type { AdminPrincipal };

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The principal and the tenant of one admin request. */
export interface AdminScope {
  actor: string;
  tenantId: string;
}

const PRINCIPAL = Symbol.for('connector-service.admin-principal');

type Carrier = { [PRINCIPAL]?: AdminPrincipal };

/**
 * `Authorization: Bearer <token>` on HTTP and gRPC: ADMIN_API_TOKEN (the operator, every tenant,
 * chosen with x-tenant-id), or a caller key with the `admin` scope (its own tenant only; an
 * x-tenant-id naming another is refused). Compared as SHA-256 digests with timingSafeEqual, so
 * neither content nor length leaks through timing. With neither configured, the admin API is off
 * (403), never open. Every refusal is an audit line.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly callers: CallerKeysService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    private readonly sessions: AdminSessions,
  ) {
    this.expected = config.adminApiToken === undefined ? undefined : digest(config.adminApiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const values = authorizationValuesOf(context);
    const principal = (values.length === 0 && this.pageSession(context)) || this.authenticate(values, operationOf(context), headerReaderOf(context));
    (transportCarrierOf(context) as Carrier)[PRINCIPAL] = principal;
    setRequestCaller(principal.actor, principal.tenant);
    return true;
  }

  /**
   * The admin page's reads, signed in with its session cookie: only GET, and only with the
   * page's own `x-admin-page` header, which no cross-site form can send (SameSite=Strict aside).
   */
  private pageSession(context: ExecutionContext): AdminPrincipal | undefined {
    if (context.getType() !== 'http') return undefined;
    const request = context.switchToHttp().getRequest<Request>();
    if (request.method !== 'GET' || request.headers['x-admin-page'] === undefined) return undefined;
    const principal = this.sessions.verify(request.headers.cookie);
    if (principal?.tenant !== undefined) {
      const named = request.headers['x-tenant-id'];
      if (typeof named === 'string' && named !== '' && named !== principal.tenant) {
        throw new DomainError(ErrorReason.CallerForbidden, `Caller "${principal.actor}" administers tenant "${principal.tenant}" only: x-tenant-id names another tenant`);
      }
    }
    return principal;
  }

  /** Whether anything can sign in: ADMIN_API_TOKEN or caller keys. */
  get enabled(): boolean {
    return this.expected !== undefined || this.callers.configured;
  }

  /** The principal a bearer token (the authorization values, or a token typed into the admin page) names, or a refusal. */
  authenticate(values: readonly string[], target: string, headers?: HeaderReader): AdminPrincipal {
    if (!this.enabled) throw new DomainError(ErrorReason.AdminDisabled, 'The admin API is disabled: set ADMIN_API_TOKEN to enable it');
    const token = bearerTokenOf(values);
    const presented = digest(token ?? '');
    if (token !== undefined && this.expected && timingSafeEqual(presented, this.expected)) {
      registerSensitiveValues(token);
      return { actor: 'operator', kind: 'operator', credentialDigest: this.expected };
    }
    const caller = token === undefined ? undefined : this.callers.authenticate(token);
    if (!caller) {
      this.audit.record({ actor: 'unknown', action: 'authenticate', target, outcome: ErrorReason.AdminUnauthenticated, keyFingerprint: keyFingerprintOf(values) });
      const message = this.callers.configured
        ? 'Missing or wrong admin token: send Authorization: Bearer <ADMIN_API_TOKEN>, or a caller key with the admin scope'
        : 'Missing or wrong admin token: send Authorization: Bearer <ADMIN_API_TOKEN>';
      throw new DomainError(ErrorReason.AdminUnauthenticated, message);
    }
    registerSensitiveValues(token);
    const refuse = (message: string, tenant = caller.tenant): never => {
      this.audit.record({ actor: caller.name, tenant, action: 'authorize', target, outcome: ErrorReason.CallerForbidden, detail: message });
      throw new DomainError(ErrorReason.CallerForbidden, message);
    };
    if (!caller.scopes.has('admin')) refuse(`Caller "${caller.name}" may not use the admin API: its key lacks the admin scope`);
    const named = headers?.('x-tenant-id');
    if (named !== undefined && named !== '' && named !== caller.tenant) refuse(`Caller "${caller.name}" administers tenant "${caller.tenant}" only: x-tenant-id names another tenant`, named);
    return { actor: caller.name, kind: 'caller', tenant: caller.tenant, credentialDigest: caller.digest };
  }
}

/** Who made this admin request and in which tenant: the caller key's, or the operator's x-tenant-id (default `public`). */
export const Admin = createParamDecorator((_: unknown, context: ExecutionContext): AdminScope => {
  const principal = (transportCarrierOf(context) as Carrier)[PRINCIPAL];
  if (!principal) throw new Error('@Admin() needs AdminTokenGuard on the route');
  return { actor: principal.actor, tenantId: principal.tenant ?? tenantScopeFrom(headerReaderOf(context)).tenantId };
});
