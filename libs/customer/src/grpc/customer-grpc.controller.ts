import { Controller, UseGuards } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { CreateCustomer } from '../create-customer/create-customer.use-case';
import { toCreateCustomerCommand, toCreateCustomerResponse, type CreateCustomerResponse } from '../customer-request.mapper';
import { CreateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { CallerGuard, RequiresScope } from '../edge/caller-guard';
import { ConnectorSelectionGuard, Scope, Selections } from '../edge/connector-selections';
import { REPLAYED_HEADER } from '../http/customer-http.controller';
import { GrpcCall, sendResponseMetadata, type UnaryCall } from './grpc-call.decorator';

/** `types.CustomerService`, wire-compatible with Prism. */
@Controller()
@UseGuards(CallerGuard, ConnectorSelectionGuard)
export class CustomerGrpcController {
  constructor(private readonly createCustomer: CreateCustomer) {}

  @GrpcMethod('CustomerService', 'Create')
  @RequiresScope('customers:create')
  async create(
    @Payload() request: CreateCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @GrpcCall() call: UnaryCall,
  ): Promise<CreateCustomerResponse> {
    const result = await this.createCustomer.execute(toCreateCustomerCommand(request, scope, selections));
    sendResponseMetadata(call, { [REPLAYED_HEADER]: String(!result.created) });
    return toCreateCustomerResponse(result);
  }
}
