import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import type { Connector, Credentials } from './connector';

/** Why `value` cannot be a processor base URL (absolute http(s), no userinfo, query or fragment), if it cannot. */
export function baseUrlProblem(value: string): { url?: URL; problem?: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must use http or https' };
  if (url.username || url.password) return { problem: 'must not contain credentials' };
  if (url.search || url.hash) return { problem: 'must not contain a query or fragment' };
  return { url };
}

/**
 * Where a call goes. A caller's `base_url` is honoured only when its origin is the connector's
 * own or listed in CONNECTOR_BASE_URL_ALLOWLIST — checked before any network call, on the
 * canonical origin the URL parser produces (so `0x7f.1`, `LOCALHOST` or `:443` spellings of
 * an origin compare equal, and userinfo tricks are refused outright).
 */
@Injectable()
export class BaseUrlPolicy {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * `operatorConfigured`: the override comes from the operator's connector accounts file, not
   * from the caller, so the allow-list (a guard against callers steering calls) does not apply.
   */
  resolve(connector: Connector, credentials: Credentials, override: string | undefined, testMode: boolean, operatorConfigured = false): string {
    const { baseUrls } = connector.descriptor;
    const own = connector.descriptor.baseUrlFor?.(credentials, testMode) ?? (testMode ? baseUrls.sandbox : baseUrls.live);
    if (override === undefined) return own;

    const field = `x-connector-config.config.${connector.descriptor.configVariant}.base_url`;
    const { url, problem } = baseUrlProblem(override);
    if (!url) throw this.refused(field, problem!);
    if (operatorConfigured) return url.toString();
    const ownOrigins = new Set([own, baseUrls.sandbox, baseUrls.live, ...(baseUrls.alternates ?? [])].map((candidate) => new URL(candidate).origin));
    if (!ownOrigins.has(url.origin) && !this.config.connectorBaseUrlAllowlist.has(url.origin)) {
      throw this.refused(field, `origin ${url.origin} is not in CONNECTOR_BASE_URL_ALLOWLIST`);
    }
    return url.toString();
  }

  private refused(field: string, description: string): DomainError {
    return new DomainError(ErrorReason.BaseUrlNotAllowed, `base_url not allowed: ${description}`, {
      fieldViolations: [{ field, description }],
    });
  }
}
