import { ApiProperty } from '@nestjs/swagger';
import type { IngestRunEntity } from '@customer-pipeline/data-access';

/** The answer to a synchronous `POST /api/ingest`. */
export class IngestResultDto {
  @ApiProperty({ example: 'success', enum: ['success'] })
  status!: 'success';

  @ApiProperty({ example: 21, description: 'Every record read from the source, valid or not' })
  records_processed!: number;

  @ApiProperty({ example: 19 })
  inserted!: number;

  @ApiProperty({ example: 0 })
  updated!: number;

  @ApiProperty({ example: 0 })
  unchanged!: number;

  @ApiProperty({ example: 2, description: 'Records quarantined in ingest_failures' })
  failed!: number;

  @ApiProperty({ example: 1 })
  run_id!: number;

  @ApiProperty({ example: 412 })
  duration_ms!: number;

  static fromRun(run: IngestRunEntity): IngestResultDto {
    return {
      status: 'success',
      records_processed: run.records_processed,
      inserted: run.records_inserted,
      updated: run.records_updated,
      unchanged: run.records_unchanged,
      failed: run.records_failed,
      run_id: run.id,
      duration_ms: durationMs(run),
    };
  }
}

export function durationMs(run: IngestRunEntity): number {
  return (run.finished_at ?? new Date()).getTime() - run.started_at.getTime();
}
