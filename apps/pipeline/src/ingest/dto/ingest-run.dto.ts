import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INGEST_RUN_STATUSES, INGEST_TRIGGERS, IngestRunEntity } from '@customer-pipeline/data-access';
import { PageDto } from '@customer-pipeline/contracts';
import { durationMs } from './ingest-result.dto';

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

  @ApiPropertyOptional({ example: null, nullable: true, type: String })
  error!: string | null;

  static fromEntity(run: IngestRunEntity): IngestRunDto {
    return {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      source: run.source_kind,
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
      error: run.error,
    };
  }
}

export class IngestRunPageDto extends PageDto<IngestRunDto> {
  @ApiProperty({ type: [IngestRunDto] })
  data!: IngestRunDto[];
}
