import type { CustomerMapping, CustomerScope, Lease, MappingKey, MappingListFilter } from './customer-mapping';

/** Injection token of the mapping store (DatabaseModule binds the backend's implementation). */
export const CUSTOMER_MAPPING_STORE = 'CUSTOMER_MAPPING_STORE';

export interface Reservation {
  id: string;
  idempotencyKey: string;
  testMode: boolean;
  lease: Lease;
  /** Keyed HMAC of the details this attempt sends. */
  profileFingerprint?: string;
}

/** What `reserveOrFind` did: reserved the key, or found the row holding it (null: taken, but not visible yet). */
export type ReserveOutcome = { reserved: true } | { reserved: false; existing: CustomerMapping | null };

/**
 * The mappings of merchant customers to processor customers. Every method is one conditional
 * statement, scoped by a required tenant (or the full key): the unique key (tenant, merchant,
 * connector, account, merchant customer) decides races between requests and instances. Database
 * failures surface as DATABASE_UNAVAILABLE domain errors.
 */
export interface CustomerMappingStore {
  findByKey(key: MappingKey): Promise<CustomerMapping | null>;
  /** Inserts a pending mapping held by `reservation.lease`; false when the key already has one. */
  reserve(key: MappingKey, reservation: Reservation): Promise<boolean>;
  /**
   * `reserve`, and when the key is taken, the row holding it — in one round trip where the database
   * allows (PostgreSQL: one statement). Optional: the reservation protocol looks the key up first
   * and then reserves when a store has none (test doubles).
   */
  reserveOrFind?(key: MappingKey, reservation: Reservation): Promise<ReserveOutcome>;
  /** Takes a pending mapping whose lease has lapsed (its holder crashed or gave up). */
  takeOver(id: string, lease: Lease, now: Date): Promise<boolean>;
  /** Records the processor's id; false when the lease was lost meanwhile. */
  activate(id: string, leaseToken: string, connectorCustomerId: string): Promise<boolean>;
  /** Keeps the pending mapping (and its idempotency key) for the next attempt, lease lapsed. */
  release(id: string, leaseToken: string): Promise<void>;
  /** Removes a reservation the processor definitely did not act on, so a later call starts fresh. */
  remove(id: string, leaseToken: string): Promise<void>;
  /** An operator's answer for a pending mapping: the customer exists at the processor with this id. */
  resolvePending(scope: { tenantId: string }, id: string, connectorCustomerId: string): Promise<boolean>;
  /** An operator's answer for a pending mapping: nothing was created; the next Create starts afresh. */
  removePending(scope: { tenantId: string }, id: string): Promise<boolean>;
  findById(scope: { tenantId: string }, id: string): Promise<CustomerMapping | null>;
  /** Newest first; one extra row tells whether another page exists. */
  list(filter: MappingListFilter): Promise<CustomerMapping[]>;
  /** Pending reservations per connector, every tenant (metrics). */
  pendingByConnector(): Promise<Map<string, number>>;
  /** Every mapping (pending or active) of one merchant customer, oldest first. */
  profilesOf(customer: CustomerScope): Promise<CustomerMapping[]>;
  /**
   * The details now sent to the processor, as their keyed fingerprint (after an update), if the
   * mapping still holds `previous`; otherwise the fingerprint becomes unknown (null).
   */
  recordFingerprint(id: string, profileFingerprint: string | null, previous: string | null): Promise<void>;
  /**
   * The customer was deleted at the processor: the mapping keeps no merchant_customer_id in clear
   * (only `customerHash`, a keyed HMAC), so the same id can be created afresh. False when not active.
   */
  erase(id: string, customerHash: string): Promise<boolean>;
  /** When a mapping of this customer (by `customerHash`) at this account was last erased, if ever. */
  erasedAt(key: Omit<MappingKey, 'merchantCustomerId'>, customerHash: string): Promise<Date | null>;
  /**
   * Moves the mapping of `key`'s merchant customer from a former account scope (a secret-based one,
   * before the processor's account id was known) to `key`'s scope. False when there was none, or
   * when `key`'s scope already holds one (then nothing moves: the key stays unique).
   */
  adopt(key: MappingKey, formerConnectorAccount: string): Promise<boolean>;
}
