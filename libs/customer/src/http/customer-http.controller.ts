import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { TenantScope } from '@app/common/context/request-headers';
import type { ConnectorSelection } from '@app/connectors/connector-selection';
import { CreateCustomer } from '../create-customer/create-customer.use-case';
import {
  createOutcomeHeaders,
  deleteOutcomeHeaders,
  toCreateCustomerCommand,
  toCreateCustomerResponse,
  toCreateCustomerRestResponse,
  toDeleteCustomerResponse,
  toExistingCustomerCommand,
  toGetCustomerResponse,
  toUpdateCustomerCommand,
  toUpdateCustomerResponse,
  updateOutcomeHeaders,
  type CreateCustomerResponse,
  type CreateCustomerRestResponse,
  type CustomerAnswer,
  type DeleteCustomerAnswer,
} from '../customer-request.mapper';
import { DeleteCustomer } from '../delete-customer/delete-customer.use-case';
import { CreateCustomerRequestDto, CustomerPathDto, DeleteCustomerRequestDto, GetCustomerRequestDto, UpdateCustomerRequestDto } from '../dto/create-customer-request.dto';
import { CallerGuard, RequiresScope } from '../edge/caller-guard';
import { ConnectorSelectionGuard, Scope, Selections } from '../edge/connector-selections';
import { GetCustomer } from '../get-customer/get-customer.use-case';
import { UpdateCustomer } from '../update-customer/update-customer.use-case';
import { ApiCreateCustomer, ApiDeleteCustomer, ApiGetCustomer, ApiUpdateCustomer } from './customer-http.openapi';

@Controller()
@UseGuards(CallerGuard, ConnectorSelectionGuard)
export class CustomerHttpController {
  constructor(
    private readonly createCustomer: CreateCustomer,
    private readonly getCustomer: GetCustomer,
    private readonly updateCustomer: UpdateCustomer,
    private readonly deleteCustomer: DeleteCustomer,
  ) {}

  /** 201 when this call created the customer, 200 with the same body when it already existed. */
  @Post('v1/customers')
  @RequiresScope('customers:create')
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
    response.set(createOutcomeHeaders(result));
    return toCreateCustomerResponse(result);
  }

  @Get('v1/customers/:merchant_customer_id')
  @RequiresScope('customers:read')
  @ApiGetCustomer()
  async get(@Param() path: CustomerPathDto, @Query() query: GetCustomerRequestDto, @Scope() scope: TenantScope, @Selections() selections: readonly ConnectorSelection[]): Promise<CustomerAnswer> {
    return toGetCustomerResponse(await this.getCustomer.execute(toExistingCustomerCommand(query, scope, selections, path.merchant_customer_id)));
  }

  @Patch('v1/customers/:merchant_customer_id')
  @RequiresScope('customers:update')
  @ApiUpdateCustomer()
  async update(
    @Param() path: CustomerPathDto,
    @Body() body: UpdateCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<CustomerAnswer> {
    const result = await this.updateCustomer.execute(toUpdateCustomerCommand(body, scope, selections, path.merchant_customer_id));
    response.set(updateOutcomeHeaders(result));
    return toUpdateCustomerResponse(result);
  }

  @Delete('v1/customers/:merchant_customer_id')
  @RequiresScope('customers:delete')
  @ApiDeleteCustomer()
  async delete(
    @Param() path: CustomerPathDto,
    @Query() query: DeleteCustomerRequestDto,
    @Scope() scope: TenantScope,
    @Selections() selections: readonly ConnectorSelection[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<DeleteCustomerAnswer> {
    const result = await this.deleteCustomer.execute(toExistingCustomerCommand(query, scope, selections, path.merchant_customer_id));
    response.set(deleteOutcomeHeaders(result));
    return toDeleteCustomerResponse(result);
  }
}
