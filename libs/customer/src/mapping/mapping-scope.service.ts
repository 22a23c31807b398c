import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { ServiceSettingsRepository } from '@app/database/service-settings.repository';
import type { MappingKey } from '@app/database/mappings/customer-mapping';

const SECRET_SETTING = 'mapping_scope_secret';

/**
 * Scopes a mapping to one processor account: HMAC-SHA256 of the connector name and its
 * account-identifying credential. The credential itself is never stored, and equal HMACs
 * mean the same account — so a `cus_…` of one Stripe account (or of test mode) is never
 * handed out for another. A named account (CONNECTOR_ACCOUNTS_FILE) is scoped by its name
 * instead, so rotating its key keeps its mappings.
 */
@Injectable()
export class MappingScopeService implements OnModuleInit {
  private secret: Buffer;
  /** derivedKey's answers: a function of the secret and the purpose only, asked on every request. */
  private readonly derivedKeys = new Map<string, Buffer>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: ServiceSettingsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    const secret =
      this.config.mappingScopeSecret ?? (await this.settings.getOrInsert(SECRET_SETTING, () => randomBytes(32).toString('base64url')));
    this.secret = Buffer.from(secret, 'utf8');
    this.derivedKeys.clear();
  }

  connectorAccount({ connector, credentials, accountName }: Pick<ConnectorSelection, 'connector' | 'credentials' | 'accountName'>): string {
    const hmac = createHmac('sha256', this.secret).update(connector.descriptor.name);
    // Credentials are printable ASCII, so \x01 can never start a credential identity: the two
    // kinds of scope cannot collide.
    if (accountName !== undefined) return hmac.update('\x01named-account\0').update(accountName).digest('hex');
    return hmac.update('\0').update(connector.descriptor.accountIdentity(credentials)).digest('hex');
  }

  /** A key for another purpose (admin page sessions), derived from the same shared secret: every instance derives the same. */
  derivedKey(purpose: string): Buffer {
    let key = this.derivedKeys.get(purpose);
    if (!key) this.derivedKeys.set(purpose, (key = createHmac('sha256', this.secret).update('\x02derived-key\0').update(purpose).digest()));
    return key;
  }

  /**
   * The scope of a processor account known by its own id (not a secret), in one mode: a rotated
   * key of the same account keeps it. \x02 keeps it apart from both other kinds of scope.
   */
  accountIdScope(connector: string, accountId: string, testMode: boolean): string {
    return createHmac('sha256', this.secret).update(connector).update('\x02account\0').update(accountId).update('\0').update(testMode ? 'test' : 'live').digest('hex');
  }

  /**
   * The merchant customer's stable reference at one processor account: 26 base32 characters
   * (130 bits) of an HMAC over the mapping key. Deterministic, so processors that take a
   * merchant-chosen id recognise a retry even if our row was lost; free of PII by construction.
   */
  customerReference(key: MappingKey): string {
    const digest = createHmac('sha256', this.secret)
      .update([key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId].join('\0'))
      .digest();
    return base32(digest).slice(0, 26);
  }
}

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return output;
}
