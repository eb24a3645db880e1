import { ApiPropertyOptional } from '@nestjs/swagger';
import { INGEST_MODES, IngestMode } from '@customer-pipeline/data-access';
import { IsIn } from 'class-validator';
import { WaitQueryDto } from './wait-query.dto';

export const INGEST_SOURCES = ['api', 'csv'] as const;

export class IngestQueryDto extends WaitQueryDto {
  @ApiPropertyOptional({
    enum: INGEST_SOURCES,
    default: 'api',
    description: 'api: the source API at SOURCE_URL; csv: the CSV file at INGEST_CSV_PATH',
  })
  @IsIn(INGEST_SOURCES)
  source: (typeof INGEST_SOURCES)[number] = 'api';

  @ApiPropertyOptional({
    enum: INGEST_MODES,
    default: 'full',
    description:
      'full: read the whole source, and mark customers it no longer has as deleted; incremental: read only ' +
      'what changed since the checkpoint (a source that lists by updated_since); it cannot see deletes',
  })
  @IsIn(INGEST_MODES)
  mode: IngestMode = 'full';
}
