import { Injectable, NotFoundException } from '@nestjs/common';
import { Page, PaginationQueryDto, toPage } from '@customer-pipeline/contracts';
import {
  IngestFailureRepository,
  IngestLockRepository,
  IngestRunEntity,
  IngestRunRepository,
  JobQueue,
  PipelineInstanceRepository,
} from '@customer-pipeline/data-access';
import { ConfigService } from '@nestjs/config';
import { PipelineConfig } from '../../config/pipeline.config';
import { RANGE_QUEUE, RangeJobData } from '../engine/ingest-jobs';
import { IngestFailureDto, ListFailuresQueryDto } from './dto/ingest-failure.dto';
import { IngestRunDto, RangeProgressDto } from './dto/ingest-run.dto';

const WAITING = new Set(['created', 'retry']);

/** What past and running ingests did, for operators: the runs' rows, with what the job engine knows. */
@Injectable()
export class IngestHistoryService {
  constructor(
    private readonly runs: IngestRunRepository,
    private readonly failures: IngestFailureRepository,
    private readonly lock: IngestLockRepository,
    private readonly jobs: JobQueue,
    private readonly instances: PipelineInstanceRepository,
    private readonly config: ConfigService<PipelineConfig, true>,
  ) {}

  async listRuns(query: PaginationQueryDto): Promise<Page<IngestRunDto>> {
    const { rows, total } = await this.runs.findPage(query.page, query.limit);
    const coordinatorAlive = await this.coordinatorAlive(rows);
    return toPage(
      rows.map((run) => IngestRunDto.fromEntity(run, { coordinatorAlive })),
      total,
      query,
    );
  }

  async getRun(id: number): Promise<IngestRunDto> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundException(`Ingest run ${id} not found`);
    const active = run.status === 'queued' || run.status === 'running';
    return IngestRunDto.fromEntity(run, {
      coordinatorAlive: await this.coordinatorAlive([run]),
      ranges: active ? await this.rangesOf(run) : undefined,
    });
  }

  /** One run as readers see it (its status corrected for a coordinator that is gone). */
  async describe(run: IngestRunEntity): Promise<IngestRunDto> {
    return IngestRunDto.fromEntity(run, { coordinatorAlive: await this.coordinatorAlive([run]) });
  }

  async listFailures(query: ListFailuresQueryDto): Promise<Page<IngestFailureDto>> {
    const { rows, total } = await this.failures.findPage({
      runId: query.run_id,
      page: query.page,
      limit: query.limit,
    });
    return toPage(rows.map(IngestFailureDto.fromEntity), total, query);
  }

  /** Only a page holding a running run needs to ask whether its coordinator is alive. */
  private async coordinatorAlive(runs: IngestRunEntity[]): Promise<boolean> {
    return runs.some((run) => run.status === 'running') ? this.lock.isHeld() : false;
  }

  private async rangesOf(run: IngestRunEntity): Promise<RangeProgressDto | undefined> {
    if (run.ranges_total === null) return undefined;
    const jobs = (await this.jobs.withData(RANGE_QUEUE, { run_id: run.id, attempt: run.resumed_count })) as {
      id: string;
      state: string;
      retry_count: number;
      started_on: Date | null;
      data: RangeJobData;
    }[];
    const timeoutMs = this.config.get('INGEST_HOLDER_TIMEOUT_MS', { infer: true });
    const holders = new Map<string, string>();
    for (const instance of await this.instances.findLive(timeoutMs))
      for (const id of instance.active_jobs) holders.set(id, `${instance.hostname}:${instance.pid}`);
    const count = (states: Set<string> | string) =>
      jobs.filter((job) => (typeof states === 'string' ? job.state === states : states.has(job.state)))
        .length;
    return {
      total: run.ranges_total,
      queued: count(WAITING),
      running: count('active'),
      // Ranges an earlier attempt staged in full got no job in this one.
      done: run.ranges_total - jobs.length + count('completed'),
      retried: jobs.filter((job) => job.retry_count > 0).length,
      failed: count('failed'),
      running_on: jobs
        .filter((job) => job.state === 'active')
        .sort((a, b) => a.data.first_page - b.data.first_page)
        .map((job) => ({
          pages: `${job.data.first_page}-${job.data.last_page}`,
          process: holders.get(job.id) ?? null,
          since: (job.started_on ?? new Date()).toISOString(),
        })),
    };
  }
}
