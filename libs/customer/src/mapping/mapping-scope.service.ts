import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import type { Connector, Credentials } from '@app/connectors/connector';
import { ServiceSettingsRepository } from '@app/database/service-settings.repository';

const SECRET_SETTING = 'mapping_scope_secret';

/**
 * Scopes a mapping to one processor account: HMAC-SHA256 of the connector name and its
 * account-identifying credential. The credential itself is never stored, and equal HMACs
 * mean the same account — so a `cus_…` of one Stripe account (or of test mode) is never
 * handed out for another.
 */
@Injectable()
export class MappingScopeService implements OnModuleInit {
  private secret: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: ServiceSettingsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const secret =
      this.config.mappingScopeSecret ?? (await this.settings.getOrInsert(SECRET_SETTING, () => randomBytes(32).toString('base64url')));
    this.secret = Buffer.from(secret, 'utf8');
  }

  connectorAccount(connector: Connector, credentials: Credentials): string {
    return createHmac('sha256', this.secret)
      .update(connector.descriptor.name)
      .update('\0')
      .update(connector.accountIdentity(credentials))
      .digest('hex');
  }
}
