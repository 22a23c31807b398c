import { Inject, Injectable } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { DatabaseConnection, type PoolStats } from '../database-connection';
import { PrismaClient } from '../generated/postgres/client';
import type { Migration, MigrationReport } from '../migrations';
import type { SqlDriver } from '../sql-driver';
import { PostgresDriver } from './postgres.driver';
import { applyPostgresMigrations } from './postgres.migrator';

/** The store for many instances: one pool shared by the prepared statements and Prisma. */
@Injectable()
export class PostgresConnection extends DatabaseConnection {
  readonly provider = 'postgres' as const;
  readonly driver: SqlDriver;
  readonly client: PrismaClient;
  private readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(APP_LOGGER) logger: AppLogger) {
    super(config, logger);
    this.pool = new Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
    // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the process.
    this.pool.on('error', (error) => this.logger.warn({ err: { message: error.message } }, 'database connection lost'));
    this.client = new PrismaClient({ adapter: new PrismaPg(this.pool) });
    this.driver = new PostgresDriver(this.pool);
  }

  protected migrate(migrations: Migration[]): Promise<MigrationReport> {
    return applyPostgresMigrations(this.config.databaseUrl, migrations);
  }

  protected async connect(): Promise<void> {
    await this.client.$connect();
  }

  protected async disconnect(): Promise<void> {
    await this.client.$disconnect();
    await this.pool.end();
  }

  poolStats(): PoolStats | undefined {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }
}
