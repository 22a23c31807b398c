import { Controller, Get, Param, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { httpHeaderReader, tenantScopeFrom } from '@app/common/context/request-headers';
import { AdminTokenGuard } from './admin-token.guard';
import { GetCustomerMappingDto, ListCustomerMappingsQueryDto } from './customer-mapping-query.dto';
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
}
