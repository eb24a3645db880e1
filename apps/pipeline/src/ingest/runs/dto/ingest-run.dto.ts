import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  INGEST_MODES,
  INGEST_RUN_STATUSES,
  INGEST_SOURCE_KINDS,
  INGEST_TRIGGERS,
  IngestRunEntity,
} from '@customer-pipeline/data-access';
import { PageDto } from '@customer-pipeline/contracts';
import { nullableObject } from '@customer-pipeline/http-runtime';
import { RunCursorDto, durationMs } from '../../dto/ingest-result.dto';
import { RunFindingDto } from '../../dto/run-finding.dto';

export class RangeHolderDto {
  @ApiProperty({ example: '51-100', description: 'Pages of the range' })
  pages!: string;

  @ApiPropertyOptional({
    example: 'worker-2:41',
    nullable: true,
    type: String,
    description: 'The process (host:pid) working on it, by its last heartbeat',
  })
  process!: string | null;

  @ApiProperty({ example: '2026-11-22T10:00:00.500Z' })
  since!: string;
}

/** The run's page ranges by the state of their jobs. */
export class RangeProgressDto {
  @ApiProperty({ example: 200 })
  total!: number;

  @ApiProperty({ example: 150, description: 'Waiting for a process' })
  queued!: number;

  @ApiProperty({ example: 16 })
  running!: number;

  @ApiProperty({ example: 34, description: 'Staged, by this attempt or an earlier one' })
  done!: number;

  @ApiProperty({ example: 2, description: 'Ranges whose job failed once or more and was retried' })
  retried!: number;

  @ApiProperty({ example: 0, description: 'Ranges whose job used up its retries' })
  failed!: number;

  @ApiProperty({ type: [RangeHolderDto] })
  running_on!: RangeHolderDto[];
}

/** What only the job engine knows about a run, beside its row. */
export interface RunLiveness {
  /** Someone holds the ingest lock: the run's coordinator is at work. */
  coordinatorAlive: boolean;
  ranges?: RangeProgressDto;
}

@ApiExtraModels(RangeProgressDto)
export class RunProgressDto {
  @ApiProperty({ enum: ['fetching', 'merging', 'done'], example: 'fetching' })
  phase!: string;

  @ApiProperty({ example: 40, description: 'Pages read and staged' })
  pages_done!: number;

  @ApiPropertyOptional({ example: 100, nullable: true, type: Number })
  pages_total!: number | null;

  @ApiPropertyOptional({
    example: 40,
    nullable: true,
    type: Number,
    description: 'Share of pages done, 0-100',
  })
  percent!: number | null;

  @ApiProperty({ example: 2500, description: 'Records read per second since the run started' })
  records_per_second!: number;

  @ApiPropertyOptional({ example: 12, nullable: true, type: Number, description: 'Seconds left to read' })
  eta_seconds!: number | null;

  @ApiProperty({
    ...nullableObject(RangeProgressDto),
    description: 'The page-range jobs of a run that is queued or running; null once it ended',
  })
  ranges!: RangeProgressDto | null;
}

function progressOf(run: IngestRunEntity, now: number, ranges?: RangeProgressDto): RunProgressDto {
  const elapsedSeconds = Math.max(0.001, (now - run.started_at.getTime()) / 1000);
  const pagesLeft = run.pages_total === null ? null : Math.max(0, run.pages_total - run.pages_fetched);
  const secondsPerPage = run.pages_fetched > 0 ? elapsedSeconds / run.pages_fetched : null;
  return {
    phase: run.phase,
    pages_done: run.pages_fetched,
    pages_total: run.pages_total,
    percent: run.pages_total ? Math.min(100, Math.round((run.pages_fetched / run.pages_total) * 100)) : null,
    records_per_second: Math.round(run.records_processed / elapsedSeconds),
    eta_seconds:
      pagesLeft === null || secondsPerPage === null ? null : Math.round(pagesLeft * secondsPerPage),
    ranges: ranges ?? null,
  };
}

/**
 * The status a reader should see. A run whose row says `running` while nobody holds the ingest lock has no
 * coordinator: its process died or lost the database. It is `interrupted`, resumable, until a process takes
 * it over.
 */
function statusOf(run: IngestRunEntity, liveness: RunLiveness): string {
  return run.status === 'running' && !liveness.coordinatorAlive ? 'interrupted' : run.status;
}

