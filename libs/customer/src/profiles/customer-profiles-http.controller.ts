import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { TenantScope } from '@app/common/context/request-headers';
import { CustomerPathDto } from '../dto/create-customer-request.dto';
import { Caller, CallerGuard, RequiresScope } from '../edge/caller-guard';
import { IdempotencyKey, Scope } from '../edge/connector-selections';
import type { CallerKey } from '../callers/caller-keys';
import { CustomerProfiles } from './customer-profiles.use-cases';
import { ApiProfileOperation, ApiProfileOperations, ApiProfiles, ApiStartProfileOperation } from './customer-profiles.openapi';
import { CreateProfilesRequestDto, EraseProfilesRequestDto, ListOperationsRequestDto, ListProfilesRequestDto, OperationPathDto, UpdateProfilesRequestDto } from './profiles.dto';
import { customerRef, toCreateProfilesCommand, toEraseProfilesCommand, toOperationResponse, toProfilesResponse, toUpdateProfilesCommand, type OperationResponse, type ProfilesResponse } from './profiles.mapper';

/** `/v1/customers/{merchant_customer_id}/profiles…`: one customer, every processor. 200 once every step ended, 202 while some still run (poll the operation). */
@Controller('v1/customers/:merchant_customer_id/profiles')
@UseGuards(CallerGuard)
export class CustomerProfilesHttpController {
  constructor(private readonly profiles: CustomerProfiles) {}

  @Get()
  @RequiresScope('customers:read')
  @ApiProfiles()
  async list(@Param() path: CustomerPathDto, @Query() query: ListProfilesRequestDto, @Scope() scope: TenantScope, @Caller() caller: CallerKey | undefined): Promise<ProfilesResponse> {
    const ref = customerRef(scope, query, path.merchant_customer_id, caller);
    return toProfilesResponse(ref, await this.profiles.list(ref, query.live ?? false));
  }

  @Post()
  @RequiresScope('customers:create')
  @ApiStartProfileOperation('create')
  async create(@Param() path: CustomerPathDto, @Body() body: CreateProfilesRequestDto, @Scope() scope: TenantScope, @IdempotencyKey() key: string | undefined, @Caller() caller: CallerKey | undefined, @Res({ passthrough: true }) response: Response): Promise<OperationResponse> {
    const ref = customerRef(scope, body, path.merchant_customer_id, caller);
    return answered(response, toOperationResponse(ref, await this.profiles.start(toCreateProfilesCommand(ref, body, key))));
  }

  @Patch()
  @RequiresScope('customers:update')
  @ApiStartProfileOperation('update')
  async update(@Param() path: CustomerPathDto, @Body() body: UpdateProfilesRequestDto, @Scope() scope: TenantScope, @IdempotencyKey() key: string | undefined, @Caller() caller: CallerKey | undefined, @Res({ passthrough: true }) response: Response): Promise<OperationResponse> {
    const ref = customerRef(scope, body, path.merchant_customer_id, caller);
    return answered(response, toOperationResponse(ref, await this.profiles.start(toUpdateProfilesCommand(ref, body, key))));
  }

  @Delete()
  @RequiresScope('customers:delete')
  @ApiStartProfileOperation('erase')
  async erase(@Param() path: CustomerPathDto, @Query() query: EraseProfilesRequestDto, @Scope() scope: TenantScope, @IdempotencyKey() key: string | undefined, @Caller() caller: CallerKey | undefined, @Res({ passthrough: true }) response: Response): Promise<OperationResponse> {
    const ref = customerRef(scope, query, path.merchant_customer_id, caller);
    return answered(response, toOperationResponse(ref, await this.profiles.start(toEraseProfilesCommand(ref, key))));
  }

  @Get('operations')
  @RequiresScope('customers:read')
  @ApiProfileOperations()
  async operations(@Param() path: CustomerPathDto, @Query() query: ListOperationsRequestDto, @Scope() scope: TenantScope): Promise<{ operations: OperationResponse[] }> {
    const ref = customerRef(scope, query, path.merchant_customer_id);
    return { operations: (await this.profiles.operationsOf(ref, query.limit ?? 10)).map((view) => toOperationResponse(ref, view)) };
  }

  @Get('operations/:operation_id')
  @RequiresScope('customers:read')
  @ApiProfileOperation()
  async operation(@Param() path: OperationPathDto, @Scope() scope: TenantScope, @Res({ passthrough: true }) response: Response): Promise<OperationResponse> {
    const ref = customerRef(scope, {}, path.merchant_customer_id);
    return answered(response, toOperationResponse(ref, await this.profiles.operation(ref, path.operation_id)));
  }
}

function answered(response: Response, operation: OperationResponse): OperationResponse {
  response.status(operation.status === 'completed' ? 200 : 202);
  return operation;
}
