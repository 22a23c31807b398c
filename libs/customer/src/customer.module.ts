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
import { CustomerOverviewAdminHttpController } from './admin/customer-overview-admin-http.controller';
import { CreateCustomer } from './create-customer/create-customer.use-case';
import { DeleteCustomer } from './delete-customer/delete-customer.use-case';
import { CustomerLocator } from './existing-customer/customer-locator';
import { GetCustomer } from './get-customer/get-customer.use-case';
import { UpdateCustomer } from './update-customer/update-customer.use-case';
import { UnansweredAttempt } from './create-customer/unanswered-attempt';
import { ConnectorSelectionGuard } from './edge/connector-selections';
import { CustomerGrpcController } from './grpc/customer-grpc.controller';
import { CustomerHttpController } from './http/customer-http.controller';
import { AccountScope } from './mapping/account-scope';
import { ActiveMappings } from './mapping/active-mappings';
import { KeyedDigests } from './mapping/keyed-digests';
import { MappingScopeService } from './mapping/mapping-scope.service';
import { CustomerProfiles } from './profiles/customer-profiles.use-cases';
import { CustomerProfilesGrpcController } from './profiles/customer-profiles-grpc.controller';
import { CustomerProfilesHttpController } from './profiles/customer-profiles-http.controller';
import { NamedAccounts } from './profiles/named-accounts';
import { OperationRunner } from './profiles/operation-runner';
import { ReservationProtocol } from './reservation/reservation-protocol';

@Module({
  imports: [ConnectorsModule, DatabaseModule.forRoot()],
  controllers: [CustomerHttpController, CustomerGrpcController, CustomerProfilesHttpController, CustomerProfilesGrpcController, CustomerMappingAdminHttpController, CustomerMappingAdminGrpcController, CustomerOverviewAdminHttpController],
  providers: [
    CustomerProfiles, NamedAccounts, OperationRunner, CreateCustomer, GetCustomer, UpdateCustomer, DeleteCustomer, CustomerLocator, UnansweredAttempt, ReservationProtocol,
    MappingScopeService, AccountScope, KeyedDigests, ActiveMappings, ConnectorSelectionGuard, CustomerMappingAdminService, AdminTokenGuard, AdminSessions, CallerKeysService, CallerLimits, CallerGuard, AuditLog,
  ],
  exports: [CreateCustomer, CallerKeysService, AuditLog, AdminTokenGuard, AdminSessions],
})
export class CustomerModule {}
