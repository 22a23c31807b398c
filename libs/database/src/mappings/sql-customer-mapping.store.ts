import { guarded } from '../database-errors';
import { dateOf, type SqlDriver, type SqlParam } from '../sql-driver';
import type { CustomerMapping, CustomerScope, Lease, MappingKey, MappingListFilter, MappingStatus } from './customer-mapping';
import type { CustomerMappingStore, Reservation, ReserveOutcome } from './customer-mapping.store';

/** A row as raw SQL returns it (the generated client types the same table in camelCase). */
export interface MappingColumns {
  id: string;
  tenant_id: string;
  merchant_id: string;
  merchant_customer_id: string;
  connector: string;
  connector_account: string;
  connector_customer_id: string | null;
  status: string;
  idempotency_key: string;
  test_mode: boolean | number;
  lease_expires_at: Date | string | null;
  attempts: number;
  profile_fingerprint: string | null;
  erased_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export function fromColumns(row: MappingColumns): CustomerMapping {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    merchantId: row.merchant_id,
    merchantCustomerId: row.merchant_customer_id,
    connector: row.connector,
    connectorAccount: row.connector_account,
    connectorCustomerId: row.connector_customer_id,
    status: row.status as MappingStatus,
    idempotencyKey: row.idempotency_key,
    // SQLite hands back the 0/1 Prisma stored; PostgreSQL, a boolean.
    testMode: Boolean(row.test_mode),
    leaseExpiresAt: row.lease_expires_at === null ? null : dateOf(row.lease_expires_at),
    attempts: Number(row.attempts),
    profileFingerprint: row.profile_fingerprint,
    erasedAt: row.erased_at === null ? null : dateOf(row.erased_at),
    createdAt: dateOf(row.created_at),
    updatedAt: dateOf(row.updated_at),
  };
}

/** What the operator actions need of Prisma's generated `customerMapping` delegate (alike on both clients). */
export interface MappingModel {
  updateMany(args: {
    where: { id: string; tenantId: string; status: MappingStatus };
    data: { status: MappingStatus; connectorCustomerId: string; leaseToken: null; leaseExpiresAt: null };
  }): PromiseLike<{ count: number }>;
  deleteMany(args: { where: { id: string; tenantId: string; status: MappingStatus } }): PromiseLike<{ count: number }>;
}

/**
 * The statements both backends share. Every write is one conditional statement (no interactive
 * transactions: the SQLite adapter shares one connection, so a transaction would swallow
 * concurrent writes). Reads and the Create path's writes are prepared statements on the
 * database's own driver, in SQL both databases read alike: through Prisma each cost 0.6–3 ms of
 * CPU, compiled and interpreted at run time, against 10–150 µs prepared (bench/PROFILE.md).
 * Operator actions stay with Prisma. A backend overrides what its database does better.
 */
export abstract class SqlCustomerMappingStore implements CustomerMappingStore {
  protected constructor(
    protected readonly sql: SqlDriver,
    private readonly mappings: MappingModel,
  ) {}

  findByKey(key: MappingKey): Promise<CustomerMapping | null> {
    return guarded(async () => {
      const [row] = await this.sql.query<MappingColumns>(
        'SELECT * FROM customer_mappings WHERE tenant_id = ? AND merchant_id = ? AND connector = ? AND connector_account = ? AND merchant_customer_id = ?',
        [key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId],
      );
      return row ? fromColumns(row) : null;
    });
  }

