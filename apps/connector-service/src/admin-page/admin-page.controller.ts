import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { setRequestCaller } from '@app/common/context/request-context';
import { isDomainError } from '@app/common/errors/domain-error';
import { ERROR_TABLE } from '@app/common/errors/error-table';
import { ConnectorRegistry } from '@app/connectors/connector-registry';
import { AdminSessions } from '@app/customer/admin/admin-session';
import { AdminTokenGuard } from '@app/customer/admin/admin-token.guard';
import { AuditLog } from '@app/customer/callers/audit-log';
import { ADMIN_LOGIN_CSP, ADMIN_PAGE_CSP, renderAdminLoginPage, renderAdminPage } from './admin-page';

function pageHeaders(response: Response, csp: string): void {
  response.setHeader('content-type', 'text/html; charset=utf-8');
  response.setHeader('content-security-policy', csp);
  response.setHeader('cache-control', 'no-store');
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('referrer-policy', 'no-referrer');
}

@ApiTags('admin')
@Controller('admin')
export class AdminPageController {
  private readonly connectors: readonly string[];

  constructor(
    registry: ConnectorRegistry,
    private readonly guard: AdminTokenGuard,
    private readonly sessions: AdminSessions,
    private readonly audit: AuditLog,
  ) {
    this.connectors = registry.names();
  }

  @Get()
  @ApiOperation({
    summary: 'Admin page: look up and page through mappings in a browser',
    description:
      'Without a session: only the sign-in form (POST /admin/login with the admin token, or a caller key with the admin scope). Signed in: plain HTML and a little JavaScript calling the admin API with the session.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page, or its sign-in form', content: { 'text/html': { schema: { type: 'string' } } } })
  page(@Req() request: Request, @Res({ passthrough: true }) response: Response): string {
    const principal = this.sessions.verify(request.headers.cookie);
    if (!principal) {
      pageHeaders(response, ADMIN_LOGIN_CSP);
      return renderAdminLoginPage();
    }
    setRequestCaller(principal.actor, principal.tenant);
    pageHeaders(response, ADMIN_PAGE_CSP);
    return renderAdminPage(this.connectors, principal);
  }

  /** The sign-in form's target: the token is checked once, never stored; the answer sets the session cookie. */
  @Post('login')
  @HttpCode(303)
  @ApiOperation({ summary: 'Admin page: sign in', description: 'The sign-in form posts the token here. On success: 303 to /admin with an HttpOnly, SameSite=Strict session cookie of one hour (the token is never stored); else the form again with the reason (401, or 403 for a caller key without the admin scope).' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: { type: 'object', required: ['token'], properties: { token: { type: 'string', description: 'ADMIN_API_TOKEN, or a caller key with the admin scope' } } } })
  @ApiResponse({ status: 303, description: 'Signed in: the session cookie is set; Location: /admin' })
  @ApiResponse({ status: 401, description: 'Wrong token: the sign-in form with the reason', content: { 'text/html': { schema: { type: 'string' } } } })
  login(@Body() body: { token?: unknown }, @Res({ passthrough: true }) response: Response): string {
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    try {
      const principal = this.guard.authenticate([`Bearer ${token}`], 'POST /admin/login');
      setRequestCaller(principal.actor, principal.tenant);
      this.audit.record({ actor: principal.actor, tenant: principal.tenant, action: 'admin.login', target: 'admin page', outcome: 'ok' });
      response.setHeader('set-cookie', this.sessions.setCookie(this.sessions.issue(principal)));
      response.setHeader('location', '/admin');
      response.setHeader('cache-control', 'no-store');
      return '';
    } catch (error) {
      if (!isDomainError(error)) throw error;
      response.status(ERROR_TABLE[error.reason].http);
      pageHeaders(response, ADMIN_LOGIN_CSP);
      return renderAdminLoginPage(error.message);
    }
  }

  @Post('logout')
  @HttpCode(303)
  @ApiOperation({ summary: 'Admin page: sign out', description: 'Clears the session cookie; 303 to /admin.' })
  @ApiResponse({ status: 303, description: 'Signed out; Location: /admin' })
  logout(@Res({ passthrough: true }) response: Response): string {
    response.setHeader('set-cookie', this.sessions.setCookie(undefined));
    response.setHeader('location', '/admin');
    return '';
  }
}
