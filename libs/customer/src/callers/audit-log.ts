import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';

export interface AuditEntry {
  /** The caller key's name, `operator` for ADMIN_API_TOKEN, `unknown` when no key matched; never a key. */
  actor: string;
  /** The tenant the actor acted in (or tried to). */
  tenant?: string;
  /** What was attempted: `authenticate`, `authorize`, `mapping.resolve`, `mapping.release`, `admin.login`. */
  action: string;
  /** What it was attempted on: an operation, a mapping id. */
  target: string;
  /** `ok`, or the refusal's reason (`CALLER_UNAUTHENTICATED`, `CALLER_FORBIDDEN`, `MAPPING_NOT_PENDING`, …). */
  outcome: string;
  /** Why, in words (never a secret). */
  detail?: string;
  /** The first 12 hex digits of the SHA-256 of a presented key no caller has: finds a revoked key still in use. */
  keyFingerprint?: string;
}

/**
 * One `audit` line per admin write and per refused authentication or authorization: who, in which
 * tenant, did what to what, and how it ended. Lines go to the service log (JSON, stdout) at
 * `warn` for refusals and `info` otherwise, with `"audit": true` to select them.
 */
@Injectable()
export class AuditLog {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  record(entry: AuditEntry): void {
    const fields = {
      audit: true,
      actor: entry.actor,
      ...(entry.tenant !== undefined && { tenant_id: entry.tenant }),
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
      ...(entry.detail !== undefined && { detail: entry.detail }),
      ...(entry.keyFingerprint !== undefined && { key_fingerprint: entry.keyFingerprint }),
    };
    if (entry.outcome === 'ok') this.logger.info(fields, 'audit');
    else this.logger.warn(fields, 'audit');
  }
}
