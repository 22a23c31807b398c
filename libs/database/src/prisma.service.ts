import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { PrismaClient as PostgresPrismaClient } from './generated/postgres/client';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client';
import { applyMigrations, sqliteFilePath } from './migrator';
import { PostgresDriver, SqliteDriver, type SqlDriver, type SqlParam } from './sql-driver';

/**
 * Both generated clients expose the same model API (one shared model folder); repositories are
 * typed against the PostgreSQL one.
 */
export type DatabaseClient = PostgresPrismaClient;

export class DatabaseStartupError extends Error {
  constructor(description: string, cause: unknown) {
    super(`Cannot start on the database at ${description}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseStartupError';
  }
}

const CLOSE_TIMEOUT_MS = 3_000;
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

  async close(): Promise<void> {
    await this.driver?.close();
  }
}

/** A database URL safe to print: the password is removed. */
export function describeDatabaseUrl(databaseUrl: string): string {
  if (databaseUrl.startsWith('file:')) return databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'an unparseable PostgreSQL URL';
  }
}

/** Owns the connection: applies migrations, then connects (a failure stops the boot). */
@Injectable()
export class PrismaService implements OnModuleInit, OnModuleDestroy {
  readonly client: DatabaseClient;
  /** Prepared statements on the request path (see SqlDriver); Prisma for everything else. */
  readonly driver: SqlDriver;
  private readonly pool?: Pool;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    if (config.databaseProvider === 'sqlite') {
      const adapter = new PrismaBetterSQLite3({ url: `file:${sqliteFilePath(config.databaseUrl)}`, timeout: SQLITE_BUSY_TIMEOUT_MS });
      this.client = new SqlitePrismaClient({ adapter }) as unknown as DatabaseClient;
      this.driver = new LazySqliteDriver(sqliteFilePath(config.databaseUrl));
    } else {
      this.pool = new Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
      // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the process.
      this.pool.on('error', (error) => this.logger.warn({ err: { message: error.message } }, 'database connection lost'));
      this.client = new PostgresPrismaClient({ adapter: new PrismaPg(this.pool) });
      this.driver = new PostgresDriver(this.pool);
    }
  }

  get provider(): AppConfig['databaseProvider'] {
    return this.config.databaseProvider;
  }

  /** The PostgreSQL pool's counts, for metrics; undefined on SQLite (one embedded connection). */
  poolStats(): { total: number; idle: number; waiting: number } | undefined {
    return this.pool && { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async onModuleInit(): Promise<void> {
    const description = describeDatabaseUrl(this.config.databaseUrl);
    try {
      const report = await applyMigrations(this.config.databaseProvider, this.config.databaseUrl);
      await this.client.$connect();
      if (this.config.databaseProvider === 'sqlite') {
        await this.client.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
      }
      this.logger.info({ database: description, migrations_applied: report.applied }, 'database ready');
    } catch (error) {
      throw new DatabaseStartupError(description, error);
    }
  }

  /** One round trip; false when the database does not answer within `timeoutMs`. */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const query = this.client.$queryRawUnsafe('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Bounded: a query still running when the grace period ran out holds its pool client, and
   * pool.end() would wait for it forever — the process must exit anyway.
   */
  async onModuleDestroy(): Promise<void> {
    const closed = (async () => {
      await this.driver.close();
      await this.client.$disconnect();
      await this.pool?.end();
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
    if ((await Promise.race([closed, deadline])) === 'timeout') {
      this.logger.warn({ timeout_ms: CLOSE_TIMEOUT_MS }, 'database connections still busy at shutdown: closing without them');
    }
    clearTimeout(timer);
  }
}
