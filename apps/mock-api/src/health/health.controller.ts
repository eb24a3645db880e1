import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { HealthCheckResultDto } from '@customer-pipeline/http-runtime';
import { OutageSwitch } from '../admin/outage-switch.service';
import { MOCK_API_CONFIG, MockApiConfig } from '../config/mock-api.config';
import { CustomerSource } from '../customers/customer-source';
import { HealthReportDto } from './health-report.dto';

/** Never subject to injected failures: a test needs to see the API alive while its customers routes fail. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly source: CustomerSource,
    private readonly outage: OutageSwitch,
    @Inject(MOCK_API_CONFIG) private readonly config: MockApiConfig,
    private readonly checks: HealthCheckService,
  ) {}

  /** Liveness in the terminus shape the pipeline's uses; the dataset needs nothing else to be served. */
  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers',
    description: 'Answers while the process runs, in the terminus shape; it has no check that can fail.',
  })
  // Documented here: terminus's own documentation has a 503 that a check-less liveness never answers.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOkResponse({ type: HealthCheckResultDto, description: 'The process runs' })
  live(): Promise<HealthCheckResult> {
    return this.checks.check([]);
  }

  @Get()
  @ApiOperation({
    summary: 'Liveness, which dataset and revision are being served, and the failure modes in force',
    description: 'Never subject to the failure modes, so that a test sees the API alive while they act.',
  })
  @ApiOkResponse({ type: HealthReportDto, description: 'The dataset and the failure modes in force' })
  check(): HealthReportDto {
    const { config } = this;
    return {
      status: 'ok',
      customers: this.source.total,
      source: this.source.kind,
      seed: this.source.seed,
      revision: config.revision,
      change_rate: config.changeRate,
      delete_rate: config.deleteRate,
      restore_rate: config.restoreRate,
      add_rate: config.addRate,
      outage: this.outage.isDown,
      failures: {
        failure_rate: config.failureRate,
        latency_ms: config.latencyMs,
        rate_limit: config.rateLimit,
        invalid_rate: config.invalidRate,
      },
    };
  }
}
