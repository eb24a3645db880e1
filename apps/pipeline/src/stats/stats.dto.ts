import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INGEST_MODES, IngestMode } from '@customer-pipeline/data-access';
import { nullableObject } from '@customer-pipeline/http-runtime';
import { FreshnessDto } from '../freshness/freshness.dto';

export class RunOutcomeDto {
  @ApiProperty({ example: 3 })
  run_id!: number;

  @ApiProperty({ example: 'full', enum: INGEST_MODES })
  mode!: IngestMode;

  @ApiPropertyOptional({ example: '2026-11-22T10:00:01.250Z', nullable: true, type: String })
  finished_at!: string | null;

  @ApiPropertyOptional({ example: 'source answered HTTP 503 for page 4', nullable: true, type: String })
  error!: string | null;
}

@ApiExtraModels(RunOutcomeDto)
export class StatsDto {
  @ApiProperty({ example: 21, description: 'Customers stored' })
  customers!: number;

  @ApiProperty({ example: 4, description: 'Ingest runs recorded, whatever their outcome' })
  runs!: number;

  @ApiProperty({ example: 84, description: 'Records read from sources across all runs' })
  records_processed!: number;

  @ApiProperty({ example: 0, description: 'Customers that successful full runs found gone at the source' })
  records_deleted!: number;

  @ApiProperty({ example: 0, description: 'Deleted customers that successful runs saw come back' })
  records_restored!: number;

  @ApiProperty({
    ...nullableObject(RunOutcomeDto),
    description: 'The newest successful run; null before one',
  })
  last_success!: RunOutcomeDto | null;

  @ApiProperty({ ...nullableObject(RunOutcomeDto), description: 'The newest failed run; null before one' })
  last_failure!: RunOutcomeDto | null;

  @ApiProperty({ type: FreshnessDto, description: 'Whether the data is as new as INGEST_CRON promises' })
  freshness!: FreshnessDto;
}
