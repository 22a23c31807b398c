import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { headerReaderOf } from '@app/common/context/request-headers';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `Authorization: Bearer $ADMIN_API_TOKEN` on HTTP and gRPC. Compared as SHA-256 digests with
 * timingSafeEqual, so neither content nor length leaks through timing. No token configured
 * means the admin API is off (403), never open.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.adminApiToken === undefined ? undefined : digest(config.adminApiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new DomainError(ErrorReason.AdminDisabled, 'The admin API is disabled: set ADMIN_API_TOKEN to enable it');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headerReaderOf(context)('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      throw new DomainError(ErrorReason.AdminUnauthenticated, 'Missing or wrong admin token: send Authorization: Bearer <ADMIN_API_TOKEN>');
    }
    return true;
  }
}
