import { Injectable } from '@nestjs/common';
import type { MappingKey } from '../mappings/customer-mapping';
import type { Reservation, ReserveOutcome } from '../mappings/customer-mapping.store';
import { guarded } from '../database-errors';
import { fromColumns, SqlCustomerMappingStore, type MappingColumns } from '../mappings/sql-customer-mapping.store';
import { PostgresConnection } from './postgres.connection';

@Injectable()
export class PostgresCustomerMappingStore extends SqlCustomerMappingStore {
  constructor(connection: PostgresConnection) {
    super(connection.driver, connection.client.customerMapping);
  }

  /**
   * One statement, one round trip: the INSERT, and in the same statement the row holding the key
   * when the INSERT found it taken. The row is read from the statement's snapshot: one committed
   * after it began is not seen (`existing` null), and the protocol looks again.
   */
  override reserveOrFind(key: MappingKey, reservation: Reservation): Promise<ReserveOutcome> {
    const [insert, insertParams] = this.reservationInsert(key, reservation);
    return guarded(async () => {
      const [row] = await this.sql.query<MappingColumns & { reserved_id: string | null }>(
        `WITH inserted AS (${insert} RETURNING id)
         SELECT inserted.id AS reserved_id, m.*
         FROM (SELECT 1) AS one
         LEFT JOIN inserted ON TRUE
         LEFT JOIN customer_mappings m ON inserted.id IS NULL
           AND m.tenant_id = ? AND m.merchant_id = ? AND m.connector = ? AND m.connector_account = ? AND m.merchant_customer_id = ?`,
        [...insertParams, key.tenantId, key.merchantId, key.connector, key.connectorAccount, key.merchantCustomerId],
      );
      if (row.reserved_id !== null) return { reserved: true };
      return { reserved: false, existing: row.id === null ? null : fromColumns(row) };
    });
  }
}
