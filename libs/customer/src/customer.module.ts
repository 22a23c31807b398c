import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@app/connectors/connectors.module';
import { AdminTokenGuard } from './admin/admin-token.guard';
import { CustomerMappingAdminGrpcController } from './admin/customer-mapping-admin-grpc.controller';
import { CustomerMappingAdminHttpController } from './admin/customer-mapping-admin-http.controller';
import { CustomerMappingAdminService } from './admin/customer-mapping-admin.service';
import { CustomerService } from './customer.service';
import { CustomerRequestMapper } from './customer-request.mapper';
import { CustomerGrpcController } from './grpc/customer-grpc.controller';
import { CustomerHttpController } from './http/customer-http.controller';
import { CustomerMappingRepository } from './mapping/customer-mapping.repository';
import { MappingScopeService } from './mapping/mapping-scope.service';

@Module({
  imports: [ConnectorsModule],
  controllers: [CustomerHttpController, CustomerGrpcController, CustomerMappingAdminHttpController, CustomerMappingAdminGrpcController],
  providers: [CustomerService, CustomerRequestMapper, CustomerMappingRepository, MappingScopeService, CustomerMappingAdminService, AdminTokenGuard],
  exports: [CustomerService],
})
export class CustomerModule {}
