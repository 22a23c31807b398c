import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ConnectorRegistry } from '@app/connectors/connector-registry';
import { ADMIN_PAGE_CSP, renderAdminPage } from './admin-page';

@ApiTags('admin')
@Controller('admin')
export class AdminPageController {
  private readonly html: string;

  constructor(registry: ConnectorRegistry) {
    this.html = renderAdminPage(registry.names());
  }

  @Get()
  @ApiOperation({
    summary: 'Admin page: look up and page through mappings in a browser',
    description: 'Plain HTML and a little JavaScript calling the admin API with the token typed into the page (never stored). Needs ADMIN_API_TOKEN to be set to be useful.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } })
  page(@Res({ passthrough: true }) response: Response): string {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.setHeader('content-security-policy', ADMIN_PAGE_CSP);
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('x-frame-options', 'DENY');
    response.setHeader('referrer-policy', 'no-referrer');
    return this.html;
  }
}
