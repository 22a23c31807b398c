import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { ServiceSettingsRepository } from './service-settings.repository';

@Global()
@Module({
  providers: [PrismaService, ServiceSettingsRepository],
  exports: [PrismaService, ServiceSettingsRepository],
})
export class DatabaseModule {}
