import type { CustomerMapping } from '@app/database/mappings/customer-mapping';

/** What a replay returns of an active mapping. */
export type ActiveMapping = Pick<CustomerMapping, 'id' | 'merchantCustomerId' | 'connector' | 'connectorCustomerId'>;

/**
 * Active mappings by key, least recently used first out. Safe to share across requests and
 * correct with many instances: an active mapping never changes (only pending ones are resolved,
 * released or taken over), so a cached copy cannot go stale.
 */
export class ActiveMappingCache {
  private readonly entries = new Map<string, ActiveMapping>();

  constructor(private readonly capacity: number) {}

  get(key: string): ActiveMapping | undefined {
    const mapping = this.entries.get(key);
    if (mapping) {
      this.entries.delete(key);
      this.entries.set(key, mapping);
    }
    return mapping;
  }

  remember(key: string, mapping: ActiveMapping): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, mapping);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
