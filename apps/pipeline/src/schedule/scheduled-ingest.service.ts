import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IngestMode, JobQueue } from '@customer-pipeline/data-access';
import { PipelineConfig } from '../config/pipeline.config';
import { IncrementalUnavailableError, RunInProgressError } from '../ingest/engine/ingest-errors';
import { INCREMENTAL_SCHEDULE_QUEUE, SCHEDULE_QUEUE } from '../ingest/engine/ingest-jobs';
import { IngestRunService } from '../ingest/engine/ingest-run.service';
import { PageSourceRegistry } from '../ingest/sources/page-source.registry';

/** A tick that finds no process for a while is not worth running late: the next one comes soon enough. */
const TICK_EXPIRY_S = 300;

/** Each schedule: its variable, its queue (pg-boss keys a schedule by its queue) and the runs it starts. */
const SCHEDULES = [
  { variable: 'INGEST_CRON', queue: SCHEDULE_QUEUE, mode: 'full' },
  { variable: 'INGEST_CRON_INCREMENTAL', queue: INCREMENTAL_SCHEDULE_QUEUE, mode: 'incremental' },
] as const;

/**
 * Ingests on INGEST_CRON (full runs) and INGEST_CRON_INCREMENTAL (incremental runs), as pg-boss schedules:
 * a schedule lives in the database, pg-boss sends one job per tick whichever of the processes notices it
 * first, and one worker process takes that job and queues a run (trigger `schedule`), unless a run is going
 * on already. Every worker process started with a schedule's variable sets it; one started without it
 * removes it.
 */
@Injectable()
export class ScheduledIngestService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduledIngestService.name);
  /** The cron expression of full runs in force, or null when they are not scheduled. */
  schedule: string | null = null;
  /** The cron expression of incremental runs in force, or null. */
  incrementalSchedule: string | null = null;

  constructor(
    private readonly ingest: IngestRunService,
    private readonly sources: PageSourceRegistry,
    private readonly jobs: JobQueue,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('PIPELINE_ROLE', { infer: true }) === 'api') return;
    for (const { variable, queue, mode } of SCHEDULES) {
      const expression = await this.setUp(queue, this.config.get(variable, { infer: true }), mode);
      if (mode === 'full') this.schedule = expression;
      else this.incrementalSchedule = expression;
    }
  }

  /** One scheduled tick: queues a run from the source API, or skips the tick while one is going on. */
  async tick(mode: IngestMode = 'full'): Promise<void> {
    try {
      const started = await this.ingest.start('schedule', this.sources.resolve('api'), mode);
      this.logger.log({ run_id: started.run.id, mode }, 'scheduled ingest queued');
    } catch (error) {
      if (!(error instanceof RunInProgressError || error instanceof IncrementalUnavailableError)) throw error;
      this.logger.log(`scheduled ${mode} ingest skipped: ${error.message}`);
    }
  }

  private async setUp(
    queue: string,
    expression: string | undefined,
    mode: IngestMode,
  ): Promise<string | null> {
    await this.jobs.defineQueue(queue, {
      retryLimit: 0,
      retryDelay: 0,
      retryBackoff: false,
      expireInSeconds: TICK_EXPIRY_S,
    });
    if (!expression) {
      await this.jobs.unschedule(queue);
      return null;
    }
    await this.jobs.schedule(queue, expression, {});
    const pollSeconds = Math.max(
      1,
      Math.round(this.config.get('INGEST_JOB_POLL_MS', { infer: true }) / 1000),
    );
    await this.jobs.work(queue, pollSeconds, () => this.tick(mode));
    this.logger.log(`scheduled ${mode} ingests on "${expression}" (UTC)`);
    return expression;
  }
}
