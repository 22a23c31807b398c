import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics', description: 'Text exposition format 0.0.4. Every name starts with `connector_service_`; labels never hold merchant or customer ids.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The metrics',
    content: { 'text/plain': { schema: { type: 'string' }, example: 'connector_service_requests_total{transport="http",operation="POST /v1/customers",connector="stripe",outcome="created"} 1\n' } },
  })
  async metrics(@Res() response: Response): Promise<void> {
    const text = await this.registry.metrics();
    // Written as is: Express's send() would rewrite the content type's parameters.
    response.status(200).setHeader('content-type', this.registry.contentType);
    response.setHeader('cache-control', 'no-store');
    response.end(text);
  }
}
