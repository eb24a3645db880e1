import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INGEST_RUN_STATUSES, INGEST_TRIGGERS, IngestRunEntity } from '@customer-pipeline/data-access';
import { PageDto } from '@customer-pipeline/contracts';
import { durationMs } from './ingest-result.dto';

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
}

function progressOf(run: IngestRunEntity, now: number): RunProgressDto {
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
  };
}

export class IngestRunDto {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ enum: INGEST_TRIGGERS, example: 'api' })
  trigger!: string;

  @ApiProperty({ enum: INGEST_RUN_STATUSES, example: 'success' })
  status!: string;

  @ApiProperty({ example: 'api', description: 'What was read: the source API or a CSV file' })
  source!: string;

  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' })
  started_at!: string;

  @ApiPropertyOptional({ example: '2026-11-22T10:00:01.250Z', nullable: true, type: String })
  finished_at!: string | null;

  @ApiProperty({ example: 1250 })
  duration_ms!: number;

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

  static fromEntity(run: IngestRunEntity): IngestRunDto {
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      source: run.source_location ? `${run.source_kind}:${run.source_location}` : run.source_kind,
      started_at: run.started_at.toISOString(),
      finished_at: run.finished_at?.toISOString() ?? null,
      duration_ms: durationMs(run),
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
      source_difference: run.source_difference,
      notes: run.notes,
      resumed_count: run.resumed_count,
      error: run.error,
      progress: progressOf(run, (run.finished_at ?? new Date()).getTime()),
    };
  }
}

export class IngestRunPageDto extends PageDto<IngestRunDto> {
  @ApiProperty({ type: [IngestRunDto] })
  data!: IngestRunDto[];
}