@ApiExtraModels(RunCursorDto)
export class IngestRunDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({
    enum: INGEST_TRIGGERS,
    example: 'api',
    description: 'What started the run: an API call, the schedule, or the command line',
  })
  trigger!: string;

  @ApiProperty({
    enum: INGEST_MODES,
    example: 'full',
    description: 'full: the whole source, deletes noticed; incremental: what changed since the checkpoint',
  })
  mode!: string;

  @ApiProperty({
    enum: INGEST_RUN_STATUSES,
    example: 'success',
    description:
      '`queued` waits for a process; `interrupted` has no coordinator at the moment (it resumes); `superseded` was closed unfinished because it could not be resumed',
  })
  status!: string;

  @ApiProperty({
    example: 'api:http://127.0.0.1:5000',
    description:
      'What was read: `<kind>:<location>`, kept for older clients (see source_kind, source_location)',
  })
  source!: string;

  @ApiProperty({ enum: INGEST_SOURCE_KINDS, example: 'api', description: 'The kind of source read' })
  source_kind!: string;

  @ApiPropertyOptional({
    example: 'http://127.0.0.1:5000',
    nullable: true,
    type: String,
    description: "The source API's URL, or the CSV file's path or URL",
  })
  source_location!: string | null;

  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' })
  started_at!: string;

  @ApiPropertyOptional({ example: '2026-11-22T10:00:01.250Z', nullable: true, type: String })
  finished_at!: string | null;

  @ApiProperty({ example: 1250 })
  duration_ms!: number;

  @ApiPropertyOptional({
    example: '2026-11-22T10:00:00.020Z',
    nullable: true,
    type: String,
    description: 'When the first of the pages it applied was read (an earlier attempt may have read it)',
  })
  read_started_at!: string | null;

  @ApiPropertyOptional({
    example: '2026-11-22T10:00:01.200Z',
    nullable: true,
    type: String,
    description: 'When the last of them was read: the snapshot spans read_started_at to here',
  })
  read_finished_at!: string | null;

  @ApiPropertyOptional({
    example: 1,
    nullable: true,
    type: Number,
    description: 'Pages the source announced',
  })
  pages_total!: number | null;

  @ApiProperty({ example: 1 })
  pages_fetched!: number;

  @ApiPropertyOptional({
    example: 21,
    nullable: true,
    type: Number,
    description: 'Records the source announced',
  })
  source_total!: number | null;

  @ApiProperty({ example: 21 })
  records_processed!: number;

  @ApiProperty({ example: 19 })
  records_inserted!: number;

  @ApiProperty({ example: 0 })
  records_updated!: number;

  @ApiProperty({ example: 0 })
  records_unchanged!: number;

  @ApiProperty({ example: 2 })
  records_failed!: number;

  @ApiProperty({ example: 0, description: 'Records superseded by a later one with the same customer_id' })
  records_duplicate!: number;

  @ApiProperty({ example: 0, description: 'Source requests that were retried' })
  retries!: number;

  @ApiProperty({
    example: 0,
    description: 'Valid records whose created_at or updated_at named no UTC offset; they were read as UTC',
  })
  records_without_offset!: number;

  @ApiProperty({ example: 0, description: 'Stored customers the source no longer has, marked deleted' })
  records_deleted!: number;

  @ApiProperty({ example: 0, description: 'Deleted customers the source has again, restored' })
  records_restored!: number;

  @ApiProperty({ ...nullableObject(RunCursorDto), description: 'The checkpoint the run read on from' })
  cursor_from!: RunCursorDto | null;

  @ApiProperty({ ...nullableObject(RunCursorDto), description: 'The checkpoint the run committed' })
  cursor_to!: RunCursorDto | null;

  @ApiProperty({ type: [RunFindingDto], description: 'What the quality guards found' })
  findings!: RunFindingDto[];

  @ApiPropertyOptional({
    example: 0,
    nullable: true,
    type: Number,
    description: 'Records read minus source total',
  })
  source_difference!: number | null;

  @ApiPropertyOptional({ example: null, nullable: true, type: String, description: 'Oddities of the source' })
  notes!: string | null;

  @ApiProperty({ example: 0, description: 'Times an unfinished run was picked up again' })
  resumed_count!: number;

  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  error!: string | null;

  @ApiProperty({ type: RunProgressDto })
  progress!: RunProgressDto;

  static fromEntity(run: IngestRunEntity, liveness: RunLiveness): IngestRunDto {
    return {
      id: run.id,
      trigger: run.trigger,
      mode: run.mode,
      status: statusOf(run, liveness),
      source: run.source_location ? `${run.source_kind}:${run.source_location}` : run.source_kind,
      source_kind: run.source_kind,
      source_location: run.source_location,
      started_at: run.started_at.toISOString(),
      finished_at: run.finished_at?.toISOString() ?? null,
      duration_ms: durationMs(run),
      read_started_at: run.read_started_at?.toISOString() ?? null,
      read_finished_at: run.read_finished_at?.toISOString() ?? null,
      pages_total: run.pages_total,
      pages_fetched: run.pages_fetched,
      source_total: run.source_total,
      records_processed: run.records_processed,
      records_inserted: run.records_inserted,
      records_updated: run.records_updated,
      records_unchanged: run.records_unchanged,
      records_failed: run.records_failed,
      records_duplicate: run.records_duplicate,
      retries: run.retries,
      records_without_offset: run.records_without_offset,
      records_deleted: run.records_deleted,
      records_restored: run.records_restored,
      cursor_from: RunCursorDto.of(run.cursor_from_updated_at, run.cursor_from_customer_id),
      cursor_to: RunCursorDto.of(run.cursor_to_updated_at, run.cursor_to_customer_id),
      findings: run.findings,
      source_difference: run.source_difference,
      notes: run.notes,
      resumed_count: run.resumed_count,
      error: run.error,
      progress: progressOf(run, (run.finished_at ?? new Date()).getTime(), liveness.ranges),
    };
  }
}

export class IngestRunPageDto extends PageDto<IngestRunDto> {
  @ApiProperty({ type: [IngestRunDto] })
  data!: IngestRunDto[];
}
