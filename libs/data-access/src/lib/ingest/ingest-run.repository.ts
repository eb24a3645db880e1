import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Not, Repository } from 'typeorm';
import {
  BLOCKING_RUN_STATUSES,
  IngestMode,
  IngestRunEntity,
  IngestRunStatus,
  IngestSourceKind,
  IngestTrigger,
  RunFinding,
} from './ingest-run.entity';
import type { SourceCursor } from './ingest-source.repository';
import type { RunSchema } from './ingest-staged-page.repository';

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
    | 'ranges_total'
  >
>;

export interface RunSource {
  kind: IngestSourceKind;
  /** The source API's base URL, or the CSV file's absolute path or URL: what a resume must match. */
  location: string;
  /** Records per page; page k holds the same records on every attempt only with the same limit. */
  pageLimit: number;
}

export interface RunTotals {
  runs: number;
  records_processed: number;
  /** Customers that successful runs marked deleted, and restored: a held run's counts are not applied. */
  records_deleted: number;
  records_restored: number;
}

export interface MergeTotals {
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  conflicts: number;
  deleted: number;
  restored: number;
}

/** What a run that read to its end found, stored as it succeeds. */
export interface RunOutcome {
  totals: MergeTotals;
  pagesMerged: number;
  /** Records the source said it holds, when it said so. */
  sourceTotal: number | null;
  /** Anything odd about the listing: a repeated page, the page cap reached, a changed source. */
  notes: string[];
  /** The checkpoint the run commits, if its records carried `updated_at`. */
  cursor: SourceCursor | null;
  findings: RunFinding[];
  /** The shape of the run's records, for the next run's drift guard; null keeps what the run had. */
  schema: RunSchema | null;
}

/** PostgreSQL's code for a unique violation: here, a second run trying to become active. */
const UNIQUE_VIOLATION = '23505';

const SYNC_COUNTERS = `
  UPDATE ingest_runs r SET pages_fetched = s.pages, records_processed = s.records, records_failed = s.failed,
         records_without_offset = s.without_offset
  FROM (SELECT count(*)::int AS pages, coalesce(sum(record_count + failed_count), 0)::int AS records,
               coalesce(sum(failed_count), 0)::int AS failed, coalesce(sum(without_offset_count), 0)::int AS without_offset
        FROM ingest_staged_pages WHERE run_id = $1) s
  WHERE r.id = $1`;

/**
 * The run's notes with `added` (SQL text: notes joined by '; ', or NULL) after them, each note once: a run
 * resumed, or applied after its hold, notices the same things again.
 */
function notesWith(added: string): string {
  return `(SELECT NULLIF(string_agg(note, '; ' ORDER BY first), '')
           FROM (SELECT note, min(position) AS first
                 FROM unnest(string_to_array(concat_ws('; ', notes, ${added}), '; ')) WITH ORDINALITY AS n(note, position)
                 WHERE note <> '' GROUP BY note) kept)`;
}

/** `ingest_runs`: one row per run, written only here. */
@Injectable()
export class IngestRunRepository {
  constructor(@InjectRepository(IngestRunEntity) private readonly runs: Repository<IngestRunEntity>) {}

  private repository(manager?: EntityManager): Repository<IngestRunEntity> {
    return manager ? manager.getRepository(IngestRunEntity) : this.runs;
  }

  /**
   * The run that is queued, running or held for review, if any (at most one is); locked until the
   * transaction ends when `manager` is given.
   */
  findActive(manager?: EntityManager): Promise<IngestRunEntity | null> {
    return this.repository(manager).findOne({
      where: { status: In([...BLOCKING_RUN_STATUSES]) },
      ...(manager ? { lock: { mode: 'pessimistic_write' } } : {}),
    });
  }

  /** The newest run, whatever its state. */
  findNewest(manager?: EntityManager): Promise<IngestRunEntity | null> {
    return this.repository(manager).findOne({ where: {}, order: { id: 'DESC' } });
  }

