import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsDefined, IsString, Matches } from 'class-validator';
import { DomainError } from '@app/common/errors/domain-error';
import { ApiErrorResponses, SAMPLE_ERRORS } from '@app/common/errors/error-body.dto';
import { CustomerPathDto } from '../dto/create-customer-request.dto';
import { CustomerProfiles } from '../profiles/customer-profiles.use-cases';
import { toOperationResponse, toProfilesResponse, type OperationResponse, type ProfilesResponse } from '../profiles/profiles.mapper';
import { Admin, AdminTokenGuard, type AdminScope } from './admin-token.guard';

/** Operations the overview shows, newest first. */
const RECENT_OPERATIONS = 20;

export class CustomerOverviewQueryDto {
  @ApiProperty({ example: 'acme', description: 'The merchant the customer belongs to' })
  @IsDefined({ message: 'is required' })
  @IsString({ message: 'must be a string' })
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'must be 1 to 255 printable ASCII characters without spaces' })
  merchant_id: string;
}

class CustomerOverviewDto {
  @ApiProperty() merchant_id: string;
  @ApiProperty() merchant_customer_id: string;
  @ApiProperty({ description: 'Every processor profile (as GET /v1/customers/{id}/profiles answers it; erased ones are gone)', type: 'array', items: { type: 'object' } }) profiles: unknown[];
  @ApiPropertyOptional({ description: `The customer's last ${RECENT_OPERATIONS} operations with every step (as GET …/profiles/operations answers them)`, type: 'array', items: { type: 'object' } }) operations: unknown[];
}

export interface CustomerOverview extends ProfilesResponse {
  merchant_id: string;
  operations: OperationResponse[];
}

/**
 * One merchant customer as an operator sees it: where it lives (every processor profile) and what
 * was done to it (its operations, step by step). Read from the database only: no processor is
 * called, so looking never sends anything anywhere.
 */
@ApiTags('admin')
@ApiBearerAuth('admin-token')
@ApiHeader({ name: 'authorization', required: true, description: 'Bearer ADMIN_API_TOKEN (every tenant), or Bearer <caller key> with the admin scope (its tenant only)' })
@ApiHeader({ name: 'x-tenant-id', required: false, description: 'Tenant (operator token); default public. With a caller key: its tenant, another is refused (403)', example: 'public' })
@ApiErrorResponses(SAMPLE_ERRORS.adminUnauthenticated, SAMPLE_ERRORS.adminDisabled, SAMPLE_ERRORS.callerForbidden, SAMPLE_ERRORS.databaseUnavailable, SAMPLE_ERRORS.internal)
@Controller('v1/admin/customers')
@UseGuards(AdminTokenGuard)
export class CustomerOverviewAdminHttpController {
  constructor(private readonly profiles: CustomerProfiles) {}

  @Get(':merchant_customer_id')
  @ApiOperation({ summary: "A merchant customer's processor profiles and operations", description: 'From the database only (no processor is asked).' })
  @ApiParam({ name: 'merchant_customer_id', example: 'user-42' })
  @ApiOkResponse({ type: CustomerOverviewDto })
  @ApiErrorResponses(DomainError.invalidField('merchant_id', 'is required'))
  async overview(@Param() path: CustomerPathDto, @Query() query: CustomerOverviewQueryDto, @Admin() admin: AdminScope): Promise<CustomerOverview> {
    const ref = { scope: { tenantId: admin.tenantId, merchantId: query.merchant_id }, merchantCustomerId: path.merchant_customer_id };
    const [profiles, operations] = await Promise.all([this.profiles.list(ref, false), this.profiles.operationsOf(ref, RECENT_OPERATIONS)]);
    return { merchant_id: query.merchant_id, ...toProfilesResponse(ref, profiles), operations: operations.map((view) => toOperationResponse(ref, view)) };
  }
}
