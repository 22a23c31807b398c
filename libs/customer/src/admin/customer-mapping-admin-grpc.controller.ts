import type { Metadata } from '@grpc/grpc-js';
import { Controller, UseGuards } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import { grpcHeaderReader, tenantScopeFrom } from '@app/common/context/request-headers';
import { GrpcCall, sendResponseMetadata, type UnaryCall } from '../grpc/grpc-call.decorator';
import { AdminTokenGuard } from './admin-token.guard';
import { GetCustomerMappingDto, ListCustomerMappingsQueryDto, ResolveCustomerMappingRequestDto } from './customer-mapping-query.dto';
import { CustomerMappingAdminService, type CustomerMappingPage, type CustomerMappingView } from './customer-mapping-admin.service';

/** `connector_service.admin.v1.CustomerMappingAdminService`. */
@Controller()
@UseGuards(AdminTokenGuard)
export class CustomerMappingAdminGrpcController {
  constructor(private readonly admin: CustomerMappingAdminService) {}

  @GrpcMethod('CustomerMappingAdminService', 'ListCustomerMappings')
  async list(@Payload() query: ListCustomerMappingsQueryDto, @Ctx() metadata: Metadata, @GrpcCall() call: UnaryCall): Promise<CustomerMappingPage> {
    const page = await this.admin.list(tenantScopeFrom(grpcHeaderReader(metadata)).tenantId, query);
    sendResponseMetadata(call);
    return page;
  }

  @GrpcMethod('CustomerMappingAdminService', 'GetCustomerMapping')
  async get(@Payload() request: GetCustomerMappingDto, @Ctx() metadata: Metadata, @GrpcCall() call: UnaryCall): Promise<CustomerMappingView> {
    const mapping = await this.admin.get(tenantScopeFrom(grpcHeaderReader(metadata)).tenantId, request.id);
    sendResponseMetadata(call);
    return mapping;
  }

  @GrpcMethod('CustomerMappingAdminService', 'ResolveCustomerMapping')
  async resolve(@Payload() request: ResolveCustomerMappingRequestDto, @Ctx() metadata: Metadata, @GrpcCall() call: UnaryCall): Promise<CustomerMappingView> {
    const mapping = await this.admin.resolve(tenantScopeFrom(grpcHeaderReader(metadata)).tenantId, request.id, request.connector_customer_id);
    sendResponseMetadata(call);
    return mapping;
  }

  @GrpcMethod('CustomerMappingAdminService', 'ReleaseCustomerMapping')
  async release(@Payload() request: GetCustomerMappingDto, @Ctx() metadata: Metadata, @GrpcCall() call: UnaryCall): Promise<CustomerMappingView> {
    const mapping = await this.admin.release(tenantScopeFrom(grpcHeaderReader(metadata)).tenantId, request.id);
    sendResponseMetadata(call);
    return mapping;
  }
}
