import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseModule } from '@app/database/database.module';
import { DatabaseHealthService } from './database-health.service';
import { HealthProbesController } from './health-probes.controller';
import { HealthGrpcController, HealthHttpController } from './health.controllers';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), DatabaseModule.forRoot()],
  controllers: [HealthHttpController, HealthProbesController, HealthGrpcController],
  providers: [DatabaseHealthService],
  exports: [DatabaseHealthService],
})
export class HealthModule {}
