import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import { nullableObject } from '@customer-pipeline/http-runtime';
import { IngestRunDto } from '../ingest/runs/dto/ingest-run.dto';

@ApiExtraModels(IngestRunDto)
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
}
