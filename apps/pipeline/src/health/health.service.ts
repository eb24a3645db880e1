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
    // The server answers: a pool too busy to read the last run or the freshness in time does not make it
    // down, it leaves them unknown.
    const [latest, freshness] = await Promise.all([
      this.unlessPoolBusy(this.runs.findLatest(), 'last run'),
      this.unlessPoolBusy(this.freshness.assess(), 'freshness'),
    ]);
    return {
      status: 'ok',
      database: 'up',
      last_run: latest ? await this.history.describe(latest) : null,
      freshness,
    };
  }

  private unlessPoolBusy<T>(read: Promise<T>, what: string): Promise<T | null> {
    return read.catch((error: unknown) => {
      if (!(error instanceof Error && error.message.includes(POOL_BUSY))) throw error;
      this.logger.warn({ error: error.message }, `${what} unread: every pool connection is busy`);
      return null;
    });
  }
}
