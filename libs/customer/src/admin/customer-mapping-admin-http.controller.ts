import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { httpHeaderReader, tenantScopeFrom } from '@app/common/context/request-headers';
import { AdminTokenGuard } from './admin-token.guard';
import { GetCustomerMappingDto, ListCustomerMappingsQueryDto, ResolveCustomerMappingDto } from './customer-mapping-query.dto';
import { CustomerMappingAdminService, type CustomerMappingPage, type CustomerMappingView } from './customer-mapping-admin.service';

@Controller('v1/admin/customer-mappings')
@UseGuards(AdminTokenGuard)
export class CustomerMappingAdminHttpController {
  constructor(private readonly admin: CustomerMappingAdminService) {}

  @Get()
  list(@Query() query: ListCustomerMappingsQueryDto, @Req() request: Request): Promise<CustomerMappingPage> {
    return this.admin.list(tenantScopeFrom(httpHeaderReader(request)).tenantId, query);
  }

  @Get(':id')
  get(@Param() params: GetCustomerMappingDto, @Req() request: Request): Promise<CustomerMappingView> {
    return this.admin.get(tenantScopeFrom(httpHeaderReader(request)).tenantId, params.id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  resolve(@Param() params: GetCustomerMappingDto, @Body() body: ResolveCustomerMappingDto, @Req() request: Request): Promise<CustomerMappingView> {
    return this.admin.resolve(tenantScopeFrom(httpHeaderReader(request)).tenantId, params.id, body.connector_customer_id);
  }

  @Post(':id/release')
  @HttpCode(200)
  release(@Param() params: GetCustomerMappingDto, @Req() request: Request): Promise<CustomerMappingView> {
    return this.admin.release(tenantScopeFrom(httpHeaderReader(request)).tenantId, params.id);
  }
}
