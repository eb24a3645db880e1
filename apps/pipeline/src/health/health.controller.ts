import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
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
  @ApiOkResponse({ type: HealthReportDto, description: 'The database answers' })
  @ApiServiceUnavailableResponse({ type: HealthReportDto, description: 'The database cannot be reached' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReportDto> {
    const report = await this.health.report();
    if (report.database === 'down') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  /** Liveness: the process answers. Orchestrators restart it when this fails. */
  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.checks.check([]);
  }

  /** Readiness: database reachable, schema migrated, source reachable. 503 lists what is missing. */
  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.checks.check([
      () => this.readiness.databaseReachable(),
      () => this.readiness.migrations(),
      () => this.readiness.source(),
    ]);
  }
}
