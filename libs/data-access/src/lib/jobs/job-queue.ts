import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

/** pg-boss keeps its tables in a schema of their own beside ours. */
export const JOB_SCHEMA = 'pgboss';

/**
 * Held while pg-boss's schema and our queues are set up. pg-boss locks its own migrations, but two processes
 * that create or update queues at once (each queue is a table partition) deadlock in PostgreSQL, and the
 * loser would not start.
 */
const QUEUE_SETUP_LOCK_KEY = 7_340_019_002;

/**
 * Connections pg-boss holds for itself: polling, completing and maintenance are short statements, and
 * keeping them out of the app's pool means a busy read API cannot starve the job engine, nor the reverse.
 */
export const JOB_QUEUE_POOL_SIZE = 3;

/** What the app may tune in the job engine; provide it globally under this token. */
export const JOB_QUEUE_OPTIONS = Symbol('JOB_QUEUE_OPTIONS');

export interface JobQueueOptions {
  /** Seconds between two looks at the schedules (pg-boss's cron monitor); 30 by default. */
  scheduleCheckSeconds?: number;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface QueueSettings {
  retryLimit: number;
  /** Seconds before the first retry; with `retryBackoff` it doubles, with jitter, on each further one. */
  retryDelay: number;
  retryBackoff: boolean;
  /** An active job not completed within this is failed by pg-boss's maintenance: the last-resort backstop. */
  expireInSeconds: number;
}

export interface FetchedJob<T> {
  id: string;
  name: string;
  data: T;
  retryCount: number;
}

export interface JobRecord {
  id: string;
  state: JobState;
  retry_count: number;
  started_on: Date | null;
  output: Record<string, unknown> | null;
}

export interface NewJob<T> {
  id?: string;
  data: T;
  startAfter?: Date;
  /** Jobs with a higher priority are taken first; among equals, in the order they were queued. */
  priority?: number;
}

/** pg-boss runs its statements through this when they must belong to one of our transactions. */
function executorOf(manager: EntityManager): PgBoss.Db {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('a job statement inside a transaction needs a transaction manager');
  return { executeSql: async (text, values) => ({ rows: (await runner.query(text, values, true)).records }) };
}

/**
 * The job engine, pg-boss, on the pipeline's own PostgreSQL: no other service to run. Sending a job and
 * completing one can join a transaction of ours, so that "stage these pages" and "this job is done", or
 * "this run exists" and "its job is queued", commit together or not at all.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly boss: PgBoss;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(JOB_QUEUE_OPTIONS) options: JobQueueOptions = {},
  ) {
    const { url } = dataSource.options as PostgresConnectionOptions;
    const scheduleCheckSeconds = options.scheduleCheckSeconds ?? 30;
    this.boss = new PgBoss({
      connectionString: url,
      schema: JOB_SCHEMA,
      max: JOB_QUEUE_POOL_SIZE,
      application_name: 'customer-pipeline-jobs',
      // Its maintenance expires jobs past their expireIn and archives old ones; every process takes part,
      // pg-boss lets one at a time do the work.
      supervise: true,
      schedule: true,
      cronMonitorIntervalSeconds: scheduleCheckSeconds,
      cronWorkerIntervalSeconds: Math.min(5, scheduleCheckSeconds),
      migrate: true,
    });
    this.boss.on('error', (error) => this.logger.warn({ error: error.message }, 'job engine error'));
  }

  /** Creates pg-boss's schema, or brings it up to date: processes may start at once. */
  async onModuleInit(): Promise<void> {
    await this.exclusively(() => this.boss.start());
  }

  async onApplicationShutdown(): Promise<void> {
    // Our workers have stopped by now (they stop before the app shuts down); nothing is left for pg-boss
    // to wait for or to fail.
    await this.boss.stop({ graceful: false, wait: true });
  }

  /** Creates the queue, or updates its retry and expiry settings to these. */
  async defineQueue(name: string, settings: QueueSettings): Promise<void> {
    const options = { name, ...settings };
    await this.exclusively(async () => {
      if (await this.boss.getQueue(name)) await this.boss.updateQueue(name, options);
      else await this.boss.createQueue(name, options);
    });
  }

