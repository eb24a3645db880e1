import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { INGEST_MODES, IngestMode, IngestRunEntity } from '@customer-pipeline/data-access';
import { nullableObject } from '@customer-pipeline/http-runtime';
import { RunFindingDto } from './run-finding.dto';

/** A position in the source's listing by `(updated_at, customer_id)`. */
export class RunCursorDto {
  @ApiProperty({ example: '2026-03-01T00:00:00.000Z' })
  updated_at!: string;

  @ApiProperty({ example: 'CUST00004711', description: 'Empty when the position is an instant only' })
  customer_id!: string;

  static of(updatedAt: Date | null, customerId: string | null): RunCursorDto | null {
    return updatedAt === null ? null : { updated_at: updatedAt.toISOString(), customer_id: customerId ?? '' };
  }
}

/** The answer to a synchronous `POST /api/ingest`. */
@ApiExtraModels(RunCursorDto)
export class IngestResultDto {
  @ApiProperty({
    example: 'success',
    enum: ['success', 'needs_review'],
    description: 'needs_review: a guard held the run; nothing is applied until it is approved',
  })
  status!: 'success' | 'needs_review';

  @ApiProperty({ example: 'full', enum: INGEST_MODES })
  mode!: IngestMode;

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

  @ApiProperty({
    example: 0,
    description: 'Stored customers the source no longer has, marked deleted (full runs)',
  })
  deleted!: number;

  @ApiProperty({ example: 0, description: 'Deleted customers the source has again, restored' })
  restored!: number;

  @ApiProperty({ ...nullableObject(RunCursorDto), description: 'The checkpoint the run read on from' })
  cursor_from!: RunCursorDto | null;

  @ApiProperty({ ...nullableObject(RunCursorDto), description: 'The checkpoint the run committed' })
  cursor_to!: RunCursorDto | null;

  @ApiProperty({ type: [RunFindingDto], description: 'What the quality guards found; a hold kept the run' })
  findings!: RunFindingDto[];

  @ApiProperty({ example: 1 })
  run_id!: number;

  @ApiProperty({ example: 412 })
  duration_ms!: number;

  static fromRun(run: IngestRunEntity): IngestResultDto {
    return {
      status: run.status === 'needs_review' ? 'needs_review' : 'success',
      mode: run.mode,
      records_processed: run.records_processed,
      inserted: run.records_inserted,
      updated: run.records_updated,
      unchanged: run.records_unchanged,
      failed: run.records_failed,
      deleted: run.records_deleted,
      restored: run.records_restored,
      cursor_from: RunCursorDto.of(run.cursor_from_updated_at, run.cursor_from_customer_id),
      cursor_to: RunCursorDto.of(run.cursor_to_updated_at, run.cursor_to_customer_id),
      findings: run.findings,
      run_id: run.id,
      duration_ms: durationMs(run),
    };
  }
}

export function durationMs(run: IngestRunEntity): number {
  return (run.finished_at ?? new Date()).getTime() - run.started_at.getTime();
}
