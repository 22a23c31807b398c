export type MappingStatus = 'pending' | 'active' | 'erased';

/** Identifies one mapping: a merchant customer at one processor account. */
export interface MappingKey {
  tenantId: string;
  merchantId: string;
  connector: string;
  connectorAccount: string;
  merchantCustomerId: string;
}

export interface CustomerMapping extends MappingKey {
  id: string;
  connectorCustomerId: string | null;
  status: MappingStatus;
  idempotencyKey: string;
  testMode: boolean;
  leaseExpiresAt: Date | null;
  attempts: number;
  /** Keyed HMAC of the customer details last sent to the processor (null before it was recorded). */
  profileFingerprint: string | null;
  erasedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The merchant customer a request names, within one tenant and merchant. */
export interface CustomerScope {
  tenantId: string;
  merchantId: string;
  merchantCustomerId: string;
}

/** A request's hold on a pending mapping while it calls the processor. */
export interface Lease {
  token: string;
  expiresAt: Date;
}

export interface MappingListFilter {
  tenantId: string;
  merchantId?: string;
  merchantCustomerId?: string;
  connector?: string;
  connectorCustomerId?: string;
  /** Return mappings with ids below this one (newest first). */
  beforeId?: string;
  limit: number;
}
