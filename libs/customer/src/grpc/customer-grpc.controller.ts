import { Controller, UseGuards } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { CreateCustomer } from '../create-customer/create-customer.use-case';
import { createOutcomeHeaders, toCreateCustomerCommand, toCreateCustomerResponse, type CreateCustomerResponse } from '../customer-request.mapper';
import { CreateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { ConnectorSelectionGuard, Scope, Selections } from '../edge/connector-selections';
import { GrpcCall, sendResponseMetadata, type UnaryCall } from './grpc-call.decorator';

/** `types.CustomerService`, wire-compatible with Prism. */
@Controller()
@UseGuards(ConnectorSelectionGuard)
export class CustomerGrpcController {
  constructor(private readonly createCustomer: CreateCustomer) {}

  @GrpcMethod('CustomerService', 'Create')
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
}
