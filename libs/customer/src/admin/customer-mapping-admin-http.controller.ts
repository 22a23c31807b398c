import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@app/common/errors/domain-error';
import { ApiErrorResponses, SAMPLE_ERRORS } from '@app/common/errors/error-body.dto';
import { ErrorReason } from '@app/common/errors/error-reason';
import { Admin, AdminTokenGuard, type AdminScope } from './admin-token.guard';
import { GetCustomerMappingDto, ListCustomerMappingsQueryDto, ResolveCustomerMappingDto } from './customer-mapping-query.dto';
import { CustomerMappingAdminService, type CustomerMappingPage, type CustomerMappingView } from './customer-mapping-admin.service';
import { CustomerMappingPageDto, CustomerMappingViewDto } from './customer-mapping-view.dto';

const EXAMPLE_ID = '0190f0a4-5b6c-7d8e-9f01-23456789abcd';
const notFound = new DomainError(ErrorReason.MappingNotFound, `No customer mapping ${EXAMPLE_ID}`);
const notPending = new DomainError(ErrorReason.MappingNotPending, `Customer mapping ${EXAMPLE_ID} is active: only a pending mapping can be resolved or released`);

@ApiTags('admin')
@ApiBearerAuth('admin-token')
@ApiHeader({ name: 'authorization', required: true, description: 'Bearer ADMIN_API_TOKEN (every tenant), or Bearer <caller key> with the admin scope (its tenant only)', example: 'Bearer change-me-to-a-long-token' })
@ApiHeader({ name: 'x-tenant-id', required: false, description: 'Tenant whose mappings are shown (operator token); default public. With a caller key: its tenant, another is refused (403)', example: 'public' })
@ApiHeader({ name: 'x-request-id', required: false, description: 'Echoed in the response (generated when absent)' })
@ApiErrorResponses(SAMPLE_ERRORS.adminUnauthenticated, SAMPLE_ERRORS.adminDisabled, SAMPLE_ERRORS.callerForbidden, SAMPLE_ERRORS.databaseUnavailable, SAMPLE_ERRORS.internal)
@Controller('v1/admin/customer-mappings')
@UseGuards(AdminTokenGuard)
export class CustomerMappingAdminHttpController {
  constructor(private readonly admin: CustomerMappingAdminService) {}

  @Get()
  @ApiOperation({ summary: 'List mappings, newest first', description: 'Filter by merchant, merchant customer (every processor account at once), connector or processor customer id; page with next_cursor.' })
  @ApiOkResponse({ type: CustomerMappingPageDto })
  @ApiErrorResponses(DomainError.invalidField('limit', 'must be an integer from 1 to 100'), DomainError.invalidField('cursor', 'must be a next_cursor value from a previous page'))
  list(@Query() query: ListCustomerMappingsQueryDto, @Admin() admin: AdminScope): Promise<CustomerMappingPage> {
    return this.admin.list(admin.tenantId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One mapping by id' })
  @ApiOkResponse({ type: CustomerMappingViewDto })
  @ApiErrorResponses(DomainError.invalidField('id', 'must be a mapping id'), notFound)
  get(@Param() params: GetCustomerMappingDto, @Admin() admin: AdminScope): Promise<CustomerMappingView> {
    return this.admin.get(admin.tenantId, params.id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Settle a pending mapping: the customer exists at the processor',
    description: 'For an unanswered attempt at a processor that can neither replay nor be searched: the operator found the customer and records its id.',
  })
  @ApiOkResponse({ type: CustomerMappingViewDto, description: 'The mapping, now active' })
  @ApiErrorResponses(DomainError.invalidField('connector_customer_id', 'must be the processor customer id: 1 to 255 printable ASCII characters'), notFound, notPending)
  resolve(@Param() params: GetCustomerMappingDto, @Body() body: ResolveCustomerMappingDto, @Admin() admin: AdminScope): Promise<CustomerMappingView> {
    return this.admin.resolve(admin, params.id, body.connector_customer_id);
  }

  @Post(':id/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release a pending mapping: nothing was created, the next Create starts afresh' })
  @ApiOkResponse({ type: CustomerMappingViewDto, description: 'The mapping as it was before it was removed' })
  @ApiErrorResponses(notFound, notPending)
  release(@Param() params: GetCustomerMappingDto, @Admin() admin: AdminScope): Promise<CustomerMappingView> {
    return this.admin.release(admin, params.id);
  }
}
