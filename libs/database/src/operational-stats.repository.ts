import { Inject, Injectable } from '@nestjs/common';
import { DatabaseConnection, type MigrationStatus, type PoolStats } from './database-connection';
import { CUSTOMER_MAPPING_STORE, type CustomerMappingStore } from './mappings/customer-mapping.store';
import { CUSTOMER_OPERATION_STORE, type CustomerOperationStore } from './operations/customer-operation.store';

export type { MigrationStatus } from './database-connection';

/** Read-only figures about the database for health and metrics; cheap enough to run per probe or scrape. */
@Injectable()
export class OperationalStatsRepository {
  constructor(
    private readonly connection: DatabaseConnection,
    @Inject(CUSTOMER_MAPPING_STORE) private readonly mappings: CustomerMappingStore,
    @Inject(CUSTOMER_OPERATION_STORE) private readonly operations: CustomerOperationStore,
  ) {}

  /** Pending reservations per connector (served by the (status, connector) index). */
  pendingReservationsByConnector(): Promise<Map<string, number>> {
    return this.mappings.pendingByConnector();
  }

  /** Steps of fan-out operations not yet ended, per connector (served by the (status, next_attempt_at) index). */
  pendingOperationStepsByConnector(): Promise<Map<string, { pending: number; retrying: number }>> {
    return this.operations.pendingStepsByConnector();
  }

  migrationStatus(): Promise<MigrationStatus> {
    return this.connection.migrationStatus();
  }

  get shippedMigrations(): number {
    return this.connection.shippedMigrations.length;
  }

  poolStats(): PoolStats | undefined {
    return this.connection.poolStats();
  }
}
