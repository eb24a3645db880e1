import { Injectable } from '@nestjs/common';
import { DatabaseHealthRepository, IngestRunRepository } from '@customer-pipeline/data-access';
import { FreshnessService } from '../freshness/freshness.service';
import { IngestHistoryService } from '../ingest/runs/ingest-history.service';
import { HealthReportDto } from './health-report.dto';

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly runs: IngestRunRepository,
    private readonly history: IngestHistoryService,
    private readonly freshness: FreshnessService,
  ) {}

  async report(): Promise<HealthReportDto> {
    if (!(await this.database.isReachable()))
      return { status: 'error', database: 'down', last_run: null, freshness: null };
    const [lastRun, freshness] = await Promise.all([this.runs.findLatest(), this.freshness.assess()]);
    return {
      status: 'ok',
      database: 'up',
      last_run: lastRun ? await this.history.describe(lastRun) : null,
      freshness,
    };
  }
}
