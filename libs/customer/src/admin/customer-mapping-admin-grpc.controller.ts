import { Controller, UseGuards } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { GrpcCall, sendResponseMetadata, type UnaryCall } from '../grpc/grpc-call.decorator';
import { Admin, AdminTokenGuard, type AdminScope } from './admin-token.guard';
import { GetCustomerMappingDto, ListCustomerMappingsQueryDto, ResolveCustomerMappingRequestDto } from './customer-mapping-query.dto';
import { CustomerMappingAdminService, type CustomerMappingPage, type CustomerMappingView } from './customer-mapping-admin.service';

/** `connector_service.admin.v1.CustomerMappingAdminService`. */
@Controller()
@UseGuards(AdminTokenGuard)
export class CustomerMappingAdminGrpcController {
  constructor(private readonly admin: CustomerMappingAdminService) {}

  @GrpcMethod('CustomerMappingAdminService', 'ListCustomerMappings')
  async list(@Payload() query: ListCustomerMappingsQueryDto, @Admin() admin: AdminScope, @GrpcCall() call: UnaryCall): Promise<CustomerMappingPage> {
    const page = await this.admin.list(admin.tenantId, query);
    sendResponseMetadata(call);
    return page;
  }

  @GrpcMethod('CustomerMappingAdminService', 'GetCustomerMapping')
  async get(@Payload() request: GetCustomerMappingDto, @Admin() admin: AdminScope, @GrpcCall() call: UnaryCall): Promise<CustomerMappingView> {
    const mapping = await this.admin.get(admin.tenantId, request.id);
    sendResponseMetadata(call);
    return mapping;
  }

  @GrpcMethod('CustomerMappingAdminService', 'ResolveCustomerMapping')
  async resolve(@Payload() request: ResolveCustomerMappingRequestDto, @Admin() admin: AdminScope, @GrpcCall() call: UnaryCall): Promise<CustomerMappingView> {
    const mapping = await this.admin.resolve(admin, request.id, request.connector_customer_id);
    sendResponseMetadata(call);
    return mapping;
  }

  @GrpcMethod('CustomerMappingAdminService', 'ReleaseCustomerMapping')
  async release(@Payload() request: GetCustomerMappingDto, @Admin() admin: AdminScope, @GrpcCall() call: UnaryCall): Promise<CustomerMappingView> {
    const mapping = await this.admin.release(admin, request.id);
    sendResponseMetadata(call);
    return mapping;
  }
}
