import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@app/connectors/connectors.module';
import { CustomerModule } from '@app/customer/customer.module';
import { AdminPageController } from './admin-page.controller';

@Module({ imports: [ConnectorsModule, CustomerModule], controllers: [AdminPageController] })
export class AdminPageModule {}
