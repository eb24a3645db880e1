import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { HealthCheckFailureDto, HealthCheckResultDto } from '@customer-pipeline/http-runtime';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { HealthReportDto } from './health-report.dto';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Access('public')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly checks: HealthCheckService,
    private readonly readiness: ReadinessService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Health and the last run',
    description: 'Whether the database answers, and the newest ingest run, for a dashboard.',
  })
  @ApiOkResponse({ type: HealthReportDto, description: 'The database answers' })
  @ApiServiceUnavailableResponse({ type: HealthReportDto, description: 'The database cannot be reached' })
  async check(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthReportDto> {
    const report = await this.health.report();
    if (report.database === 'down') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  /** Liveness: the process answers. Orchestrators restart it when this fails. */
  @Get('live')
  // Documented here: terminus's own documentation has no request id in its 503, and liveness has none.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Liveness',
    description: 'Answers while the process runs; an orchestrator restarts the process when it does not.',
  })
  @ApiOkResponse({ type: HealthCheckResultDto, description: 'The process runs' })
  live(): Promise<HealthCheckResult> {
    return this.checks.check([]);
  }

  /** Readiness: database reachable, schema migrated, source reachable. 503 lists what is missing. */
  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness',
    description: 'Whether the database answers, its migrations are applied and the source API answers.',
  })
  @ApiOkResponse({ type: HealthCheckResultDto, description: 'Ready to serve and to ingest' })
  @ApiServiceUnavailableResponse({ type: HealthCheckFailureDto, description: 'Not ready; details say why' })
  ready(): Promise<HealthCheckResult> {
    return this.checks.check([
      () => this.readiness.databaseReachable(),
      () => this.readiness.migrations(),
      () => this.readiness.source(),
    ]);
  }
}
