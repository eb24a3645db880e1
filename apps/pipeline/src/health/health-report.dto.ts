import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { nullableObject } from '@customer-pipeline/http-runtime';
import { FreshnessDto } from '../freshness/freshness.dto';
import { IngestRunDto } from '../ingest/runs/dto/ingest-run.dto';

@ApiExtraModels(IngestRunDto, FreshnessDto)
export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  database!: 'up' | 'down';

  @ApiProperty({
    ...nullableObject(IngestRunDto),
    description: 'The newest ingest run; null before the first',
  })
  last_run!: IngestRunDto | null;

  @ApiProperty({
    ...nullableObject(FreshnessDto),
    description: 'Whether the data is as new as INGEST_CRON promises; null while the database is down',
  })
  freshness!: FreshnessDto | null;
}
