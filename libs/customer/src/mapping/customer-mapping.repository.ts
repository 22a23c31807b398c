import { Injectable } from '@nestjs/common';
import { isUniqueViolation, toDatabaseUnavailable } from '@app/database/database-errors';
import type { CustomerMapping as MappingRow } from '@app/database/generated/postgres/client';
import { PrismaService } from '@app/database/prisma.service';
import type { CustomerMapping, Lease, MappingKey, MappingListFilter, MappingStatus } from './customer-mapping';

function toMapping(row: MappingRow): CustomerMapping {
  return {
    id: row.id,
    tenantId: row.tenantId,
    merchantId: row.merchantId,
    merchantCustomerId: row.merchantCustomerId,
    connector: row.connector,
    connectorAccount: row.connectorAccount,
    connectorCustomerId: row.connectorCustomerId,
    status: row.status as MappingStatus,
    idempotencyKey: row.idempotencyKey,
    testMode: row.testMode,
    leaseExpiresAt: row.leaseExpiresAt,
    attempts: row.attempts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toDatabaseUnavailable(error);
  }
}

/**
 * The mapping store. Every write is one conditional statement (no interactive transactions:
 * the SQLite adapter shares one connection, so a transaction would swallow concurrent writes),
 * and the unique key (tenant, merchant, connector, account, merchant customer) decides races.
 */
@Injectable()
export class CustomerMappingRepository {
  constructor(private readonly prisma: PrismaService) {}

  private get mappings() {
    return this.prisma.client.customerMapping;
  }

  findByKey(key: MappingKey): Promise<CustomerMapping | null> {
    return guarded(async () => {
      const row = await this.mappings.findUnique({
        where: {
          tenantId_merchantId_connector_connectorAccount_merchantCustomerId: key,
        },
      });
      return row && toMapping(row);
    });
  }

  /** Inserts a pending mapping held by `lease`; false when the key already has one. */
  reserve(key: MappingKey, reservation: { id: string; idempotencyKey: string; testMode: boolean; lease: Lease }): Promise<boolean> {
    return guarded(async () => {
      try {
        await this.mappings.create({
          data: {
            ...key,
            id: reservation.id,
            status: 'pending',
            idempotencyKey: reservation.idempotencyKey,
            testMode: reservation.testMode,
            leaseToken: reservation.lease.token,
            leaseExpiresAt: reservation.lease.expiresAt,
            attempts: 1,
          },
        });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }

  /** Takes a pending mapping whose lease has lapsed (its holder crashed or gave up). */
  takeOver(id: string, lease: Lease, now: Date): Promise<boolean> {
    return guarded(async () => {
      const { count } = await this.mappings.updateMany({
        where: { id, status: 'pending', OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }] },
        data: { leaseToken: lease.token, leaseExpiresAt: lease.expiresAt, attempts: { increment: 1 } },
      });
      return count === 1;
    });
  }

  /** Records the processor's id; false when the lease was lost meanwhile. */
  activate(id: string, leaseToken: string, connectorCustomerId: string): Promise<boolean> {
    return guarded(async () => {
      const { count } = await this.mappings.updateMany({
        where: { id, status: 'pending', leaseToken },
        data: { status: 'active', connectorCustomerId, leaseToken: null, leaseExpiresAt: null },
      });
      return count === 1;
    });
  }

  /** Keeps the pending mapping (and its idempotency key) for the next attempt, lease lapsed. */
  release(id: string, leaseToken: string): Promise<void> {
    return guarded(async () => {
      await this.mappings.updateMany({ where: { id, status: 'pending', leaseToken }, data: { leaseToken: null, leaseExpiresAt: null } });
    });
  }

  /** Removes a reservation the processor definitely did not act on, so a later call starts fresh. */
  remove(id: string, leaseToken: string): Promise<void> {
    return guarded(async () => {
      await this.mappings.deleteMany({ where: { id, status: 'pending', leaseToken } });
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
      const row = await this.mappings.findFirst({ where: { id, tenantId: scope.tenantId } });
      return row && toMapping(row);
    });
  }

  /** Newest first; one extra row tells whether another page exists. */
  list(filter: MappingListFilter): Promise<CustomerMapping[]> {
    return guarded(async () => {
      const rows = await this.mappings.findMany({
        where: {
          tenantId: filter.tenantId,
          merchantId: filter.merchantId,
          merchantCustomerId: filter.merchantCustomerId,
          connectorCustomerId: filter.connectorCustomerId,
          // `connector IN (…)` keeps the (connector, connector_customer_id) index usable when
          // only the processor's id is known.
          connector: filter.connectors ? { in: filter.connectors } : undefined,
          id: filter.beforeId ? { lt: filter.beforeId } : undefined,
        },
        orderBy: { id: 'desc' },
        take: filter.limit,
      });
      return rows.map(toMapping);
    });
  }
}
