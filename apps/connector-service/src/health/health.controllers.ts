import { Controller, Get, Res } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { DomainError } from '@app/common/errors/domain-error';
import { ErrorReason } from '@app/common/errors/error-reason';
import { DatabaseHealthService } from './database-health.service';
import { PrismHealthDto } from './health.dto';

/** Services whose health can be asked by name; '' is the whole server (the standard's convention). */
export const HEALTH_SERVICE_NAMES = new Set(['', 'types.CustomerService', 'connector_service.admin.v1.CustomerMappingAdminService']);

/** `GET /health`: Prism's body when healthy; 503 while the database does not answer. */
@ApiTags('operations')
@Controller('health')
export class HealthHttpController {
  constructor(private readonly health: DatabaseHealthService) {}

  @Get()
  @ApiOperation({ summary: 'Health, Prism-compatible', description: 'Healthy while the database answers and no shutdown has begun.' })
  @ApiOkResponse({ type: PrismHealthDto, example: { status: 'healthy', service: 'connector-service' } })
  @ApiServiceUnavailableResponse({ type: PrismHealthDto, example: { status: 'unhealthy', service: 'connector-service' } })
  async check(@Res({ passthrough: true }) response: Response): Promise<{ status: string; service: string }> {
    const serving = (await this.health.check()) === 'SERVING';
    response.status(serving ? 200 : 503);
    return { status: serving ? 'healthy' : 'unhealthy', service: 'connector-service' };
  }
}

interface HealthCheckRequest {
  service?: string;
}

function knownService(request: HealthCheckRequest): void {
  if (!HEALTH_SERVICE_NAMES.has(request.service ?? '')) {
    throw new DomainError(ErrorReason.UnknownService, `Unknown service "${request.service}"`);
  }
}

/**
 * The standard `grpc.health.v1.Health` (Check and Watch). Every service here depends on the
 * same database, so they share one status.
 */
@Controller()
export class HealthGrpcController {
  constructor(private readonly health: DatabaseHealthService) {}

  @GrpcMethod('Health', 'Check')
  async check(@Payload() request: HealthCheckRequest): Promise<{ status: string }> {
    knownService(request);
    return { status: await this.health.check() };
  }

  @GrpcMethod('Health', 'Watch')
  watch(@Payload() request: HealthCheckRequest): Observable<{ status: string }> {
    knownService(request);
    return this.health.watch().pipe(map((status) => ({ status })));
  }
}