  /** The INSERT of a pending mapping held by `reservation.lease`, doing nothing when the key has a row. */
  protected reservationInsert(key: MappingKey, reservation: Reservation): [sql: string, params: SqlParam[]] {
    const now = new Date();
    return [
      `INSERT INTO customer_mappings (id, tenant_id, merchant_id, merchant_customer_id, connector, connector_account, status,
         idempotency_key, test_mode, lease_token, lease_expires_at, attempts, profile_fingerprint, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, 1, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [reservation.id, key.tenantId, key.merchantId, key.merchantCustomerId, key.connector, key.connectorAccount, reservation.idempotencyKey, reservation.testMode, reservation.lease.token, reservation.lease.expiresAt, reservation.profileFingerprint ?? null, now, now],
    ];
  }

  /** Inserts a pending mapping held by `lease`; false when the key already has one. */
  reserve(key: MappingKey, reservation: Reservation): Promise<boolean> {
    return guarded(async () => (await this.sql.execute(...this.reservationInsert(key, reservation))) === 1);
  }

  /**
   * Reserves, or returns the row that holds the key. In-process SQLite: the INSERT, and the lookup
   * only when it found the key taken. PostgreSQL overrides it with one statement.
   */
  reserveOrFind(key: MappingKey, reservation: Reservation): Promise<ReserveOutcome> {
    return guarded(async () => {
      if ((await this.sql.execute(...this.reservationInsert(key, reservation))) === 1) return { reserved: true };
      return { reserved: false, existing: await this.findByKey(key) };
    });
  }

  /** Takes a pending mapping whose lease has lapsed (its holder crashed or gave up). */
  takeOver(id: string, lease: Lease, now: Date): Promise<boolean> {
    return guarded(async () => {
      const updated = await this.sql.execute(
        `UPDATE customer_mappings SET lease_token = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ?
         WHERE id = ? AND status = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at < ?)`,
        [lease.token, lease.expiresAt, now, id, now],
      );
      return updated === 1;
    });
  }

  /** Records the processor's id; false when the lease was lost meanwhile. */
  activate(id: string, leaseToken: string, connectorCustomerId: string): Promise<boolean> {
    return guarded(async () => {
      const updated = await this.sql.execute(
        `UPDATE customer_mappings SET status = 'active', connector_customer_id = ?, lease_token = NULL, lease_expires_at = NULL, updated_at = ?
         WHERE id = ? AND status = 'pending' AND lease_token = ?`,
        [connectorCustomerId, new Date(), id, leaseToken],
      );
      return updated === 1;
    });
  }

  /** Keeps the pending mapping (and its idempotency key) for the next attempt, lease lapsed. */
  release(id: string, leaseToken: string): Promise<void> {
    return guarded(async () => {
      await this.sql.execute(
        `UPDATE customer_mappings SET lease_token = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ? AND status = 'pending' AND lease_token = ?`,
        [new Date(), id, leaseToken],
      );
    });
  }

  /** Removes a reservation the processor definitely did not act on, so a later call starts fresh. */
  remove(id: string, leaseToken: string): Promise<void> {
    return guarded(async () => {
      await this.sql.execute(`DELETE FROM customer_mappings WHERE id = ? AND status = 'pending' AND lease_token = ?`, [id, leaseToken]);
    });
  }

  /** An operator's answer for a pending mapping: the customer exists at the processor with this id. */
  resolvePending(scope: { tenantId: string }, id: string, connectorCustomerId: string): Promise<boolean> {
    return guarded(async () => {
      const { count } = await this.mappings.updateMany({
        where: { id, tenantId: scope.tenantId, status: 'pending' },
        data: { status: 'active', connectorCustomerId, leaseToken: null, leaseExpiresAt: null },
      });
      return count === 1;
    });
  }

  /** An operator's answer for a pending mapping: nothing was created; the next Create starts afresh. */
  removePending(scope: { tenantId: string }, id: string): Promise<boolean> {
    return guarded(async () => {
      const { count } = await this.mappings.deleteMany({ where: { id, tenantId: scope.tenantId, status: 'pending' } });
      return count === 1;
    });
  }

  findById(scope: { tenantId: string }, id: string): Promise<CustomerMapping | null> {
    return guarded(async () => {
      const [row] = await this.sql.query<MappingColumns>('SELECT * FROM customer_mappings WHERE id = ? AND tenant_id = ?', [id, scope.tenantId]);
      return row ? fromColumns(row) : null;
    });
  }

  /** Newest first; one extra row tells whether another page exists. */
  list(filter: MappingListFilter): Promise<CustomerMapping[]> {
    return guarded(async () => {
      const conditions = ['tenant_id = ?'];
      const params: SqlParam[] = [filter.tenantId];
      // Most selective first. Only the first filter given may choose the index; the others are
      // written as expressions no index serves. Several (tenant_id, <filter>, id) indexes match
      // equally well, and SQLite's planner, without statistics, may take the least selective
      // one and walk a whole tenant (145 ms at 200 k rows for merchant + connector).
      const filters: [column: string, value: string | undefined][] = [
        ['connector_customer_id', filter.connectorCustomerId],
        ['merchant_customer_id', filter.merchantCustomerId],
        ['merchant_id', filter.merchantId],
        ['connector', filter.connector],
      ];
      for (const [column, value] of filters) {
        if (value === undefined) continue;
        conditions.push(conditions.length === 1 ? `${column} = ?` : `${column} || '' = ?`);
        params.push(value);
      }
      if (filter.beforeId !== undefined) {
        conditions.push('id < ?');
        params.push(filter.beforeId);
      }
      const rows = await this.sql.query<MappingColumns>(`SELECT * FROM customer_mappings WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT ?`, [...params, filter.limit]);
      return rows.map(fromColumns);
    });
  }

  pendingByConnector(): Promise<Map<string, number>> {
    return guarded(async () => {
      const rows = await this.sql.query<{ connector: string; pending: number | string }>(
        "SELECT connector, COUNT(*) AS pending FROM customer_mappings WHERE status = 'pending' GROUP BY connector",
        [],
      );
      return new Map(rows.map((row) => [row.connector, Number(row.pending)]));
    });
  }

  profilesOf(customer: CustomerScope): Promise<CustomerMapping[]> {
    return guarded(async () => {
      // The (tenant, merchant_customer_id, id) index serves it; the merchant filter is checked on the rows.
      const rows = await this.sql.query<MappingColumns>(
        "SELECT * FROM customer_mappings WHERE tenant_id = ? AND merchant_customer_id = ? AND merchant_id || '' = ? ORDER BY id",
        [customer.tenantId, customer.merchantCustomerId, customer.merchantId],
      );
      return rows.map(fromColumns);
    });
  }

  recordFingerprint(id: string, profileFingerprint: string | null, previous: string | null): Promise<void> {
    return guarded(async () => {
      const now = new Date();
      const swapped = await this.sql.execute(
        `UPDATE customer_mappings SET profile_fingerprint = ?, updated_at = ? WHERE id = ? AND status = 'active' AND COALESCE(profile_fingerprint, '') = ?`,
        [profileFingerprint, now, id, previous ?? ''],
      );
      // Another update came between: what the processor holds is not known any more.
      if (swapped === 0) await this.sql.execute(`UPDATE customer_mappings SET profile_fingerprint = NULL, updated_at = ? WHERE id = ? AND status = 'active'`, [now, id]);
    });
  }

  erase(id: string, customerHash: string): Promise<boolean> {
    return guarded(async () => {
      const now = new Date();
      const updated = await this.sql.execute(
        `UPDATE customer_mappings SET status = 'erased', merchant_customer_id = ?, customer_hash = ?, erased_at = ?, profile_fingerprint = NULL,
           lease_token = NULL, lease_expires_at = NULL, updated_at = ?
         WHERE id = ? AND status = 'active'`,
        [`erased:${id}`, customerHash, now, now, id],
      );
      return updated === 1;
    });
  }

  erasedAt(key: Omit<MappingKey, 'merchantCustomerId'>, customerHash: string): Promise<Date | null> {
    return guarded(async () => {
      // Every Create asks this. Written so that only the (tenant, merchant, customer_hash) index can
      // serve it: SQLite without statistics preferred the unique key's four equal columns and read
      // every mapping of the merchant at the account — 640 µs a Create at 5,000 rows, growing with
      // the table (bench/PROFILE.md).
      const [row] = await this.sql.query<{ erased_at: Date | string }>(
        `SELECT erased_at FROM customer_mappings WHERE tenant_id = ? AND merchant_id = ? AND customer_hash = ? AND connector || '' = ? AND connector_account || '' = ?
         ORDER BY erased_at DESC LIMIT 1`,
        [key.tenantId, key.merchantId, customerHash, key.connector, key.connectorAccount],
      );
      return row ? dateOf(row.erased_at) : null;
    });
  }

  adopt(key: MappingKey, formerConnectorAccount: string): Promise<boolean> {
    return guarded(async () => {
      const updated = await this.sql.execute(
        `UPDATE customer_mappings SET connector_account = ?, updated_at = ?
         WHERE tenant_id = ? AND merchant_id = ? AND connector = ? AND connector_account = ? AND merchant_customer_id = ?
           AND NOT EXISTS (SELECT 1 FROM customer_mappings AS taken
                           WHERE taken.tenant_id = ? AND taken.merchant_id = ? AND taken.connector = ? AND taken.connector_account = ? AND taken.merchant_customer_id = ?)`,
        [
          key.connectorAccount, new Date(), key.tenantId, key.merchantId, key.connector, formerConnectorAccount, key.merchantCustomerId,
          key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId,
        ],
      );
      return updated === 1;
    });
  }
}