  /** Runs `work` while no other process sets up the job engine: a session lock on a connection of ours. */
  private async exclusively<T>(work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK_KEY]);
      return await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
  }

  async send<T extends object>(name: string, job: NewJob<T>, manager?: EntityManager): Promise<string> {
    const id = await this.boss.send(name, job.data, {
      ...(job.id ? { id: job.id } : {}),
      ...(job.startAfter ? { startAfter: job.startAfter } : {}),
      ...(manager ? { db: executorOf(manager) } : {}),
    });
    if (!id) throw new Error(`queue ${name} did not take the job`);
    return id;
  }

  /** Inserts jobs in one statement; a job whose id already exists is left as it is. */
  async insert<T extends object>(name: string, jobs: NewJob<T>[], manager?: EntityManager): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((job) => ({
        name,
        id: job.id,
        data: job.data,
        startAfter: job.startAfter,
        priority: job.priority,
      })),
      manager ? { db: executorOf(manager) } : {},
    );
  }

  /** Takes up to `count` jobs that are due, marking them active; none when the database cannot be reached. */
  async fetch<T>(name: string, count: number): Promise<FetchedJob<T>[]> {
    const jobs = await this.boss.fetch<T>(name, { batchSize: count, includeMetadata: true });
    return jobs.map((job) => ({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount }));
  }

  /** Completes an active job; false when it was not active any more (expired, failed or cancelled meanwhile). */
  async complete(name: string, id: string, output: object, manager?: EntityManager): Promise<boolean> {
    const result = (await this.boss.complete(
      name,
      id,
      output,
      manager ? { db: executorOf(manager) } : {},
    )) as unknown as { affected: number };
    return result.affected > 0;
  }

  /** Fails a job: pg-boss retries it after its delay if it has retries left. */
  async fail(name: string, id: string, reason: string): Promise<void> {
    await this.boss.fail(name, id, { message: reason });
  }

  /**
   * Fails the job only if it is still active, so that several processes handing on the same orphaned job
   * fail it once: each locks the job's row first, and the later ones find it no longer active.
   */
  async failActive(name: string, id: string, reason: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query(
        `SELECT id FROM ${JOB_SCHEMA}.job WHERE name = $1 AND id = $2 AND state = 'active' FOR UPDATE`,
        [name, id],
      );
      if (rows.length === 0) return false;
      await this.boss.fail(name, id, { message: reason }, { db: executorOf(manager) });
      return true;
    });
  }

  async cancel(name: string, ids: string[], manager?: EntityManager): Promise<void> {
    if (ids.length === 0) return;
    await this.boss.cancel(name, ids, manager ? { db: executorOf(manager) } : {});
  }

  /**
   * The state of each of these jobs. One statement against pg-boss's job table (its documented schema), where
   * `getJobById` would take one round trip per job: a run's progress asks for hundreds of them every second.
   */
  async states(name: string, ids: string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    return this.boss
      .getDb()
      .executeSql(
        `SELECT id, state, retry_count, started_on, output FROM ${JOB_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])`,
        [name, ids],
      )
      .then((result) => result.rows as JobRecord[]);
  }

  /** Whether the job is still active: one that was cancelled (its run failed or moved on) is not. */
  async isActive(name: string, id: string): Promise<boolean> {
    const [job] = await this.states(name, [id]);
    return job?.state === 'active';
  }

  /** The jobs of a queue whose data contains `data` (a scan of the queue's recent jobs: for views, not loops). */
  async withData(name: string, data: object): Promise<(JobRecord & { data: unknown })[]> {
    const result = await this.boss.getDb().executeSql(
      `SELECT id, state, retry_count, started_on, output, data FROM ${JOB_SCHEMA}.job
       WHERE name = $1 AND data @> $2::jsonb`,
      [name, JSON.stringify(data)],
    );
    return result.rows as (JobRecord & { data: unknown })[];
  }

  /** Jobs of these queues that were taken more than `ms` ago and are still active, by the database's clock. */
  async activeLongerThan(names: string[], ms: number): Promise<(JobRecord & { name: string })[]> {
    const result = await this.boss.getDb().executeSql(
      `SELECT name, id, state, retry_count, started_on, output FROM ${JOB_SCHEMA}.job
       WHERE name = ANY($1::text[]) AND state = 'active' AND started_on < now() - $2 * interval '1 millisecond'`,
      [names, ms],
    );
    return result.rows as (JobRecord & { name: string })[];
  }

  /** Sends a job to the queue on every tick of the cron expression (UTC), once per tick across processes. */
  async schedule(name: string, cron: string, data: object): Promise<void> {
    await this.boss.schedule(name, cron, data, { tz: 'UTC' });
  }

  async unschedule(name: string): Promise<void> {
    await this.boss.unschedule(name);
  }

  /** Runs `handler` for each job of the queue, one at a time, polling every `pollingIntervalSeconds`. */
  async work<T>(
    name: string,
    pollingIntervalSeconds: number,
    handler: (job: FetchedJob<T>) => Promise<void>,
  ) {
    return this.boss.work<T>(name, { pollingIntervalSeconds, includeMetadata: true }, async ([job]) =>
      handler({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount }),
    );
  }

  async stopWorking(name: string): Promise<void> {
    await this.boss.offWork(name);
  }
}
