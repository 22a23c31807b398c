import { Global, Module } from '@nestjs/common';
import { ConnectorsModule } from '@app/connectors/connectors.module';
import { CustomerModule } from '@app/customer/customer.module';
import { PROCESSOR_CALL_OBSERVER } from '@app/connectors/http/processor-call-observer';
import { DatabaseModule } from '@app/database/database.module';
import { createMetricsRegistry, METRICS_REGISTRY, RequestMetrics, StateMetrics } from './metrics';

/** Metrics (served by bootstrap on METRICS_PORT) and the processor-call observer the outbound HTTP client reports to. */
@Global()
@Module({
  imports: [ConnectorsModule, CustomerModule, DatabaseModule.forRoot()],
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    RequestMetrics,
    { provide: PROCESSOR_CALL_OBSERVER, useExisting: RequestMetrics },
    StateMetrics,
  ],
  exports: [METRICS_REGISTRY, RequestMetrics, PROCESSOR_CALL_OBSERVER],
})
export class ObservabilityModule {}
