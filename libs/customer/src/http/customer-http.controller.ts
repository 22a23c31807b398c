import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { CreateCustomer } from '../create-customer/create-customer.use-case';
import { createOutcomeHeaders, toCreateCustomerCommand, toCreateCustomerResponse, toCreateCustomerRestResponse, type CreateCustomerResponse, type CreateCustomerRestResponse } from '../customer-request.mapper';
import { CreateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { ConnectorSelectionGuard, Scope, Selections } from '../edge/connector-selections';
import { ApiCreateCustomer } from './customer-http.openapi';


@Controller()
@UseGuards(ConnectorSelectionGuard)
export class CustomerHttpController {
  constructor(private readonly createCustomer: CreateCustomer) {}

  /** 201 when this call created the customer, 200 with the same body when it already existed. */
  @Post('v1/customers')
  @ApiCreateCustomer()
  async create(
    @Body() body: CreateCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreateCustomerRestResponse> {
    const result = await this.createCustomer.execute(toCreateCustomerCommand(body, scope, selections));
    response.status(result.created ? 201 : 200).set(createOutcomeHeaders(result));
    return toCreateCustomerRestResponse(result);
  }

  /** Prism's HTTP route: same behaviour, always 200 on success. */
  @Post('payments/create_connector_customer')
  @HttpCode(200)
  @ApiCreateCustomer(true)
  async createPrismRoute(
    @Body() body: CreateCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreateCustomerResponse> {
    const result = await this.createCustomer.execute(toCreateCustomerCommand(body, scope, selections));
    response.set(createOutcomeHeaders(result));
    return toCreateCustomerResponse(result);
  }
}
