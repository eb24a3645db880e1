import { HttpService } from '@nestjs/axios';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseHealthRepository } from '@customer-pipeline/data-access';
import { firstValueFrom } from 'rxjs';
import { PipelineConfig } from '../config/pipeline.config';

const SOURCE_CHECK_TIMEOUT_MS = 2000;

/** The terminus indicators of readiness: what the pipeline needs before it can do its job. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseHealthRepository,
    private readonly http: HttpService,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async databaseReachable(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('database');
    return (await this.database.isReachable()) ? check.up() : check.down({ message: 'database unreachable' });
  }

  async migrations(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('migrations');
    const applied = await this.database.migrationsApplied().catch(() => false);
    return applied ? check.up() : check.down({ message: 'migrations pending or unknown' });
  }

  async source(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('source');
    const url = `${this.config.get('SOURCE_URL', { infer: true }).replace(/\/+$/, '')}/api/health`;
    const reachable = await firstValueFrom(this.http.get(url, { timeout: SOURCE_CHECK_TIMEOUT_MS })).then(
      () => true,
      () => false,
    );
    return reachable ? check.up() : check.down({ message: 'source API unreachable' });
  }
}
