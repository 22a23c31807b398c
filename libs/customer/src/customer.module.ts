import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@app/connectors/connectors.module';
import { DatabaseModule } from '@app/database/database.module';
import { AdminSessions } from './admin/admin-session';
import { AdminTokenGuard } from './admin/admin-token.guard';
import { AuditLog } from './callers/audit-log';
import { CallerKeysService } from './callers/caller-keys.service';
import { CallerLimits } from './callers/caller-limits';
import { CallerGuard } from './edge/caller-guard';
import { CustomerMappingAdminGrpcController } from './admin/customer-mapping-admin-grpc.controller';
import { CustomerMappingAdminHttpController } from './admin/customer-mapping-admin-http.controller';
import { CustomerMappingAdminService } from './admin/customer-mapping-admin.service';
import { CreateCustomer } from './create-customer/create-customer.use-case';
import { UnansweredAttempt } from './create-customer/unanswered-attempt';
import { ConnectorSelectionGuard } from './edge/connector-selections';
import { CustomerGrpcController } from './grpc/customer-grpc.controller';
import { CustomerHttpController } from './http/customer-http.controller';
import { MappingScopeService } from './mapping/mapping-scope.service';
import { ReservationProtocol } from './reservation/reservation-protocol';

@Module({
  imports: [ConnectorsModule, DatabaseModule.forRoot()],
  controllers: [CustomerHttpController, CustomerGrpcController, CustomerMappingAdminHttpController, CustomerMappingAdminGrpcController],
  providers: [CreateCustomer, UnansweredAttempt, ReservationProtocol, MappingScopeService, ConnectorSelectionGuard, CustomerMappingAdminService, AdminTokenGuard, AdminSessions, CallerKeysService, CallerLimits, CallerGuard, AuditLog],
  exports: [CreateCustomer, CallerKeysService, AuditLog, AdminTokenGuard, AdminSessions],
})
export class CustomerModule {}
