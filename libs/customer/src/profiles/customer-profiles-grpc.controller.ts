import { Controller, UseGuards } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { TenantScope } from '@app/common/context/request-headers';
import type { CallerKey } from '../callers/caller-keys';
import { Caller, CallerGuard, RequiresScope } from '../edge/caller-guard';
import { IdempotencyKey, Scope } from '../edge/connector-selections';
import { GrpcCall, sendResponseMetadata, type UnaryCall } from '../grpc/grpc-call.decorator';
import { CustomerProfiles } from './customer-profiles.use-cases';
import { CreateProfilesRequestDto, EraseProfilesRequestDto, GetOperationRequestDto, ListOperationsRequestDto, ListProfilesRequestDto, UpdateProfilesRequestDto } from './profiles.dto';
import { customerRef, toCreateProfilesCommand, toEraseProfilesCommand, toOperationResponse, toProfilesResponse, toUpdateProfilesCommand, type OperationResponse, type ProfilesResponse } from './profiles.mapper';

/** `connector_service.customer.v1.CustomerProfilesService`. */
@Controller()
@UseGuards(CallerGuard)
export class CustomerProfilesGrpcController {
  constructor(private readonly profiles: CustomerProfiles) {}

  @GrpcMethod('CustomerProfilesService', 'ListProfiles')
  @RequiresScope('customers:read')
  async list(@Payload() request: ListProfilesRequestDto, @Scope() scope: TenantScope, @Caller() caller: CallerKey | undefined, @GrpcCall() call: UnaryCall): Promise<ProfilesResponse> {
    const ref = customerRef(scope, request, undefined, caller);
    const profiles = await this.profiles.list(ref, request.live ?? false);
    sendResponseMetadata(call);
    return toProfilesResponse(ref, profiles);
  }

  @GrpcMethod('CustomerProfilesService', 'CreateProfiles')
  @RequiresScope('customers:create')
  async create(@Payload() request: CreateProfilesRequestDto, @Scope() scope: TenantScope, @IdempotencyKey() key: string | undefined, @Caller() caller: CallerKey | undefined, @GrpcCall() call: UnaryCall): Promise<OperationResponse> {
    const ref = customerRef(scope, request, undefined, caller);
    const operation = await this.profiles.start(toCreateProfilesCommand(ref, request, key));
    sendResponseMetadata(call);
    return toOperationResponse(ref, operation);
  }

  @GrpcMethod('CustomerProfilesService', 'UpdateProfiles')
  @RequiresScope('customers:update')
  async update(@Payload() request: UpdateProfilesRequestDto, @Scope() scope: TenantScope, @IdempotencyKey() key: string | undefined, @Caller() caller: CallerKey | undefined, @GrpcCall() call: UnaryCall): Promise<OperationResponse> {
    const ref = customerRef(scope, request, undefined, caller);
    const operation = await this.profiles.start(toUpdateProfilesCommand(ref, request, key));
    sendResponseMetadata(call);
    return toOperationResponse(ref, operation);
  }

  @GrpcMethod('CustomerProfilesService', 'EraseProfiles')
  @RequiresScope('customers:delete')
  async erase(@Payload() request: EraseProfilesRequestDto, @Scope() scope: TenantScope, @IdempotencyKey() key: string | undefined, @Caller() caller: CallerKey | undefined, @GrpcCall() call: UnaryCall): Promise<OperationResponse> {
    const ref = customerRef(scope, request, undefined, caller);
    const operation = await this.profiles.start(toEraseProfilesCommand(ref, key));
    sendResponseMetadata(call);
    return toOperationResponse(ref, operation);
  }

  @GrpcMethod('CustomerProfilesService', 'GetOperation')
  @RequiresScope('customers:read')
  async operation(@Payload() request: GetOperationRequestDto, @Scope() scope: TenantScope, @Caller() caller: CallerKey | undefined, @GrpcCall() call: UnaryCall): Promise<OperationResponse> {
    const ref = customerRef(scope, request, undefined, caller);
    const view = await this.profiles.operation(ref, request.operation_id);
    sendResponseMetadata(call);
    return toOperationResponse(ref, view);
  }

  @GrpcMethod('CustomerProfilesService', 'ListOperations')
  @RequiresScope('customers:read')
  async operations(@Payload() request: ListOperationsRequestDto, @Scope() scope: TenantScope, @Caller() caller: CallerKey | undefined, @GrpcCall() call: UnaryCall): Promise<{ operations: OperationResponse[] }> {
    const ref = customerRef(scope, request, undefined, caller);
    const views = await this.profiles.operationsOf(ref, request.limit ?? 10);
    sendResponseMetadata(call);
    return { operations: views.map((view) => toOperationResponse(ref, view)) };
  }
}
