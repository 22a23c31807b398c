import type { CustomerMapping } from '@app/database/mappings/customer-mapping';

/** What a replay returns of an active mapping, and the fingerprint of the details last sent. */
export type ActiveMapping = Pick<CustomerMapping, 'id' | 'merchantCustomerId' | 'connector' | 'connectorCustomerId'> & Partial<Pick<CustomerMapping, 'profileFingerprint'>>;

/**
 * Active mappings by key, least recently used first out, each kept at most `ttlMs`. An active
 * mapping changes only by an Update (its fingerprint) or an erase: this instance forgets the key
 * when it makes either change; another instance's copy is bounded by the TTL.
 */
export class ActiveMappingCache {
  private readonly entries = new Map<string, { mapping: ActiveMapping; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): ActiveMapping | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.mapping;
  }

  remember(key: string, mapping: ActiveMapping): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { mapping, expiresAt: this.now() + this.ttlMs });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
