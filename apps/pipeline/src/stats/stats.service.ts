import { Injectable } from '@nestjs/common';
import { CustomerReadRepository, IngestRunEntity, IngestRunRepository } from '@customer-pipeline/data-access';
import { FreshnessService } from '../freshness/freshness.service';
import { RunOutcomeDto, StatsDto } from './stats.dto';

function outcome(run: IngestRunEntity | null): RunOutcomeDto | null {
  if (!run) return null;
  return {
    run_id: run.id,
    mode: run.mode,
    finished_at: run.finished_at?.toISOString() ?? null,
    error: run.error,
  };
}

@Injectable()
export class StatsService {
  constructor(
    private readonly customers: CustomerReadRepository,
    private readonly runs: IngestRunRepository,
    private readonly freshness: FreshnessService,
  ) {}

  async stats(): Promise<StatsDto> {
    const [summary, totals, lastSuccess, lastFailure, freshness] = await Promise.all([
      this.customers.summary(),
      this.runs.totals(),
      this.runs.findLatest(['success']),
      this.runs.findLatest(['failed', 'interrupted']),
      this.freshness.assess(),
    ]);
    return {
      customers: summary.total,
      ...totals,
      last_success: outcome(lastSuccess),
      last_failure: outcome(lastFailure),
      freshness,
    };
  }
}
