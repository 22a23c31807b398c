import { Injectable } from '@nestjs/common';
import { loadMigrations, type Migration } from './migrator';
import { PrismaService } from './prisma.service';

export interface MigrationStatus {
  /** Shipped with this build but not recorded as applied. */
  pending: string[];
  /** Applied with a different checksum than the file shipped (edited after it was applied). */
  changed: string[];
}

/** Read-only figures about the database for health and metrics; cheap enough to run per probe or scrape. */
@Injectable()
export class OperationalStatsRepository {
  private readonly shipped: Migration[];

  constructor(private readonly prisma: PrismaService) {
    this.shipped = loadMigrations(prisma.provider);
  }

  /** Pending reservations per connector (served by the (status, connector) index). */
  async pendingReservationsByConnector(): Promise<Map<string, number>> {
    const groups = await this.prisma.client.customerMapping.groupBy({ by: ['connector'], where: { status: 'pending' }, _count: { _all: true } });
    return new Map(groups.map((group) => [group.connector, group._count._all]));
  }

  /** The migrations of this build against `schema_migrations`. */
  async migrationStatus(): Promise<MigrationStatus> {
    const rows = await this.prisma.client.$queryRawUnsafe<{ name: string; checksum: string }[]>('SELECT name, checksum FROM schema_migrations');
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    return {
      pending: this.shipped.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name),
      changed: this.shipped.filter((migration) => applied.has(migration.name) && applied.get(migration.name) !== migration.checksum).map((migration) => migration.name),
    };
  }

  get shippedMigrations(): number {
    return this.shipped.length;
  }

  poolStats(): { total: number; idle: number; waiting: number } | undefined {
    return this.prisma.poolStats();
  }
}
