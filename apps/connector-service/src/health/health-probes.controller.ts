import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { OperationalStatsRepository } from '@app/database/operational-stats.repository';
import { TerminusHealthDto } from './health.dto';
import { DatabaseHealthService } from './database-health.service';

const MIGRATION_CHECK_TIMEOUT_MS = 2_000;

/**
 * Kubernetes-style probes (terminus): `live` while the process serves HTTP at all, `ready` while
 * the database answers, every migration of this build is applied, and no shutdown has begun.
 * `GET /health` (Prism's body) is left as it was.
 */
@ApiTags('operations')
@Controller('health')
export class HealthProbesController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: DatabaseHealthService,
    private readonly stats: OperationalStatsRepository,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ type: TerminusHealthDto, example: { status: 'ok', info: { process: { status: 'up', uptime_seconds: 42 } }, error: {}, details: { process: { status: 'up', uptime_seconds: 42 } } } })
  live(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.run(response, [() => this.indicator.check('process').up({ uptime_seconds: Math.round(process.uptime()) })]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers and all migrations of this build are applied' })
  @ApiOkResponse({ type: TerminusHealthDto, example: { status: 'ok', info: { database: { status: 'up' }, migrations: { status: 'up', shipped: 2 } }, error: {}, details: { database: { status: 'up' }, migrations: { status: 'up', shipped: 2 } } } })
  @ApiServiceUnavailableResponse({
    type: TerminusHealthDto,
    description: 'Not ready: the database does not answer, a migration is missing, or the instance is shutting down',
    example: { status: 'error', info: { migrations: { status: 'up', shipped: 2 } }, error: { database: { status: 'down', message: 'the database does not answer' } }, details: { database: { status: 'down', message: 'the database does not answer' }, migrations: { status: 'up', shipped: 2 } } },
  })
  ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    return this.run(response, [() => this.databaseIndicator(), () => this.migrationsIndicator()]);
  }

  /** terminus answers a failed check with an exception; the body it carries is the answer. */
  private async run(response: Response, indicators: Parameters<HealthCheckService['check']>[0]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(indicators);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private async databaseIndicator() {
    const check = this.indicator.check('database');
    if (this.database.isShuttingDown) return check.down({ message: 'shutting down' });
    return (await this.database.check()) === 'SERVING' ? check.up() : check.down({ message: 'the database does not answer' });
  }

  private async migrationsIndicator() {
    const check = this.indicator.check('migrations');
    let timer: NodeJS.Timeout | undefined;
    try {
      const status = await Promise.race([
        this.stats.migrationStatus(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the database does not answer')), MIGRATION_CHECK_TIMEOUT_MS))),
      ]);
      if (status.pending.length > 0 || status.changed.length > 0) return check.down({ pending: status.pending, changed: status.changed });
      return check.up({ shipped: this.stats.shippedMigrations });
    } catch (error) {
      return check.down({ message: (error as Error).message === 'the database does not answer' ? 'the database does not answer' : 'schema_migrations cannot be read' });
    } finally {
      clearTimeout(timer);
    }
  }
}
