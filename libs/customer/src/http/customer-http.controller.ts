import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { httpHeaderReader } from '@app/common/context/request-headers';
import { CustomerService } from '../customer.service';
import { CustomerRequestMapper, type CreateCustomerResponse } from '../customer-request.mapper';
import { CreateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { ApiCreateCustomer } from './customer-http.openapi';

export const REPLAYED_HEADER = 'x-idempotent-replayed';

@Controller()
export class CustomerHttpController {
  constructor(
    private readonly customers: CustomerService,
    private readonly mapper: CustomerRequestMapper,
  ) {}

  /** 201 when this call created the customer, 200 with the same body when it already existed. */
  @Post('v1/customers')
  @ApiCreateCustomer()
  async create(@Body() body: CreateCustomerRequestDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<CreateCustomerResponse> {
    const result = await this.customers.create(this.mapper.toCommand(body, httpHeaderReader(request)));
    response.status(result.created ? 201 : 200).setHeader(REPLAYED_HEADER, String(!result.created));
    return this.mapper.toResponse(result);
  }

  /** Prism's HTTP route: same behaviour, always 200 on success. */
  @Post('payments/create_connector_customer')
  @HttpCode(200)
  @ApiCreateCustomer(true)
  async createPrismRoute(@Body() body: CreateCustomerRequestDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<CreateCustomerResponse> {
    const result = await this.customers.create(this.mapper.toCommand(body, httpHeaderReader(request)));
    response.setHeader(REPLAYED_HEADER, String(!result.created));
    return this.mapper.toResponse(result);
  }
}
