import { Injectable, Logger } from '@nestjs/common';
import { DatabaseHealthRepository, IngestRunRepository } from '@customer-pipeline/data-access';
import { FreshnessService } from '../freshness/freshness.service';
import { IngestHistoryService } from '../ingest/runs/ingest-history.service';
import { HealthReportDto } from './health-report.dto';

/** What pg-pool answers when no connection came free within its connection timeout. */
const POOL_BUSY = 'timeout exceeded when trying to connect';

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(
    private readonly database: DatabaseHealthRepository,
    private readonly runs: IngestRunRepository,
    private readonly history: IngestHistoryService,
    private readonly freshness: FreshnessService,
  ) {}

  async report(): Promise<HealthReportDto> {
    if (!(await this.database.isReachable()))
      return { status: 'error', database: 'down', last_run: null, freshness: null };
    // The server answers; a pool too busy to read the last run in time does not make it down.
    const lastRun = this.runs.findLatest().catch((error: unknown) => {
      if (!(error instanceof Error && error.message.includes(POOL_BUSY))) throw error;
      this.logger.warn({ error: error.message }, 'last run unread: every pool connection is busy');
      return null;
    });
    const [latest, freshness] = await Promise.all([lastRun, this.freshness.assess()]);
    return {
      status: 'ok',
      database: 'up',
      last_run: latest ? await this.history.describe(latest) : null,
      freshness,
    };
  }
}
