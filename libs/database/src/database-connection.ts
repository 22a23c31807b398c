import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AppConfig, DatabaseProvider } from '@app/common/config/app-config';
import type { AppLogger } from '@app/common/logging/logger';
import { loadMigrations, type Migration, type MigrationReport } from './migrations';
import type { SqlDriver } from './sql-driver';

export class DatabaseStartupError extends Error {
  constructor(description: string, cause: unknown) {
    super(`Cannot start on the database at ${description}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseStartupError';
  }
}

export interface MigrationStatus {
  /** Shipped with this build but not recorded as applied. */
  pending: string[];
  /** Applied with a different checksum than the file shipped (edited after it was applied). */
  changed: string[];
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

const CLOSE_TIMEOUT_MS = 3_000;

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

/**
 * The connection to the service's database, one implementation per backend (SqliteConnection,
 * PostgresConnection; chosen in database-backends.ts). It applies the shipped migrations, then
 * connects: a failure stops the boot. Statements go through `driver`, prepared on the database's
 * own driver; Prisma's client, which the backend's stores hold, serves operator actions.
 */
export abstract class DatabaseConnection implements OnModuleInit, OnModuleDestroy {
  abstract readonly provider: DatabaseProvider;
  abstract readonly driver: SqlDriver;
  private shipped?: Migration[];

  protected constructor(
    protected readonly config: AppConfig,
    protected readonly logger: AppLogger,
  ) {}

  protected abstract migrate(migrations: Migration[]): Promise<MigrationReport>;
  /** Opens what `migrate` did not (Prisma's client, pools); closes it again in `disconnect`. */
  protected abstract connect(): Promise<void>;
  protected abstract disconnect(): Promise<void>;
  /** The PostgreSQL pool's counts, for metrics; undefined on SQLite (one embedded connection). */
  abstract poolStats(): PoolStats | undefined;

  get shippedMigrations(): Migration[] {
    return (this.shipped ??= loadMigrations(this.provider));
  }

  async onModuleInit(): Promise<void> {
    const description = describeDatabaseUrl(this.config.databaseUrl);
    try {
      const report = await this.migrate(this.shippedMigrations);
      await this.connect();
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
    const query = this.driver.query('SELECT 1', []).then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The migrations of this build against `schema_migrations`. */
  async migrationStatus(): Promise<MigrationStatus> {
    const rows = await this.driver.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations', []);
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    return {
      pending: this.shippedMigrations.filter((migration) => !applied.has(migration.name)).map((migration) => migration.name),
      changed: this.shippedMigrations.filter((migration) => applied.has(migration.name) && applied.get(migration.name) !== migration.checksum).map((migration) => migration.name),
    };
  }

  /**
   * Bounded: a query still running when the grace period ran out holds its pool client, and
   * closing would wait for it forever — the process must exit anyway.
   */
  async onModuleDestroy(): Promise<void> {
    const closed = (async () => {
      await this.driver.close();
      await this.disconnect();
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)));
    if ((await Promise.race([closed, deadline])) === 'timeout') {
      this.logger.warn({ timeout_ms: CLOSE_TIMEOUT_MS }, 'database connections still busy at shutdown: closing without them');
    }
    clearTimeout(timer);
  }
}
