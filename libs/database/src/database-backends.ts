import type { Type } from '@nestjs/common';
import type { DatabaseProvider } from '@app/common/config/app-config';
import type { DatabaseConnection } from './database-connection';
import type { CustomerMappingStore } from './mappings/customer-mapping.store';
import type { Migration, MigrationReport } from './migrations';
import { loadMigrations } from './migrations';
import { PostgresCustomerMappingStore } from './postgres/postgres-customer-mapping.store';
import { PostgresConnection } from './postgres/postgres.connection';
import { applyPostgresMigrations } from './postgres/postgres.migrator';
import { SqliteCustomerMappingStore } from './sqlite/sqlite-customer-mapping.store';
import { SqliteConnection } from './sqlite/sqlite.connection';
import { applySqliteMigrations } from './sqlite/sqlite.migrator';

/** One database's implementations of the storage ports (the operation store is one for both: SqlCustomerOperationStore). */
export interface DatabaseBackend {
  connection: Type<DatabaseConnection>;
  mappings: Type<CustomerMappingStore>;
  migrate(databaseUrl: string, migrations: Migration[]): Promise<MigrationReport>;
}

/** The one place a database provider is turned into implementations. */
export const DATABASE_BACKENDS: Readonly<Record<DatabaseProvider, DatabaseBackend>> = {
  sqlite: { connection: SqliteConnection, mappings: SqliteCustomerMappingStore, migrate: async (url, migrations) => applySqliteMigrations(url, migrations) },
  postgres: { connection: PostgresConnection, mappings: PostgresCustomerMappingStore, migrate: applyPostgresMigrations },
};

/** Applies the shipped migrations of `provider` to `databaseUrl` (what each connection does at start). */
export function applyMigrations(provider: DatabaseProvider, databaseUrl: string): Promise<MigrationReport> {
  return DATABASE_BACKENDS[provider].migrate(databaseUrl, loadMigrations(provider));
}
