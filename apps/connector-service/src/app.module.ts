import { Module, type DynamicModule } from '@nestjs/common';
import { CustomerModule } from '@app/customer/customer.module';
import { DatabaseModule } from '@app/database/database.module';
import { AdminPageModule } from './admin-page/admin-page.module';
import { CoreModule, type CoreModuleOptions } from './core.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';

@Module({})
export class AppModule {
  static forRoot(options: CoreModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(options), DatabaseModule.forRoot(), ObservabilityModule, CustomerModule, HealthModule, AdminPageModule],
    };
  }
}
