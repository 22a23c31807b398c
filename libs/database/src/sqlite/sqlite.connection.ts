import { Inject, Injectable } from '@nestjs/common';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { DatabaseConnection, type PoolStats } from '../database-connection';
import { PrismaClient } from '../generated/sqlite/client';
import type { Migration, MigrationReport } from '../migrations';
import type { SqlDriver, SqlParam } from '../sql-driver';
import { SqliteDriver } from './sqlite.driver';
import { applySqliteMigrations, sqliteFilePath } from './sqlite.migrator';

/** better-sqlite3 waits this long on a locked file instead of failing at once. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Opens its connection on first use: the file must exist and be migrated first (onModuleInit). */
class LazySqliteDriver implements SqlDriver {
  private driver?: SqliteDriver;

  constructor(private readonly file: string) {}

  private get open(): SqliteDriver {
    return (this.driver ??= new SqliteDriver(this.file, SQLITE_BUSY_TIMEOUT_MS));
  }

  query<T>(sql: string, params: SqlParam[]): Promise<T[]> {
    return this.open.query<T>(sql, params);
  }

  execute(sql: string, params: SqlParam[]): Promise<number> {
    return this.open.execute(sql, params);
  }

  executeAll(statements: readonly [sql: string, params: SqlParam[]][]): Promise<void> {
    return this.open.executeAll(statements);
  }

  async close(): Promise<void> {
    await this.driver?.close();
  }
}

/** The embedded default: one file, one process (WAL lets readers run beside the writer). */
@Injectable()
export class SqliteConnection extends DatabaseConnection {
  readonly provider = 'sqlite' as const;
  readonly driver: SqlDriver;
  readonly client: PrismaClient;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(APP_LOGGER) logger: AppLogger) {
    super(config, logger);
    const file = sqliteFilePath(config.databaseUrl);
    this.client = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
    this.driver = new LazySqliteDriver(file);
  }

  protected async migrate(migrations: Migration[]): Promise<MigrationReport> {
    return applySqliteMigrations(this.config.databaseUrl, migrations);
  }

  protected async connect(): Promise<void> {
    await this.client.$connect();
    await this.client.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  }

  protected async disconnect(): Promise<void> {
    await this.client.$disconnect();
  }

  poolStats(): PoolStats | undefined {
    return undefined;
  }
}
