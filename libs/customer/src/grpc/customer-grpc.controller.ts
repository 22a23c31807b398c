import { Controller, UseGuards } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { CreateCustomer } from '../create-customer/create-customer.use-case';
import {
  createOutcomeHeaders,
  deleteOutcomeHeaders,
  toCreateCustomerCommand,
  toCreateCustomerResponse,
  toDeleteCustomerResponse,
  toExistingCustomerCommand,
  toGetCustomerResponse,
  toUpdateCustomerCommand,
  toUpdateCustomerResponse,
  updateOutcomeHeaders,
  type CreateCustomerResponse,
  type CustomerAnswer,
  type DeleteCustomerAnswer,
} from '../customer-request.mapper';
import { DeleteCustomer } from '../delete-customer/delete-customer.use-case';
import { CreateCustomerRequestDto, DeleteCustomerRequestDto, GetCustomerRequestDto, UpdateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { CallerGuard, RequiresScope } from '../edge/caller-guard';
import { ConnectorSelectionGuard, Scope, Selections } from '../edge/connector-selections';
import { GetCustomer } from '../get-customer/get-customer.use-case';
import { UpdateCustomer } from '../update-customer/update-customer.use-case';
import { GrpcCall, sendResponseMetadata, type UnaryCall } from './grpc-call.decorator';

/** `types.CustomerService`, wire-compatible with Prism: Create, and the Get, Update and Delete Prism defines. */
@Controller()
@UseGuards(CallerGuard, ConnectorSelectionGuard)
export class CustomerGrpcController {
  constructor(
    private readonly createCustomer: CreateCustomer,
    private readonly getCustomer: GetCustomer,
    private readonly updateCustomer: UpdateCustomer,
    private readonly deleteCustomer: DeleteCustomer,
  ) {}

  @GrpcMethod('CustomerService', 'Create')
  @RequiresScope('customers:create')
  async create(
    @Payload() request: CreateCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @GrpcCall() call: UnaryCall,
  ): Promise<CreateCustomerResponse> {
    const result = await this.createCustomer.execute(toCreateCustomerCommand(request, scope, selections));
    sendResponseMetadata(call, createOutcomeHeaders(result));
    return toCreateCustomerResponse(result);
  }

  @GrpcMethod('CustomerService', 'Get')
  @RequiresScope('customers:read')
  async get(@Payload() request: GetCustomerRequestDto, @Scope() scope: TenantScope, @Selections() selections: readonly ConnectorSelection[], @GrpcCall() call: UnaryCall): Promise<CustomerAnswer> {
    const result = await this.getCustomer.execute(toExistingCustomerCommand(request, scope, selections));
    sendResponseMetadata(call);
    return toGetCustomerResponse(result);
  }

  @GrpcMethod('CustomerService', 'Update')
  @RequiresScope('customers:update')
  async update(@Payload() request: UpdateCustomerRequestDto, @Scope() scope: TenantScope, @Selections() selections: readonly ConnectorSelection[], @GrpcCall() call: UnaryCall): Promise<CustomerAnswer> {
    const result = await this.updateCustomer.execute(toUpdateCustomerCommand(request, scope, selections));
    sendResponseMetadata(call, updateOutcomeHeaders(result));
    return toUpdateCustomerResponse(result);
  }

  @GrpcMethod('CustomerService', 'Delete')
  @RequiresScope('customers:delete')
  async delete(@Payload() request: DeleteCustomerRequestDto, @Scope() scope: TenantScope, @Selections() selections: readonly ConnectorSelection[], @GrpcCall() call: UnaryCall): Promise<DeleteCustomerAnswer> {
    const result = await this.deleteCustomer.execute(toExistingCustomerCommand(request, scope, selections));
    sendResponseMetadata(call, deleteOutcomeHeaders(result));
    return toDeleteCustomerResponse(result);
  }
}
