import { Injectable } from '@nestjs/common';
import { DatabaseHealthRepository, IngestRunRepository } from '@customer-pipeline/data-access';
import { IngestRunDto } from '../ingest/dto/ingest-run.dto';
import { HealthReportDto } from './health-report.dto';

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly runs: IngestRunRepository,
  ) {}

  async report(): Promise<HealthReportDto> {
    if (!(await this.database.isReachable())) return { status: 'error', database: 'down', last_run: null };
    const lastRun = await this.runs.findLatest();
    return { status: 'ok', database: 'up', last_run: lastRun ? IngestRunDto.fromEntity(lastRun) : null };
  }
}
