import { Global, Module } from '@nestjs/common';
import { ConnectorsModule } from '@app/connectors/connectors.module';
import { PROCESSOR_CALL_OBSERVER } from '@app/connectors/http/processor-call-observer';
import { DatabaseModule } from '@app/database/database.module';
import { createMetricsRegistry, METRICS_REGISTRY, RequestMetrics, StateMetrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** Metrics (GET /metrics) and the processor-call observer the outbound HTTP client reports to. */
@Global()
@Module({
  imports: [ConnectorsModule, DatabaseModule.forRoot()],
  controllers: [MetricsController],
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    RequestMetrics,
    { provide: PROCESSOR_CALL_OBSERVER, useExisting: RequestMetrics },
    StateMetrics,
  ],
  exports: [METRICS_REGISTRY, RequestMetrics, PROCESSOR_CALL_OBSERVER],
})
export class ObservabilityModule {}
