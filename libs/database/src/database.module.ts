import { Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/common/config/app-config';
import { APP_LOGGER, type AppLogger } from '@app/common/logging/logger';
import { DATABASE_BACKENDS } from './database-backends';
import { DatabaseConnection } from './database-connection';
import { CUSTOMER_MAPPING_STORE } from './mappings/customer-mapping.store';
import { CUSTOMER_OPERATION_STORE } from './operations/customer-operation.store';
import { SqlCustomerOperationStore } from './operations/sql-customer-operation.store';
import { OperationalStatsRepository } from './operational-stats.repository';
import { ServiceSettingsRepository } from './service-settings.repository';

/**
 * The database the configuration names (DATABASE_URL), its connection and the stores behind their
 * ports. Modules that use storage import `DatabaseModule.forRoot()`; every import is the same
 * module (memoised: Nest 11 tells dynamic modules apart by reference), so there is one connection.
 */
@Module({})
export class DatabaseModule {
  private static root?: DynamicModule;

  static forRoot(): DynamicModule {
    return (this.root ??= {
      module: DatabaseModule,
      providers: [
        {
          provide: DatabaseConnection,
          inject: [APP_CONFIG, APP_LOGGER],
          useFactory: (config: AppConfig, logger: AppLogger) => new DATABASE_BACKENDS[config.databaseProvider].connection(config, logger),
        },
        {
          provide: CUSTOMER_MAPPING_STORE,
          inject: [DatabaseConnection],
          useFactory: (connection: DatabaseConnection) => new DATABASE_BACKENDS[connection.provider].mappings(connection),
        },
        {
          provide: CUSTOMER_OPERATION_STORE,
          inject: [DatabaseConnection],
          useFactory: (connection: DatabaseConnection) => new SqlCustomerOperationStore(connection.driver),
        },
        ServiceSettingsRepository,
        OperationalStatsRepository,
      ],
      exports: [DatabaseConnection, CUSTOMER_MAPPING_STORE, CUSTOMER_OPERATION_STORE, ServiceSettingsRepository, OperationalStatsRepository],
    });
  }
}
