import { Module, type DynamicModule } from '@nestjs/common';
import { CustomerModule } from '@app/customer/customer.module';
import { DatabaseModule } from '@app/database/database.module';
import { CoreModule, type CoreModuleOptions } from './core.module';
import { DatabaseHealthService } from './health/database-health.service';
import { HealthGrpcController, HealthHttpController } from './health/health.controllers';
import { ObservabilityModule } from './observability/observability.module';

@Module({})
export class AppModule {
  static forRoot(options: CoreModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(options), DatabaseModule, ObservabilityModule, CustomerModule],
      controllers: [HealthHttpController, HealthGrpcController],
      providers: [DatabaseHealthService],
    };
  }
}
