import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobQueue } from '@customer-pipeline/data-access';
import { PipelineConfig } from '../config/pipeline.config';
import { RunInProgressError } from '../ingest/engine/ingest-errors';
import { SCHEDULE_QUEUE } from '../ingest/engine/ingest-jobs';
import { IngestRunService } from '../ingest/engine/ingest-run.service';
import { PageSourceRegistry } from '../ingest/sources/page-source.registry';

/** A tick that finds no process for a while is not worth running late: the next one comes soon enough. */
const TICK_EXPIRY_S = 300;

/**
 * Ingests on INGEST_CRON, as a pg-boss schedule: the schedule lives in the database, pg-boss sends one job
 * per tick whichever of the processes notices it first, and one worker process takes that job and queues
 * a run (trigger `schedule`), unless a run is going on already. Every worker process started with INGEST_CRON
 * sets the schedule; one started without it removes it.
 */
@Injectable()
export class ScheduledIngestService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduledIngestService.name);
  /** The cron expression in force, or null when scheduling is off. */
  schedule: string | null = null;

  constructor(
    private readonly ingest: IngestRunService,
    private readonly sources: PageSourceRegistry,
    private readonly jobs: JobQueue,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('PIPELINE_ROLE', { infer: true }) === 'api') return;
    await this.jobs.defineQueue(SCHEDULE_QUEUE, {
      retryLimit: 0,
      retryDelay: 0,
      retryBackoff: false,
      expireInSeconds: TICK_EXPIRY_S,
    });
    const expression = this.config.get('INGEST_CRON', { infer: true });
    if (!expression) {
      await this.jobs.unschedule(SCHEDULE_QUEUE);
      return;
    }
    await this.jobs.schedule(SCHEDULE_QUEUE, expression, {});
    const pollSeconds = Math.max(
      1,
      Math.round(this.config.get('INGEST_JOB_POLL_MS', { infer: true }) / 1000),
    );
    await this.jobs.work(SCHEDULE_QUEUE, pollSeconds, () => this.tick());
    this.schedule = expression;
    this.logger.log(`scheduled ingests on "${expression}" (UTC)`);
  }

  /** One scheduled tick: queues a run from the source API, or skips the tick while one is going on. */
  async tick(): Promise<void> {
    try {
      const started = await this.ingest.start('schedule', this.sources.resolve('api'));
      this.logger.log({ run_id: started.run.id }, 'scheduled ingest queued');
    } catch (error) {
      if (!(error instanceof RunInProgressError)) throw error;
      this.logger.log(`scheduled ingest skipped: ${error.message}`);
    }
  }
}
