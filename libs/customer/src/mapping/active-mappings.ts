import { Injectable } from '@nestjs/common';
import type { MappingKey } from '@app/database/mappings/customer-mapping';
import { ActiveMappingCache, type ActiveMapping } from './active-mapping-cache';

/** Active mappings kept in memory: a replay then costs no database round trip. */
const ACTIVE_MAPPING_CACHE_SIZE = 10_000;
/** How long another instance's Update or erase can go unseen by this one's replays. */
const ACTIVE_MAPPING_TTL_MS = 5_000;

const keyString = (key: MappingKey) => [key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId].join('\0');

/** The in-memory active mappings, shared by the use cases that read (Create) and change (Update, Delete) them. */
@Injectable()
export class ActiveMappings {
  private readonly cache = new ActiveMappingCache(ACTIVE_MAPPING_CACHE_SIZE, ACTIVE_MAPPING_TTL_MS);

  get(key: MappingKey): ActiveMapping | undefined {
    return this.cache.get(keyString(key));
  }

  remember(key: MappingKey, mapping: ActiveMapping): void {
    this.cache.remember(keyString(key), mapping);
  }

  forget(key: MappingKey): void {
    this.cache.forget(keyString(key));
  }
}

export { keyString as mappingKeyString };
