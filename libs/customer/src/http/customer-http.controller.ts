import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { CreateCustomer } from '../create-customer/create-customer.use-case';
import { toCreateCustomerCommand, toCreateCustomerResponse, type CreateCustomerResponse } from '../customer-request.mapper';
import { CreateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { CallerGuard, RequiresScope } from '../edge/caller-guard';
import { ConnectorSelectionGuard, Scope, Selections } from '../edge/connector-selections';
import { ApiCreateCustomer } from './customer-http.openapi';

export const REPLAYED_HEADER = 'x-idempotent-replayed';

@Controller()
@UseGuards(CallerGuard, ConnectorSelectionGuard)
export class CustomerHttpController {
  constructor(private readonly createCustomer: CreateCustomer) {}

  /** 201 when this call created the customer, 200 with the same body when it already existed. */
  @Post('v1/customers')
  @RequiresScope('customers:create')
  @ApiCreateCustomer()
  async create(
    @Body() body: CreateCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreateCustomerResponse> {
    const result = await this.createCustomer.execute(toCreateCustomerCommand(body, scope, selections));
    response.status(result.created ? 201 : 200).setHeader(REPLAYED_HEADER, String(!result.created));
    return toCreateCustomerResponse(result);
  }

  /** Prism's HTTP route: same behaviour, always 200 on success. */
  @Post('payments/create_connector_customer')
  @RequiresScope('customers:create')
  @HttpCode(200)
  @ApiCreateCustomer(true)
  async createPrismRoute(
    @Body() body: CreateCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<CreateCustomerResponse> {
    const result = await this.createCustomer.execute(toCreateCustomerCommand(body, scope, selections));
    response.setHeader(REPLAYED_HEADER, String(!result.created));
    return toCreateCustomerResponse(result);
  }
}
