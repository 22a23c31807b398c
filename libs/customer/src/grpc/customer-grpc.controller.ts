import type { Metadata } from '@grpc/grpc-js';
import { Controller, UseInterceptors } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import { GrpcRequestContextInterceptor } from '@app/common/context/request-context.interceptor';
import { grpcHeaderReader } from '@app/common/context/request-headers';
import { CustomerService } from '../customer.service';
import { CustomerRequestMapper, type CreateCustomerResponse } from '../customer-request.mapper';
import { CreateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { REPLAYED_HEADER } from '../http/customer-http.controller';
import { GrpcCall, sendResponseMetadata, type UnaryCall } from './grpc-call.decorator';

/** `types.CustomerService`, wire-compatible with Prism. */
@Controller()
@UseInterceptors(GrpcRequestContextInterceptor)
export class CustomerGrpcController {
  constructor(
    private readonly customers: CustomerService,
    private readonly mapper: CustomerRequestMapper,
  ) {}

  @GrpcMethod('CustomerService', 'Create')
  async create(@Payload() request: CreateCustomerRequestDto, @Ctx() metadata: Metadata, @GrpcCall() call: UnaryCall): Promise<CreateCustomerResponse> {
    const result = await this.customers.create(this.mapper.toCommand(request, grpcHeaderReader(metadata)));
    sendResponseMetadata(call, { [REPLAYED_HEADER]: String(!result.created) });
    return this.mapper.toResponse(result);
  }
}
