import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IngestRunRepository } from '@customer-pipeline/data-access';
import { PipelineConfig } from '../config/pipeline.config';
import { Clock } from './clock';
import { FreshnessDto, FreshnessState } from './freshness.dto';
import { intervalAround } from './ingest-schedule';

/** The freshness of the stored data, measured against the schedule INGEST_CRON sets. */
@Injectable()
export class FreshnessService {
  constructor(
    private readonly runs: IngestRunRepository,
    private readonly clock: Clock,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async assess(): Promise<FreshnessDto> {
    const lastSuccess = (await this.runs.findLatest(['success']))?.finished_at ?? null;
    // A success of either schedule, full or incremental, refreshes the data: the one that ticks more often
    // sets when the next was due.
    const schedules = [
      this.config.get('INGEST_CRON', { infer: true }),
      this.config.get('INGEST_CRON_INCREMENTAL', { infer: true }),
    ].filter((cron): cron is string => Boolean(cron));
    const last_success_at = lastSuccess?.toISOString() ?? null;
    if (schedules.length === 0) {
      return {
        state: 'unscheduled',
        last_success_at,
        interval_seconds: null,
        late_after: null,
        stale_after: null,
      };
    }
    const now = this.clock.now();
    const interval = Math.min(...schedules.map((cron) => intervalAround(cron, now)));
    if (!lastSuccess) {
      return {
        state: 'stale',
        last_success_at,
        interval_seconds: interval / 1000,
        late_after: null,
        stale_after: null,
      };
    }
    const lateAfter = lastSuccess.getTime() + interval;
    const staleAfter = lastSuccess.getTime() + 2 * interval;
    const state: FreshnessState =
      now.getTime() > staleAfter ? 'stale' : now.getTime() > lateAfter ? 'late' : 'fresh';
    return {
      state,
      last_success_at,
      interval_seconds: interval / 1000,
      late_after: new Date(lateAfter).toISOString(),
      stale_after: new Date(staleAfter).toISOString(),
    };
  }
}
