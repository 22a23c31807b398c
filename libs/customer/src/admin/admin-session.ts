import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { CallerKeysService } from '../callers/caller-keys.service';
import { MappingScopeService } from '../mapping/mapping-scope.service';

/** Who is using the admin API, and in which tenant. */
export interface AdminPrincipal {
  /** `operator` (ADMIN_API_TOKEN), or the caller key's name. */
  actor: string;
  kind: 'operator' | 'caller';
  /** The caller key's tenant; undefined for the operator, who may act in any tenant (x-tenant-id). */
  tenant?: string;
  /** SHA-256 of the credential: an admin page session ends when it changes (rotation, revocation). */
  credentialDigest: Buffer;
}

export const ADMIN_SESSION_COOKIE = 'connector_service_admin';
export const ADMIN_SESSION_TTL_MS = 60 * 60 * 1000;

interface SessionPayload {
  /** actor */
  a: string;
  /** kind */
  k: AdminPrincipal['kind'];
  /** binding to the credential: changes when the token or key does */
  c: string;
  /** expiry, epoch milliseconds */
  e: number;
}

const binding = (credentialDigest: Buffer) => createHash('sha256').update(credentialDigest).digest('base64url').slice(0, 22);

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The admin page's sign-in: after the token (ADMIN_API_TOKEN or an admin-scoped caller key) is
 * typed into the login form once, an HttpOnly, SameSite=Strict cookie carries a signed session
 * of one hour: who signed in, bound to that credential — never the token. The signature key
 * derives from the shared mapping scope secret, so every instance accepts it. A session ends
 * with its hour, on sign-out, or as soon as the credential changes (the token rotated, the key
 * revoked or stripped of its admin scope).
 */
@Injectable()
export class AdminSessions {
  private readonly operatorDigest?: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly callers: CallerKeysService,
    private readonly scope: MappingScopeService,
  ) {
    this.operatorDigest = config.adminApiToken === undefined ? undefined : createHash('sha256').update(config.adminApiToken).digest();
  }

  /** The cookie value of a new session. */
  issue(principal: AdminPrincipal, now = Date.now()): string {
    const payload: SessionPayload = { a: principal.actor, k: principal.kind, c: binding(principal.credentialDigest), e: now + ADMIN_SESSION_TTL_MS };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** `Set-Cookie` for a session value, or to clear it. */
  setCookie(value: string | undefined): string {
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(this.config.tls ? ['Secure'] : [])];
    if (value === undefined) return [`${ADMIN_SESSION_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ');
    return [`${ADMIN_SESSION_COOKIE}=${value}`, `Max-Age=${ADMIN_SESSION_TTL_MS / 1000}`, ...attributes].join('; ');
  }

  /** The principal of a session cookie still valid now, or undefined. */
  verify(cookieHeader: string | undefined, now = Date.now()): AdminPrincipal | undefined {
    const value = cookieValue(cookieHeader, ADMIN_SESSION_COOKIE);
    if (!value || value.length > 1024) return undefined;
    const [body, signature, extra] = value.split('.');
    if (!body || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(body), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: SessionPayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionPayload;
    } catch {
      return undefined;
    }
    if (typeof payload.e !== 'number' || payload.e <= now) return undefined;
    const principal = this.current(payload);
    return principal && binding(principal.credentialDigest) === payload.c ? principal : undefined;
  }

  private current(payload: SessionPayload): AdminPrincipal | undefined {
    if (payload.k === 'operator') return this.operatorDigest ? { actor: 'operator', kind: 'operator', credentialDigest: this.operatorDigest } : undefined;
    const caller = typeof payload.a === 'string' ? this.callers.find(payload.a) : undefined;
    if (!caller || !caller.scopes.has('admin')) return undefined;
    return { actor: caller.name, kind: 'caller', tenant: caller.tenant, credentialDigest: caller.digest };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.scope.derivedKey('admin-page-session')).update(body).digest('base64url');
  }
}
