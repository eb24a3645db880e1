import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IngestRunDto } from '../ingest/runs/dto/ingest-run.dto';

export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['up', 'down'], example: 'up' })
  database!: 'up' | 'down';

  @ApiPropertyOptional({ type: IngestRunDto, nullable: true, description: 'The newest ingest run, if any' })
  last_run!: IngestRunDto | null;
}
