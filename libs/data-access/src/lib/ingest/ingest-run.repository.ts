import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { IngestRunEntity, IngestRunStatus, IngestSourceKind, IngestTrigger } from './ingest-run.entity';

export type RunProgress = Partial<
  Pick<
    IngestRunEntity,
    | 'pages_total'
    | 'pages_fetched'
    | 'source_total'
    | 'records_processed'
    | 'records_failed'
    | 'records_duplicate'
    | 'pages_merged'
    | 'phase'
    | 'source_difference'
    | 'notes'
  >
>;

export interface RunSource {
  kind: IngestSourceKind;
  /** The CSV path or URL; null for the source API. */
  location: string | null;
}

export interface RunTotals {
  runs: number;
  records_processed: number;
}

@Injectable()
export class IngestRunRepository {
  constructor(@InjectRepository(IngestRunEntity) private readonly runs: Repository<IngestRunEntity>) {}

  /**
   * Continues the newest run when it never succeeded and read the same source: its staged pages are kept
   * and only the missing ones will be fetched. Otherwise starts a new run, and drops pages staged by older
   * runs, which can no longer be resumed. Call it while holding the ingest lock.
   */
  startOrResume(
    trigger: IngestTrigger,
    source: RunSource,
  ): Promise<{ run: IngestRunEntity; resumed: boolean }> {
    return this.runs.manager.transaction(async (manager) => {
      const runs = manager.getRepository(IngestRunEntity);
      const [latest] = await runs.find({ order: { id: 'DESC' }, take: 1 });
      const resumable =
        latest &&
        latest.status !== 'success' &&
        latest.source_kind === source.kind &&
        latest.source_location === source.location;
      if (resumable) {
        await runs.update(
          { id: latest.id },
          {
            status: 'running',
            phase: 'fetching',
            error: null,
            finished_at: null,
            resumed_count: () => 'resumed_count + 1',
          },
        );
        return { run: await runs.findOneByOrFail({ id: latest.id }), resumed: true };
      }
      await manager.query('DELETE FROM ingest_staged_pages');
      const run = await runs.save(
        runs.create({
          trigger,
          status: 'running',
          source_kind: source.kind,
          source_location: source.location,
        }),
      );
      return { run, resumed: false };
    });
  }

  findById(id: number): Promise<IngestRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  async findPage(page: number, limit: number): Promise<{ rows: IngestRunEntity[]; total: number }> {
    const [rows, total] = await this.runs.findAndCount({
      order: { id: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { rows, total };
  }

  findLatest(statuses?: IngestRunStatus[]): Promise<IngestRunEntity | null> {
    return this.runs.findOne({ where: statuses ? { status: In(statuses) } : {}, order: { id: 'DESC' } });
  }

  findLatestByTrigger(trigger: IngestTrigger): Promise<IngestRunEntity | null> {
    return this.runs.findOne({ where: { trigger }, order: { id: 'DESC' } });
  }

  async recordProgress(id: number, progress: RunProgress): Promise<void> {
    await this.runs.update({ id }, progress);
  }

  /** Stores what the read found: the announced total, how far the records read are from it, and notes. */
  async recordReadOutcome(id: number, sourceTotal: number | null, notes: string[]): Promise<void> {
    await this.runs.query(
      `UPDATE ingest_runs SET
         source_total = $2,
         source_difference = CASE WHEN $2::int IS NULL THEN NULL ELSE records_processed - $2::int END,
         notes = NULLIF(concat_ws('; ', NULLIF($3, ''),
           CASE WHEN $2::int IS NOT NULL AND records_processed <> $2::int
             THEN 'read ' || records_processed || ' records but the source announced ' || $2::int END), '')
       WHERE id = $1`,
      [id, sourceTotal, notes.join('; ')],
    );
  }

  async addRetries(id: number, retries: number): Promise<void> {
    if (retries === 0) return;
    await this.runs
      .createQueryBuilder()
      .update()
      .set({ retries: () => 'retries + :retries' })
      .where('id = :id', { id, retries })
      .execute();
  }

  /**
   * Ends a run that did not succeed; its staged pages stay for the next run to resume. Only the attempt
   * that is still running it may end it: a process that lost the lock must not overwrite the outcome of
   * the process that took the run over.
   */
  async finish(
    id: number,
    attempt: number,
    status: Exclude<IngestRunStatus, 'running' | 'success'>,
    error: string,
  ): Promise<void> {
    await this.runs.update(
      { id, resumed_count: attempt, status: 'running' },
      { status, error, phase: 'done', finished_at: () => 'now()' },
    );
  }

  async totals(): Promise<RunTotals> {
    const row = await this.runs
      .createQueryBuilder('r')
      .select('count(*)::int', 'runs')
      .addSelect('coalesce(sum(r.records_processed), 0)::bigint', 'records_processed')
      .getRawOne<{ runs: number; records_processed: string }>();
    return { runs: row?.runs ?? 0, records_processed: Number(row?.records_processed ?? 0) };
  }
}
