import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { PipelineConfig } from '../config/pipeline.config';
import { RunInProgressError } from '../ingest/ingest-errors';
import { IngestRunService } from '../ingest/ingest-run.service';

/** A scheduled run that started this close to a tick belongs to that tick, whichever process started it. */
const SAME_TICK_MS = 30_000;

/**
 * Triggers an ingest on INGEST_CRON. Every pipeline process has the schedule; the ingest lock lets one of
 * them run each tick, and a process whose clock lags skips a tick that another process already ran.
 */
@Injectable()
export class ScheduledIngestService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduledIngestService.name);
  /** The cron expression in force, or null when scheduling is off. */
  schedule: string | null = null;

  constructor(
    private readonly ingest: IngestRunService,
    private readonly registry: SchedulerRegistry,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    const expression = this.config.get('INGEST_CRON', { infer: true });
    if (!expression) return;
    const job = CronJob.from({ cronTime: expression, onTick: () => this.tick(), start: true, utcOffset: 0 });
    this.registry.addCronJob('scheduled-ingest', job);
    this.schedule = expression;
    this.logger.log(`scheduled ingests on "${expression}" (UTC)`);
  }

  /** One scheduled ingest; resolves when it is done or skipped. */
  async tick(now: Date = new Date()): Promise<void> {
    try {
      const started = await this.ingest.startUnlessStartedSince(
        'schedule',
        new Date(now.getTime() - SAME_TICK_MS),
      );
      if (!started) {
        this.logger.log('scheduled ingest skipped: another process already ran this tick');
        return;
      }
      await started.completion;
    } catch (error) {
      if (error instanceof RunInProgressError) this.logger.log(`scheduled ingest skipped: ${error.message}`);
      else this.logger.warn(`scheduled ingest failed: ${(error as Error).message}`);
    }
  }
}
