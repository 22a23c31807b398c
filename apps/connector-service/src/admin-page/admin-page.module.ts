import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@app/connectors/connectors.module';
import { AdminPageController } from './admin-page.controller';

@Module({ imports: [ConnectorsModule], controllers: [AdminPageController] })
export class AdminPageModule {}