  /** A new queued run; null when another run became active first (the one-active-run index refused it). */
  async createQueued(
    trigger: IngestTrigger,
    source: RunSource,
    mode: IngestMode,
    manager: EntityManager,
  ): Promise<IngestRunEntity | null> {
    const runs = this.repository(manager);
    try {
      return await runs.save(
        runs.create({
          trigger,
          mode,
          status: 'queued',
          source_kind: source.kind,
          source_location: source.location,
          page_limit: source.pageLimit,
        }),
      );
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /** Queues an unfinished run again, to be resumed from its staged pages. */
  async requeue(id: number, manager: EntityManager): Promise<IngestRunEntity> {
    const runs = this.repository(manager);
    await runs.update(
      { id },
      {
        status: 'queued',
        phase: 'fetching',
        error: null,
        finished_at: null,
        resumed_count: () => 'resumed_count + 1',
      },
    );
    return runs.findOneByOrFail({ id });
  }

  async setCoordinatorJob(id: number, jobId: string, manager: EntityManager): Promise<void> {
    await this.repository(manager).update({ id }, { coordinator_job_id: jobId });
  }

  /**
   * Closes a run that will not be resumed, with a note saying why. A run that never ended becomes
   * `superseded`; a failed one keeps its status, so that history still shows it failed.
   */
  async supersede(id: number, note: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE ingest_runs SET
         status = CASE WHEN status = 'failed' THEN status ELSE 'superseded' END,
         phase = 'done',
         finished_at = coalesce(finished_at, now()),
         notes = ${notesWith('$2::text')}
       WHERE id = $1`,
      [id, note],
    );
  }

  /**
   * A coordinator takes the run: it becomes `running`. A run that was running already is being taken over
   * from a coordinator that died, which counts as one more attempt. Null when the run is no longer queued or
   * running (it ended, or was superseded), so that a stale job does nothing.
   */
  async markRunning(id: number): Promise<IngestRunEntity | null> {
    const [rows] = await this.runs.query(
      `UPDATE ingest_runs SET status = 'running', phase = 'fetching',
         resumed_count = resumed_count + CASE WHEN status = 'running' THEN 1 ELSE 0 END
       WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [id],
    );
    return rows.length > 0 ? this.runs.findOneByOrFail({ id }) : null;
  }

  /** Hands a run back to the queue (its process is shutting down); its new coordinator job continues it. */
  async requeueForHandover(id: number, reason: string, jobId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE ingest_runs SET status = 'queued', phase = 'fetching', error = $2, coordinator_job_id = $3
       WHERE id = $1 AND status = 'running'`,
      [id, reason, jobId],
    );
  }

  /** The run, as `manager`'s transaction sees it when one is given. */
  findById(id: number, manager?: EntityManager): Promise<IngestRunEntity | null> {
    return (manager?.getRepository(IngestRunEntity) ?? this.runs).findOneBy({ id });
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

  /** The newest run that succeeded, in one mode or either. */
  findLatestSuccess(mode?: IngestMode, manager?: EntityManager): Promise<IngestRunEntity | null> {
    return this.repository(manager).findOne({
      where: mode ? { status: 'success', mode } : { status: 'success' },
      order: { id: 'DESC' },
    });
  }

  findLatestByTrigger(trigger: IngestTrigger): Promise<IngestRunEntity | null> {
    return this.runs.findOne({ where: { trigger, status: Not('superseded') }, order: { id: 'DESC' } });
  }

  async recordProgress(id: number, progress: RunProgress): Promise<void> {
    await this.runs.update({ id }, progress);
  }

  /** The checkpoint the run reads on from, as it starts reading. */
  async recordCursorFrom(id: number, cursor: SourceCursor | null): Promise<void> {
    await this.runs.update(
      { id },
      {
        cursor_from_updated_at: cursor?.updatedAt ?? null,
        cursor_from_customer_id: cursor?.customerId ?? null,
      },
    );
  }

  /**
   * Ends a run that read everything but is held by a guard: nothing of it is applied, its staged pages stay
   * for the decision, and its findings say why. Only while it is running.
   */
  async hold(
    id: number,
    outcome: Pick<RunOutcome, 'findings' | 'notes'> & { readWhole: boolean },
  ): Promise<boolean> {
    await this.syncCounters(id);
    // Nothing of a held run is applied, so it counts no deletes or restores; its findings say what
    // approving it would do.
    const result = await this.runs.manager.query(
      `UPDATE ingest_runs SET status = 'needs_review', phase = 'done', finished_at = clock_timestamp(),
         findings = $2::jsonb, records_deleted = 0, records_restored = 0, read_whole = $4,
         pages_held = pages_fetched,
         notes = ${notesWith("NULLIF($3, '')")}
       WHERE id = $1 AND status = 'running'`,
      [id, JSON.stringify(outcome.findings), outcome.notes.join('; '), outcome.readWhole],
    );
    return (result[1] as number) > 0;
  }

  /** Queues a held run again, to be applied from its staged pages as they are (approve). */
  async approve(id: number, manager: EntityManager): Promise<boolean> {
    const result = await manager.query(
      `UPDATE ingest_runs SET status = 'queued', phase = 'merging', finished_at = NULL, approved_at = now()
       WHERE id = $1 AND status = 'needs_review'`,
      [id],
    );
    return (result[1] as number) > 0;
  }

  /** Closes a held run without applying it (reject); its staged pages are to be dropped with it. */
  async reject(id: number, manager: EntityManager): Promise<boolean> {
    const result = await manager.query(
      `UPDATE ingest_runs SET status = 'rejected', finished_at = now() WHERE id = $1 AND status = 'needs_review'`,
      [id],
    );
    return (result[1] as number) > 0;
  }

  /** Adds to the run's notes: what it noticed about the source, or about its own history. */
  async addNote(id: number, note: string): Promise<void> {
    await this.runs.query(`UPDATE ingest_runs SET notes = ${notesWith('$2::text')} WHERE id = $1`, [
      id,
      note,
    ]);
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

  /** Sets the run's read counters to exactly what is staged, e.g. after a run stopped early. */
  async syncCounters(runId: number, manager: EntityManager = this.runs.manager): Promise<void> {
    await manager.query(SYNC_COUNTERS, [runId]);
  }

  /**
   * Marks the run a success, inside the merge's transaction: the merge's counts, what the read found (the
   * announced total, how far the records read are from it, notes), and the time span over which its staged
   * pages were read. The run's row is locked from here to the commit, not during the merge: progress updates
   * and readers of the run would otherwise queue behind it.
   */
  async markSucceeded(id: number, outcome: RunOutcome, manager: EntityManager): Promise<void> {
    await this.syncCounters(id, manager);
    const { totals } = outcome;
    await manager.query(
      `UPDATE ingest_runs r SET
         status = 'success', phase = 'done', pages_merged = $2,
         -- now() is when the transaction began, before the merge; the run ends now.
         finished_at = clock_timestamp(), error = NULL,
         records_inserted = $3, records_updated = $4, records_unchanged = $5, records_duplicate = $6,
         records_failed = records_failed + $7, records_deleted = $10, records_restored = $11,
         cursor_to_updated_at = $12, cursor_to_customer_id = $13, findings = $14::jsonb,
         schema = coalesce($15::jsonb, r.schema),
         read_started_at = s.first_read, read_finished_at = s.last_read,
         source_total = $8,
         source_difference = CASE WHEN $8::int IS NULL THEN NULL ELSE records_processed - $8::int END,
         notes = ${notesWith(`concat_ws('; ', NULLIF($9, ''),
           CASE WHEN $8::int IS NOT NULL AND records_processed <> $8::int
             THEN 'read ' || records_processed || ' records but the source announced ' || $8::int END,
           CASE WHEN records_without_offset > 0
             THEN records_without_offset || ' records had a created_at or updated_at without a UTC offset, read as UTC' END)`)}
       FROM (SELECT min(read_at) AS first_read, max(read_at) AS last_read
             FROM ingest_staged_pages WHERE run_id = $1) s
       WHERE r.id = $1`,
      [
        id,
        outcome.pagesMerged,
        totals.inserted,
        totals.updated,
        totals.unchanged,
        totals.duplicates,
        totals.conflicts,
        outcome.sourceTotal,
        outcome.notes.join('; '),
        totals.deleted,
        totals.restored,
        outcome.cursor?.updatedAt ?? null,
        outcome.cursor?.customerId ?? null,
        JSON.stringify(outcome.findings),
        outcome.schema === null ? null : JSON.stringify(outcome.schema),
      ],
    );
  }

  /**
   * Ends a run that did not succeed; its staged pages stay for the next attempt. Only the attempt that is
   * running it may end it: a process that lost the run must not overwrite the outcome of the one that took it.
   */
  async finish(
    id: number,
    attempt: number,
    status: Extract<IngestRunStatus, 'failed' | 'interrupted'>,
    error: string,
  ): Promise<boolean> {
    await this.syncCounters(id);
    const result = await this.runs.manager.query(
      `UPDATE ingest_runs r SET status = $3, error = $4, phase = 'done', finished_at = now(),
         read_started_at = s.first_read, read_finished_at = s.last_read
       FROM (SELECT min(read_at) AS first_read, max(read_at) AS last_read
             FROM ingest_staged_pages WHERE run_id = $1) s
       WHERE r.id = $1 AND r.resumed_count = $2 AND r.status IN ('queued', 'running')`,
      [id, attempt, status, error],
    );
    return (result[1] as number) > 0;
  }

  async totals(): Promise<RunTotals> {
    const row = await this.runs
      .createQueryBuilder('r')
      .select('count(*)::int', 'runs')
      .addSelect('coalesce(sum(r.records_processed), 0)::bigint', 'records_processed')
      .addSelect(`coalesce(sum(r.records_deleted) FILTER (WHERE r.status = 'success'), 0)::bigint`, 'deleted')
      .addSelect(
        `coalesce(sum(r.records_restored) FILTER (WHERE r.status = 'success'), 0)::bigint`,
        'restored',
      )
      .getRawOne<{ runs: number; records_processed: string; deleted: string; restored: string }>();
    return {
      runs: row?.runs ?? 0,
      records_processed: Number(row?.records_processed ?? 0),
      records_deleted: Number(row?.deleted ?? 0),
      records_restored: Number(row?.restored ?? 0),
    };
  }
}
