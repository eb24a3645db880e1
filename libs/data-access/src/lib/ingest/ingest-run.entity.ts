import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericAsNumber } from '../database/column-transformers';
import type { RunSchema } from './ingest-staged-page.repository';

export const INGEST_RUN_STATUSES = [
  'queued',
  'running',
  'success',
  'failed',
  'interrupted',
  'superseded',
  'needs_review',
  'rejected',
] as const;
export type IngestRunStatus = (typeof INGEST_RUN_STATUSES)[number];

/** A run in one of these is not over: at most one run is in them at a time. */
export const ACTIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly IngestRunStatus[];

/** A run that is going on or waits for a decision: while there is one, no other run starts. */
export const BLOCKING_RUN_STATUSES = [
  ...ACTIVE_RUN_STATUSES,
  'needs_review',
] as const satisfies readonly IngestRunStatus[];

export const INGEST_PHASES = ['fetching', 'merging', 'done'] as const;
export type IngestPhase = (typeof INGEST_PHASES)[number];

export const INGEST_SOURCE_KINDS = ['api', 'csv'] as const;
export type IngestSourceKind = (typeof INGEST_SOURCE_KINDS)[number];

export const INGEST_TRIGGERS = ['api', 'cli', 'schedule'] as const;
export type IngestTrigger = (typeof INGEST_TRIGGERS)[number];

/** `full` reads the whole source (and notices deletes); `incremental` reads what changed since the checkpoint. */
export const INGEST_MODES = ['full', 'incremental'] as const;
export type IngestMode = (typeof INGEST_MODES)[number];

/** What a quality guard found on a run: `warn` only records it; `hold` keeps the run in `needs_review`. */
export interface RunFinding {
  guard: string;
  action: 'warn' | 'hold';
  message: string;
  details?: Record<string, unknown>;
}

@Entity({ name: 'ingest_runs' })
export class IngestRunEntity {
  @PrimaryColumn({
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'ALWAYS',
    transformer: numericAsNumber,
  })
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  trigger!: IngestTrigger;

  @Column({ type: 'varchar', length: 20 })
  status!: IngestRunStatus;

  @Column({ type: 'varchar', length: 20, default: 'full' })
  mode!: IngestMode;

  @Column({ type: 'varchar', length: 20, default: 'api' })
  source_kind!: IngestSourceKind;

  /** Where the run read: the source API's base URL, or the CSV file's absolute path or URL. */
  @Column({ type: 'text', nullable: true })
  source_location!: string | null;

  /** Records asked for per page: a resumed run reads with the limit its staged pages were read with. */
  @Column({ type: 'integer', nullable: true })
  page_limit!: number | null;

  /** The pg-boss job that coordinates the run. */
  @Column({ type: 'uuid', nullable: true })
  coordinator_job_id!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'fetching' })
  phase!: IngestPhase;

  /** How many times an interrupted or failed run was picked up again. */
  @Column({ type: 'integer', default: 0 })
  resumed_count!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  started_at!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finished_at!: Date | null;

  /** When the first and the last of the pages the run applies were read: the span its snapshot covers. */
  @Column({ type: 'timestamptz', nullable: true })
  read_started_at!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  read_finished_at!: Date | null;

  /** Page-range jobs the run's pages were split into, when the source announced a total. */
  @Column({ type: 'integer', nullable: true })
  ranges_total!: number | null;

  /** Pages the source announced (from its `total`), when it announced one. */
  @Column({ type: 'integer', nullable: true })
  pages_total!: number | null;

  @Column({ type: 'integer', default: 0 })
  pages_fetched!: number;

  @Column({ type: 'integer', default: 0 })
  pages_merged!: number;

  /** Records the source said it holds, to compare with what was read. */
  @Column({ type: 'integer', nullable: true })
  source_total!: number | null;

  @Column({ type: 'integer', default: 0 })
  records_processed!: number;

  @Column({ type: 'integer', default: 0 })
  records_inserted!: number;

  @Column({ type: 'integer', default: 0 })
  records_updated!: number;

  @Column({ type: 'integer', default: 0 })
  records_unchanged!: number;

  @Column({ type: 'integer', default: 0 })
  records_failed!: number;

  /** Records superseded by a later record with the same customer_id in the same run. */
  @Column({ type: 'integer', default: 0 })
  records_duplicate!: number;

  @Column({ type: 'integer', default: 0 })
  retries!: number;

  /** Stored customers a full run did not see, marked deleted. */
  @Column({ type: 'integer', default: 0 })
  records_deleted!: number;

  /** Deleted customers the run saw again, restored. */
  @Column({ type: 'integer', default: 0 })
  records_restored!: number;

  /** The checkpoint the run read on from, `(updated_at, customer_id)`; null for a first read. */
  @Column({ type: 'timestamptz', nullable: true })
  cursor_from_updated_at!: Date | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  cursor_from_customer_id!: string | null;

  /** The checkpoint the run committed. */
  @Column({ type: 'timestamptz', nullable: true })
  cursor_to_updated_at!: Date | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  cursor_to_customer_id!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  findings!: RunFinding[];

  /** The shape of the run's records (fields, JSON types, counts), for the next run's drift guard. */
  @Column({ type: 'jsonb', nullable: true })
  schema!: RunSchema | null;

  /** When someone approved the run after a guard held it: it is applied as staged, guards aside. */
  @Column({ type: 'timestamptz', nullable: true })
  approved_at!: Date | null;

  /** For a held run: whether its read reached the source's end (null for runs never held). */
  @Column({ type: 'boolean', nullable: true })
  read_whole!: boolean | null;

  /** For a held run: the pages it had staged when it was held (null for runs never held). */
  @Column({ type: 'integer', nullable: true })
  pages_held!: number | null;

  /** Valid records whose `created_at` or `updated_at` carried no UTC offset, and were read as UTC. */
  @Column({ type: 'integer', default: 0 })
  records_without_offset!: number;

  /** Records read minus the source's announced total, once the run has read everything it will. */
  @Column({ type: 'integer', nullable: true })
  source_difference!: number | null;

  /** What the run noticed about the source: a repeated page, the page cap, a total that did not match. */
  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
