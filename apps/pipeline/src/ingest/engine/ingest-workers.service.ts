import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobQueue } from '@customer-pipeline/data-access';
import { loggableError } from '@customer-pipeline/http-runtime';
import { PipelineConfig } from '../../config/pipeline.config';
import { InstanceHeartbeat } from './instance-heartbeat';
import { RANGE_QUEUE, RUN_QUEUE, RangeJobData, RunJobData } from './ingest-jobs';
import { JobPool } from './job-pool';
import { JobSupervisor } from './job-supervisor';
import { RangeWorker } from './range-worker';
import { RunCoordinator } from './run-coordinator';
import { RunEvents } from './run-events';

/** pg-boss fails a coordinator still active after this long; a heartbeat-less hang is the only case left. */
const COORDINATOR_EXPIRY_S = 23 * 3600;
/** A range holds at most a few hundred pages; far longer than any takes, short enough to come back from. */
const RANGE_EXPIRY_S = 3600;
/** A coordinator taken over waits this long first, so that its predecessor's lock is surely gone. */
const COORDINATOR_RETRY_DELAY_S = 1;

/**
 * The job side of a pipeline process (roles `all` and `worker`): one coordinator slot and
 * `INGEST_CONCURRENCY` range slots, a heartbeat that lists the jobs in hand, and the supervisor that hands
 * on the jobs of processes that died. Every role defines the queues, since every role may queue a run.
 */
@Injectable()
export class IngestWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestWorkers.name);
  private readonly pools: JobPool<unknown>[] = [];
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly jobs: JobQueue,
    private readonly coordinator: RunCoordinator,
    private readonly rangeWorker: RangeWorker,
    private readonly supervisor: JobSupervisor,
    private readonly heartbeat: InstanceHeartbeat,
    private readonly events: RunEvents,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.defineQueues();
    if (this.config.get('PIPELINE_ROLE', { infer: true }) === 'api') return;
    const pollMs = this.config.get('INGEST_JOB_POLL_MS', { infer: true });
    const runRetries = this.config.get('INGEST_RUN_RETRIES', { infer: true });
    this.pools.push(
      new JobPool<RunJobData>(this.jobs, this.events, {
        queue: RUN_QUEUE,
        concurrency: 1,
        pollMs,
        handle: (job, stopping) =>
          this.coordinator.coordinate({ ...job, lastAttempt: job.retryCount >= runRetries }, stopping),
      }) as JobPool<unknown>,
      new JobPool<RangeJobData>(this.jobs, this.events, {
        queue: RANGE_QUEUE,
        concurrency: this.config.get('INGEST_CONCURRENCY', { infer: true }),
        pollMs,
        handle: (job, stopping) => this.rangeWorker.read(job, stopping),
      }) as JobPool<unknown>,
    );
    await this.heartbeat.beat([]);
    for (const pool of this.pools) pool.start();
    const interval = this.config.get('INGEST_HEARTBEAT_MS', { infer: true });
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick());
    }, interval);
    this.logger.log({ instance: this.heartbeat.id }, 'ingest workers started');
  }

  /** Runs before the pool closes: jobs in hand wind down and are handed back, then this process leaves. */
  async beforeApplicationShutdown(): Promise<void> {
    // Heartbeats go on while jobs wind down, so that no other process takes them for orphans meanwhile.
    await Promise.all(this.pools.map((pool) => pool.stop()));
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    if (this.pools.length > 0)
      await this.heartbeat.leave().catch((error: Error) => {
        this.logger.warn({ error: error.message }, 'could not leave the registry; the entry times out');
      });
  }

  private async defineQueues(): Promise<void> {
    await this.jobs.defineQueue(RUN_QUEUE, {
      retryLimit: this.config.get('INGEST_RUN_RETRIES', { infer: true }),
      retryDelay: COORDINATOR_RETRY_DELAY_S,
      retryBackoff: false,
      expireInSeconds: COORDINATOR_EXPIRY_S,
    });
    await this.jobs.defineQueue(RANGE_QUEUE, {
      retryLimit: this.config.get('INGEST_RANGE_RETRIES', { infer: true }),
      retryDelay: this.config.get('INGEST_RANGE_RETRY_DELAY_S', { infer: true }),
      retryBackoff: true,
      expireInSeconds: RANGE_EXPIRY_S,
    });
  }

  /** One heartbeat with the jobs in hand, then one round of supervision. */
  private async tick(): Promise<void> {
    try {
      await this.heartbeat.beat(this.pools.flatMap((pool) => pool.jobIds));
      await this.supervisor.superviseOnce();
    } catch (error) {
      this.logger.warn({ error: loggableError(error) }, 'heartbeat or supervision failed; trying again');
    }
  }
}
